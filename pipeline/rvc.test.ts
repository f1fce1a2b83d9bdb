/**
 * Compressed (Zca, RV64) decoding: each instruction's base expansion from zca.adoc with the
 * expanded operands, HINT code points as their base instruction, and the reserved code points as
 * illegal. Encodings were produced by GNU as (c.j / c.beqz / c.bnez by hand, checked with
 * objdump); the expected operands are worked out by hand from zca.adoc.
 */
import { describe, expect, it } from 'vitest';
import { decode } from './decode.js';
import { Decoded, OP_NAMES, Op } from './ops.js';
import { decodeCompressed } from './rvc.js';

interface Fields {
  rd?: number;
  rs1?: number;
  rs2?: number;
  imm?: number;
}

type Case = [half: number, asm: string, op: Op, fields: Fields];

function decodeHalf(half: number): Decoded {
  const d = new Decoded();
  d.op = Op.COUNT;
  d.rd = d.rs1 = d.rs2 = d.imm = d.csr = d.raw = d.len = 77;
  decode(half, d);
  return d;
}

function view(d: Decoded): object {
  return { op: OP_NAMES[d.op], rd: d.rd, rs1: d.rs1, rs2: d.rs2, imm: d.imm, csr: d.csr, len: d.len, raw: d.raw };
}

function cases(title: string, list: Case[]): void {
  describe(title, () => {
    for (const [half, asm, op, f] of list) {
      it(`expands 0x${half.toString(16).padStart(4, '0')} (${asm}) to ${OP_NAMES[op]}`, () => {
        expect(view(decodeHalf(half))).toEqual({
          op: OP_NAMES[op], rd: f.rd ?? 0, rs1: f.rs1 ?? 0, rs2: f.rs2 ?? 0, imm: f.imm ?? 0, csr: 0, len: 2, raw: half,
        });
      });
    }
  });
}

cases('quadrant 0: c.addi4spn, c.lw, c.ld, c.sw, c.sd (zca.adoc CIW/CL/CS; offsets zero-extended, scaled)', [
  [0x0040, 'c.addi4spn x8, x2, 4', Op.ADDI, { rd: 8, rs1: 2, imm: 4 }],
  [0x1ffc, 'c.addi4spn x15, x2, 1020', Op.ADDI, { rd: 15, rs1: 2, imm: 1020 }],
  [0x0404, 'c.addi4spn x9, x2, 512', Op.ADDI, { rd: 9, rs1: 2, imm: 512 }],
  [0x0028, 'c.addi4spn x10, x2, 8', Op.ADDI, { rd: 10, rs1: 2, imm: 8 }],
  [0x080c, 'c.addi4spn x11, x2, 16', Op.ADDI, { rd: 11, rs1: 2, imm: 16 }],
  [0x0090, 'c.addi4spn x12, x2, 64', Op.ADDI, { rd: 12, rs1: 2, imm: 64 }],
  [0x4380, 'c.lw x8, 0(x15)', Op.LW, { rd: 8, rs1: 15 }],
  [0x5c7c, 'c.lw x15, 124(x8)', Op.LW, { rd: 15, rs1: 8, imm: 124 }],
  [0x4124, 'c.lw x9, 64(x10)', Op.LW, { rd: 9, rs1: 10, imm: 64 }],
  [0x424c, 'c.lw x11, 4(x12)', Op.LW, { rd: 11, rs1: 12, imm: 4 }],
  [0x5314, 'c.lw x13, 32(x14)', Op.LW, { rd: 13, rs1: 14, imm: 32 }],
  [0x7fe0, 'c.ld x8, 248(x15)', Op.LD, { rd: 8, rs1: 15, imm: 248 }],
  [0x61c8, 'c.ld x10, 128(x11)', Op.LD, { rd: 10, rs1: 11, imm: 128 }],
  [0x6690, 'c.ld x12, 8(x13)', Op.LD, { rd: 12, rs1: 13, imm: 8 }],
  [0xdfe0, 'c.sw x8, 124(x15)', Op.SW, { rs1: 15, rs2: 8, imm: 124 }],
  [0xc05c, 'c.sw x15, 4(x8)', Op.SW, { rs1: 8, rs2: 15, imm: 4 }],
  [0xc124, 'c.sw x9, 64(x10)', Op.SW, { rs1: 10, rs2: 9, imm: 64 }],
  [0xff64, 'c.sd x9, 248(x14)', Op.SD, { rs1: 14, rs2: 9, imm: 248 }],
  [0xe22c, 'c.sd x11, 64(x12)', Op.SD, { rs1: 12, rs2: 11, imm: 64 }],
]);

