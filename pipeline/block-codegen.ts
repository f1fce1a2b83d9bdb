import { loadSigned, loadSize, storeSize } from './access-width.js';
import { Decoded, Op } from './ops.js';

/**
 * Code generation for the basic-block translator: each supported instruction becomes a few
 * lines of JavaScript over local variables that hold the guest registers as int32 halves
 * (`x5l`, `x5h`). The generated code computes exactly what the interpreter computes (execute.ts);
 * the translator test runs both on the same programs and compares every register.
 *
 * Anything with effects beyond registers and plain memory (CSRs, traps, fences of the MMU,
 * AMOs, WFI, xRET) is not translated: the block ends before it and the interpreter executes it.
 */

/** Ops the translator emits inline (everything else ends a block). */
export function translatable(op: Op): boolean {
  return (op >= Op.LUI && op <= Op.SRAW) || op === Op.FENCE || (op >= Op.MUL && op <= Op.REMUW);
}

export function isControlTransfer(op: Op): boolean {
  return op >= Op.JAL && op <= Op.BGEU;
}

export function isMemory(op: Op): boolean {
  return op >= Op.LB && op <= Op.SD;
}

const lo = (r: number): string => (r === 0 ? '0' : `x${r}l`);
const hi = (r: number): string => (r === 0 ? '0' : `x${r}h`);

/** Assign temporaries tl/th to rd (skipped for x0). */
function toRd(rd: number): string {
  return rd === 0 ? '' : ` x${rd}l = tl; x${rd}h = th;`;
}

/** rd = 64-bit sum of (alo, ahi) and (blo, bhi) expressions; tl/th hold the result. */
function add(aL: string, aH: string, bL: string, bH: string): string {
  return `t = (${aL} >>> 0) + (${bL} >>> 0); tl = t | 0; th = (${aH} + ${bH} + (t > 4294967295 ? 1 : 0)) | 0;`;
}

/** Effective address rs1 + imm into al/ah. */
export function effectiveAddress(d: Decoded): string {
  return `t = (${lo(d.rs1)} >>> 0) + ${d.imm >>> 0}; al = t | 0; ah = (${hi(d.rs1)} + ${d.imm >> 31} + (t > 4294967295 ? 1 : 0)) | 0;`;
}

/** Shift of a 64-bit register pair by a constant amount s (0..63). */
function shiftConst(kind: 'sll' | 'srl' | 'sra', r: number, s: number): string {
  const L = lo(r);
  const H = hi(r);
  if (s === 0) return `tl = ${L}; th = ${H};`;
  if (kind === 'sll') return s < 32 ? `th = (${H} << ${s}) | (${L} >>> ${32 - s}); tl = ${L} << ${s};` : `th = ${L} << ${s - 32}; tl = 0;`;
  if (kind === 'srl') return s < 32 ? `tl = (${L} >>> ${s}) | (${H} << ${32 - s}); th = (${H} >>> ${s}) | 0;` : `tl = (${H} >>> ${s - 32}) | 0; th = 0;`;
  return s < 32 ? `tl = (${L} >>> ${s}) | (${H} << ${32 - s}); th = ${H} >> ${s};` : `tl = ${H} >> ${s - 32}; th = ${H} >> 31;`;
}

/** Call a helper of int64.ts that leaves its result in K.R. */
function helper(name: string, d: Decoded, extra = ''): string {
  return `K.${name}(${lo(d.rs1)}, ${hi(d.rs1)}, ${lo(d.rs2)}, ${hi(d.rs2)}${extra}); tl = K.R.lo; th = K.R.hi;`;
}

/** A 32-bit result v, sign-extended (the *W ops). */
function w32(expr: string): string {
  return `tl = (${expr}) | 0; th = tl >> 31;`;
}

/** Signed-less-than of (aL,aH) and (bL,bH) as a JS boolean expression. */
function ltExpr(aL: string, aH: string, bL: string, bH: string): string {
  return `(${aH} < ${bH} || (${aH} === ${bH} && (${aL} >>> 0) < (${bL} >>> 0)))`;
}
function ltuExpr(aL: string, aH: string, bL: string, bH: string): string {
  return `((${aH} >>> 0) < (${bH} >>> 0) || (${aH} === ${bH} && (${aL} >>> 0) < (${bL} >>> 0)))`;
}

