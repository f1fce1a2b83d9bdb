import { describe, expect, it } from 'vitest';
import { decode } from './decode.js';
import { Decoded, OP_NAMES } from './ops.js';
import * as A from './test-support/asm.js';

/** The behaviour tests are only as good as their encoder: every encoder must decode back to itself. */
function dec(word: number): { name: string; d: Decoded } {
  const d = new Decoded();
  decode(word, d);
  return { name: OP_NAMES[d.op]!, d };
}

describe('test encoder (pipeline/test-support/asm.ts) agrees with the decoder', () => {
  it('encodes register, immediate, load/store, branch and jump formats', () => {
    const cases: [number, string, Partial<Decoded>][] = [
      [A.addi(A.a0, A.a1, -5), 'addi', { rd: 10, rs1: 11, imm: -5 }],
      [A.slli(A.t0, A.t1, 63), 'slli', { rd: 5, rs1: 6, imm: 63 }],
      [A.srai(A.t0, A.t1, 40), 'srai', { imm: 40 }],
      [A.sraiw(A.t0, A.t1, 31), 'sraiw', { imm: 31 }],
      [A.lui(A.s1, 0xfffff), 'lui', { rd: 9, imm: -4096 }],
      [A.auipc(A.s1, 1), 'auipc', { imm: 4096 }],
      [A.sub(1, 2, 3), 'sub', { rd: 1, rs1: 2, rs2: 3 }],
      [A.remuw(1, 2, 3), 'remuw', {}],
      [A.mulhsu(1, 2, 3), 'mulhsu', {}],
      [A.ld(A.a0, A.sp, -8), 'ld', { rd: 10, rs1: 2, imm: -8 }],
      [A.sd(A.a0, A.sp, 2040), 'sd', { rs2: 10, rs1: 2, imm: 2040 }],
      [A.sb(A.a0, A.sp, -2048), 'sb', { imm: -2048 }],
      [A.beq(1, 2, -4096), 'beq', { rs1: 1, rs2: 2, imm: -4096 }],
      [A.bgeu(1, 2, 4094), 'bgeu', { imm: 4094 }],
      [A.jal(A.ra, -1048576), 'jal', { rd: 1, imm: -1048576 }],
      [A.jal(A.ra, 2046), 'jal', { imm: 2046 }],
      [A.jalr(0, A.ra, 12), 'jalr', { rs1: 1, imm: 12 }],
      [A.fence(), 'fence', {}],
      [A.fence_i(), 'fence.i', {}],
    ];
    for (const [w, name, fields] of cases) {
      const { name: got, d } = dec(w);
      expect(got, `0x${w.toString(16)}`).toBe(name);
      expect(d).toMatchObject(fields);
    }
  });

  it('encodes SYSTEM, CSR, A and compressed instructions', () => {
    const cases: [number, string, Partial<Decoded>][] = [
      [A.ecall(), 'ecall', {}],
      [A.ebreak(), 'ebreak', {}],
      [A.mret(), 'mret', {}],
      [A.sret(), 'sret', {}],
      [A.wfi(), 'wfi', {}],
      [A.sfence_vma(1, 2), 'sfence.vma', { rs1: 1, rs2: 2 }],
      [A.sinval_vma(), 'sinval.vma', {}],
      [A.csrrw(1, A.CSR.mstatus, 2), 'csrrw', { rd: 1, rs1: 2, csr: 0x300 }],
      [A.csrrci(1, A.CSR.sip, 31), 'csrrci', { rs1: 31, csr: 0x144 }],
      [A.lr_d(1, 2), 'lr.d', { rd: 1, rs1: 2 }],
      [A.sc_w(1, 3, 2), 'sc.w', { rd: 1, rs1: 2, rs2: 3 }],
      [A.amoOp('maxu', 'd', 1, 3, 2), 'amomaxu.d', { rd: 1, rs1: 2, rs2: 3 }],
      [A.amoOp('xor', 'w', 1, 3, 2), 'amoxor.w', {}],
      [A.c_addi(A.a0, -3), 'addi', { rd: 10, rs1: 10, imm: -3, len: 2 }],
      [A.c_li(A.a0, 31), 'addi', { rd: 10, rs1: 0, imm: 31, len: 2 }],
      [A.c_ebreak(), 'ebreak', { len: 2 }],
      [A.c_mv(A.a0, A.a1), 'add', { rd: 10, rs1: 0, rs2: 11, len: 2 }],
      [A.c_lw(A.a0, A.s0, 68), 'lw', { rd: 10, rs1: 8, imm: 68, len: 2 }],
      [A.c_sw(A.a0, A.s0, 124), 'sw', { rs2: 10, rs1: 8, imm: 124, len: 2 }],
      [A.c_illegal(), 'illegal', {}],
      [A.c_j(-2048), 'jal', { rd: 0, imm: -2048, len: 2 }],
      [A.c_j(0x7fe), 'jal', { imm: 0x7fe }],
      [A.c_j(0x2aa), 'jal', { imm: 0x2aa }],
      [A.c_j(-0x556), 'jal', { imm: -0x556 }],
      [A.c_beqz(A.s1, -256), 'beq', { rs1: 9, rs2: 0, imm: -256, len: 2 }],
      [A.c_bnez(A.a5, 254), 'bne', { rs1: 15, imm: 254 }],
      [A.c_bnez(A.a5, 0xaa), 'bne', { imm: 0xaa }],
      [A.c_bnez(A.a5, -0xaa), 'bne', { imm: -0xaa }],
    ];
    for (const [w, name, fields] of cases) {
      const { name: got, d } = dec(w);
      expect(got, `0x${w.toString(16)}`).toBe(name);
      expect(d).toMatchObject(fields);
    }
  });

  it('li64 builds every kind of constant', () => {
    // Evaluate the sequence with a tiny model of LUI/ADDI/ADDIW/SLLI.
    const run = (words: number[]): bigint => {
      let x = 0n;
      for (const w of words) {
        const { name, d } = dec(w);
        const src = d.rs1 === 0 ? 0n : x;
        if (name === 'lui') x = BigInt(d.imm);
        else if (name === 'addi') x = BigInt.asIntN(64, src + BigInt(d.imm));
        else if (name === 'addiw') x = BigInt.asIntN(32, src + BigInt(d.imm));
        else if (name === 'slli') x = BigInt.asIntN(64, src << BigInt(d.imm));
        else throw new Error(name);
      }
      return BigInt.asUintN(64, x);
    };
    for (const v of [0n, 1n, -1n, 2047n, 2048n, -2048n, -2049n, 0x7fff_ffffn, 0x8000_0000n, -(2n ** 31n), 0x8010_0000n,
      0xffff_ffff_ffff_f000n, 0x1234_5678_9abc_def0n, 0x8000_0000_0000_0000n, 0xffff_ffc0_0000_0000n, 0x7fff_ffff_ffff_ffffn]) {
      expect(run(A.li64(A.a0, v)), v.toString(16)).toBe(BigInt.asUintN(64, v));
    }
  });

  it('resolves labels forwards and backwards', () => {
    const a = new A.Asm(0x8000_0000n);
    a.label('top').emit(A.addi(1, 1, 1)).bne(1, 2, 'top').j('end').la(A.a0, 'end').label('end').emit(A.ebreak());
    const b = new DataView(a.bytes().buffer);
    expect(dec(b.getUint32(4, true)).d.imm).toBe(-4);
    expect(dec(b.getUint32(8, true)).d.imm).toBe(12);
    expect(dec(b.getUint32(12, true)).name).toBe('auipc');
    expect(dec(b.getUint32(16, true)).d.imm).toBe(8);
  });
});
