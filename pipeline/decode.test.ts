/**
 * 32-bit decoding: exact operand and immediate extraction per format, and the encodings that must
 * decode as illegal. Encodings were produced by GNU as (branches and jumps by hand, checked with
 * objdump); the expected fields are worked out by hand from the assembly text.
 */
import { describe, expect, it } from 'vitest';
import { decode } from './decode.js';
import { Decoded, OP_NAMES, Op } from './ops.js';

interface Fields {
  rd?: number;
  rs1?: number;
  rs2?: number;
  imm?: number;
  csr?: number;
}

function decodeFresh(word: number): Decoded {
  const d = new Decoded();
  // Junk in every field: decode must overwrite all of them.
  d.op = Op.COUNT;
  d.rd = d.rs1 = d.rs2 = d.imm = d.csr = d.raw = d.len = 77;
  decode(word, d);
  return d;
}

function expectDecodes(word: number, op: Op, f: Fields): void {
  const d = decodeFresh(word);
  expect({ op: OP_NAMES[d.op], rd: d.rd, rs1: d.rs1, rs2: d.rs2, imm: d.imm, csr: d.csr, len: d.len, raw: d.raw })
    .toEqual({
      op: OP_NAMES[op],
      rd: f.rd ?? 0,
      rs1: f.rs1 ?? 0,
      rs2: f.rs2 ?? 0,
      imm: f.imm ?? 0,
      csr: f.csr ?? 0,
      len: 4,
      raw: word >>> 0,
    });
}

type Case = [word: number, asm: string, op: Op, fields: Fields];

function cases(title: string, list: Case[]): void {
  describe(title, () => {
    for (const [word, asm, op, fields] of list) {
      it(`decodes 0x${word.toString(16).padStart(8, '0')} as ${asm}`, () => expectDecodes(word, op, fields));
    }
  });
}

cases('U-type: imm is inst[31:12] << 12 as an int32 (rv32.adoc "Immediate Encoding Variants")', [
  [0xfffff2b7, 'lui x5, 0xfffff', Op.LUI, { rd: 5, imm: -4096 }],
  [0x800000b7, 'lui x1, 0x80000', Op.LUI, { rd: 1, imm: -0x80000000 }],
  [0x7fffffb7, 'lui x31, 0x7ffff', Op.LUI, { rd: 31, imm: 0x7ffff000 }],
  [0x12345517, 'auipc x10, 0x12345', Op.AUIPC, { rd: 10, imm: 0x12345000 }],
]);

cases('J-type and JALR: sign-extended offsets (rv32.adoc "Unconditional Jumps")', [
  [0x800000ef, 'jal x1, -1048576 (only imm[20] set)', Op.JAL, { rd: 1, imm: -1048576 }],
  [0x7ffff06f, 'jal x0, 1048574 (every bit but imm[20])', Op.JAL, { imm: 1048574 }],
  [0x001001ef, 'jal x3, 2048 (imm[11] from inst[20])', Op.JAL, { rd: 3, imm: 2048 }],
  [0xfffff3ef, 'jal x7, -2', Op.JAL, { rd: 7, imm: -2 }],
  [0xfff100e7, 'jalr x1, -1(x2)', Op.JALR, { rd: 1, rs1: 2, imm: -1 }],
  [0x7fff8067, 'jalr x0, 2047(x31)', Op.JALR, { rs1: 31, imm: 2047 }],
  [0x800504e7, 'jalr x9, -2048(x10)', Op.JALR, { rd: 9, rs1: 10, imm: -2048 }],
]);

cases('B-type: sign-extended branch offsets (rv32.adoc "Conditional Branches")', [
  [0x80208063, 'beq x1, x2, -4096 (only imm[12] set)', Op.BEQ, { rs1: 1, rs2: 2, imm: -4096 }],
  [0x7e419fe3, 'bne x3, x4, 4094', Op.BNE, { rs1: 3, rs2: 4, imm: 4094 }],
  [0xfe62cfe3, 'blt x5, x6, -2', Op.BLT, { rs1: 5, rs2: 6, imm: -2 }],
  [0x0083d0e3, 'bge x7, x8, 2048 (imm[11] from inst[7])', Op.BGE, { rs1: 7, rs2: 8, imm: 2048 }],
  [0x01efe163, 'bltu x31, x30, 2', Op.BLTU, { rs1: 31, rs2: 30, imm: 2 }],
  [0x801070e3, 'bgeu x0, x1, -2048', Op.BGEU, { rs2: 1, imm: -2048 }],
]);

