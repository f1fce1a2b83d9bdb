import { describe, expect, it } from 'vitest';
import { type FinisherReason, TestFinisher } from './test-finisher.js';
import { Word } from './word.js';

function setup() {
  const exits: [number, FinisherReason][] = [];
  const dev = new TestFinisher((code, reason) => exits.push([code, reason]));
  return { dev, exits };
}

describe('SiFive test finisher (QEMU sifive_test)', () => {
  it('passes with exit code 0 on 0x5555', () => {
    const { dev, exits } = setup();
    expect(dev.write(0, 4, 0x5555, 0)).toBe(true);
    expect(exits).toEqual([[0, 'pass']]);
  });

  it('fails with the code in bits 31:16 on 0x3333', () => {
    const { dev, exits } = setup();
    dev.write(0, 4, (42 << 16) | 0x3333, 0);
    dev.write(0, 4, (0xffff << 16) | 0x3333, 0);
    expect(exits).toEqual([
      [42, 'fail'],
      [0xffff, 'fail'],
    ]);
  });

  it('ends the run with reason "reset" on 0x7777', () => {
    const { dev, exits } = setup();
    dev.write(0, 4, 0x7777, 0);
    expect(exits).toEqual([[0, 'reset']]);
  });

  it('ignores unknown status words and writes at other offsets', () => {
    const { dev, exits } = setup();
    expect(dev.write(0, 4, 0x1234, 0)).toBe(true);
    expect(dev.write(4, 4, 0x5555, 0)).toBe(true);
    expect(exits).toEqual([]);
  });

  it('accepts a 2-byte status write, as QEMU does', () => {
    const { dev, exits } = setup();
    dev.write(0, 2, 0x5555, 0);
    expect(exits).toEqual([[0, 'pass']]);
  });

  it('reads as zero and faults on 1- and 8-byte accesses', () => {
    const { dev, exits } = setup();
    const w = new Word();
    w.lo = 7;
    expect(dev.read(0, 4, w)).toBe(true);
    expect(w.lo).toBe(0);
    expect(dev.read(0, 8, w)).toBe(false);
    expect(dev.write(0, 1, 0x55, 0)).toBe(false);
    expect(dev.write(0, 8, 0x5555, 0)).toBe(false);
    expect(exits).toEqual([]);
  });
});
