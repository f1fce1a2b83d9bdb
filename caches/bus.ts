import type { MmioDevice } from './device.js';
import { CHUNK_MASK, SparseMemory } from './sparse-memory.js';
import type { Word } from './word.js';

/** Flags per 4 KiB DRAM page, consulted by the slow store path. */
export const PAGE_WATCHED = 1; // a store hook wants to see writes (HTIF tohost)
export const PAGE_CODE = 2; // translated code lives here: stores must invalidate it

interface Mapping {
  base: number;
  size: number;
  dev: MmioDevice;
}

export type StoreHook = (pa: number, size: number) => void;

/**
 * The physical address space: DRAM plus MMIO devices. Physical addresses are JS numbers; the
 * hart never hands the bus an address of 2^53 or more (it treats such addresses as unmapped).
 * Every access to an address with nothing behind it returns false: the hart raises an access
 * fault, never a host exception.
 */
export class Bus {
  readonly dram: SparseMemory;
  private readonly devices: Mapping[] = [];
  /** One byte per 4 KiB DRAM page: PAGE_WATCHED | PAGE_CODE. */
  readonly pageFlags: Uint8Array;
  private readonly storeHooks: StoreHook[] = [];

  constructor(dramBase: number, dramSize: number) {
    this.dram = new SparseMemory(dramBase, dramSize);
    this.pageFlags = new Uint8Array(Math.ceil(dramSize / 4096));
  }

  addDevice(base: number, size: number, dev: MmioDevice): void {
    for (const m of this.devices) {
      if (base < m.base + m.size && m.base < base + size) {
        throw new Error(`device ${dev.name} at 0x${base.toString(16)} overlaps ${m.dev.name}`);
      }
    }
    if (base < this.dram.base + this.dram.size && this.dram.base < base + size) {
      throw new Error(`device ${dev.name} at 0x${base.toString(16)} overlaps DRAM`);
    }
    this.devices.push({ base, size, dev });
  }

  /** Called after every slow-path store to a page with flags set. */
  onStore(hook: StoreHook): void {
    this.storeHooks.push(hook);
  }

  /** The DRAM chunk for a fast-path access to [pa, pa+len), or null when it is not plain RAM. */
  ramChunk(pa: number, len: number): DataView | null {
    return this.dram.contains(pa, len) ? this.dram.chunk(pa) : null;
  }

  pageFlagsAt(pa: number): number {
    return this.dram.contains(pa, 1) ? this.pageFlags[Math.floor((pa - this.dram.base) / 4096)]! : 0;
  }

  setPageFlag(pa: number, flag: number): void {
    if (this.dram.contains(pa, 1)) this.pageFlags[Math.floor((pa - this.dram.base) / 4096)]! |= flag;
  }

  clearPageFlag(pa: number, flag: number): void {
    if (this.dram.contains(pa, 1)) this.pageFlags[Math.floor((pa - this.dram.base) / 4096)]! &= ~flag;
  }

  /** Slow-path load; size 1|2|4|8, naturally aligned or within one page for RAM. */
  load(pa: number, size: number, out: Word): boolean {
    if (this.dram.contains(pa, size)) {
      const c = this.dram.chunk(pa);
      const off = (pa - this.dram.base) & CHUNK_MASK;
      if (off + size <= c.byteLength) {
        readChunk(c, off, size, out);
        return true;
      }
      // Crosses a chunk boundary: byte by byte.
      let lo = 0;
      let hi = 0;
      for (let i = size - 1; i >= 0; i--) {
        const a = pa + i;
        const b = this.dram.chunk(a).getUint8((a - this.dram.base) & CHUNK_MASK);
        if (i >= 4) hi = (hi << 8) | b;
        else lo = (lo << 8) | b;
      }
      out.lo = lo;
      out.hi = hi;
      return true;
    }
    const m = this.find(pa, size);
    if (m === null || (pa - m.base) % size !== 0) return false;
    return m.dev.read(pa - m.base, size, out);
  }

  /** Slow-path store; runs store hooks for flagged pages. */
  store(pa: number, size: number, lo: number, hi: number): boolean {
    if (this.dram.contains(pa, size)) {
      for (let i = 0; i < size; i++) {
        const a = pa + i;
        const b = i < 4 ? lo >>> (8 * i) : hi >>> (8 * (i - 4));
        this.dram.chunk(a).setUint8((a - this.dram.base) & CHUNK_MASK, b & 0xff);
      }
      if (this.pageFlagsAt(pa) !== 0 || this.pageFlagsAt(pa + size - 1) !== 0) {
        for (const h of this.storeHooks) h(pa, size);
      }
      return true;
    }
    const m = this.find(pa, size);
    if (m === null || (pa - m.base) % size !== 0) return false;
    return m.dev.write(pa - m.base, size, lo, hi);
  }

  private find(pa: number, size: number): Mapping | null {
    for (const m of this.devices) {
      if (pa >= m.base && pa + size <= m.base + m.size) return m;
    }
    return null;
  }
}

/** Read size bytes little-endian from a chunk into out (zero-extended). */
export function readChunk(c: DataView, off: number, size: number, out: Word): void {
  switch (size) {
    case 1:
      out.lo = c.getUint8(off);
      out.hi = 0;
      break;
    case 2:
      out.lo = c.getUint16(off, true);
      out.hi = 0;
      break;
    case 4:
      out.lo = c.getInt32(off, true);
      out.hi = 0;
      break;
    default:
      out.lo = c.getInt32(off, true);
      out.hi = c.getInt32(off + 4, true);
  }
}
