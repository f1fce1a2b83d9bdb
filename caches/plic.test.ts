import { describe, expect, it } from 'vitest';
import { Plic } from './plic.js';
import { Word } from './word.js';

const PRIORITY = (src: number) => 4 * src;
const PENDING = 0x1000;
const ENABLE = (ctx: number) => 0x2000 + 0x80 * ctx;
const THRESHOLD = (ctx: number) => 0x20_0000 + 0x1000 * ctx;
const CLAIM = (ctx: number) => 0x20_0004 + 0x1000 * ctx;

function setup() {
  const plic = new Plic();
  let changes = 0;
  plic.onChange = () => changes++;
  const w = new Word();
  const read = (off: number): number => {
    expect(plic.read(off, 4, w)).toBe(true);
    return w.lo >>> 0;
  };
  const write = (off: number, v: number) => expect(plic.write(off, 4, v | 0, 0)).toBe(true);
  return { plic, read, write, changes: () => changes };
}

describe('PLIC registers (PLIC spec "Memory Map", QEMU virt layout)', () => {
  it('keeps 3-bit priorities (7 levels) and hardwires source 0 to 0', () => {
    const { read, write } = setup();
    write(PRIORITY(10), 0xff);
    expect(read(PRIORITY(10))).toBe(7);
    write(PRIORITY(0), 5);
    expect(read(PRIORITY(0))).toBe(0);
  });

  it('keeps enables per context, with source 0 never enabled', () => {
    const { read, write } = setup();
    write(ENABLE(0), 0xffff_ffff);
    write(ENABLE(1) + 4, 0x8000_0001);
    expect(read(ENABLE(0))).toBe(0xffff_fffe);
    expect(read(ENABLE(1))).toBe(0);
    expect(read(ENABLE(1) + 4)).toBe(0x8000_0001);
  });

  it('has no sources beyond 95: their enable bits read as zero', () => {
    const { read, write } = setup();
    write(ENABLE(0) + 8, 0xffff_ffff); // sources 64..95 exist
    write(ENABLE(0) + 12, 0xffff_ffff); // sources 96..127 do not
    expect(read(ENABLE(0) + 8)).toBe(0xffff_ffff);
    expect(read(ENABLE(0) + 12)).toBe(0);
  });

  it('shows a raised source in the pending array and ignores writes to it', () => {
    const { plic, read, write } = setup();
    plic.setSource(10, true);
    plic.setSource(33, true);
    expect(read(PENDING)).toBe(1 << 10);
    expect(read(PENDING + 4)).toBe(1 << 1);
    write(PENDING, 0);
    expect(read(PENDING)).toBe(1 << 10);
  });

  it('keeps a 3-bit threshold per context', () => {
    const { read, write } = setup();
    write(THRESHOLD(1), 0x13);
    expect(read(THRESHOLD(1))).toBe(3);
    expect(read(THRESHOLD(0))).toBe(0);
  });

  it('only accepts 4-byte accesses', () => {
    const { plic } = setup();
    expect(plic.read(PRIORITY(1), 8, new Word())).toBe(false);
    expect(plic.write(PRIORITY(1), 1, 1, 0)).toBe(false);
  });
});

describe('PLIC notification, claim and completion (PLIC spec "Interrupt Claim Process")', () => {
  function armed() {
    const s = setup();
    s.write(PRIORITY(10), 1);
    s.write(ENABLE(0), 1 << 10);
    return s;
  }

  it('asserts MEIP for an enabled source whose priority is above the M-context threshold', () => {
    const { plic, write } = armed();
    expect(plic.meip()).toBe(false);
    plic.setSource(10, true);
    expect(plic.meip()).toBe(true);
    expect(plic.seip()).toBe(false); // not enabled in the S context
    write(THRESHOLD(0), 1); // priority must be strictly greater than threshold
    expect(plic.meip()).toBe(false);
  });

  it('never notifies a source with priority 0 ("never interrupt")', () => {
    const { plic, read, write } = armed();
    write(PRIORITY(10), 0);
    plic.setSource(10, true);
    expect(plic.meip()).toBe(false);
    expect(read(CLAIM(0))).toBe(0);
  });

  it('drives SEIP from context 1 independently of context 0', () => {
    const { plic, write } = armed();
    write(ENABLE(0), 0);
    write(ENABLE(1), 1 << 10);
    plic.setSource(10, true);
    expect(plic.seip()).toBe(true);
    expect(plic.meip()).toBe(false);
  });

  it('claims the highest-priority pending source, lowest ID on ties, and clears its pending bit', () => {
    const { plic, read, write } = armed();
    write(PRIORITY(3), 1);
    write(PRIORITY(7), 5);
    write(ENABLE(0), (1 << 3) | (1 << 7) | (1 << 10));
    plic.setSource(10, true);
    plic.setSource(3, true);
    plic.setSource(7, true);
    expect(read(CLAIM(0))).toBe(7);
    expect(read(CLAIM(0))).toBe(3); // 3 and 10 tie at priority 1
    expect(read(CLAIM(0))).toBe(10);
    expect(read(CLAIM(0))).toBe(0);
    expect(read(PENDING)).toBe(0);
    expect(plic.meip()).toBe(false);
    expect(plic.claims).toBe(3);
  });

  it('does not forward a still-high level until the claimed source is completed (gateway)', () => {
    const { plic, read, write } = armed();
    plic.setSource(10, true);
    expect(read(CLAIM(0))).toBe(10);
    plic.setSource(10, true); // still asserted while in service
    expect(read(PENDING)).toBe(0);
    expect(plic.meip()).toBe(false);
    write(CLAIM(0), 10); // complete: the level is still high, so a new request is pending
    expect(read(PENDING)).toBe(1 << 10);
    expect(plic.meip()).toBe(true);
  });

  it('does not re-pend after completion once the device has dropped its line', () => {
    const { plic, read, write } = armed();
    plic.setSource(10, true);
    expect(read(CLAIM(0))).toBe(10);
    plic.setSource(10, false);
    write(CLAIM(0), 10);
    expect(read(PENDING)).toBe(0);
    expect(plic.meip()).toBe(false);
  });

  it('keeps a request pending when the level drops before the claim', () => {
    const { plic, read } = armed();
    plic.setSource(10, true);
    plic.setSource(10, false);
    expect(plic.meip()).toBe(true);
    expect(read(CLAIM(0))).toBe(10);
  });

  it('ignores a completion for a source not enabled in that context', () => {
    const { plic, read, write } = armed();
    plic.setSource(10, true);
    expect(read(CLAIM(0))).toBe(10);
    write(CLAIM(1), 10); // context 1 does not have source 10 enabled
    expect(read(PENDING)).toBe(0);
    write(CLAIM(0), 10);
    expect(read(PENDING)).toBe(1 << 10);
  });

  it('calls onChange on source changes, writes and claims', () => {
    const { plic, read, changes } = armed();
    const before = changes();
    plic.setSource(10, true);
    expect(changes()).toBe(before + 1);
    read(CLAIM(0));
    expect(changes()).toBeGreaterThan(before + 1);
  });
});
