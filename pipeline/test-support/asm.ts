/**
 * Test-only instruction encoder for the hart behaviour tests: one function per instruction, each
 * returning the instruction word (a non-negative number; 16-bit for the `c_*` compressed forms),
 * encoded from the formats of the unprivileged spec ("Base Instruction Formats", "Immediate
 * Encoding Variants") and the opcode tables in ../shared/riscv-opcodes. Operand order follows the
 * assembler: `addi(rd, rs1, imm)`, `sd(rs2, rs1, offset)` (value, base, offset), `amoadd_w(rd,
 * rs2, rs1)`, `csrrw(rd, csr, rs1)`. hart-asm.test.ts checks every encoder against decode().
 *
 * `Asm` strings instructions together at a base address with labels for branches, jumps and
 * `la`. BigInt is used freely: this is cold test code.
 */

// ------------------------------------------------------------------ registers (ABI names)

export const zero = 0, ra = 1, sp = 2, gp = 3, tp = 4, t0 = 5, t1 = 6, t2 = 7, s0 = 8, s1 = 9;
export const a0 = 10, a1 = 11, a2 = 12, a3 = 13, a4 = 14, a5 = 15, a6 = 16, a7 = 17;
export const s2 = 18, s3 = 19, s4 = 20, s5 = 21, s6 = 22, s7 = 23, s8 = 24, s9 = 25, s10 = 26, s11 = 27;
export const t3 = 28, t4 = 29, t5 = 30, t6 = 31;

/** CSR numbers used by the tests (csrs.adoc). */
export const CSR = {
  cycle: 0xc00, time: 0xc01, instret: 0xc02, hpmcounter3: 0xc03, hpmcounter4: 0xc04, hpmcounter31: 0xc1f,
  sstatus: 0x100, sie: 0x104, stvec: 0x105, scounteren: 0x106, senvcfg: 0x10a,
  sscratch: 0x140, sepc: 0x141, scause: 0x142, stval: 0x143, sip: 0x144, stimecmp: 0x14d, satp: 0x180,
  mvendorid: 0xf11, marchid: 0xf12, mimpid: 0xf13, mhartid: 0xf14, mconfigptr: 0xf15,
  mstatus: 0x300, misa: 0x301, medeleg: 0x302, mideleg: 0x303, mie: 0x304, mtvec: 0x305,
  mcounteren: 0x306, menvcfg: 0x30a, mcountinhibit: 0x320,
  mhpmevent3: 0x323, mhpmevent4: 0x324, mhpmevent5: 0x325, mhpmevent31: 0x33f,
  mscratch: 0x340, mepc: 0x341, mcause: 0x342, mtval: 0x343, mip: 0x344,
  pmpcfg0: 0x3a0, pmpcfg1: 0x3a1, pmpcfg2: 0x3a2, pmpaddr0: 0x3b0,
  mcycle: 0xb00, minstret: 0xb02, mhpmcounter3: 0xb03, mhpmcounter4: 0xb04, mhpmcounter5: 0xb05, mhpmcounter31: 0xb1f,
  // Hypervisor and virtual-supervisor CSRs, mtinst/mtval2 (hypervisor.adoc; csrs.csv)
  hstatus: 0x600, hedeleg: 0x602, hideleg: 0x603, hie: 0x604, htimedelta: 0x605, hcounteren: 0x606, hgeie: 0x607,
  henvcfg: 0x60a, htval: 0x643, hip: 0x644, hvip: 0x645, htinst: 0x64a, hgatp: 0x680, hgeip: 0xe12,
  vsstatus: 0x200, vsie: 0x204, vstvec: 0x205, vsscratch: 0x240, vsepc: 0x241, vscause: 0x242, vstval: 0x243,
  vsip: 0x244, vstimecmp: 0x24d, vsatp: 0x280, mtinst: 0x34a, mtval2: 0x34b,
} as const;
export type CsrName = keyof typeof CSR;

// ------------------------------------------------------------------ formats

const OP = 0x33, OP_IMM = 0x13, OP_32 = 0x3b, OP_IMM_32 = 0x1b, LOAD = 0x03, STORE = 0x23;
const BRANCH = 0x63, JAL = 0x6f, JALR = 0x67, LUI = 0x37, AUIPC = 0x17, SYSTEM = 0x73, MISC_MEM = 0x0f, AMO = 0x2f;