cases('quadrant 1: immediates sign-extended from bit 12 (zca.adoc "Integer Computational Instructions")', [
  [0x0001, 'c.nop', Op.ADDI, {}],
  [0x1081, 'c.addi x1, -32', Op.ADDI, { rd: 1, rs1: 1, imm: -32 }],
  [0x0ffd, 'c.addi x31, 31', Op.ADDI, { rd: 31, rs1: 31, imm: 31 }],
  [0x0285, 'c.addi x5, 1', Op.ADDI, { rd: 5, rs1: 5, imm: 1 }],
  [0x30fd, 'c.addiw x1, -1', Op.ADDIW, { rd: 1, rs1: 1, imm: -1 }],
  [0x2f81, 'c.addiw x31, 0 (sext.w; imm 0 allowed)', Op.ADDIW, { rd: 31, rs1: 31 }],
  [0x217d, 'c.addiw x2, 31', Op.ADDIW, { rd: 2, rs1: 2, imm: 31 }],
  [0x5081, 'c.li x1, -32', Op.ADDI, { rd: 1, imm: -32 }],
  [0x4ffd, 'c.li x31, 31', Op.ADDI, { rd: 31, imm: 31 }],
  [0x4501, 'c.li x10, 0', Op.ADDI, { rd: 10 }],
  [0x7101, 'c.addi16sp x2, -512 (nzimm[9])', Op.ADDI, { rd: 2, rs1: 2, imm: -512 }],
  [0x617d, 'c.addi16sp x2, 496', Op.ADDI, { rd: 2, rs1: 2, imm: 496 }],
  [0x6141, 'c.addi16sp x2, 16 (nzimm[4])', Op.ADDI, { rd: 2, rs1: 2, imm: 16 }],
  [0x6105, 'c.addi16sp x2, 32 (nzimm[5])', Op.ADDI, { rd: 2, rs1: 2, imm: 32 }],
  [0x6121, 'c.addi16sp x2, 64 (nzimm[6])', Op.ADDI, { rd: 2, rs1: 2, imm: 64 }],
  [0x6109, 'c.addi16sp x2, 128 (nzimm[7])', Op.ADDI, { rd: 2, rs1: 2, imm: 128 }],
  [0x6111, 'c.addi16sp x2, 256 (nzimm[8])', Op.ADDI, { rd: 2, rs1: 2, imm: 256 }],
  [0x6085, 'c.lui x1, 1', Op.LUI, { rd: 1, imm: 0x1000 }],
  [0x6ffd, 'c.lui x31, 0x1f', Op.LUI, { rd: 31, imm: 0x1f000 }],
  [0x7181, 'c.lui x3, 0xfffe0 (nzimm[17] sign-extends)', Op.LUI, { rd: 3, imm: -0x20000 }],
  [0x72fd, 'c.lui x5, 0xfffff', Op.LUI, { rd: 5, imm: -0x1000 }],
  [0x8005, 'c.srli x8, 1', Op.SRLI, { rd: 8, rs1: 8, imm: 1 }],
  [0x93fd, 'c.srli x15, 63', Op.SRLI, { rd: 15, rs1: 15, imm: 63 }],
  [0x9081, 'c.srli x9, 32 (shamt[5], RV64)', Op.SRLI, { rd: 9, rs1: 9, imm: 32 }],
  [0x957d, 'c.srai x10, 63', Op.SRAI, { rd: 10, rs1: 10, imm: 63 }],
  [0x8585, 'c.srai x11, 1', Op.SRAI, { rd: 11, rs1: 11, imm: 1 }],
  [0x9801, 'c.andi x8, -32', Op.ANDI, { rd: 8, rs1: 8, imm: -32 }],
  [0x8bfd, 'c.andi x15, 31', Op.ANDI, { rd: 15, rs1: 15, imm: 31 }],
  [0x9a7d, 'c.andi x12, -1', Op.ANDI, { rd: 12, rs1: 12, imm: -1 }],
  [0x8c1d, 'c.sub x8, x15', Op.SUB, { rd: 8, rs1: 8, rs2: 15 }],
  [0x8cb9, 'c.xor x9, x14', Op.XOR, { rd: 9, rs1: 9, rs2: 14 }],
  [0x8d55, 'c.or x10, x13', Op.OR, { rd: 10, rs1: 10, rs2: 13 }],
  [0x8df1, 'c.and x11, x12', Op.AND, { rd: 11, rs1: 11, rs2: 12 }],
  [0x9e0d, 'c.subw x12, x11', Op.SUBW, { rd: 12, rs1: 12, rs2: 11 }],
  [0x9fa1, 'c.addw x15, x8', Op.ADDW, { rd: 15, rs1: 15, rs2: 8 }],
]);