cases('loads: I-type offset, rs2 unused (rv32.adoc / rv64.adoc "Load and Store Instructions")', [
  [0x80010083, 'lb x1, -2048(x2)', Op.LB, { rd: 1, rs1: 2, imm: -2048 }],
  [0x7ff21183, 'lh x3, 2047(x4)', Op.LH, { rd: 3, rs1: 4, imm: 2047 }],
  [0xfff32283, 'lw x5, -1(x6)', Op.LW, { rd: 5, rs1: 6, imm: -1 }],
  [0x00843383, 'ld x7, 8(x8)', Op.LD, { rd: 7, rs1: 8, imm: 8 }],
  [0x00054483, 'lbu x9, 0(x10)', Op.LBU, { rd: 9, rs1: 10 }],
  [0x7fe65583, 'lhu x11, 2046(x12)', Op.LHU, { rd: 11, rs1: 12, imm: 2046 }],
  [0xffc76683, 'lwu x13, -4(x14)', Op.LWU, { rd: 13, rs1: 14, imm: -4 }],
]);

cases('stores: S-type offset, rd unused', [
  [0x80110023, 'sb x1, -2048(x2)', Op.SB, { rs1: 2, rs2: 1, imm: -2048 }],
  [0x7e321fa3, 'sh x3, 2047(x4)', Op.SH, { rs1: 4, rs2: 3, imm: 2047 }],
  [0xfe532fa3, 'sw x5, -1(x6)', Op.SW, { rs1: 6, rs2: 5, imm: -1 }],
  [0x03ff3023, 'sd x31, 32(x30)', Op.SD, { rs1: 30, rs2: 31, imm: 32 }],
]);

cases('OP-IMM and OP-IMM-32: I-type immediates, 6-bit (RV64) and 5-bit (*W) shift amounts', [
  [0xfff10093, 'addi x1, x2, -1', Op.ADDI, { rd: 1, rs1: 2, imm: -1 }],
  [0x80022193, 'slti x3, x4, -2048', Op.SLTI, { rd: 3, rs1: 4, imm: -2048 }],
  [0x7ff33293, 'sltiu x5, x6, 2047', Op.SLTIU, { rd: 5, rs1: 6, imm: 2047 }],
  [0xfff44393, 'xori x7, x8, -1', Op.XORI, { rd: 7, rs1: 8, imm: -1 }],
  [0x55556493, 'ori x9, x10, 1365', Op.ORI, { rd: 9, rs1: 10, imm: 1365 }],
  [0xaaa67593, 'andi x11, x12, -1366', Op.ANDI, { rd: 11, rs1: 12, imm: -1366 }],
  [0x03f11093, 'slli x1, x2, 63', Op.SLLI, { rd: 1, rs1: 2, imm: 63 }],
  [0x02025193, 'srli x3, x4, 32', Op.SRLI, { rd: 3, rs1: 4, imm: 32 }],
  [0x43f35293, 'srai x5, x6, 63 (the type bit is not part of the shamt)', Op.SRAI, { rd: 5, rs1: 6, imm: 63 }],
  [0x40145393, 'srai x7, x8, 1', Op.SRAI, { rd: 7, rs1: 8, imm: 1 }],
  [0x8001009b, 'addiw x1, x2, -2048', Op.ADDIW, { rd: 1, rs1: 2, imm: -2048 }],
  [0x01f2119b, 'slliw x3, x4, 31', Op.SLLIW, { rd: 3, rs1: 4, imm: 31 }],
  [0x01f3529b, 'srliw x5, x6, 31', Op.SRLIW, { rd: 5, rs1: 6, imm: 31 }],
  [0x41f4539b, 'sraiw x7, x8, 31', Op.SRAIW, { rd: 7, rs1: 8, imm: 31 }],
]);

