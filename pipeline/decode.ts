import { type Decoded, Op } from './ops.js';
import { decodeCompressed } from './rvc.js';

/**
 * Instruction decoding for RV64 IMA + Zicsr + Zifencei + C (Zca), the privileged instructions,
 * Svinval and H. Every encoding not defined by those decodes as Op.ILLEGAL; whether an
 * implemented extension (H, Svinval) is enabled, and whether the current privilege may execute
 * an instruction, is the executor's decision.
 *
 * Field conventions are those of Decoded (ops.ts): fields an instruction does not have are 0.
 */
export function decode(inst: number, out: Decoded): void {
  // rv32.adoc / zca.adoc: inst[1:0] != 11 marks a 16-bit instruction.
  if ((inst & 3) !== 3) {
    decodeCompressed(inst & 0xffff, out);
    return;
  }
  out.len = 4;
  out.raw = inst >>> 0;
  const rd = (inst >>> 7) & 31;
  const funct3 = (inst >>> 12) & 7;
  const rs1 = (inst >>> 15) & 31;
  const rs2 = (inst >>> 20) & 31;
  const funct7 = inst >>> 25;

  switch (inst & 0x7f) {
    case Opcode.LUI:
      out.set(Op.LUI, rd, 0, 0, immU(inst));
      return;
    case Opcode.AUIPC:
      out.set(Op.AUIPC, rd, 0, 0, immU(inst));
      return;
    case Opcode.JAL:
      out.set(Op.JAL, rd, 0, 0, immJ(inst));
      return;
    case Opcode.JALR: // rv32.adoc "Unconditional Jumps": funct3=000
      if (funct3 !== 0) break;
      out.set(Op.JALR, rd, rs1, 0, immI(inst));
      return;
    case Opcode.BRANCH: {
      const op = branchOp(funct3);
      if (op === Op.ILLEGAL) break;
      out.set(op, 0, rs1, rs2, immB(inst));
      return;
    }
    case Opcode.LOAD: {
      const op = loadOp(funct3);
      if (op === Op.ILLEGAL) break;
      out.set(op, rd, rs1, 0, immI(inst));
      return;
    }
    case Opcode.STORE: {
      const op = storeOp(funct3);
      if (op === Op.ILLEGAL) break;
      out.set(op, 0, rs1, rs2, immS(inst));
      return;
    }
    case Opcode.OP_IMM:
      if (opImm(inst, rd, funct3, rs1, out)) return;
      break;
    case Opcode.OP_IMM_32:
      if (opImm32(inst, rd, funct3, rs1, funct7, out)) return;
      break;
    case Opcode.OP: {
      const op = opOp(funct7, funct3);
      if (op === Op.ILLEGAL) break;
      out.set(op, rd, rs1, rs2, 0);
      return;
    }
    case Opcode.OP_32: {
      const op = op32Op(funct7, funct3);
      if (op === Op.ILLEGAL) break;
      out.set(op, rd, rs1, rs2, 0);
      return;
    }
    case Opcode.MISC_MEM:
      // rv32.adoc "Memory Ordering Instructions": rd and rs1 are reserved and ignored, and every
      // fm/pred/succ combination executes as a FENCE; the executor sees fm|pred|succ in imm.
      if (funct3 === 0) {
        out.set(Op.FENCE, 0, 0, 0, inst >>> 20);
        return;
      }
      // zifencei.adoc: imm, rs1 and rd of FENCE.I are reserved and ignored.
      if (funct3 === 1) {
        out.set(Op.FENCE_I, 0, 0, 0, 0);
        return;
      }
      break;
    case Opcode.AMO: {
      const op = amoOp(inst >>> 27, funct3, rs2);
      if (op === Op.ILLEGAL) break;
      out.set(op, rd, rs1, op === Op.LR_W || op === Op.LR_D ? 0 : rs2, 0);
      return;
    }
    case Opcode.SYSTEM:
      if (system(inst, rd, funct3, rs1, rs2, funct7, out)) return;
      break;
  }
  out.set(Op.ILLEGAL, 0, 0, 0, 0);
}

/** Major opcodes, inst[6:0] with inst[1:0]=11 (RISC-V base opcode map). */
const enum Opcode {
  LOAD = 0x03,
  MISC_MEM = 0x0f,
  OP_IMM = 0x13,
  AUIPC = 0x17,
  OP_IMM_32 = 0x1b,
  STORE = 0x23,
  AMO = 0x2f,
  OP = 0x33,
  LUI = 0x37,
  OP_32 = 0x3b,
  BRANCH = 0x63,
  JALR = 0x67,
  JAL = 0x6f,
  SYSTEM = 0x73,
}