cases('quadrant 1 control transfer: c.j → jal x0, c.beqz/c.bnez → beq/bne rs1′, x0 (zca.adoc CJ/CB)', [
  [0xb001, 'c.j -2048 (offset[11])', Op.JAL, { imm: -2048 }],
  [0xaffd, 'c.j 2046', Op.JAL, { imm: 2046 }],
  [0xbffd, 'c.j -2', Op.JAL, { imm: -2 }],
  [0xa009, 'c.j 2 (offset[1])', Op.JAL, { imm: 2 }],
  [0xa801, 'c.j 16 (offset[4])', Op.JAL, { imm: 16 }],
  [0xa005, 'c.j 32 (offset[5])', Op.JAL, { imm: 32 }],
  [0xa081, 'c.j 64 (offset[6])', Op.JAL, { imm: 64 }],
  [0xa041, 'c.j 128 (offset[7])', Op.JAL, { imm: 128 }],
  [0xa201, 'c.j 256 (offset[8])', Op.JAL, { imm: 256 }],
  [0xa401, 'c.j 512 (offset[9])', Op.JAL, { imm: 512 }],
  [0xa101, 'c.j 1024 (offset[10])', Op.JAL, { imm: 1024 }],
  [0xd001, 'c.beqz x8, -256 (offset[8])', Op.BEQ, { rs1: 8, imm: -256 }],
  [0xeffd, 'c.bnez x15, 254', Op.BNE, { rs1: 15, imm: 254 }],
  [0xfd7d, 'c.bnez x10, -2', Op.BNE, { rs1: 10, imm: -2 }],
  [0xc089, 'c.beqz x9, 2 (offset[1])', Op.BEQ, { rs1: 9, imm: 2 }],
  [0xc401, 'c.beqz x8, 8 (offset[3])', Op.BEQ, { rs1: 8, imm: 8 }],
  [0xc005, 'c.beqz x8, 32 (offset[5])', Op.BEQ, { rs1: 8, imm: 32 }],
  [0xc021, 'c.beqz x8, 64 (offset[6])', Op.BEQ, { rs1: 8, imm: 64 }],
]);