cases('OP and OP-32 (RV64I, M): R-type, imm 0', [
  [0x01df0fb3, 'add x31, x30, x29', Op.ADD, { rd: 31, rs1: 30, rs2: 29 }],
  [0x403100b3, 'sub x1, x2, x3', Op.SUB, { rd: 1, rs1: 2, rs2: 3 }],
  [0x00629233, 'sll x4, x5, x6', Op.SLL, { rd: 4, rs1: 5, rs2: 6 }],
  [0x009423b3, 'slt x7, x8, x9', Op.SLT, { rd: 7, rs1: 8, rs2: 9 }],
  [0x00c5b533, 'sltu x10, x11, x12', Op.SLTU, { rd: 10, rs1: 11, rs2: 12 }],
  [0x00f746b3, 'xor x13, x14, x15', Op.XOR, { rd: 13, rs1: 14, rs2: 15 }],
  [0x0128d833, 'srl x16, x17, x18', Op.SRL, { rd: 16, rs1: 17, rs2: 18 }],
  [0x415a59b3, 'sra x19, x20, x21', Op.SRA, { rd: 19, rs1: 20, rs2: 21 }],
  [0x018beb33, 'or x22, x23, x24', Op.OR, { rd: 22, rs1: 23, rs2: 24 }],
  [0x01bd7cb3, 'and x25, x26, x27', Op.AND, { rd: 25, rs1: 26, rs2: 27 }],
  [0x003100bb, 'addw x1, x2, x3', Op.ADDW, { rd: 1, rs1: 2, rs2: 3 }],
  [0x4062823b, 'subw x4, x5, x6', Op.SUBW, { rd: 4, rs1: 5, rs2: 6 }],
  [0x009413bb, 'sllw x7, x8, x9', Op.SLLW, { rd: 7, rs1: 8, rs2: 9 }],
  [0x00c5d53b, 'srlw x10, x11, x12', Op.SRLW, { rd: 10, rs1: 11, rs2: 12 }],
  [0x40f756bb, 'sraw x13, x14, x15', Op.SRAW, { rd: 13, rs1: 14, rs2: 15 }],
  [0x023100b3, 'mul x1, x2, x3', Op.MUL, { rd: 1, rs1: 2, rs2: 3 }],
  [0x02629233, 'mulh x4, x5, x6', Op.MULH, { rd: 4, rs1: 5, rs2: 6 }],
  [0x029423b3, 'mulhsu x7, x8, x9', Op.MULHSU, { rd: 7, rs1: 8, rs2: 9 }],
  [0x02c5b533, 'mulhu x10, x11, x12', Op.MULHU, { rd: 10, rs1: 11, rs2: 12 }],
  [0x02f746b3, 'div x13, x14, x15', Op.DIV, { rd: 13, rs1: 14, rs2: 15 }],
  [0x0328d833, 'divu x16, x17, x18', Op.DIVU, { rd: 16, rs1: 17, rs2: 18 }],
  [0x035a69b3, 'rem x19, x20, x21', Op.REM, { rd: 19, rs1: 20, rs2: 21 }],
  [0x038bfb33, 'remu x22, x23, x24', Op.REMU, { rd: 22, rs1: 23, rs2: 24 }],
  [0x023100bb, 'mulw x1, x2, x3', Op.MULW, { rd: 1, rs1: 2, rs2: 3 }],
  [0x0262c23b, 'divw x4, x5, x6', Op.DIVW, { rd: 4, rs1: 5, rs2: 6 }],
  [0x029453bb, 'divuw x7, x8, x9', Op.DIVUW, { rd: 7, rs1: 8, rs2: 9 }],
  [0x02c5e53b, 'remw x10, x11, x12', Op.REMW, { rd: 10, rs1: 11, rs2: 12 }],
  [0x02f776bb, 'remuw x13, x14, x15', Op.REMUW, { rd: 13, rs1: 14, rs2: 15 }],
]);

