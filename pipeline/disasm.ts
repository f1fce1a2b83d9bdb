import { CSR_NAMES } from './csr-addr.js';
import { type Decoded, Op, OP_NAMES } from './ops.js';

/**
 * A one-line disassembly of a decoded instruction, for trace labels (Konata, the pipeline
 * window). Mnemonics are those of riscv-opcodes (OP_NAMES, no aliases); registers use the ABI
 * names of the psABI; branch and jump targets are pc-relative offsets, as encoded. A compressed
 * instruction shows the base instruction it expands to (zca.adoc), since that is what Decoded holds.
 */

const ABI = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
];

const reg = (r: number): string => ABI[r]!;

/** rv32.adoc "Memory Ordering Instructions": pred/succ bits I O R W. */
function fenceSet(bits: number): string {
  const s = (bits & 8 ? 'i' : '') + (bits & 4 ? 'o' : '') + (bits & 2 ? 'r' : '') + (bits & 1 ? 'w' : '');
  return s === '' ? '0' : s;
}

/** a.adoc: aq is bit 26, rl bit 25 of an AMO/LR/SC encoding. */
function ordering(raw: number): string {
  const aq = (raw >>> 26) & 1;
  const rl = (raw >>> 25) & 1;
  return aq && rl ? '.aqrl' : aq ? '.aq' : rl ? '.rl' : '';
}

function csrName(csr: number): string {
  return CSR_NAMES[csr] ?? `0x${csr.toString(16)}`;
}

export function disassemble(d: Decoded): string {
  const op = d.op;
  const name = OP_NAMES[op] ?? 'illegal';
  if (op === Op.ILLEGAL) return d.len === 2 ? `.2byte 0x${(d.raw & 0xffff).toString(16)}` : `.4byte 0x${(d.raw >>> 0).toString(16)}`;
  if (op === Op.LUI || op === Op.AUIPC) return `${name} ${reg(d.rd)}, 0x${(d.imm >>> 12).toString(16)}`;
  if (op === Op.JAL) return `${name} ${reg(d.rd)}, ${d.imm}`;
  if (op === Op.JALR) return `${name} ${reg(d.rd)}, ${d.imm}(${reg(d.rs1)})`;
  if (op >= Op.BEQ && op <= Op.BGEU) return `${name} ${reg(d.rs1)}, ${reg(d.rs2)}, ${d.imm}`;
  if (op >= Op.LB && op <= Op.LWU) return `${name} ${reg(d.rd)}, ${d.imm}(${reg(d.rs1)})`;
  if (op >= Op.SB && op <= Op.SD) return `${name} ${reg(d.rs2)}, ${d.imm}(${reg(d.rs1)})`;
  if ((op >= Op.ADDI && op <= Op.SRAI) || (op >= Op.ADDIW && op <= Op.SRAIW)) return `${name} ${reg(d.rd)}, ${reg(d.rs1)}, ${d.imm}`;
  if ((op >= Op.ADD && op <= Op.AND) || (op >= Op.ADDW && op <= Op.SRAW) || (op >= Op.MUL && op <= Op.REMUW)) {
    return `${name} ${reg(d.rd)}, ${reg(d.rs1)}, ${reg(d.rs2)}`;
  }
  if (op === Op.FENCE) return `${name} ${fenceSet((d.imm >>> 4) & 15)}, ${fenceSet(d.imm & 15)}`;
  if (op === Op.LR_W || op === Op.LR_D) return `${name}${ordering(d.raw)} ${reg(d.rd)}, (${reg(d.rs1)})`;
  if (op >= Op.SC_W && op <= Op.AMOMAXU_D) return `${name}${ordering(d.raw)} ${reg(d.rd)}, ${reg(d.rs2)}, (${reg(d.rs1)})`;
  // zicsr.adoc: the I forms carry a 5-bit zimm in the rs1 field.
  if (op >= Op.CSRRW && op <= Op.CSRRC) return `${name} ${reg(d.rd)}, ${csrName(d.csr)}, ${reg(d.rs1)}`;
  if (op >= Op.CSRRWI && op <= Op.CSRRCI) return `${name} ${reg(d.rd)}, ${csrName(d.csr)}, ${d.rs1}`;
  if (op === Op.SFENCE_VMA || op === Op.SINVAL_VMA || op === Op.HFENCE_VVMA || op === Op.HFENCE_GVMA || op === Op.HINVAL_VVMA || op === Op.HINVAL_GVMA) {
    return `${name} ${reg(d.rs1)}, ${reg(d.rs2)}`;
  }
  if (op >= Op.HLV_B && op <= Op.HLVX_WU) return `${name} ${reg(d.rd)}, (${reg(d.rs1)})`;
  if (op >= Op.HSV_B && op <= Op.HSV_D) return `${name} ${reg(d.rs2)}, (${reg(d.rs1)})`;
  // ECALL, EBREAK, FENCE.I, MRET, SRET, WFI, SFENCE.W.INVAL, SFENCE.INVAL.IR: no operands.
  return name;
}
