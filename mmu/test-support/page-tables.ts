/**
 * Test support (used only by mmu/*.test.ts): builds real page tables in a Bus's sparse DRAM and
 * implements PteMemory over that Bus the way the hart does, recording every PTE access.
 * BigInt throughout: this is cold code.
 */
import { Bus } from '../../caches/bus.js';
import { Word } from '../../caches/word.js';
import { PTE_A, PTE_D, PTE_R, PTE_U, PTE_V, PTE_W, PTE_X } from '../pte.js';
import { PteCas, type PteMemory } from '../walk.js';

export const DRAM_BASE = 0x8000_0000;
export const DRAM_SIZE = 64 * 1024 * 1024;

/** Common leaf flag sets. */
export const RWX_AD = PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;
export const URWX_AD = RWX_AD | PTE_U;

/** A leaf or pointer PTE for physical address pa (its PPN is pa >> 12). */
export function pte(pa: bigint, flags: number): bigint {
  return ((pa >> 12n) << 10n) | BigInt(flags);
}

/** A 64-bit value as the (lo, hi) int32 halves the walk takes. */
export function halves(v: bigint): [number, number] {
  const u = BigInt.asUintN(64, v);
  return [Number(BigInt.asIntN(32, u)), Number(BigInt.asIntN(32, u >> 32n))];
}

/** PteMemory over a Bus, as the hart implements it, logging every read and update. */
export class BusPteMemory implements PteMemory {
  readonly reads: number[] = [];
  readonly cas: number[] = [];
  /** Test hook: force the next casPte results (consumed in order) instead of doing the update. */
  readonly casScript: PteCas[] = [];
  private readonly tmp = new Word();

  constructor(readonly bus: Bus) {}

  readPte(pa: number, out: Word): boolean {
    this.reads.push(pa);
    return this.bus.load(pa, 8, out);
  }

  casPte(pa: number, expectLo: number, expectHi: number, newLo: number, newHi: number): PteCas {
    this.cas.push(pa);
    const forced = this.casScript.shift();
    if (forced !== undefined) return forced;
    if (!this.bus.load(pa, 8, this.tmp)) return PteCas.AccessFault;
    if (this.tmp.lo !== expectLo || this.tmp.hi !== expectHi) return PteCas.Changed;
    return this.bus.store(pa, 8, newLo, newHi) ? PteCas.Stored : PteCas.AccessFault;
  }
}

/**
 * Page tables for one stage of `levels` levels; gStage gives the 16 KiB x4 root. Tables come from
 * a bump allocator starting at `tableBase` (DRAM by default). Table addresses are in the stage's
 * own "physical" space; `hostOf` maps them to Bus addresses (identity, except for VS-stage tables
 * living in guest-physical memory, where it is the G-stage mapping).
 */
export class PageTables {
  readonly bus: Bus;
  readonly mem: BusPteMemory;
  readonly root: bigint;
  private next: bigint;

  constructor(
    readonly levels: number,
    readonly gStage = false,
    bus?: Bus,
    tableBase = BigInt(DRAM_BASE + 0x10_0000),
    readonly hostOf: (addr: bigint) => bigint = (addr) => addr,
  ) {
    this.bus = bus ?? new Bus(DRAM_BASE, DRAM_SIZE);
    this.mem = new BusPteMemory(this.bus);
    this.next = tableBase;
    this.root = this.alloc(gStage ? 0x4000n : 0x1000n);
  }

  get rootPpn(): number {
    return Number(this.root >> 12n);
  }

  /** A zeroed, size-aligned table. */
  alloc(size = 0x1000n): bigint {
    this.next = (this.next + size - 1n) & ~(size - 1n);
    const at = this.next;
    this.next += size;
    for (let off = 0n; off < size; off += 8n) this.write(at + off, 0n);
    return at;
  }

  /** The VPN field of va that indexes a level-i table (11 bits at an x4 root). */
  index(va: bigint, i: number): bigint {
    const bits = this.gStage && i === this.levels - 1 ? 11n : 9n;
    return (va >> (12n + 9n * BigInt(i))) & ((1n << bits) - 1n);
  }

  /** Address of va's level-`level` PTE, creating pointer PTEs (V=1 only) down to it. */
  pteAddr(va: bigint, level: number): bigint {
    let table = this.root;
    for (let i = this.levels - 1; i > level; i--) {
      const at = table + this.index(va, i) * 8n;
      let entry = this.read(at);
      if ((entry & 1n) === 0n) {
        entry = pte(this.alloc(), PTE_V);
        this.write(at, entry);
      }
      if ((entry & BigInt(PTE_R | PTE_X)) !== 0n) throw new Error(`level ${i} of ${va.toString(16)} is a leaf`);
      table = ((entry >> 10n) & ((1n << 44n) - 1n)) << 12n;
    }
    return table + this.index(va, level) * 8n;
  }

  /** Writes a raw PTE value at va's level-`level` slot; returns its address. */
  setPte(va: bigint, level: number, value: bigint): bigint {
    const at = this.pteAddr(va, level);
    this.write(at, value);
    return at;
  }

  /** Maps the level-`level` page holding va to pa with the given leaf flags. */
  map(va: bigint, pa: bigint, level: number, flags: number): bigint {
    return this.setPte(va, level, pte(pa, flags));
  }

  /**
   * Reference translation (no permission or A/D checks): the address va maps to, or null when a
   * V=0 entry is met first. Used to compute expected results independently of the walker.
   */
  lookup(va: bigint): bigint | null {
    let table = this.root;
    for (let i = this.levels - 1; i >= 0; i--) {
      const entry = this.read(table + this.index(va, i) * 8n);
      if ((entry & 1n) === 0n) return null;
      const base = ((entry >> 10n) & ((1n << 44n) - 1n)) << 12n;
      if ((entry & BigInt(PTE_R | PTE_X)) !== 0n) return base + (va & ((1n << (12n + 9n * BigInt(i))) - 1n));
      table = base;
    }
    return null;
  }

  read(pa: bigint): bigint {
    const w = new Word();
    const host = this.hostOf(pa);
    if (!this.bus.load(Number(host), 8, w)) throw new Error(`no memory at ${host.toString(16)}`);
    return (BigInt(w.hi >>> 0) << 32n) | BigInt(w.lo >>> 0);
  }

  write(pa: bigint, value: bigint): void {
    const [lo, hi] = halves(value);
    const host = this.hostOf(pa);
    if (!this.bus.store(Number(host), 8, lo, hi)) throw new Error(`no memory at ${host.toString(16)}`);
  }
}