cases('A: funct5 selects the op, aq/rl stay in raw (a-st-ext.adoc)', [
  [0x160120af, 'lr.w.aqrl x1, (x2)', Op.LR_W, { rd: 1, rs1: 2 }],
  [0x1a42a1af, 'sc.w.rl x3, x4, (x5)', Op.SC_W, { rd: 3, rs1: 5, rs2: 4 }],
  [0x0874232f, 'amoswap.w x6, x7, (x8)', Op.AMOSWAP_W, { rd: 6, rs1: 8, rs2: 7 }],
  [0x0074232f, 'amoadd.w x6, x7, (x8)', Op.AMOADD_W, { rd: 6, rs1: 8, rs2: 7 }],
  [0x2074232f, 'amoxor.w x6, x7, (x8)', Op.AMOXOR_W, { rd: 6, rs1: 8, rs2: 7 }],
  [0x6074232f, 'amoand.w x6, x7, (x8)', Op.AMOAND_W, { rd: 6, rs1: 8, rs2: 7 }],
  [0x4074232f, 'amoor.w x6, x7, (x8)', Op.AMOOR_W, { rd: 6, rs1: 8, rs2: 7 }],
  [0x8074232f, 'amomin.w x6, x7, (x8)', Op.AMOMIN_W, { rd: 6, rs1: 8, rs2: 7 }],
  [0xa074232f, 'amomax.w x6, x7, (x8)', Op.AMOMAX_W, { rd: 6, rs1: 8, rs2: 7 }],
  [0xc074232f, 'amominu.w x6, x7, (x8)', Op.AMOMINU_W, { rd: 6, rs1: 8, rs2: 7 }],
  [0xe474232f, 'amomaxu.w.aq x6, x7, (x8)', Op.AMOMAXU_W, { rd: 6, rs1: 8, rs2: 7 }],
  [0x100534af, 'lr.d x9, (x10)', Op.LR_D, { rd: 9, rs1: 10 }],
  [0x1cc6b5af, 'sc.d.aq x11, x12, (x13)', Op.SC_D, { rd: 11, rs1: 13, rs2: 12 }],
  [0x08f8372f, 'amoswap.d x14, x15, (x16)', Op.AMOSWAP_D, { rd: 14, rs1: 16, rs2: 15 }],
  [0x00f8372f, 'amoadd.d x14, x15, (x16)', Op.AMOADD_D, { rd: 14, rs1: 16, rs2: 15 }],
  [0x20f8372f, 'amoxor.d x14, x15, (x16)', Op.AMOXOR_D, { rd: 14, rs1: 16, rs2: 15 }],
  [0x60f8372f, 'amoand.d x14, x15, (x16)', Op.AMOAND_D, { rd: 14, rs1: 16, rs2: 15 }],
  [0x40f8372f, 'amoor.d x14, x15, (x16)', Op.AMOOR_D, { rd: 14, rs1: 16, rs2: 15 }],
  [0x80f8372f, 'amomin.d x14, x15, (x16)', Op.AMOMIN_D, { rd: 14, rs1: 16, rs2: 15 }],
  [0xa0f8372f, 'amomax.d x14, x15, (x16)', Op.AMOMAX_D, { rd: 14, rs1: 16, rs2: 15 }],
  [0xc0f8372f, 'amominu.d x14, x15, (x16)', Op.AMOMINU_D, { rd: 14, rs1: 16, rs2: 15 }],
  [0xe0f8372f, 'amomaxu.d x14, x15, (x16)', Op.AMOMAXU_D, { rd: 14, rs1: 16, rs2: 15 }],
]);