cases('quadrant 2: c.slli, stack-pointer loads/stores, c.jr/c.mv/c.ebreak/c.jalr/c.add (zca.adoc CI/CSS/CR)', [
  [0x0086, 'c.slli x1, 1', Op.SLLI, { rd: 1, rs1: 1, imm: 1 }],
  [0x1ffe, 'c.slli x31, 63', Op.SLLI, { rd: 31, rs1: 31, imm: 63 }],
  [0x1282, 'c.slli x5, 32', Op.SLLI, { rd: 5, rs1: 5, imm: 32 }],
  [0x4082, 'c.lwsp x1, 0(x2)', Op.LW, { rd: 1, rs1: 2 }],
  [0x5ffe, 'c.lwsp x31, 252(x2)', Op.LW, { rd: 31, rs1: 2, imm: 252 }],
  [0x428a, 'c.lwsp x5, 128(x2)', Op.LW, { rd: 5, rs1: 2, imm: 128 }],
  [0x5302, 'c.lwsp x6, 32(x2)', Op.LW, { rd: 6, rs1: 2, imm: 32 }],
  [0x4392, 'c.lwsp x7, 4(x2)', Op.LW, { rd: 7, rs1: 2, imm: 4 }],
  [0x70fe, 'c.ldsp x1, 504(x2)', Op.LD, { rd: 1, rs1: 2, imm: 504 }],
  [0x6492, 'c.ldsp x9, 256(x2)', Op.LD, { rd: 9, rs1: 2, imm: 256 }],
  [0x6522, 'c.ldsp x10, 8(x2)', Op.LD, { rd: 10, rs1: 2, imm: 8 }],
  [0x7582, 'c.ldsp x11, 32(x2)', Op.LD, { rd: 11, rs1: 2, imm: 32 }],
  [0x8082, 'c.jr x1', Op.JALR, { rs1: 1 }],
  [0x8f82, 'c.jr x31', Op.JALR, { rs1: 31 }],
  [0x80fe, 'c.mv x1, x31 (add rd, x0, rs2)', Op.ADD, { rd: 1, rs2: 31 }],
  [0x8f86, 'c.mv x31, x1', Op.ADD, { rd: 31, rs2: 1 }],
  [0x9002, 'c.ebreak', Op.EBREAK, {}],
  [0x9282, 'c.jalr x5 (jalr x1, 0(rs1))', Op.JALR, { rd: 1, rs1: 5 }],
  [0x9082, 'c.jalr x1', Op.JALR, { rd: 1, rs1: 1 }],
  [0x90fe, 'c.add x1, x31', Op.ADD, { rd: 1, rs1: 1, rs2: 31 }],
  [0x9f8a, 'c.add x31, x2', Op.ADD, { rd: 31, rs1: 31, rs2: 2 }],
  [0xdffe, 'c.swsp x31, 252(x2)', Op.SW, { rs1: 2, rs2: 31, imm: 252 }],
  [0xc006, 'c.swsp x1, 0(x2)', Op.SW, { rs1: 2, rs2: 1 }],
  [0xc116, 'c.swsp x5, 128(x2)', Op.SW, { rs1: 2, rs2: 5, imm: 128 }],
  [0xc21a, 'c.swsp x6, 4(x2)', Op.SW, { rs1: 2, rs2: 6, imm: 4 }],
  [0xfffe, 'c.sdsp x31, 504(x2)', Op.SD, { rs1: 2, rs2: 31, imm: 504 }],
  [0xe21e, 'c.sdsp x7, 256(x2)', Op.SD, { rs1: 2, rs2: 7, imm: 256 }],
  [0xe422, 'c.sdsp x8, 8(x2)', Op.SD, { rs1: 2, rs2: 8, imm: 8 }],
]);

