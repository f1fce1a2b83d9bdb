import { doubleFields } from '../common/double-fields.js';
/**
 * Instruction operations after decoding. A compressed instruction decodes to the op of the base
 * instruction it expands to (zca.adoc), with `len` 2, so the executor knows one set of semantics.
 * The names in OP_NAMES are the mnemonics of ../shared/riscv-opcodes, used by tests and the
 * commit log.
 */
export const enum Op {
  ILLEGAL = 0,
  // RV64I
  LUI, AUIPC, JAL, JALR,
  BEQ, BNE, BLT, BGE, BLTU, BGEU,
  LB, LH, LW, LD, LBU, LHU, LWU,
  SB, SH, SW, SD,
  ADDI, SLTI, SLTIU, XORI, ORI, ANDI, SLLI, SRLI, SRAI,
  ADD, SUB, SLL, SLT, SLTU, XOR, SRL, SRA, OR, AND,
  ADDIW, SLLIW, SRLIW, SRAIW, ADDW, SUBW, SLLW, SRLW, SRAW,
  FENCE, ECALL, EBREAK,
  // Zifencei
  FENCE_I,
  // M
  MUL, MULH, MULHSU, MULHU, DIV, DIVU, REM, REMU, MULW, DIVW, DIVUW, REMW, REMUW,
  // A
  LR_W, SC_W, AMOSWAP_W, AMOADD_W, AMOXOR_W, AMOAND_W, AMOOR_W, AMOMIN_W, AMOMAX_W, AMOMINU_W, AMOMAXU_W,
  LR_D, SC_D, AMOSWAP_D, AMOADD_D, AMOXOR_D, AMOAND_D, AMOOR_D, AMOMIN_D, AMOMAX_D, AMOMINU_D, AMOMAXU_D,
  // Zicsr
  CSRRW, CSRRS, CSRRC, CSRRWI, CSRRSI, CSRRCI,
  // Privileged
  MRET, SRET, WFI, SFENCE_VMA,
  // Svinval
  SINVAL_VMA, SFENCE_W_INVAL, SFENCE_INVAL_IR, HINVAL_VVMA, HINVAL_GVMA,
  // H
  HFENCE_VVMA, HFENCE_GVMA,
  HLV_B, HLV_BU, HLV_H, HLV_HU, HLV_W, HLV_WU, HLV_D, HLVX_HU, HLVX_WU,
  HSV_B, HSV_H, HSV_W, HSV_D,
  COUNT,
}

export const OP_NAMES: readonly string[] = [
  'illegal',
  'lui', 'auipc', 'jal', 'jalr',
  'beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu',
  'lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu',
  'sb', 'sh', 'sw', 'sd',
  'addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'slli', 'srli', 'srai',
  'add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and',
  'addiw', 'slliw', 'srliw', 'sraiw', 'addw', 'subw', 'sllw', 'srlw', 'sraw',
  'fence', 'ecall', 'ebreak',
  'fence.i',
  'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu', 'mulw', 'divw', 'divuw', 'remw', 'remuw',
  'lr.w', 'sc.w', 'amoswap.w', 'amoadd.w', 'amoxor.w', 'amoand.w', 'amoor.w', 'amomin.w', 'amomax.w', 'amominu.w', 'amomaxu.w',
  'lr.d', 'sc.d', 'amoswap.d', 'amoadd.d', 'amoxor.d', 'amoand.d', 'amoor.d', 'amomin.d', 'amomax.d', 'amominu.d', 'amomaxu.d',
  'csrrw', 'csrrs', 'csrrc', 'csrrwi', 'csrrsi', 'csrrci',
  'mret', 'sret', 'wfi', 'sfence.vma',
  'sinval.vma', 'sfence.w.inval', 'sfence.inval.ir', 'hinval.vvma', 'hinval.gvma',
  'hfence.vvma', 'hfence.gvma',
  'hlv.b', 'hlv.bu', 'hlv.h', 'hlv.hu', 'hlv.w', 'hlv.wu', 'hlv.d', 'hlvx.hu', 'hlvx.wu',
  'hsv.b', 'hsv.h', 'hsv.w', 'hsv.d',
];

/**
 * One decoded instruction. Filled in place by decode() so decoding allocates nothing.
 * - imm: the sign-extended immediate as an int32 (every RV64 immediate fits: U-type holds the
 *   value already shifted left 12, i.e. bits 31:12 of the instruction with the low 12 bits zero);
 *   shift amounts for SLLI/SRLI/SRAI(W); FENCE: the fm|pred|succ field (bits 31:20).
 * - csr: the CSR number for Zicsr ops; for CSRR*I the 5-bit zimm is in rs1.
 * - aq/rl for A ops are read from raw (bits 26/25) when needed.
 * - raw: the instruction bits as fetched (16 bits for a compressed one), for xtval on illegal
 *   instruction and for the commit log.
 */
export class Decoded {
  op: Op = Op.ILLEGAL;
  rd = 0;
  rs1 = 0;
  rs2 = 0;
  imm = 0;
  csr = 0;
  len = 4;
  raw = 0;

  constructor() {
    // raw holds 32 instruction bits as an unsigned number.
    doubleFields(this, 'raw');
  }

  /** Operation and operands at once (decoders); csr is reset, len/raw are the decoder's to set. */
  set(op: Op, rd: number, rs1: number, rs2: number, imm: number): void {
    this.op = op;
    this.rd = rd;
    this.rs1 = rs1;
    this.rs2 = rs2;
    this.imm = imm;
    this.csr = 0;
  }
}
