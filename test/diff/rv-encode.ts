/**
 * Instruction encoders for the differential-test program generator: the base formats of
 * rv64.adoc ("Base Instruction Formats", "Immediate Encoding Variants") and the compressed
 * formats of zca.adoc ("Compressed Instruction Formats"). Each returns the instruction bits as an
 * unsigned number; a caller that wants a reserved encoding builds it from the same fields.
 * Range checks throw: a generator bug must not silently produce a different instruction. The
 * base formats are packed by the hart tests' encoder (pipeline/test-support/asm.ts) after these
 * checks, so there is one bit layout per format.
 */
import * as A from '../../pipeline/test-support/asm.js';

function field(value: number, bits: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) throw new RangeError(`${what} ${value} does not fit in ${bits} bits`);
  return value;
}

function signed(value: number, bits: number, what: string): number {
  const lim = 2 ** (bits - 1);
  if (!Number.isInteger(value) || value < -lim || value >= lim) throw new RangeError(`${what} ${value} does not fit in a signed ${bits}-bit field`);
  return value & (2 ** bits - 1);
}

const reg = (r: number, what: string): number => field(r, 5, what);

/** rv64.adoc R-type: funct7 rs2 rs1 funct3 rd opcode. */
export function rType(opcode: number, funct3: number, funct7: number, rd: number, rs1: number, rs2: number): number {
  return A.rType(field(opcode, 7, 'opcode'), reg(rd, 'rd'), field(funct3, 3, 'funct3'), reg(rs1, 'rs1'), reg(rs2, 'rs2'), field(funct7, 7, 'funct7'));
}

/** rv64.adoc I-type: imm[11:0] rs1 funct3 rd opcode (imm signed). */
export function iType(opcode: number, funct3: number, rd: number, rs1: number, imm: number): number {
  signed(imm, 12, 'I-immediate');
  return A.iType(field(opcode, 7, 'opcode'), reg(rd, 'rd'), field(funct3, 3, 'funct3'), reg(rs1, 'rs1'), imm);
}

/** I-type with a raw unsigned 12-bit field (shifts with funct6/funct7 on top, CSR numbers). */
export function iTypeRaw(opcode: number, funct3: number, rd: number, rs1: number, imm12: number): number {
  const asSigned = (field(imm12, 12, 'imm12') << 20) >> 20; // the same 12 bits, as a signed immediate
  return A.iType(field(opcode, 7, 'opcode'), reg(rd, 'rd'), field(funct3, 3, 'funct3'), reg(rs1, 'rs1'), asSigned);
}

/** rv64.adoc S-type: imm[11:5] rs2 rs1 funct3 imm[4:0] opcode. */
export function sType(opcode: number, funct3: number, rs1: number, rs2: number, imm: number): number {
  signed(imm, 12, 'S-immediate');
  return A.sType(field(opcode, 7, 'opcode'), field(funct3, 3, 'funct3'), reg(rs1, 'rs1'), reg(rs2, 'rs2'), imm);
}

/** rv64.adoc B-type: the offset is a multiple of 2 in [-4096, 4094]. */
export function bType(funct3: number, rs1: number, rs2: number, offset: number): number {
  if (offset % 2 !== 0) throw new RangeError(`branch offset ${offset} is odd`);
  signed(offset, 13, 'B-offset');
  return A.bType(field(funct3, 3, 'funct3'), reg(rs1, 'rs1'), reg(rs2, 'rs2'), offset);
}

/** rv64.adoc U-type: imm20 is bits 31:12 of the result (unsigned 20-bit field). */
export function uType(opcode: number, rd: number, imm20: number): number {
  return A.uType(field(opcode, 7, 'opcode'), reg(rd, 'rd'), field(imm20, 20, 'U-immediate'));
}

/** rv64.adoc J-type (JAL): the offset is a multiple of 2 in [-1 MiB, 1 MiB). */
export function jal(rd: number, offset: number): number {
  if (offset % 2 !== 0) throw new RangeError(`jump offset ${offset} is odd`);
  signed(offset, 21, 'J-offset');
  return A.jType(reg(rd, 'rd'), offset);
}