/** The condition under which a branch is taken. */
export function branchCondition(d: Decoded): string {
  const aL = lo(d.rs1);
  const aH = hi(d.rs1);
  const bL = lo(d.rs2);
  const bH = hi(d.rs2);
  switch (d.op) {
    case Op.BEQ: return `(${aL} === ${bL} && ${aH} === ${bH})`;
    case Op.BNE: return `(${aL} !== ${bL} || ${aH} !== ${bH})`;
    case Op.BLT: return ltExpr(aL, aH, bL, bH);
    case Op.BGE: return `!${ltExpr(aL, aH, bL, bH)}`;
    case Op.BLTU: return ltuExpr(aL, aH, bL, bH);
    case Op.BGEU: return `!${ltuExpr(aL, aH, bL, bH)}`;
  }
  throw new Error(`not a branch: ${d.op}`);
}

/**
 * JavaScript for one register-to-register instruction (no memory, no control transfer).
 * pcLo/pcHi: this instruction's pc, as constants (for AUIPC).
 */
export function aluCode(d: Decoded, pcLo: number, pcHi: number): string {
  const imm = d.imm;
  const immL = String(imm);
  const immH = String(imm >> 31);
  const aL = lo(d.rs1);
  const aH = hi(d.rs1);
  const bL = lo(d.rs2);
  const bH = hi(d.rs2);
  let body: string;
  switch (d.op) {
    case Op.LUI: body = `tl = ${immL}; th = ${immH};`; break;
    case Op.AUIPC: {
      const s = BigInt.asIntN(64, ((BigInt(pcHi) << 32n) | BigInt(pcLo >>> 0)) + BigInt(imm));
      body = `tl = ${Number(BigInt.asIntN(32, s))}; th = ${Number(BigInt.asIntN(32, s >> 32n))};`;
      break;
    }
    case Op.ADDI: body = add(aL, aH, immL, immH); break;
    case Op.SLTI: body = `tl = ${ltExpr(aL, aH, immL, immH)} ? 1 : 0; th = 0;`; break;
    case Op.SLTIU: body = `tl = ${ltuExpr(aL, aH, immL, immH)} ? 1 : 0; th = 0;`; break;
    case Op.XORI: body = `tl = ${aL} ^ ${immL}; th = ${aH} ^ ${immH};`; break;
    case Op.ORI: body = `tl = ${aL} | ${immL}; th = ${aH} | ${immH};`; break;
    case Op.ANDI: body = `tl = ${aL} & ${immL}; th = ${aH} & ${immH};`; break;
    case Op.SLLI: body = shiftConst('sll', d.rs1, imm); break;
    case Op.SRLI: body = shiftConst('srl', d.rs1, imm); break;
    case Op.SRAI: body = shiftConst('sra', d.rs1, imm); break;
    case Op.ADD: body = add(aL, aH, bL, bH); break;
    case Op.SUB: body = `tl = (${aL} - ${bL}) | 0; th = (${aH} - ${bH} - ((${aL} >>> 0) < (${bL} >>> 0) ? 1 : 0)) | 0;`; break;
    case Op.SLL: body = `K.sll64(${aL}, ${aH}, ${bL} & 63); tl = K.R.lo; th = K.R.hi;`; break;
    case Op.SRL: body = `K.srl64(${aL}, ${aH}, ${bL} & 63); tl = K.R.lo; th = K.R.hi;`; break;
    case Op.SRA: body = `K.sra64(${aL}, ${aH}, ${bL} & 63); tl = K.R.lo; th = K.R.hi;`; break;
    case Op.SLT: body = `tl = ${ltExpr(aL, aH, bL, bH)} ? 1 : 0; th = 0;`; break;
    case Op.SLTU: body = `tl = ${ltuExpr(aL, aH, bL, bH)} ? 1 : 0; th = 0;`; break;
    case Op.XOR: body = `tl = ${aL} ^ ${bL}; th = ${aH} ^ ${bH};`; break;
    case Op.OR: body = `tl = ${aL} | ${bL}; th = ${aH} | ${bH};`; break;
    case Op.AND: body = `tl = ${aL} & ${bL}; th = ${aH} & ${bH};`; break;
    case Op.ADDIW: body = w32(`${aL} + ${immL}`); break;
    case Op.SLLIW: body = w32(`${aL} << ${imm}`); break;
    case Op.SRLIW: body = w32(`${aL} >>> ${imm}`); break;
    case Op.SRAIW: body = w32(`${aL} >> ${imm}`); break;
    case Op.ADDW: body = w32(`${aL} + ${bL}`); break;
    case Op.SUBW: body = w32(`${aL} - ${bL}`); break;
    case Op.SLLW: body = w32(`${aL} << (${bL} & 31)`); break;
    case Op.SRLW: body = w32(`${aL} >>> (${bL} & 31)`); break;
    case Op.SRAW: body = w32(`${aL} >> (${bL} & 31)`); break;
    case Op.FENCE: return '';
    case Op.MUL: body = helper('mul64', d); break;
    case Op.MULH: body = helper('mulh64', d); break;
    case Op.MULHSU: body = helper('mulhsu64', d); break;
    case Op.MULHU: body = helper('mulhu64', d); break;
    case Op.DIV: body = helper('div64', d, ', false'); break;
    case Op.DIVU: body = helper('divu64', d, ', false'); break;
    case Op.REM: body = helper('div64', d, ', true'); break;
    case Op.REMU: body = helper('divu64', d, ', true'); break;
    case Op.MULW: body = w32(`Math.imul(${aL}, ${bL})`); break;
    case Op.DIVW: body = w32(`K.divw(${aL}, ${bL}, false)`); break;
    case Op.DIVUW: body = w32(`K.divuw(${aL}, ${bL}, false)`); break;
    case Op.REMW: body = w32(`K.divw(${aL}, ${bL}, true)`); break;
    case Op.REMUW: body = w32(`K.divuw(${aL}, ${bL}, true)`); break;
    default:
      throw new Error(`aluCode: op ${d.op} is not a register-to-register op`);
  }
  return body + toRd(d.rd);
}