function reg(r: number): number {
  if (!Number.isInteger(r) || r < 0 || r > 31) throw new Error(`bad register x${r}`);
  return r;
}

function fits(v: number, bits: number, what: string): void {
  if (!Number.isInteger(v) || v < -(2 ** (bits - 1)) || v >= 2 ** (bits - 1)) throw new Error(`${what} ${v} does not fit in ${bits} signed bits`);
}

export function rType(opcode: number, rd: number, f3: number, rs1: number, rs2: number, f7: number): number {
  return ((f7 << 25) | (reg(rs2) << 20) | (reg(rs1) << 15) | (f3 << 12) | (reg(rd) << 7) | opcode) >>> 0;
}

export function iType(opcode: number, rd: number, f3: number, rs1: number, imm: number): number {
  fits(imm, 12, 'I-immediate');
  return (((imm & 0xfff) << 20) | (reg(rs1) << 15) | (f3 << 12) | (reg(rd) << 7) | opcode) >>> 0;
}

export function sType(opcode: number, f3: number, rs1: number, rs2: number, imm: number): number {
  fits(imm, 12, 'S-immediate');
  return ((((imm >> 5) & 0x7f) << 25) | (reg(rs2) << 20) | (reg(rs1) << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | opcode) >>> 0;
}

export function bType(f3: number, rs1: number, rs2: number, off: number): number {
  fits(off, 13, 'branch offset');
  if (off % 2 !== 0) throw new Error(`branch offset ${off} is odd`);
  const b12 = (off >> 12) & 1, b11 = (off >> 11) & 1, b10_5 = (off >> 5) & 0x3f, b4_1 = (off >> 1) & 0xf;
  return ((b12 << 31) | (b10_5 << 25) | (reg(rs2) << 20) | (reg(rs1) << 15) | (f3 << 12) | (b4_1 << 8) | (b11 << 7) | BRANCH) >>> 0;
}

export function uType(opcode: number, rd: number, imm20: number): number {
  return (((imm20 & 0xfffff) << 12) | (reg(rd) << 7) | opcode) >>> 0;
}

export function jType(rd: number, off: number): number {
  fits(off, 21, 'jump offset');
  if (off % 2 !== 0) throw new Error(`jump offset ${off} is odd`);
  const b20 = (off >> 20) & 1, b10_1 = (off >> 1) & 0x3ff, b11 = (off >> 11) & 1, b19_12 = (off >> 12) & 0xff;
  return ((b20 << 31) | (b10_1 << 21) | (b11 << 20) | (b19_12 << 12) | (reg(rd) << 7) | JAL) >>> 0;
}

// ------------------------------------------------------------------ RV64I

export const lui = (rd: number, imm20: number) => uType(LUI, rd, imm20);
export const auipc = (rd: number, imm20: number) => uType(AUIPC, rd, imm20);
export const jal = (rd: number, off: number) => jType(rd, off);
/** j off: jal x0, off. */
export const j = (off: number) => jType(zero, off);
export const jalr = (rd: number, rs1: number, imm = 0) => iType(JALR, rd, 0, rs1, imm);
export const beq = (rs1: number, rs2: number, off: number) => bType(0, rs1, rs2, off);
export const bne = (rs1: number, rs2: number, off: number) => bType(1, rs1, rs2, off);
export const blt = (rs1: number, rs2: number, off: number) => bType(4, rs1, rs2, off);
export const bge = (rs1: number, rs2: number, off: number) => bType(5, rs1, rs2, off);
export const bltu = (rs1: number, rs2: number, off: number) => bType(6, rs1, rs2, off);
export const bgeu = (rs1: number, rs2: number, off: number) => bType(7, rs1, rs2, off);

export const lb = (rd: number, rs1: number, off = 0) => iType(LOAD, rd, 0, rs1, off);
export const lh = (rd: number, rs1: number, off = 0) => iType(LOAD, rd, 1, rs1, off);
export const lw = (rd: number, rs1: number, off = 0) => iType(LOAD, rd, 2, rs1, off);
export const ld = (rd: number, rs1: number, off = 0) => iType(LOAD, rd, 3, rs1, off);
export const lbu = (rd: number, rs1: number, off = 0) => iType(LOAD, rd, 4, rs1, off);
export const lhu = (rd: number, rs1: number, off = 0) => iType(LOAD, rd, 5, rs1, off);
export const lwu = (rd: number, rs1: number, off = 0) => iType(LOAD, rd, 6, rs1, off);
/** Stores take (value register, base register, offset). */
export const sb = (rs2: number, rs1: number, off = 0) => sType(STORE, 0, rs1, rs2, off);
export const sh = (rs2: number, rs1: number, off = 0) => sType(STORE, 1, rs1, rs2, off);
export const sw = (rs2: number, rs1: number, off = 0) => sType(STORE, 2, rs1, rs2, off);
export const sd = (rs2: number, rs1: number, off = 0) => sType(STORE, 3, rs1, rs2, off);

export const addi = (rd: number, rs1: number, imm: number) => iType(OP_IMM, rd, 0, rs1, imm);
export const slti = (rd: number, rs1: number, imm: number) => iType(OP_IMM, rd, 2, rs1, imm);
export const sltiu = (rd: number, rs1: number, imm: number) => iType(OP_IMM, rd, 3, rs1, imm);
export const xori = (rd: number, rs1: number, imm: number) => iType(OP_IMM, rd, 4, rs1, imm);
export const ori = (rd: number, rs1: number, imm: number) => iType(OP_IMM, rd, 6, rs1, imm);
export const andi = (rd: number, rs1: number, imm: number) => iType(OP_IMM, rd, 7, rs1, imm);
function shamt(s: number, max: number): number {
  if (!Number.isInteger(s) || s < 0 || s > max) throw new Error(`shift amount ${s} out of range`);
  return s;
}
export const slli = (rd: number, rs1: number, s: number) => iType(OP_IMM, rd, 1, rs1, shamt(s, 63));
export const srli = (rd: number, rs1: number, s: number) => iType(OP_IMM, rd, 5, rs1, shamt(s, 63));
export const srai = (rd: number, rs1: number, s: number) => iType(OP_IMM, rd, 5, rs1, 0x400 | shamt(s, 63));
export const addiw = (rd: number, rs1: number, imm: number) => iType(OP_IMM_32, rd, 0, rs1, imm);
export const slliw = (rd: number, rs1: number, s: number) => iType(OP_IMM_32, rd, 1, rs1, shamt(s, 31));
export const srliw = (rd: number, rs1: number, s: number) => iType(OP_IMM_32, rd, 5, rs1, shamt(s, 31));
export const sraiw = (rd: number, rs1: number, s: number) => iType(OP_IMM_32, rd, 5, rs1, 0x400 | shamt(s, 31));

const r = (f3: number, f7: number, op = OP) => (rd: number, rs1: number, rs2: number) => rType(op, rd, f3, rs1, rs2, f7);
export const add = r(0, 0), sub = r(0, 0x20), sll = r(1, 0), slt = r(2, 0), sltu = r(3, 0);
export const xor = r(4, 0), srl = r(5, 0), sra = r(5, 0x20), or = r(6, 0), and = r(7, 0);
export const addw = r(0, 0, OP_32), subw = r(0, 0x20, OP_32), sllw = r(1, 0, OP_32), srlw = r(5, 0, OP_32), sraw = r(5, 0x20, OP_32);
// M (m-st-ext.adoc)
export const mul = r(0, 1), mulh = r(1, 1), mulhsu = r(2, 1), mulhu = r(3, 1);
export const div = r(4, 1), divu = r(5, 1), rem = r(6, 1), remu = r(7, 1);
export const mulw = r(0, 1, OP_32), divw = r(4, 1, OP_32), divuw = r(5, 1, OP_32), remw = r(6, 1, OP_32), remuw = r(7, 1, OP_32);

export const fence = (pred = 0xf, succ = 0xf) => ((pred << 24) | (succ << 20) | MISC_MEM) >>> 0;
export const fence_i = () => ((1 << 12) | MISC_MEM) >>> 0;

// ------------------------------------------------------------------ SYSTEM

export const ecall = () => 0x0000_0073;
export const ebreak = () => 0x0010_0073;
export const sret = () => 0x1020_0073;
export const mret = () => 0x3020_0073;
export const wfi = () => 0x1050_0073;
export const sfence_vma = (rs1 = 0, rs2 = 0) => rType(SYSTEM, 0, 0, rs1, rs2, 0x09);
export const sinval_vma = (rs1 = 0, rs2 = 0) => rType(SYSTEM, 0, 0, rs1, rs2, 0x0b);
export const sfence_w_inval = () => 0x1800_0073;
export const sfence_inval_ir = () => 0x1810_0073;

// Hypervisor instructions (hypervisor.adoc "Hypervisor Instructions"; riscv-opcodes rv_h, rv64_h, rv_svinval_h):
// SYSTEM, funct3 4 for the virtual-machine loads/stores (rs2 selects HLV / HLV unsigned / HLVX), funct3 0 for the fences.
const hlv = (f7: number, sel: number) => (rd: number, rs1: number) => rType(SYSTEM, rd, 4, rs1, sel, f7);
export const hlv_b = hlv(0x30, 0), hlv_bu = hlv(0x30, 1), hlv_h = hlv(0x32, 0), hlv_hu = hlv(0x32, 1), hlvx_hu = hlv(0x32, 3);
export const hlv_w = hlv(0x34, 0), hlv_wu = hlv(0x34, 1), hlvx_wu = hlv(0x34, 3), hlv_d = hlv(0x36, 0);
/** hsv.x rs2, (rs1): value, base, as for the stores. */
const hsv = (f7: number) => (rs2: number, rs1: number) => rType(SYSTEM, 0, 4, rs1, rs2, f7);
export const hsv_b = hsv(0x31), hsv_h = hsv(0x33), hsv_w = hsv(0x35), hsv_d = hsv(0x37);
const hfence = (f7: number) => (rs1 = 0, rs2 = 0) => rType(SYSTEM, 0, 0, rs1, rs2, f7);
export const hfence_vvma = hfence(0x11), hfence_gvma = hfence(0x31), hinval_vvma = hfence(0x13), hinval_gvma = hfence(0x33);

function csrNum(csr: number): number {
  if (!Number.isInteger(csr) || csr < 0 || csr > 0xfff) throw new Error(`bad CSR 0x${csr.toString(16)}`);
  return csr;
}
export const csrrw = (rd: number, csr: number, rs1: number) => ((csrNum(csr) << 20) | (reg(rs1) << 15) | (1 << 12) | (reg(rd) << 7) | SYSTEM) >>> 0;
export const csrrs = (rd: number, csr: number, rs1: number) => ((csrNum(csr) << 20) | (reg(rs1) << 15) | (2 << 12) | (reg(rd) << 7) | SYSTEM) >>> 0;
export const csrrc = (rd: number, csr: number, rs1: number) => ((csrNum(csr) << 20) | (reg(rs1) << 15) | (3 << 12) | (reg(rd) << 7) | SYSTEM) >>> 0;
function uimm(v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 31) throw new Error(`CSR immediate ${v} out of range`);
  return v;
}
export const csrrwi = (rd: number, csr: number, u: number) => ((csrNum(csr) << 20) | (uimm(u) << 15) | (5 << 12) | (reg(rd) << 7) | SYSTEM) >>> 0;
export const csrrsi = (rd: number, csr: number, u: number) => ((csrNum(csr) << 20) | (uimm(u) << 15) | (6 << 12) | (reg(rd) << 7) | SYSTEM) >>> 0;
export const csrrci = (rd: number, csr: number, u: number) => ((csrNum(csr) << 20) | (uimm(u) << 15) | (7 << 12) | (reg(rd) << 7) | SYSTEM) >>> 0;
// The pseudo-instructions of zicsr.adoc "CSR Instructions".
export const csrr = (rd: number, csr: number) => csrrs(rd, csr, 0);
export const csrw = (csr: number, rs1: number) => csrrw(0, csr, rs1);
export const csrs = (csr: number, rs1: number) => csrrs(0, csr, rs1);
export const csrc = (csr: number, rs1: number) => csrrc(0, csr, rs1);
export const csrwi = (csr: number, u: number) => csrrwi(0, csr, u);
export const csrsi = (csr: number, u: number) => csrrsi(0, csr, u);
export const csrci = (csr: number, u: number) => csrrci(0, csr, u);