/** Splits a 32-bit signed displacement into the (hi20, lo12) pair that AUIPC/LUI + ADDI use. */
export function hiLo(displacement: number): { hi20: number; lo12: number } {
  signed(displacement, 32, 'displacement');
  const lo12 = ((displacement & 0xfff) ^ 0x800) - 0x800;
  const hi20 = ((displacement - lo12) >>> 12) & 0xfffff;
  return { hi20, lo12 };
}

export const OPC = {
  LOAD: 0x03, MISC_MEM: 0x0f, OP_IMM: 0x13, AUIPC: 0x17, OP_IMM_32: 0x1b, STORE: 0x23, AMO: 0x2f,
  OP: 0x33, LUI: 0x37, OP_32: 0x3b, BRANCH: 0x63, JALR: 0x67, JAL: 0x6f, SYSTEM: 0x73,
} as const;

// ---- Common instructions used by the fixed harness code ----
export const addi = (rd: number, rs1: number, imm: number): number => iType(OPC.OP_IMM, 0, rd, rs1, imm);
export const addiw = (rd: number, rs1: number, imm: number): number => iType(OPC.OP_IMM_32, 0, rd, rs1, imm);
export const andi = (rd: number, rs1: number, imm: number): number => iType(OPC.OP_IMM, 7, rd, rs1, imm);
export const slli = (rd: number, rs1: number, sh: number): number => iTypeRaw(OPC.OP_IMM, 1, rd, rs1, field(sh, 6, 'shamt'));
export const srli = (rd: number, rs1: number, sh: number): number => iTypeRaw(OPC.OP_IMM, 5, rd, rs1, field(sh, 6, 'shamt'));
export const add = (rd: number, rs1: number, rs2: number): number => rType(OPC.OP, 0, 0, rd, rs1, rs2);
export const sub = (rd: number, rs1: number, rs2: number): number => rType(OPC.OP, 0, 0x20, rd, rs1, rs2);
export const xor = (rd: number, rs1: number, rs2: number): number => rType(OPC.OP, 4, 0, rd, rs1, rs2);
export const or = (rd: number, rs1: number, rs2: number): number => rType(OPC.OP, 6, 0, rd, rs1, rs2);
export const srl = (rd: number, rs1: number, rs2: number): number => rType(OPC.OP, 5, 0, rd, rs1, rs2);
export const mul = (rd: number, rs1: number, rs2: number): number => rType(OPC.OP, 0, 1, rd, rs1, rs2);
export const ld = (rd: number, rs1: number, imm: number): number => iType(OPC.LOAD, 3, rd, rs1, imm);
export const lbu = (rd: number, rs1: number, imm: number): number => iType(OPC.LOAD, 4, rd, rs1, imm);
export const lhu = (rd: number, rs1: number, imm: number): number => iType(OPC.LOAD, 5, rd, rs1, imm);
export const sd = (rs2: number, rs1: number, imm: number): number => sType(OPC.STORE, 3, rs1, rs2, imm);
export const sb = (rs2: number, rs1: number, imm: number): number => sType(OPC.STORE, 0, rs1, rs2, imm);
export const sw = (rs2: number, rs1: number, imm: number): number => sType(OPC.STORE, 2, rs1, rs2, imm);
export const lui = (rd: number, imm20: number): number => uType(OPC.LUI, rd, imm20);
export const auipc = (rd: number, imm20: number): number => uType(OPC.AUIPC, rd, imm20);
export const jalr = (rd: number, rs1: number, imm: number): number => iType(OPC.JALR, 0, rd, rs1, imm);
export const beq = (rs1: number, rs2: number, off: number): number => bType(0, rs1, rs2, off);
export const bne = (rs1: number, rs2: number, off: number): number => bType(1, rs1, rs2, off);
export const bltu = (rs1: number, rs2: number, off: number): number => bType(6, rs1, rs2, off);
export const bgeu = (rs1: number, rs2: number, off: number): number => bType(7, rs1, rs2, off);
export const bge = (rs1: number, rs2: number, off: number): number => bType(5, rs1, rs2, off);
/** zicsr.adoc: CSRRW=1 CSRRS=2 CSRRC=3, immediate forms 5..7 with zimm in the rs1 field. */
export const csr = (funct3: number, rd: number, rs1OrZimm: number, csrNum: number): number =>
  iTypeRaw(OPC.SYSTEM, funct3, rd, rs1OrZimm, field(csrNum, 12, 'csr'));
