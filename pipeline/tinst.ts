import { Decoded, Op } from './ops.js';

/**
 * The transformed instruction written to mtinst/htinst when an explicit memory access traps
 * (hypervisor.adoc "Transformed Instruction or Pseudoinstruction for mtinst or htinst"), with
 * the Addr. Offset field (bits 19:15) zero: the trap adds the offset of the faulting portion.
 * Loads keep funct3, rd and opcode; stores keep rs2, funct3 and opcode; atomics and HLV/HSV keep
 * every field but rs1. A compressed instruction is expanded first and then has bit 1 cleared.
 * Zero for anything else (nothing is transformed for it).
 */
export function transformedInstruction(d: Decoded): number {
  const op = d.op;
  let v: number;
  if (op >= Op.LB && op <= Op.LWU) {
    v = (LOAD_FUNCT3[op - Op.LB]! << 12) | (d.rd << 7) | 0x03;
  } else if (op >= Op.SB && op <= Op.SD) {
    v = (d.rs2 << 20) | ((op - Op.SB) << 12) | 0x23;
  } else if ((op >= Op.LR_W && op <= Op.AMOMAXU_D) || (op >= Op.HLV_B && op <= Op.HSV_D)) {
    v = d.raw & ~(0x1f << 15);
  } else {
    return 0;
  }
  return d.len === 2 ? v & ~2 : v;
}

/** funct3 of LB, LH, LW, LD, LBU, LHU, LWU in Op order. */
const LOAD_FUNCT3 = [0, 1, 2, 3, 4, 5, 6];