// ------------------------------------------------------------------ A (Zalrsc, Zaamo)

function amo(f5: number, width: 'w' | 'd', rd: number, rs2: number, rs1: number, aq = 0, rl = 0): number {
  return ((f5 << 27) | (aq << 26) | (rl << 25) | (reg(rs2) << 20) | (reg(rs1) << 15) | ((width === 'w' ? 2 : 3) << 12) | (reg(rd) << 7) | AMO) >>> 0;
}
export const lr_w = (rd: number, rs1: number) => amo(0b00010, 'w', rd, 0, rs1);
export const lr_d = (rd: number, rs1: number) => amo(0b00010, 'd', rd, 0, rs1);
/** sc.w rd, rs2, (rs1) */
export const sc_w = (rd: number, rs2: number, rs1: number) => amo(0b00011, 'w', rd, rs2, rs1);
export const sc_d = (rd: number, rs2: number, rs1: number) => amo(0b00011, 'd', rd, rs2, rs1);
/** The AMOs by name, for tables: amo<op>(width, rd, rs2, rs1) as `amoadd.w rd, rs2, (rs1)`. */
export const AMO_FUNCT5 = { swap: 0b00001, add: 0b00000, xor: 0b00100, and: 0b01100, or: 0b01000, min: 0b10000, max: 0b10100, minu: 0b11000, maxu: 0b11100 } as const;
export type AmoOp = keyof typeof AMO_FUNCT5;
export const amoOp = (op: AmoOp, width: 'w' | 'd', rd: number, rs2: number, rs1: number) => amo(AMO_FUNCT5[op], width, rd, rs2, rs1);
export const amoswap_w = (rd: number, rs2: number, rs1: number) => amoOp('swap', 'w', rd, rs2, rs1);
export const amoadd_w = (rd: number, rs2: number, rs1: number) => amoOp('add', 'w', rd, rs2, rs1);
export const amoadd_d = (rd: number, rs2: number, rs1: number) => amoOp('add', 'd', rd, rs2, rs1);
export const amoswap_d = (rd: number, rs2: number, rs1: number) => amoOp('swap', 'd', rd, rs2, rs1);