export const csrr = (rd: number, csrNum: number): number => csr(2, rd, 0, csrNum);
export const csrw = (csrNum: number, rs1: number): number => csr(1, 0, rs1, csrNum);
export const MRET = 0x30200073;
export const ECALL = 0x00000073;
export const EBREAK = 0x00100073;

/** AMO encoding (funct5 aq rl rs2 rs1 funct3 rd 0101111); funct3 2 = .W, 3 = .D. */
export function amo(funct5: number, width: 2 | 3, rd: number, rs1: number, rs2: number, aq: boolean, rl: boolean): number {
  const funct7 = (field(funct5, 5, 'funct5') << 2) | (aq ? 2 : 0) | (rl ? 1 : 0);
  return rType(OPC.AMO, width, funct7, rd, rs1, rs2);
}

// ---- Compressed formats (zca.adoc "Compressed Instruction Formats") ----
/** Maps x8..x15 to the 3-bit rd'/rs1'/rs2' field. */
export function creg(r: number): number {
  if (r < 8 || r > 15) throw new RangeError(`x${r} is not encodable as a compressed register`);
  return r - 8;
}

/** CI format: funct3 imm[5] rd/rs1 imm[4:0] op; `imm6` is the raw 6-bit field value. */
export function ciRaw(funct3: number, op: number, rd: number, imm6: number): number {
  field(imm6, 6, 'CI immediate');
  return (field(funct3, 3, 'funct3') << 13) | ((imm6 >> 5) << 12) | (reg(rd, 'rd') << 7) | ((imm6 & 0x1f) << 2) | field(op, 2, 'op');
}

/** CR format: funct4 rd/rs1 rs2 op. */
export function cr(funct4: number, rd: number, rs2: number, op: number): number {
  return (field(funct4, 4, 'funct4') << 12) | (reg(rd, 'rd') << 7) | (reg(rs2, 'rs2') << 2) | field(op, 2, 'op');
}

/** CA format (c.sub..c.addw): 100 bit12 11 rd' funct2 rs2' 01. */
export function ca(bit12: number, funct2: number, rdp: number, rs2p: number): number {
  return (0b100 << 13) | (field(bit12, 1, 'bit12') << 12) | (0b11 << 10) | (creg(rdp) << 7) | (field(funct2, 2, 'funct2') << 5) | (creg(rs2p) << 2) | 0b01;
}

/** c.lw / c.sw (word, offset multiple of 4 in [0,124]) and c.ld / c.sd (doubleword, multiple of 8 in [0,248]). */
export function cLoadStore(kind: 'lw' | 'sw' | 'ld' | 'sd', rdOrRs2: number, rs1: number, offset: number): number {
  const word = kind === 'lw' || kind === 'sw';
  const funct3 = { lw: 0b010, ld: 0b011, sw: 0b110, sd: 0b111 }[kind];
  const scale = word ? 4 : 8;
  if (offset % scale !== 0) throw new RangeError(`c.${kind} offset ${offset} not a multiple of ${scale}`);
  field(offset, word ? 7 : 8, `c.${kind} offset`);
  const bits12to10 = (offset >> 3) & 0b111;
  const bits6to5 = word ? (((offset >> 2) & 1) << 1) | ((offset >> 6) & 1) : (offset >> 6) & 0b11;
  return (funct3 << 13) | (bits12to10 << 10) | (creg(rs1) << 7) | (bits6to5 << 5) | (creg(rdOrRs2) << 2) | 0b00;
}