/** Load: address into al/ah, the access, then sign/zero extension into rd. `onFault` exits the block. */
export function loadCode(d: Decoded, onFault: string): string {
  const size = loadSize(d.op);
  const signed = loadSigned(d.op);
  const shift = 32 - 8 * size;
  const ext =
    size === 8 ? 'tl = lsu.vlo; th = lsu.vhi;'
    : signed ? (size === 4 ? 'tl = lsu.vlo; th = tl >> 31;' : `tl = (lsu.vlo << ${shift}) >> ${shift}; th = tl >> 31;`)
    : 'tl = lsu.vlo; th = 0;'; // the LSU zero-extends sub-word values
  return `${effectiveAddress(d)} if (!lsu.load(al, ah, ${size}, dp)) { ${onFault} } ${ext}${toRd(d.rd)}`;
}

export function storeCode(d: Decoded, onFault: string): string {
  return `${effectiveAddress(d)} if (!lsu.store(al, ah, ${storeSize(d.op)}, ${lo(d.rs2)}, ${hi(d.rs2)}, dp)) { ${onFault} }`;
}

/** Registers an instruction reads and writes (x0 excluded), for the block's locals. */
export function registersOf(d: Decoded, reads: Set<number>, writes: Set<number>): void {
  const op = d.op;
  const usesRs1 = op !== Op.LUI && op !== Op.AUIPC && op !== Op.JAL && op !== Op.FENCE;
  const usesRs2 = (op >= Op.BEQ && op <= Op.BGEU) || (op >= Op.SB && op <= Op.SD) || (op >= Op.ADD && op <= Op.AND) ||
    (op >= Op.ADDW && op <= Op.SRAW) || (op >= Op.MUL && op <= Op.REMUW);
  const writesRd = !(op >= Op.BEQ && op <= Op.BGEU) && !(op >= Op.SB && op <= Op.SD) && op !== Op.FENCE;
  if (usesRs1 && d.rs1 !== 0) reads.add(d.rs1);
  if (usesRs2 && d.rs2 !== 0) reads.add(d.rs2);
  if (writesRd && d.rd !== 0) writes.add(d.rd);
}