cases('HINT code points decode as their base instruction (zca.adoc "HINT Instructions" table)', [
  [0x0005, 'c.nop with imm=1', Op.ADDI, { imm: 1 }],
  [0x1001, 'c.nop with imm=-32', Op.ADDI, { imm: -32 }],
  [0x0281, 'c.addi x5, 0', Op.ADDI, { rd: 5, rs1: 5 }],
  [0x4015, 'c.li x0, 5', Op.ADDI, { imm: 5 }],
  [0x6005, 'c.lui x0, 1', Op.LUI, { imm: 0x1000 }],
  [0x8016, 'c.mv x0, x5', Op.ADD, { rs2: 5 }],
  [0x9016, 'c.add x0, x5', Op.ADD, { rs2: 5 }],
  [0x900a, 'c.add x0, x2 (c.ntl.p1)', Op.ADD, { rs2: 2 }],
  [0x0016, 'c.slli x0, 5', Op.SLLI, { imm: 5 }],
  [0x0282, 'c.slli x5, 0 (binutils c.slli64)', Op.SLLI, { rd: 5, rs1: 5 }],
  [0x8001, 'c.srli x8, 0', Op.SRLI, { rd: 8, rs1: 8 }],
  [0x8401, 'c.srai x8, 0', Op.SRAI, { rd: 8, rs1: 8 }],
]);

describe('reserved and unimplemented compressed code points decode as illegal', () => {
  const illegal: Array<[number, string]> = [
    [0x0000, 'the all-zero halfword (zca.adoc "Defined Illegal Instruction")'],
    [0x0004, 'c.addi4spn with nzuimm=0, rd′=x9 (reserved)'],
    [0x001c, 'c.addi4spn with nzuimm=0, rd′=x15 (reserved)'],
    [0x2000, 'c.fld (no D)'],
    [0x3ffc, 'c.fld with every operand bit set (no D)'],
    [0xa000, 'c.fsd (no D)'],
    [0x8000, 'quadrant 0 funct3=100 (reserved in Zca)'],
    [0x9ffc, 'quadrant 0 funct3=100 with operand bits set'],
    [0x2001, 'c.addiw with rd=x0 (reserved)'],
    [0x3005, 'c.addiw x0, -31 (reserved)'],
    [0x6101, 'c.addi16sp with nzimm=0 (reserved)'],
    [0x6001, 'c.lui x0 with imm=0 (reserved)'],
    [0x6081, 'c.lui x1 with imm=0 (reserved; Zcmop not implemented)'],
    [0x6f81, 'c.lui x31 with imm=0 (reserved)'],
    [0x9c41, 'CA funct6=100111 funct2=10 (reserved)'],
    [0x9c61, 'CA funct6=100111 funct2=11 (reserved)'],
    [0x9ffd, 'CA funct6=100111 funct2=11 with operand bits set'],
    [0x2002, 'c.fldsp (no D)'],
    [0xa002, 'c.fsdsp (no D)'],
    [0x4002, 'c.lwsp with rd=x0 (reserved)'],
    [0x507e, 'c.lwsp x0 with offset 252 (reserved)'],
    [0x6002, 'c.ldsp with rd=x0 (reserved)'],
    [0x707e, 'c.ldsp x0 with offset 504 (reserved)'],
    [0x8002, 'c.jr with rs1=x0 (reserved)'],
  ];
  for (const [half, why] of illegal) {
    it(`decodes 0x${half.toString(16).padStart(4, '0')} as illegal: ${why}`, () => {
      expect(view(decodeHalf(half))).toEqual({
        op: 'illegal', rd: 0, rs1: 0, rs2: 0, imm: 0, csr: 0, len: 2, raw: half,
      });
    });
  }

  it('treats inst[1:0]=11 handed to decodeCompressed as not compressed (illegal)', () => {
    const d = new Decoded();
    decodeCompressed(0x0013, d);
    expect([d.op, d.len, d.raw]).toEqual([Op.ILLEGAL, 2, 0x0013]);
  });
});

describe('decodeCompressed', () => {
  it('ignores bits above the halfword', () => {
    const d = new Decoded();
    decodeCompressed(0xabcd0000 | 0x8082, d); // c.jr x1
    expect(view(d)).toEqual({ op: 'jalr', rd: 0, rs1: 1, rs2: 0, imm: 0, csr: 0, len: 2, raw: 0x8082 });
  });
});
