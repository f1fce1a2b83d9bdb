import type { Word } from './word.js';

/**
 * A memory-mapped device on the physical bus. Offsets are relative to the device's base.
 * Accesses are naturally aligned and of size 1, 2, 4 or 8 (the bus rejects the rest).
 * A device returns false for an access it does not support; the hart then raises an access
 * fault, exactly as for unmapped physical memory.
 */
export interface MmioDevice {
  readonly name: string;
  /** Result in out.lo (and out.hi for size 8), zero-extended. */
  read(offset: number, size: number, out: Word): boolean;
  /** value in lo (and hi for size 8). */
  write(offset: number, size: number, lo: number, hi: number): boolean;
}
