import type { Clock } from './clock.js';
import type { MmioDevice } from './device.js';
import type { Word } from './word.js';

/**
 * The CLINT as QEMU virt maps it (base 0x0200_0000, 64 KiB): an ACLINT MSWI device at offset 0
 * and an ACLINT MTIMER device at 0x4000 (RISC-V ACLINT spec, "MSWI" and "MTIMER"; the layout is
 * the one SiFive's original CLINT used, so OpenSBI and Linux find the same registers).
 *
 *   0x0000 + 4*hart   msip[hart]      32-bit, only bit 0 is writable (MSIP of that hart's mip)
 *   0x4000 + 8*hart   mtimecmp[hart]  64-bit
 *   0xBFF8            mtime           64-bit, writable
 *
 * msip is a 32-bit register: only 4-byte accesses reach it (as on QEMU). The 64-bit registers
 * take 8-byte accesses or 4-byte accesses to either half. Offsets inside the window that name no
 * register (a hart that does not exist, reserved space) read as zero and ignore writes.
 * machine.adoc "Machine Timer Registers": MTIP is pending while mtime >= mtimecmp.
 */
export const CLINT_SIZE = 0x10000;
const MSIP_BASE = 0x0;
const MTIMECMP_BASE = 0x4000;
const MTIME = 0xbff8;
const TWO_32 = 2 ** 32;

export class Clint implements MmioDevice {
  readonly name = 'clint';
  /** Called after any write, so the hart re-evaluates mip.MSIP / mip.MTIP. */
  onChange: (() => void) | null = null;
  private readonly msipBits: Uint8Array;
  /** mtimecmp halves, kept as written (as uint32) so a read returns exactly the written bits. */
  private readonly cmpLo: Uint32Array;
  private readonly cmpHi: Uint32Array;

  constructor(
    private readonly clock: Clock,
    private readonly harts = 1,
  ) {
    this.msipBits = new Uint8Array(harts);
    // ACLINT spec "MTIMER": mtimecmp has no defined reset value; QEMU and most firmware-facing
    // models reset it to all ones so that no timer interrupt is pending out of reset.
    this.cmpLo = new Uint32Array(harts).fill(0xffff_ffff);
    this.cmpHi = new Uint32Array(harts).fill(0xffff_ffff);
  }

  msip(hart: number): boolean {
    return this.msipBits[hart] === 1;
  }

  /** mtimecmp as a number, for comparisons: a value of 2^53 or more rounds but stays huge. */
  mtimecmp(hart: number): number {
    return this.cmpHi[hart]! * TWO_32 + this.cmpLo[hart]!;
  }

  mtip(hart: number): boolean {
    return this.clock.mtime() >= this.mtimecmp(hart);
  }

  read(offset: number, size: number, out: Word): boolean {
    out.lo = 0;
    out.hi = 0;
    if (offset < MTIMECMP_BASE) {
      if (size !== 4) return false;
      const hart = (offset - MSIP_BASE) >>> 2;
      if (hart < this.harts) out.lo = this.msipBits[hart]!;
      return true;
    }
    if (size !== 4 && size !== 8) return false;
    const reg = offset & ~7;
    const upperHalf = (offset & 4) !== 0;
    let lo: number;
    let hi: number;
    if (reg === MTIME) {
      const t = this.clock.mtime();
      lo = t % TWO_32;
      hi = Math.floor(t / TWO_32) % TWO_32;
    } else {
      const hart = (reg - MTIMECMP_BASE) >>> 3;
      if (hart >= this.harts) return true;
      lo = this.cmpLo[hart]!;
      hi = this.cmpHi[hart]!;
    }
    if (size === 8) {
      out.lo = lo | 0;
      out.hi = hi | 0;
    } else {
      out.lo = (upperHalf ? hi : lo) | 0;
    }
    return true;
  }

  write(offset: number, size: number, lo: number, hi: number): boolean {
    if (offset < MTIMECMP_BASE) {
      if (size !== 4) return false;
      const hart = (offset - MSIP_BASE) >>> 2;
      // ACLINT "MSWI": bits other than bit 0 of msip are hardwired to zero.
      if (hart < this.harts) this.msipBits[hart] = lo & 1;
    } else {
      if (size !== 4 && size !== 8) return false;
      const reg = offset & ~7;
      const upperHalf = (offset & 4) !== 0;
      if (reg === MTIME) this.writeMtime(size, upperHalf, lo, hi);
      else this.writeMtimecmp((reg - MTIMECMP_BASE) >>> 3, size, upperHalf, lo, hi);
    }
    this.onChange?.();
    return true;
  }

  private writeMtimecmp(hart: number, size: number, upperHalf: boolean, lo: number, hi: number): void {
    if (hart >= this.harts) return;
    if (size === 8) {
      this.cmpLo[hart] = lo;
      this.cmpHi[hart] = hi;
    } else if (upperHalf) {
      this.cmpHi[hart] = lo;
    } else {
      this.cmpLo[hart] = lo;
    }
  }

  /** A 4-byte write replaces one half and keeps the other half of the current count. */
  private writeMtime(size: number, upperHalf: boolean, lo: number, hi: number): void {
    const now = this.clock.mtime();
    let newLo = now % TWO_32;
    let newHi = Math.floor(now / TWO_32) % TWO_32;
    if (size === 8) {
      newLo = lo >>> 0;
      newHi = hi >>> 0;
    } else if (upperHalf) {
      newHi = lo >>> 0;
    } else {
      newLo = lo >>> 0;
    }
    this.clock.setMtime(newHi * TWO_32 + newLo);
  }
}