cases('Zicsr: csr is the unsigned inst[31:20], zimm travels in rs1 (zicsr.adoc "CSR Instructions")', [
  [0xfff110f3, 'csrrw x1, 0xfff, x2', Op.CSRRW, { rd: 1, rs1: 2, csr: 0xfff }],
  [0x300221f3, 'csrrs x3, mstatus, x4', Op.CSRRS, { rd: 3, rs1: 4, csr: 0x300 }],
  [0x180332f3, 'csrrc x5, satp, x6', Op.CSRRC, { rd: 5, rs1: 6, csr: 0x180 }],
  [0x340fd3f3, 'csrrwi x7, mscratch, 31', Op.CSRRWI, { rd: 7, rs1: 31, csr: 0x340 }],
  [0xc000e473, 'csrrsi x8, cycle, 1', Op.CSRRSI, { rd: 8, rs1: 1, csr: 0xc00 }],
  [0x7c0874f3, 'csrrci x9, 0x7c0, 16', Op.CSRRCI, { rd: 9, rs1: 16, csr: 0x7c0 }],
  [0xc0001073, 'unimp (csrrw x0, cycle, x0: decodes; traps at execution)', Op.CSRRW, { csr: 0xc00 }],
]);

cases('FENCE: imm is fm|pred|succ = inst[31:20]; rd/rs1 are ignored (rv32.adoc "Memory Ordering Instructions")', [
  [0x0330000f, 'fence rw, rw', Op.FENCE, { imm: 0x033 }],
  [0x8330000f, 'fence.tso', Op.FENCE, { imm: 0x833 }],
  [0x0100000f, 'pause', Op.FENCE, { imm: 0x010 }],
  [0x0ff0000f, 'fence iorw, iorw', Op.FENCE, { imm: 0x0ff }],
  [0xf33f8f8f, 'fence with fm=1111 (reserved), rs1=x31, rd=x31', Op.FENCE, { imm: 0xf33 }],
  [0x0000100f, 'fence.i', Op.FENCE_I, {}],
  [0xfff0908f, 'fence.i with imm/rs1/rd set (zifencei.adoc: ignored)', Op.FENCE_I, {}],
]);

cases('SYSTEM privileged, Svinval and H (machine.adoc, supervisor.adoc, svinval.adoc, hypervisor.adoc)', [
  [0x00000073, 'ecall', Op.ECALL, {}],
  [0x00100073, 'ebreak', Op.EBREAK, {}],
  [0x30200073, 'mret', Op.MRET, {}],
  [0x10200073, 'sret', Op.SRET, {}],
  [0x10500073, 'wfi', Op.WFI, {}],
  [0x12208073, 'sfence.vma x1, x2', Op.SFENCE_VMA, { rs1: 1, rs2: 2 }],
  [0x12000073, 'sfence.vma', Op.SFENCE_VMA, {}],
  [0x16418073, 'sinval.vma x3, x4', Op.SINVAL_VMA, { rs1: 3, rs2: 4 }],
  [0x18000073, 'sfence.w.inval', Op.SFENCE_W_INVAL, {}],
  [0x18100073, 'sfence.inval.ir', Op.SFENCE_INVAL_IR, {}],
  [0x26628073, 'hinval.vvma x5, x6', Op.HINVAL_VVMA, { rs1: 5, rs2: 6 }],
  [0x66838073, 'hinval.gvma x7, x8', Op.HINVAL_GVMA, { rs1: 7, rs2: 8 }],
  [0x22a48073, 'hfence.vvma x9, x10', Op.HFENCE_VVMA, { rs1: 9, rs2: 10 }],
  [0x62c58073, 'hfence.gvma x11, x12', Op.HFENCE_GVMA, { rs1: 11, rs2: 12 }],
  [0x600140f3, 'hlv.b x1, (x2)', Op.HLV_B, { rd: 1, rs1: 2 }],
  [0x601241f3, 'hlv.bu x3, (x4)', Op.HLV_BU, { rd: 3, rs1: 4 }],
  [0x640342f3, 'hlv.h x5, (x6)', Op.HLV_H, { rd: 5, rs1: 6 }],
  [0x641443f3, 'hlv.hu x7, (x8)', Op.HLV_HU, { rd: 7, rs1: 8 }],
  [0x643544f3, 'hlvx.hu x9, (x10)', Op.HLVX_HU, { rd: 9, rs1: 10 }],
  [0x680645f3, 'hlv.w x11, (x12)', Op.HLV_W, { rd: 11, rs1: 12 }],
  [0x683746f3, 'hlvx.wu x13, (x14)', Op.HLVX_WU, { rd: 13, rs1: 14 }],
  [0x681847f3, 'hlv.wu x15, (x16)', Op.HLV_WU, { rd: 15, rs1: 16 }],
  [0x6c0948f3, 'hlv.d x17, (x18)', Op.HLV_D, { rd: 17, rs1: 18 }],
  [0x633a4073, 'hsv.b x19, (x20)', Op.HSV_B, { rs1: 20, rs2: 19 }],
  [0x675b4073, 'hsv.h x21, (x22)', Op.HSV_H, { rs1: 22, rs2: 21 }],
  [0x6b7c4073, 'hsv.w x23, (x24)', Op.HSV_W, { rs1: 24, rs2: 23 }],
  [0x6f9d4073, 'hsv.d x25, (x26)', Op.HSV_D, { rs1: 26, rs2: 25 }],
]);