// ------------------------------------------------------------------ C (zca.adoc), a few

/** x8..x15, the registers of the 3-bit rd'/rs1'/rs2' fields. */
function creg(r: number): number {
  if (r < 8 || r > 15) throw new Error(`x${r} is not a compressed register (x8..x15)`);
  return r - 8;
}
export const c_nop = () => 0x0001;
export const c_ebreak = () => 0x9002;
export function c_addi(rd: number, imm: number): number {
  fits(imm, 6, 'c.addi immediate');
  return (((imm >> 5) & 1) << 12) | (reg(rd) << 7) | ((imm & 0x1f) << 2) | 0b01;
}
export function c_li(rd: number, imm: number): number {
  fits(imm, 6, 'c.li immediate');
  return (0b010 << 13) | (((imm >> 5) & 1) << 12) | (reg(rd) << 7) | ((imm & 0x1f) << 2) | 0b01;
}
export const c_mv = (rd: number, rs2: number) => (0b100 << 13) | (reg(rd) << 7) | (reg(rs2) << 2) | 0b10;
export const c_add = (rd: number, rs2: number) => (0b100 << 13) | (1 << 12) | (reg(rd) << 7) | (reg(rs2) << 2) | 0b10;
/** c.lw rd', off(rs1'): off a multiple of 4 below 128. */
export function c_lw(rd: number, rs1: number, off: number): number {
  if (off % 4 !== 0 || off < 0 || off > 124) throw new Error(`c.lw offset ${off}`);
  return (0b010 << 13) | (((off >> 3) & 7) << 10) | (creg(rs1) << 7) | (((off >> 2) & 1) << 6) | (((off >> 6) & 1) << 5) | (creg(rd) << 2);
}
export function c_sw(rs2: number, rs1: number, off: number): number {
  if (off % 4 !== 0 || off < 0 || off > 124) throw new Error(`c.sw offset ${off}`);
  return (0b110 << 13) | (((off >> 3) & 7) << 10) | (creg(rs1) << 7) | (((off >> 2) & 1) << 6) | (((off >> 6) & 1) << 5) | (creg(rs2) << 2);
}
/** c.j off: off even, within +-2 KiB. */
export function c_j(off: number): number {
  fits(off, 12, 'c.j offset');
  const b = (i: number) => (off >> i) & 1;
  return (0b101 << 13) | (b(11) << 12) | (b(4) << 11) | (b(9) << 10) | (b(8) << 9) | (b(10) << 8) | (b(6) << 7) | (b(7) << 6) |
    (b(3) << 5) | (b(2) << 4) | (b(1) << 3) | (b(5) << 2) | 0b01;
}
function cBranch(f3: number, rs1: number, off: number): number {
  fits(off, 9, 'c.beqz/c.bnez offset');
  const b = (i: number) => (off >> i) & 1;
  return (f3 << 13) | (b(8) << 12) | (b(4) << 11) | (b(3) << 10) | (creg(rs1) << 7) | (b(7) << 6) | (b(6) << 5) | (b(2) << 4) | (b(1) << 3) | (b(5) << 2) | 0b01;
}
export const c_beqz = (rs1: number, off: number) => cBranch(0b110, rs1, off);
export const c_bnez = (rs1: number, off: number) => cBranch(0b111, rs1, off);
/** The all-zero halfword: defined illegal (zca.adoc). */
export const c_illegal = () => 0x0000;

