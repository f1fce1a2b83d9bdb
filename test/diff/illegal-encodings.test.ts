import { describe, expect, it } from 'vitest';
import { classify16, classify32, NONEXISTENT_CSRS, randomIllegal, READ_ONLY_CSRS, type IllegalFamily } from './illegal-encodings.js';
import { Prng } from './prng.js';

const noH = { h: false };
const withH = { h: true };

// The reserved encodings below were each confirmed to raise illegal instruction on QEMU 7.2
// (rv64 with Zb* off, F/D off) when this classifier was written.
describe('classify32', () => {
  it('accepts the RV64IMAC, Zicsr-free base and privileged encodings as legal', () => {
    for (const w of [0x80058513, 0x03f31293, 0x41135293, 0x41498933, 0xff813783, 0x7ef43c23, 0x7eb50fe3, 0x8000006f, 0x0eb6352f, 0x140322af, 0x1a63b2af, 0x02b445bb, 0x0000000f, 0x8330000f, 0x0000100f, 0x00000073, 0x00100073, 0x30200073, 0x10500073, 0x12000073, 0x16000073, 0x18000073, 0x18100073]) {
      expect([w.toString(16), classify32(w, noH)]).toEqual([w.toString(16), 'legal']);
    }
  });

  it('rejects reserved funct fields, RV128-only and other-extension encodings', () => {
    const illegal = [
      0x04001013, // slli with imm[11:6] = 1
      0x0200101b, // slliw with shamt[5] = 1
      0x00007003, // ldu (RV128)
      0x0000000b, // custom-0
      0x20001033, // OP funct7=0x10 funct3=1
      0x60001013, // clz (Zbb, not offered)
      0x20002033, // sh1add (Zba, not offered)
      0x0e005033, // czero.eqz (Zicond, not offered)
      0x0020f053, // fadd.s (no F)
      0x00002007, // flw (no F)
      0x00d00073, // wrs.nto (Zawrs, not offered)
      0x000000f3, // SYSTEM funct3=0 with rd != 0
      0x0000200f, // MISC-MEM funct3=2 (cbo.*, Zicbom not offered)
      0x1415a02f, // lr.w with rs2 != 0
      0x2800202f, // AMO funct5=0x05 (Zacas, not offered)
      0x00001067, // jalr funct3=1
      0x00002063, // branch funct3=2
      0x00004023, // store funct3=4
    ];
    for (const w of illegal) expect([w.toString(16), classify32(w, noH)]).toEqual([w.toString(16), 'illegal']);
  });

  it('treats the H instructions as legal only when H is offered, and their reserved variants as illegal', () => {
    const hfenceVvma = 0x22e00073;
    const hlvB = 0x60004073;
    const hlvBrs2is2 = 0x60204073;
    expect([classify32(hfenceVvma, withH), classify32(hfenceVvma, noH)]).toEqual(['legal', 'illegal']);
    expect([classify32(hlvB, withH), classify32(hlvB, noH)]).toEqual(['legal', 'illegal']);
    expect(classify32(hlvBrs2is2, withH)).toBe('illegal');
  });

  it('leaves CSR accesses, dret and longer-than-32-bit encodings undecided', () => {
    expect(classify32(0x34059573, noH)).toBe('unknown'); // csrrw a0,mscratch,a1
    expect(classify32(0x7b200073, noH)).toBe('unknown'); // dret
    expect(classify32(0x0000001f, noH)).toBe('unknown'); // 48-bit prefix
  });
});

describe('classify16 (zca.adoc RVC listings)', () => {
  it('rejects the reserved and F/D compressed encodings', () => {
    for (const h of [0x0000, 0x0004, 0x8000, 0x2004, 0xa004, 0x2001, 0x6101, 0x6281, 0x9c41, 0x9c61, 0x4002, 0x6002, 0x8002, 0x2002, 0xa002]) {
      expect([h.toString(16), classify16(h)]).toEqual([h.toString(16), 'illegal']);
    }
  });

  it('accepts HINT encodings, which must execute as no-ops', () => {
    for (const h of [0x0005, 0x4005, 0x0006, 0x8006, 0x9006, 0x0501, 0x7005]) expect([h.toString(16), classify16(h)]).toEqual([h.toString(16), 'legal']);
  });

  it('accepts the ordinary compressed instructions', () => {
    for (const h of [0x9002, 0x5ce8, 0xfffe, 0x1fe8, 0xd101, 0xb001, 0x92fd, 0x9fa1, 0x7301, 0x8e76, 0x8502, 0x9582]) expect([h.toString(16), classify16(h)]).toEqual([h.toString(16), 'legal']);
  });
});

describe('randomIllegal', () => {
  it('only draws encodings that are illegal by the classifier or accesses to absent / read-only CSRs, from every family', () => {
    const rng = new Prng(7);
    const families = new Set<IllegalFamily>();
    for (let i = 0; i < 3000; i++) {
      const ins = randomIllegal(rng, noH, [0, 1, 5, 10], [2, 4, 8, 9]);
      families.add(ins.family);
      if (ins.len === 2) {
        expect(classify16(ins.bits)).toBe('illegal');
        continue;
      }
      if (ins.family === 'csr') {
        const csr = ins.bits >>> 20;
        const f3 = (ins.bits >>> 12) & 7;
        const src = (ins.bits >>> 15) & 31;
        if (NONEXISTENT_CSRS.includes(csr)) continue;
        expect(READ_ONLY_CSRS).toContain(csr);
        // a write: CSRRW(I) always; CSRRS/C with a register known to be nonzero; CSRRSI/CI with zimm != 0
        if (f3 === 2 || f3 === 3) expect([2, 4, 8, 9]).toContain(src);
        if (f3 === 6 || f3 === 7) expect(src).not.toBe(0);
        continue;
      }
      expect([ins.bits.toString(16), classify32(ins.bits, noH)]).toEqual([ins.bits.toString(16), 'illegal']);
    }
    expect([...families].sort()).toEqual(['compressed', 'csr', 'fpSpace', 'functField', 'random32', 'system']);
  });
});