/** c.lwsp / c.ldsp (CI) and c.swsp / c.sdsp (CSS), sp-relative. */
export function cSp(kind: 'lwsp' | 'ldsp' | 'swsp' | 'sdsp', r: number, offset: number): number {
  const word = kind === 'lwsp' || kind === 'swsp';
  const scale = word ? 4 : 8;
  if (offset % scale !== 0) throw new RangeError(`c.${kind} offset ${offset} not a multiple of ${scale}`);
  field(offset, word ? 8 : 9, `c.${kind} offset`);
  if (kind === 'lwsp' || kind === 'ldsp') {
    // CI: offset[5] at bit 12; lwsp: offset[4:2|7:6] at 6:2; ldsp: offset[4:3|8:6] at 6:2
    const low = word ? (((offset >> 2) & 0b111) << 2) | ((offset >> 6) & 0b11) : (((offset >> 3) & 0b11) << 3) | ((offset >> 6) & 0b111);
    return ((word ? 0b010 : 0b011) << 13) | (((offset >> 5) & 1) << 12) | (reg(r, 'rd') << 7) | (low << 2) | 0b10;
  }
  // CSS: swsp: offset[5:2|7:6] at 12:7; sdsp: offset[5:3|8:6] at 12:7
  const imm = word ? (((offset >> 2) & 0b1111) << 2) | ((offset >> 6) & 0b11) : (((offset >> 3) & 0b111) << 3) | ((offset >> 6) & 0b111);
  return ((word ? 0b110 : 0b111) << 13) | (imm << 7) | (reg(r, 'rs2') << 2) | 0b10;
}

/** c.addi4spn rd' = sp + nzuimm (multiple of 4, 0 is reserved but encodable here for illegal tests). */
export function cAddi4spn(rdp: number, uimm: number): number {
  if (uimm % 4 !== 0) throw new RangeError('c.addi4spn immediate must be a multiple of 4');
  field(uimm, 10, 'c.addi4spn immediate');
  // nzuimm[5:4|9:6|2|3] at bits 12:5
  const bits = (((uimm >> 4) & 0b11) << 6) | (((uimm >> 6) & 0b1111) << 2) | (((uimm >> 2) & 1) << 1) | ((uimm >> 3) & 1);
  return (bits << 5) | (creg(rdp) << 2) | 0b00;
}

/** CB branch (c.beqz funct3=110, c.bnez 111): offset multiple of 2 in [-256, 254]. */
export function cBranch(bnez: boolean, rs1p: number, offset: number): number {
  if (offset % 2 !== 0) throw new RangeError('compressed branch offset is odd');
  const i = signed(offset, 9, 'CB offset');
  // offset[8|4:3] at 12:10, offset[7:6|2:1|5] at 6:2
  const hi = (((i >> 8) & 1) << 2) | ((i >> 3) & 0b11);
  const lo = (((i >> 6) & 0b11) << 3) | (((i >> 1) & 0b11) << 1) | ((i >> 5) & 1);
  return ((bnez ? 0b111 : 0b110) << 13) | (hi << 10) | (creg(rs1p) << 7) | (lo << 2) | 0b01;
}

/** c.j: offset multiple of 2 in [-2048, 2046]. */
export function cJ(offset: number): number {
  if (offset % 2 !== 0) throw new RangeError('c.j offset is odd');
  const i = signed(offset, 12, 'CJ offset');
  // offset[11|4|9:8|10|6|7|3:1|5] at bits 12:2
  const b = (k: number): number => (i >> k) & 1;
  const bits = (b(11) << 10) | (b(4) << 9) | (b(9) << 8) | (b(8) << 7) | (b(10) << 6) | (b(6) << 5) | (b(7) << 4) | (b(3) << 3) | (b(2) << 2) | (b(1) << 1) | b(5);
  return (0b101 << 13) | (bits << 2) | 0b01;
}

/** CB-format ALU ops: c.srli (funct2 00), c.srai (01), c.andi (10); imm6 is the raw 6-bit field. */
export function cbAlu(funct2: 0 | 1 | 2, rdp: number, imm6: number): number {
  field(imm6, 6, 'CB immediate');
  return (0b100 << 13) | ((imm6 >> 5) << 12) | (funct2 << 10) | (creg(rdp) << 7) | ((imm6 & 0x1f) << 2) | 0b01;
}

/** Encodes a signed 6-bit immediate into the raw CI field. */
export const imm6 = (v: number): number => signed(v, 6, 'CI immediate');