// Immediates, rv32.adoc "Immediate Encoding Variants". All are sign-extended from inst[31].

/** I-type: inst[31:20]. */
function immI(inst: number): number {
  return inst >> 20;
}

/** S-type: inst[31:25] = imm[11:5], inst[11:7] = imm[4:0]. */
function immS(inst: number): number {
  return ((inst >> 25) << 5) | ((inst >>> 7) & 0x1f);
}

/** B-type: inst[31|30:25] = imm[12|10:5], inst[11:8|7] = imm[4:1|11]. */
function immB(inst: number): number {
  return (
    ((inst >> 31) << 12) | ((inst & 0x80) << 4) | ((inst >>> 20) & 0x7e0) | ((inst >>> 7) & 0x1e)
  );
}

/** U-type: inst[31:12] = imm[31:12], low 12 bits zero. */
function immU(inst: number): number {
  return inst & 0xfffff000;
}

/** J-type: inst[31|30:21|20|19:12] = imm[20|10:1|11|19:12]. */
function immJ(inst: number): number {
  return ((inst >> 31) << 20) | (inst & 0xff000) | ((inst >>> 9) & 0x800) | ((inst >>> 20) & 0x7fe);
}

/** rv32.adoc "Conditional Branches": funct3 010 and 011 are unused. */
function branchOp(funct3: number): Op {
  switch (funct3) {
    case 0: return Op.BEQ;
    case 1: return Op.BNE;
    case 4: return Op.BLT;
    case 5: return Op.BGE;
    case 6: return Op.BLTU;
    case 7: return Op.BGEU;
    default: return Op.ILLEGAL;
  }
}

/** rv32.adoc / rv64.adoc "Load and Store Instructions": funct3 111 (LDU) is RV128 only. */
function loadOp(funct3: number): Op {
  switch (funct3) {
    case 0: return Op.LB;
    case 1: return Op.LH;
    case 2: return Op.LW;
    case 3: return Op.LD;
    case 4: return Op.LBU;
    case 5: return Op.LHU;
    case 6: return Op.LWU;
    default: return Op.ILLEGAL;
  }
}

function storeOp(funct3: number): Op {
  switch (funct3) {
    case 0: return Op.SB;
    case 1: return Op.SH;
    case 2: return Op.SW;
    case 3: return Op.SD;
    default: return Op.ILLEGAL;
  }
}

/** OP-IMM. rv64.adoc "Integer Register-Immediate Instructions": shamt is imm[5:0]; imm[11:6] selects the shift. */
function opImm(inst: number, rd: number, funct3: number, rs1: number, out: Decoded): boolean {
  const shamt = (inst >>> 20) & 0x3f;
  const shiftType = inst >>> 26; // imm[11:6]
  switch (funct3) {
    case 0: out.set(Op.ADDI, rd, rs1, 0, immI(inst)); return true;
    case 2: out.set(Op.SLTI, rd, rs1, 0, immI(inst)); return true;
    case 3: out.set(Op.SLTIU, rd, rs1, 0, immI(inst)); return true;
    case 4: out.set(Op.XORI, rd, rs1, 0, immI(inst)); return true;
    case 6: out.set(Op.ORI, rd, rs1, 0, immI(inst)); return true;
    case 7: out.set(Op.ANDI, rd, rs1, 0, immI(inst)); return true;
    case 1:
      if (shiftType !== 0) return false;
      out.set(Op.SLLI, rd, rs1, 0, shamt);
      return true;
    default: // 5: SRLI (imm[11:6]=000000) or SRAI (010000)
      if (shiftType === 0) out.set(Op.SRLI, rd, rs1, 0, shamt);
      else if (shiftType === 0b010000) out.set(Op.SRAI, rd, rs1, 0, shamt);
      else return false;
      return true;
  }
}

/**
 * OP-IMM-32. rv64.adoc: the *IW shifts take a 5-bit shamt; encodings with imm[5]≠0 are reserved,
 * so funct7 must be exactly 0000000 (or 0100000 for SRAIW).
 */