// ------------------------------------------------------------------ sequences

/**
 * Load a 64-bit constant: LUI+ADDIW for values that fit in 32 bits, otherwise the upper part
 * recursively, then SLLI and ADDI (the expansion GNU as and LLVM use for `li`).
 */
export function li64(rd: number, value: bigint | number): number[] {
  const v = BigInt.asIntN(64, BigInt(value));
  if (v >= -(2n ** 31n) && v < 2n ** 31n) {
    const lo12 = Number(BigInt.asIntN(12, v));
    const hi20 = Number(BigInt.asUintN(20, (v - BigInt(lo12)) >> 12n));
    if (hi20 === 0) return [addi(rd, zero, lo12)];
    const out = [lui(rd, hi20)];
    if (lo12 !== 0) out.push(addiw(rd, rd, lo12));
    return out;
  }
  const lo12 = Number(BigInt.asIntN(12, v));
  let upper = (v - BigInt(lo12)) >> 12n;
  let shift = 12;
  while ((upper & 1n) === 0n) {
    upper >>= 1n;
    shift++;
  }
  const out = li64(rd, upper);
  out.push(slli(rd, rd, shift));
  if (lo12 !== 0) out.push(addi(rd, rd, lo12));
  return out;
}

/** The finisher's pass (0x5555) or fail ((code << 16) | 0x3333) word (caches/test-finisher.ts). */
export function finisherWord(code: number): number {
  return code === 0 ? 0x5555 : ((code << 16) | 0x3333) >>> 0;
}