describe('illegal 32-bit encodings', () => {
  const illegal: Array<[number, string]> = [
    [0xffffffff, 'the all-ones word (reserved, rv32.adoc / zca.adoc note)'],
    [0x0000001f, '48-bit instruction space (inst[4:0]=11111)'],
    [0x0000003f, '64-bit instruction space'],
    [0x0000007f, '>=80-bit / reserved space'],
    [0x0000000b, 'custom-0'],
    [0x0000002b, 'custom-1'],
    [0x0000005b, 'custom-2'],
    [0x0000007b, 'custom-3'],
    [0x0000006b, 'reserved opcode 11010'],
    [0x00000077, 'OP-VE / reserved opcode 11101'],
    [0x00000057, 'OP-V (no V)'],
    [0x00002007, 'flw f0, 0(x0) (no F)'],
    [0x00003027, 'fsd f0, 0(x0) (no D)'],
    [0x00000043, 'fmadd.s (no F)'],
    [0x00000053, 'fadd.s (no F)'],
    [0x00007003, 'LOAD funct3=111 (LDU is RV128)'],
    [0x00004023, 'STORE funct3=100 (SQ is RV128)'],
    [0x00007023, 'STORE funct3=111'],
    [0x00002063, 'BRANCH funct3=010'],
    [0x00003063, 'BRANCH funct3=011'],
    [0x00001067, 'JALR funct3=001'],
    [0x04011093, 'slli x1, x2 with imm[11:6]=000001 (rv64.adoc: imm[11:6] must be 0)'],
    [0x40011093, 'slli with imm[11:6]=010000'],
    [0x80015093, 'srli with imm[11:6]=100000'],
    [0x44015093, 'srai with imm[11:6]=010001 (only 010000 is SRAI)'],
    [0x0201109b, 'slliw with imm[5]=1 (rv64.adoc: reserved)'],
    [0x0201509b, 'srliw with imm[5]=1'],
    [0x4201509b, 'sraiw with imm[5]=1'],
    [0x0000209b, 'OP-IMM-32 funct3=010'],
    [0x04001033, 'OP funct7=0000010'],
    [0x40001033, 'OP funct7=0100000 funct3=001 (no SUB-like SLL)'],
    [0x0e005033, 'czero.eqz (Zicond not implemented)'],
    [0x4000103b, 'OP-32 funct7=0100000 funct3=001'],
    [0x0200103b, 'OP-32 funct7=0000001 funct3=001 (no MULHW)'],
    [0x0000203b, 'OP-32 funct3=010'],
    [0x0000702f, 'AMO funct3=111'],
    [0x0000102f, 'AMO funct3=001'],
    [0x2800202f, 'AMO funct5=00101 (amocas.w, Zacas not implemented)'],
    [0x1011202f, 'lr.w with rs2=x1 (a-st-ext.adoc: rs2 must be 0)'],
    [0x1010302f, 'lr.d with rs2=x1'],
    [0x0000200f, 'MISC-MEM funct3=010 (cbo.*, Zicbom not implemented)'],
    [0x000000f3, 'ecall with rd=x1'],
    [0x00108073, 'ebreak with rs1=x1'],
    [0x00200073, 'SYSTEM funct3=0 with imm=2 (uret was removed)'],
    [0x302000f3, 'mret with rd=x1'],
    [0x30208073, 'mret with rs1=x1'],
    [0x10300073, 'SYSTEM imm=0x103'],
    [0x10508073, 'wfi with rs1=x1'],
    [0x70200073, 'mnret (Smrnmi not implemented)'],
    [0x7b200073, 'dret (debug mode not implemented)'],
    [0x00d00073, 'wrs.nto (Zawrs not implemented)'],
    [0x120000f3, 'sfence.vma with rd=x1'],
    [0x18008073, 'sfence.w.inval with rs1=x1'],
    [0x18200073, 'SYSTEM funct7=0001100 with rs2=2'],
    [0x220000f3, 'hfence.vvma with rd=x1'],
    [0x602140f3, 'hlv.b-space with rs2=2'],
    [0x6c1948f3, 'hlv.d-space with rs2=1 (there is no HLV.DU)'],
    [0x6c3948f3, 'hlv.d-space with rs2=3 (there is no HLVX.D)'],
    [0x603140f3, 'hlv.b-space with rs2=3 (there is no HLVX.BU)'],
    [0x633a40f3, 'hsv.b with rd=x1'],
    [0x7e004073, 'SYSTEM funct3=100 with funct7=0111111'],
  ];
  for (const [word, why] of illegal) {
    it(`decodes 0x${(word >>> 0).toString(16).padStart(8, '0')} as illegal: ${why}`, () => {
      const d = decodeFresh(word);
      expect({ op: OP_NAMES[d.op], rd: d.rd, rs1: d.rs1, rs2: d.rs2, imm: d.imm, csr: d.csr, len: d.len, raw: d.raw })
        .toEqual({ op: 'illegal', rd: 0, rs1: 0, rs2: 0, imm: 0, csr: 0, len: 4, raw: word >>> 0 });
    });
  }
});

