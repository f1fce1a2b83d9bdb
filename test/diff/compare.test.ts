import { describe, expect, it } from 'vitest';
import { compareUart, knownTrapDeviation } from './compare.js';

const t = (mepc: number, cause: number, tval: bigint, insn: number): string =>
  `t ${mepc.toString(16).padStart(16, '0')} ${cause.toString(16).padStart(16, '0')} ${tval.toString(16).padStart(16, '0')} ${insn.toString(16).padStart(16, '0')}`;

const AMOADD_W = 0x00b4a62f;
const LR_W = 0x1004a6af;
const EBREAK = 0x00100073;
const C_EBREAK = 0x9002;

describe('compareUart', () => {
  it('reports the first differing line, counting from 1', () => {
    const r = compareUart('x01 1\nx02 2\nend\n', 'x01 1\nx02 3\nend\n');
    expect(r).toMatchObject({ same: false, line: 2, qemu: 'x02 2', rvhsim: 'x02 3' });
  });

  it('reports output that stops early on one side', () => {
    expect(compareUart('a\nb\n', 'a\n')).toMatchObject({ same: false, line: 2, qemu: 'b', rvhsim: '' });
  });

  it('accepts mtval = 0 or the instruction address for EBREAK and C.EBREAK (machine.adoc "mtval")', () => {
    const q = t(0x80000100, 3, 0n, EBREAK) + '\n' + t(0x80000104, 3, 0n, C_EBREAK);
    const r = t(0x80000100, 3, 0x80000100n, EBREAK) + '\n' + t(0x80000104, 3, 0x80000104n, C_EBREAK);
    const cmp = compareUart(q, r);
    expect(cmp.same).toBe(true);
    expect(cmp.deviations.get('ebreak-mtval')).toBe(2);
  });

  it('still rejects an EBREAK mtval that is neither 0 nor the instruction address', () => {
    expect(compareUart(t(0x80000100, 3, 0n, EBREAK), t(0x80000100, 3, 0x1234n, EBREAK)).same).toBe(false);
  });

  it('rewrites QEMU 7.2’s load-side causes for AMOs to the store/AMO causes the spec requires', () => {
    const q = [t(0x80000100, 4, 0x80200001n, AMOADD_W), t(0x80000104, 5, 0x10n, AMOADD_W), t(0x80000108, 13, 0x80202000n, AMOADD_W)].join('\n');
    const r = [t(0x80000100, 6, 0x80200001n, AMOADD_W), t(0x80000104, 7, 0x10n, AMOADD_W), t(0x80000108, 15, 0x80202000n, AMOADD_W)].join('\n');
    const cmp = compareUart(q, r);
    expect(cmp.same).toBe(true);
    expect([...cmp.deviations]).toEqual([['qemu-amo-misaligned-cause', 1], ['qemu-amo-access-fault-cause', 1], ['qemu-amo-page-fault-cause', 1]]);
  });

  it('does not excuse rvhsim reporting a load cause for an AMO, nor touch LR (a load)', () => {
    expect(compareUart(t(0x80000100, 4, 0x80200001n, AMOADD_W), t(0x80000100, 4, 0x80200001n, AMOADD_W)).same).toBe(false);
    expect(compareUart(t(0x80000100, 6, 0x80200001n, AMOADD_W), t(0x80000100, 4, 0x80200001n, AMOADD_W)).same).toBe(false);
    expect(compareUart(t(0x80000100, 4, 0x80200001n, LR_W), t(0x80000100, 6, 0x80200001n, LR_W)).same).toBe(false);
  });
});

describe('compareUart with the H fields (tval2, MPV:GVA)', () => {
  const HLV_B = 0x600fcf73;
  const h = (line: string, tval2: bigint, bits: number): string => `${line} ${tval2.toString(16).padStart(16, '0')} ${bits.toString(16).padStart(16, '0')}`;

  it('accepts QEMU 7.2’s stale mtval2 on a trap that is not a guest-page fault (hypervisor.adoc norm:mtval2_trapval)', () => {
    const cmp = compareUart(h(t(0x80000100, 3, 0n, EBREAK), 0x20080600n, 0), h(t(0x80000100, 3, 0n, EBREAK), 0n, 0));
    expect(cmp.same).toBe(true);
    expect(cmp.deviations.get('qemu-stale-tval2')).toBe(1);
    // but a guest-page fault's mtval2 must match
    expect(compareUart(h(t(0x80000100, 21, 0x80201800n, HLV_B), 0x20080600n, 1), h(t(0x80000100, 21, 0x80201800n, HLV_B), 0n, 1)).same).toBe(false);
  });

  it('accepts QEMU 7.2 leaving GVA clear for an HLV fault with V=0, not rvhsim doing so', () => {
    const q = h(t(0x80000100, 21, 0x80201800n, HLV_B), 0x20080600n, 0);
    const r = h(t(0x80000100, 21, 0x80201800n, HLV_B), 0x20080600n, 1);
    expect(compareUart(q, r)).toMatchObject({ same: true });
    expect(compareUart(r, q).same).toBe(false);
  });

  it('accepts QEMU 7.2’s stale mtval for an illegal HLV when rvhsim reports the instruction bits', () => {
    expect(compareUart(h(t(0x80000100, 2, 0x3054n, HLV_B), 0n, 0), h(t(0x80000100, 2, BigInt(HLV_B), HLV_B), 0n, 0)).same).toBe(true);
    expect(compareUart(h(t(0x80000100, 2, BigInt(HLV_B), HLV_B), 0n, 0), h(t(0x80000100, 2, 0x3054n, HLV_B), 0n, 0)).same).toBe(false);
  });
});

describe('knownTrapDeviation', () => {
  it('names the rule that explains a trap difference, or nothing', () => {
    expect(knownTrapDeviation(AMOADD_W, 0x80000100n, { cause: 4n, tval: 1n }, { cause: 6n, tval: 1n })).toBe('qemu-amo-misaligned-cause');
    expect(knownTrapDeviation(AMOADD_W, 0x80000100n, { cause: 5n, tval: 0n }, { cause: 7n, tval: 0n })).toBe('qemu-amo-access-fault-cause');
    expect(knownTrapDeviation(EBREAK, 0x80000100n, { cause: 3n, tval: 0n }, { cause: 3n, tval: 0x80000100n })).toBe('ebreak-mtval');
    expect(knownTrapDeviation(AMOADD_W, 0x80000100n, { cause: 4n, tval: 1n }, { cause: 6n, tval: 2n })).toBeUndefined();
    expect(knownTrapDeviation(LR_W, 0x80000100n, { cause: 4n, tval: 1n }, { cause: 6n, tval: 1n })).toBeUndefined();
  });
});
