import { describe, expect, it } from 'vitest';
import { UserError } from '../common/errors.js';
import { Bus, PAGE_WATCHED } from './bus.js';
import { Htif } from './htif.js';
import { Word } from './word.js';

const DRAM = 0x8000_0000;
const TOHOST = DRAM + 0x1000;
const FROMHOST = DRAM + 0x1040;

function setup(fromhost: number | null = FROMHOST) {
  const bus = new Bus(DRAM, 16 << 20);
  const exits: number[] = [];
  const out: number[] = [];
  const htif = new Htif(bus, TOHOST, fromhost, (c) => exits.push(c), (b) => out.push(b));
  const w = new Word();
  const load64 = (pa: number): bigint => {
    expect(bus.load(pa, 8, w)).toBe(true);
    return (BigInt(w.hi >>> 0) << 32n) | BigInt(w.lo >>> 0);
  };
  const store64 = (pa: number, v: bigint) =>
    expect(bus.store(pa, 8, Number(v & 0xffff_ffffn) | 0, Number(v >> 32n) | 0)).toBe(true);
  return { bus, htif, exits, out, load64, store64 };
}

const cmd = (device: bigint, command: bigint, payload: bigint) => (device << 56n) | (command << 48n) | payload;

describe('HTIF tohost/fromhost (Spike fesvr protocol)', () => {
  it('watches the tohost page so stores to it reach the store hook', () => {
    const { bus } = setup();
    expect(bus.pageFlagsAt(TOHOST) & PAGE_WATCHED).toBe(PAGE_WATCHED);
    expect(bus.pageFlagsAt(TOHOST + 0x1000)).toBe(0);
  });

  it('exits with code 0 when riscv-tests write tohost = 1 (pass), and clears tohost', () => {
    const { exits, load64, store64 } = setup();
    store64(TOHOST, 1n);
    expect(exits).toEqual([0]);
    expect(load64(TOHOST)).toBe(0n);
  });

  it('exits with code value >> 1 for a failing test (TESTNUM << 1 | 1)', () => {
    const { exits, store64 } = setup();
    store64(TOHOST, (5n << 1n) | 1n);
    expect(exits).toEqual([5]);
  });

  it('prints the low byte for device 1 / cmd 1 and acks in fromhost', () => {
    const { out, exits, load64, store64 } = setup();
    store64(TOHOST, cmd(1n, 1n, 0x41n));
    store64(TOHOST, cmd(1n, 1n, 0x142n));
    expect(out).toEqual([0x41, 0x42]);
    expect(exits).toEqual([]);
    expect(load64(TOHOST)).toBe(0n);
    expect(load64(FROMHOST)).toBe(cmd(1n, 1n, 0n));
  });

  it('works without a fromhost symbol (no ack is written)', () => {
    const { out, load64, store64 } = setup(null);
    store64(TOHOST, cmd(1n, 1n, 0x41n));
    expect(out).toEqual([0x41]);
    expect(load64(FROMHOST)).toBe(0n);
  });

  it('clears and ignores unknown commands', () => {
    const { out, exits, load64, store64 } = setup();
    store64(TOHOST, cmd(1n, 0n, 0n)); // console read: no input source
    store64(TOHOST, cmd(7n, 3n, 0x99n));
    expect(out).toEqual([]);
    expect(exits).toEqual([]);
    expect(load64(TOHOST)).toBe(0n);
    expect(load64(FROMHOST)).toBe(0n);
  });

  it('ignores stores elsewhere on the watched page and a zero write to tohost', () => {
    const { htif, store64 } = setup();
    store64(TOHOST + 8, 1n);
    store64(TOHOST, 0n);
    expect(htif.commands).toBe(0);
  });

  it('proxies SYS_write to stdout through magic_mem and answers in magic_mem[0] and fromhost', () => {
    const { bus, out, load64, store64 } = setup();
    const magic = DRAM + 0x2000;
    const buf = DRAM + 0x3000;
    bus.dram.writeBytes(buf, new TextEncoder().encode('ok\n'));
    store64(magic, 64n);
    store64(magic + 8, 1n);
    store64(magic + 16, BigInt(buf));
    store64(magic + 24, 3n);
    store64(TOHOST, BigInt(magic));
    expect(String.fromCharCode(...out)).toBe('ok\n');
    expect(load64(magic)).toBe(3n);
    expect(load64(FROMHOST)).toBe(1n);
  });

  it('answers an unsupported syscall with -ENOSYS so the guest does not hang', () => {
    const { load64, store64 } = setup();
    const magic = DRAM + 0x2000;
    store64(magic, 1234n);
    store64(TOHOST, BigInt(magic));
    expect(load64(magic)).toBe(BigInt.asUintN(64, -38n));
    expect(load64(FROMHOST)).toBe(1n);
  });

  it('exits through the SYS_exit syscall with code a0', () => {
    const { exits, store64 } = setup();
    const magic = DRAM + 0x2000;
    store64(magic, 93n);
    store64(magic + 8, 3n);
    store64(TOHOST, BigInt(magic));
    expect(exits).toEqual([3]);
  });

  it('rejects a tohost outside DRAM or misaligned with a UserError naming the address', () => {
    const bus = new Bus(DRAM, 16 << 20);
    expect(() => new Htif(bus, 0x1000, null, () => {}, () => {})).toThrow(UserError);
    expect(() => new Htif(bus, DRAM + 4, null, () => {}, () => {})).toThrow(/0x80000004/);
  });
});