/** Stop the run through the test finisher at 0x100000; clobbers t5 and t6. */
export function exitSeq(code = 0, finisher = 0x10_0000n): number[] {
  return [...li64(t6, finisher), ...li64(t5, finisherWord(code)), sw(t5, t6, 0)];
}

// ------------------------------------------------------------------ programs with labels

type Item =
  | { kind: 'word'; value: number }
  | { kind: 'half'; value: number }
  | { kind: 'fix'; size: 4 | 8; make: (at: bigint) => number[] }
  | { kind: 'fixHalf'; make: (at: bigint) => number }
  | { kind: 'data'; bytes: Uint8Array };

/**
 * A program at a (virtual) base address: instructions are appended in order; labels may be
 * used before they are defined (resolved by bytes()).
 */
export class Asm {
  private readonly items: Item[] = [];
  private readonly labels = new Map<string, bigint>();
  private size = 0n;

  constructor(readonly base: bigint) {}

  /** Address of the next instruction. */
  get pc(): bigint {
    return this.base + this.size;
  }

  /** Append 32-bit instruction words (or arrays of them, as li64 returns). */
  emit(...words: (number | number[])[]): this {
    for (const w of words.flat()) {
      this.items.push({ kind: 'word', value: w >>> 0 });
      this.size += 4n;
    }
    return this;
  }

  /** Append 16-bit (compressed) instructions. */
  c(...halves: number[]): this {
    for (const h of halves) {
      this.items.push({ kind: 'half', value: h & 0xffff });
      this.size += 2n;
    }
    return this;
  }

  /** Append raw data bytes. */
  data(bytes: Uint8Array): this {
    this.items.push({ kind: 'data', bytes });
    this.size += BigInt(bytes.length);
    return this;
  }