describe('decode into a reused Decoded', () => {
  it('resets every field an instruction does not have, and len/raw, when one Decoded is reused', () => {
    const d = new Decoded();
    decode(0xfff110f3, d); // csrrw x1, 0xfff, x2
    expect(d.csr).toBe(0xfff);
    decode(0x0001, d); // c.nop
    expect([d.op, d.rd, d.rs1, d.rs2, d.imm, d.csr, d.len, d.raw]).toEqual([Op.ADDI, 0, 0, 0, 0, 0, 2, 1]);
    decode(0xfe62cfe3, d); // blt x5, x6, -2
    expect([d.op, d.rd, d.rs1, d.rs2, d.imm, d.csr, d.len, d.raw]).toEqual([Op.BLT, 0, 5, 6, -2, 0, 4, 0xfe62cfe3]);
    decode(0xffffffff, d);
    expect([d.op, d.rd, d.rs1, d.rs2, d.imm, d.csr, d.len, d.raw]).toEqual([Op.ILLEGAL, 0, 0, 0, 0, 0, 4, 0xffffffff]);
  });

  it('accepts the fetched word as a signed int32 and reports raw unsigned', () => {
    const d = new Decoded();
    decode(0xfe62cfe3 | 0, d);
    expect(d.op).toBe(Op.BLT);
    expect(d.raw).toBe(0xfe62cfe3);
  });

  it('decodes the low halfword alone when inst[1:0] != 11, whatever the upper half holds', () => {
    const d = new Decoded();
    decode(0xffff0000, d); // upper half junk, lower half the all-zero halfword
    expect([d.op, d.len, d.raw]).toEqual([Op.ILLEGAL, 2, 0]);
    decode(0x12348082, d); // c.jr x1 (ret) with junk above
    expect([d.op, d.rd, d.rs1, d.imm, d.len, d.raw]).toEqual([Op.JALR, 0, 1, 0, 2, 0x8082]);
  });

  it('decodes the all-zero word as the 16-bit defined illegal instruction (zca.adoc)', () => {
    const d = decodeFresh(0);
    expect([d.op, d.len, d.raw]).toEqual([Op.ILLEGAL, 2, 0]);
  });
});
