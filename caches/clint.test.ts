import { describe, expect, it } from 'vitest';
import { Clint } from './clint.js';
import { Clock } from './clock.js';
import { Word } from './word.js';

function setup(harts = 1) {
  const clock = new Clock(1_000_000_000, 10_000_000); // 100 cycles per mtime tick
  const clint = new Clint(clock, harts);
  let changes = 0;
  clint.onChange = () => changes++;
  const w = new Word();
  const read = (off: number, size: number): bigint => {
    expect(clint.read(off, size, w)).toBe(true);
    return size === 8 ? (BigInt(w.hi >>> 0) << 32n) | BigInt(w.lo >>> 0) : BigInt(w.lo >>> 0);
  };
  const write64 = (off: number, v: bigint) =>
    clint.write(off, 8, Number(v & 0xffff_ffffn) | 0, Number((v >> 32n) & 0xffff_ffffn) | 0);
  return { clock, clint, read, write64, changes: () => changes };
}

describe('CLINT MSWI: msip (ACLINT "MSWI")', () => {
  it('resets to 0 and only bit 0 of msip is writable', () => {
    const { clint, read } = setup();
    expect(read(0x0, 4)).toBe(0n);
    expect(clint.write(0x0, 4, 0xffff_ffff | 0, 0)).toBe(true);
    expect(read(0x0, 4)).toBe(1n);
    expect(clint.msip(0)).toBe(true);
    clint.write(0x0, 4, 2, 0);
    expect(clint.msip(0)).toBe(false);
  });

  it('keeps one msip per hart at 4-byte stride', () => {
    const { clint, read } = setup(2);
    clint.write(0x4, 4, 1, 0);
    expect(clint.msip(0)).toBe(false);
    expect(clint.msip(1)).toBe(true);
    expect(read(0x4, 4)).toBe(1n);
  });

  it('rejects accesses to msip that are not 4 bytes (they fault, as on QEMU)', () => {
    const { clint } = setup();
    expect(clint.write(0x0, 8, 1, 0)).toBe(false);
    expect(clint.read(0x0, 1, new Word())).toBe(false);
  });

  it('reads a non-existent hart as zero and ignores writes to it', () => {
    const { clint, read } = setup(1);
    expect(clint.write(0x4, 4, 1, 0)).toBe(true);
    expect(read(0x4, 4)).toBe(0n);
    expect(clint.msip(0)).toBe(false);
  });
});

describe('CLINT MTIMER: mtimecmp and mtime (machine.adoc "Machine Timer Registers")', () => {
  it('resets mtimecmp to all ones, so no timer interrupt is pending', () => {
    const { clint, read } = setup();
    expect(read(0x4000, 8)).toBe(0xffff_ffff_ffff_ffffn);
    expect(clint.mtip(0)).toBe(false);
    expect(clint.mtimecmp(0)).toBeGreaterThanOrEqual(2 ** 53);
  });

  it('returns exactly the bits written to mtimecmp, even above 2^53', () => {
    const { read, write64 } = setup();
    const v = 0xfedc_ba98_7654_3211n;
    write64(0x4000, v);
    expect(read(0x4000, 8)).toBe(v);
    expect(read(0x4000, 4)).toBe(0x7654_3211n);
    expect(read(0x4004, 4)).toBe(0xfedc_ba98n);
  });

  it('writes either half of mtimecmp with a 4-byte access, keeping the other half', () => {
    const { clint, read } = setup();
    clint.write(0x4004, 4, 0, 0); // the usual "hi = 0 first" sequence: mtimecmp = 0x0000_0000_ffff_ffff
    expect(read(0x4000, 8)).toBe(0x0000_0000_ffff_ffffn);
    clint.write(0x4000, 4, 0x1234, 0);
    expect(read(0x4000, 8)).toBe(0x1234n);
    expect(clint.mtimecmp(0)).toBe(0x1234);
  });

  it('raises MTIP exactly when mtime >= mtimecmp', () => {
    const { clock, clint, write64 } = setup();
    write64(0x4000, 50n);
    clock.cycles = 4_999; // mtime 49
    expect(clint.mtip(0)).toBe(false);
    clock.cycles = 5_000; // mtime 50
    expect(clint.mtip(0)).toBe(true);
    write64(0x4000, 51n); // writing a later deadline clears it
    expect(clint.mtip(0)).toBe(false);
  });

  it('reads mtime from the clock with 8-byte and 4-byte accesses', () => {
    const { clock, read } = setup();
    clock.cycles = 100 * 0x1_2345_6789;
    expect(read(0xbff8, 8)).toBe(0x1_2345_6789n);
    expect(read(0xbff8, 4)).toBe(0x2345_6789n);
    expect(read(0xbffc, 4)).toBe(0x1n);
  });

  it('sets the clock when mtime is written, and time keeps running from there', () => {
    const { clock, clint, read, write64 } = setup();
    clock.cycles = 12_345;
    write64(0xbff8, 0x2_0000_0000n);
    expect(clock.mtime()).toBe(2 ** 33);
    clock.cycles += 300;
    expect(read(0xbff8, 8)).toBe(0x2_0000_0003n);
    clint.write(0xbff8, 4, 7, 0); // low half only
    expect(read(0xbff8, 8)).toBe(0x2_0000_0007n);
    clint.write(0xbffc, 4, 0, 0); // high half only
    expect(read(0xbff8, 8)).toBe(7n);
  });

  it('keeps one mtimecmp per hart at 8-byte stride', () => {
    const { clint, read, write64 } = setup(2);
    write64(0x4008, 9n);
    expect(read(0x4008, 8)).toBe(9n);
    expect(read(0x4000, 8)).toBe(0xffff_ffff_ffff_ffffn);
    expect(clint.mtimecmp(1)).toBe(9);
  });

  it('rejects 1- and 2-byte accesses to the timer registers', () => {
    const { clint } = setup();
    expect(clint.read(0x4000, 1, new Word())).toBe(false);
    expect(clint.write(0xbff8, 2, 0, 0)).toBe(false);
  });
});

describe('CLINT change notification', () => {
  it('calls onChange after every write so the hart re-evaluates mip', () => {
    const { clint, write64, changes } = setup();
    clint.write(0x0, 4, 1, 0);
    write64(0x4000, 5n);
    write64(0xbff8, 5n);
    expect(changes()).toBe(3);
    clint.read(0x4000, 8, new Word());
    expect(changes()).toBe(3);
  });
});