function opImm32(inst: number, rd: number, funct3: number, rs1: number, funct7: number, out: Decoded): boolean {
  const shamt = (inst >>> 20) & 0x1f;
  switch (funct3) {
    case 0: out.set(Op.ADDIW, rd, rs1, 0, immI(inst)); return true;
    case 1:
      if (funct7 !== 0) return false;
      out.set(Op.SLLIW, rd, rs1, 0, shamt);
      return true;
    case 5:
      if (funct7 === 0) out.set(Op.SRLIW, rd, rs1, 0, shamt);
      else if (funct7 === 0b0100000) out.set(Op.SRAIW, rd, rs1, 0, shamt);
      else return false;
      return true;
    default:
      return false;
  }
}

/** OP: RV64I register-register (funct7 0000000 / 0100000) and M (funct7 0000001, m-st-ext.adoc). */
function opOp(funct7: number, funct3: number): Op {
  if (funct7 === 0) {
    switch (funct3) {
      case 0: return Op.ADD;
      case 1: return Op.SLL;
      case 2: return Op.SLT;
      case 3: return Op.SLTU;
      case 4: return Op.XOR;
      case 5: return Op.SRL;
      case 6: return Op.OR;
      default: return Op.AND;
    }
  }
  if (funct7 === 0b0100000) {
    if (funct3 === 0) return Op.SUB;
    if (funct3 === 5) return Op.SRA;
    return Op.ILLEGAL;
  }
  if (funct7 === 0b0000001) {
    switch (funct3) {
      case 0: return Op.MUL;
      case 1: return Op.MULH;
      case 2: return Op.MULHSU;
      case 3: return Op.MULHU;
      case 4: return Op.DIV;
      case 5: return Op.DIVU;
      case 6: return Op.REM;
      default: return Op.REMU;
    }
  }
  return Op.ILLEGAL;
}

/** OP-32: rv64.adoc "Integer Register-Register Operations" and the RV64M *W ops. */
function op32Op(funct7: number, funct3: number): Op {
  if (funct7 === 0) {
    if (funct3 === 0) return Op.ADDW;
    if (funct3 === 1) return Op.SLLW;
    if (funct3 === 5) return Op.SRLW;
    return Op.ILLEGAL;
  }
  if (funct7 === 0b0100000) {
    if (funct3 === 0) return Op.SUBW;
    if (funct3 === 5) return Op.SRAW;
    return Op.ILLEGAL;
  }
  if (funct7 === 0b0000001) {
    switch (funct3) {
      case 0: return Op.MULW;
      case 4: return Op.DIVW;
      case 5: return Op.DIVUW;
      case 6: return Op.REMW;
      case 7: return Op.REMUW;
      default: return Op.ILLEGAL;
    }
  }
  return Op.ILLEGAL;
}

/**
 * AMO: a-st-ext.adoc. funct5 = inst[31:27] picks the operation, funct3 the width (010 W, 011 D);
 * aq/rl (inst[26:25]) stay in raw. LR has rs2=00000; any other rs2 is not an LR encoding.
 */
function amoOp(funct5: number, funct3: number, rs2: number): Op {
  let w: boolean;
  if (funct3 === 2) w = true;
  else if (funct3 === 3) w = false;
  else return Op.ILLEGAL;
  switch (funct5) {
    case 0b00010: return rs2 !== 0 ? Op.ILLEGAL : w ? Op.LR_W : Op.LR_D;
    case 0b00011: return w ? Op.SC_W : Op.SC_D;
    case 0b00001: return w ? Op.AMOSWAP_W : Op.AMOSWAP_D;
    case 0b00000: return w ? Op.AMOADD_W : Op.AMOADD_D;
    case 0b00100: return w ? Op.AMOXOR_W : Op.AMOXOR_D;
    case 0b01100: return w ? Op.AMOAND_W : Op.AMOAND_D;
    case 0b01000: return w ? Op.AMOOR_W : Op.AMOOR_D;
    case 0b10000: return w ? Op.AMOMIN_W : Op.AMOMIN_D;
    case 0b10100: return w ? Op.AMOMAX_W : Op.AMOMAX_D;
    case 0b11000: return w ? Op.AMOMINU_W : Op.AMOMINU_D;
    case 0b11100: return w ? Op.AMOMAXU_W : Op.AMOMAXU_D;
    default: return Op.ILLEGAL;
  }
}