  /** Append 64-bit little-endian data words. */
  dwords(...values: bigint[]): this {
    const b = new Uint8Array(8 * values.length);
    const dv = new DataView(b.buffer);
    values.forEach((v, i) => dv.setBigUint64(8 * i, BigInt.asUintN(64, v), true));
    return this.data(b);
  }

  /** Pad with zero bytes to a multiple of `n`. */
  align(n: number): this {
    const pad = Number((BigInt(n) - (this.pc % BigInt(n))) % BigInt(n));
    return pad === 0 ? this : this.data(new Uint8Array(pad));
  }

  label(name: string): this {
    if (this.labels.has(name)) throw new Error(`label ${name} defined twice`);
    this.labels.set(name, this.pc);
    return this;
  }

  addr(name: string): bigint {
    const a = this.labels.get(name);
    if (a === undefined) throw new Error(`undefined label ${name}`);
    return a;
  }

  private fix(size: 4 | 8, make: (at: bigint) => number[]): this {
    this.items.push({ kind: 'fix', size, make });
    this.size += BigInt(size);
    return this;
  }

  private rel(name: string, at: bigint): number {
    return Number(this.addr(name) - at);
  }

  private fixHalf(make: (at: bigint) => number): this {
    this.items.push({ kind: 'fixHalf', make });
    this.size += 2n;
    return this;
  }

  /** Compressed jumps and branches to labels. */
  cj(l: string): this { return this.fixHalf((at) => c_j(this.rel(l, at))); }
  cbeqz(rs1: number, l: string): this { return this.fixHalf((at) => c_beqz(rs1, this.rel(l, at))); }
  cbnez(rs1: number, l: string): this { return this.fixHalf((at) => c_bnez(rs1, this.rel(l, at))); }

  beq(rs1: number, rs2: number, l: string): this { return this.fix(4, (at) => [beq(rs1, rs2, this.rel(l, at))]); }
  bne(rs1: number, rs2: number, l: string): this { return this.fix(4, (at) => [bne(rs1, rs2, this.rel(l, at))]); }
  blt(rs1: number, rs2: number, l: string): this { return this.fix(4, (at) => [blt(rs1, rs2, this.rel(l, at))]); }
  bge(rs1: number, rs2: number, l: string): this { return this.fix(4, (at) => [bge(rs1, rs2, this.rel(l, at))]); }
  bltu(rs1: number, rs2: number, l: string): this { return this.fix(4, (at) => [bltu(rs1, rs2, this.rel(l, at))]); }
  bgeu(rs1: number, rs2: number, l: string): this { return this.fix(4, (at) => [bgeu(rs1, rs2, this.rel(l, at))]); }
  jal(rd: number, l: string): this { return this.fix(4, (at) => [jal(rd, this.rel(l, at))]); }
  j(l: string): this { return this.jal(zero, l); }

  /** rd = address of label (AUIPC + ADDI, pc-relative). */
  la(rd: number, l: string): this {
    return this.fix(8, (at) => {
      const off = this.rel(l, at);
      const lo12 = Number(BigInt.asIntN(12, BigInt(off)));
      return [auipc(rd, ((off - lo12) >> 12) & 0xfffff), addi(rd, rd, lo12)];
    });
  }

  li(rd: number, value: bigint | number): this {
    return this.emit(li64(rd, value));
  }

  /** The program's bytes, little-endian, with every label resolved. */
  bytes(): Uint8Array {
    const out = new Uint8Array(Number(this.size));
    const dv = new DataView(out.buffer);
    let off = 0;
    for (const it of this.items) {
      switch (it.kind) {
        case 'word':
          dv.setUint32(off, it.value, true);
          off += 4;
          break;
        case 'half':
          dv.setUint16(off, it.value, true);
          off += 2;
          break;
        case 'data':
          out.set(it.bytes, off);
          off += it.bytes.length;
          break;
        case 'fixHalf':
          dv.setUint16(off, it.make(this.base + BigInt(off)) & 0xffff, true);
          off += 2;
          break;
        case 'fix': {
          const words = it.make(this.base + BigInt(off));
          if (words.length * 4 !== it.size) throw new Error('fixup size changed');
          for (const w of words) {
            dv.setUint32(off, w >>> 0, true);
            off += 4;
          }
          break;
        }
      }
    }
    return out;
  }
}