/** SYSTEM opcode: Zicsr, the privileged instructions, Svinval and the H loads/stores/fences. */
function system(
  inst: number, rd: number, funct3: number, rs1: number, rs2: number, funct7: number, out: Decoded,
): boolean {
  switch (funct3) {
    case 0:
      return systemPriv(inst, rd, rs1, rs2, funct7, out);
    case 4:
      return hypervisorLoadStore(rd, rs1, rs2, funct7, out);
    default: {
      // zicsr.adoc "CSR Instructions": csr = inst[31:20]; the I forms take a 5-bit zimm in the
      // rs1 field, which Decoded carries in rs1.
      const op =
        funct3 === 1 ? Op.CSRRW : funct3 === 2 ? Op.CSRRS : funct3 === 3 ? Op.CSRRC
          : funct3 === 5 ? Op.CSRRWI : funct3 === 6 ? Op.CSRRSI : Op.CSRRCI;
      out.set(op, rd, rs1, 0, 0);
      out.csr = inst >>> 20;
      return true;
    }
  }
}

/**
 * SYSTEM with funct3=000 (PRIV). The no-operand instructions have every other bit fixed; the
 * fences have rd=00000 and take rs1/rs2.
 */
function systemPriv(inst: number, rd: number, rs1: number, rs2: number, funct7: number, out: Decoded): boolean {
  switch (inst >>> 0) {
    case 0x00000073: out.set(Op.ECALL, 0, 0, 0, 0); return true; // rv32.adoc "Environment Call and Breakpoints"
    case 0x00100073: out.set(Op.EBREAK, 0, 0, 0, 0); return true;
    case 0x30200073: out.set(Op.MRET, 0, 0, 0, 0); return true; // machine.adoc "Trap-Return Instructions"
    case 0x10200073: out.set(Op.SRET, 0, 0, 0, 0); return true;
    case 0x10500073: out.set(Op.WFI, 0, 0, 0, 0); return true; // machine.adoc "Wait for Interrupt"
  }
  if (rd !== 0) return false;
  let op: Op;
  switch (funct7) {
    case 0b0001001: op = Op.SFENCE_VMA; break; // supervisor.adoc "Supervisor Memory-Management Fence Instruction"
    case 0b0001011: op = Op.SINVAL_VMA; break; // svinval.adoc
    case 0b0001100: // svinval.adoc: SFENCE.W.INVAL (rs2=0) and SFENCE.INVAL.IR (rs2=1), rs1=0
      if (rs1 !== 0) return false;
      if (rs2 === 0) op = Op.SFENCE_W_INVAL;
      else if (rs2 === 1) op = Op.SFENCE_INVAL_IR;
      else return false;
      out.set(op, 0, 0, 0, 0);
      return true;
    case 0b0010011: op = Op.HINVAL_VVMA; break; // svinval.adoc
    case 0b0110011: op = Op.HINVAL_GVMA; break;
    case 0b0010001: op = Op.HFENCE_VVMA; break; // hypervisor.adoc "Hypervisor Memory-Management Fence Instructions"
    case 0b0110001: op = Op.HFENCE_GVMA; break;
    default: return false;
  }
  out.set(op, 0, rs1, rs2, 0);
  return true;
}

/**
 * SYSTEM with funct3=100: hypervisor.adoc "Hypervisor Virtual-Machine Load and Store
 * Instructions". funct7 gives the access size and load/store; for loads rs2 selects HLV (00000),
 * HLV unsigned (00001) or HLVX (00011); stores have rd=00000.
 */
function hypervisorLoadStore(rd: number, rs1: number, rs2: number, funct7: number, out: Decoded): boolean {
  let op: Op = Op.ILLEGAL;
  switch (funct7) {
    case 0b0110000: op = rs2 === 0 ? Op.HLV_B : rs2 === 1 ? Op.HLV_BU : Op.ILLEGAL; break;
    case 0b0110010: op = rs2 === 0 ? Op.HLV_H : rs2 === 1 ? Op.HLV_HU : rs2 === 3 ? Op.HLVX_HU : Op.ILLEGAL; break;
    case 0b0110100: op = rs2 === 0 ? Op.HLV_W : rs2 === 1 ? Op.HLV_WU : rs2 === 3 ? Op.HLVX_WU : Op.ILLEGAL; break;
    case 0b0110110: op = rs2 === 0 ? Op.HLV_D : Op.ILLEGAL; break;
    case 0b0110001: op = Op.HSV_B; break;
    case 0b0110011: op = Op.HSV_H; break;
    case 0b0110101: op = Op.HSV_W; break;
    case 0b0110111: op = Op.HSV_D; break;
  }
  if (op === Op.ILLEGAL) return false;
  if (op === Op.HSV_B || op === Op.HSV_H || op === Op.HSV_W || op === Op.HSV_D) {
    if (rd !== 0) return false;
    out.set(op, 0, rs1, rs2, 0);
  } else {
    out.set(op, rd, rs1, 0, 0);
  }
  return true;
}
