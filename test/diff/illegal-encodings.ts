/**
 * Illegal and reserved encodings for the random-program generator, and the classifier that
 * decides whether a random word is one.
 *
 * The ISA both sides implement for the differential test is RV64IMAC + Zicsr + Zifencei + the
 * privileged instructions + Svinval, optionally H (IsaProfile.h), with no F, D, Q, V, Zba/Zbb/Zbc/Zbs or Zicbom (QEMU is started with those
 * disabled, see qemu-run.ts). A word is used as an "illegal" instruction only when the classifier
 * says 'illegal' under that ISA; anything it cannot decide ('unknown', e.g. CSR accesses, whose
 * legality depends on the CSR, and >32-bit encodings) is never emitted from the random families.
 * Encodings cited against ../shared/riscv-opcodes and zca.adoc.
 */
import type { Prng } from './prng.js';
import { csr, OPC } from './rv-encode.js';

export type Legality = 'legal' | 'illegal' | 'unknown';

/** The optional extensions both sides implement for a run. */
export interface IsaProfile {
  /** The hypervisor extension (HLV/HSV, HFENCE, HINVAL). */
  h: boolean;
}

const AMO_FUNCT5 = new Set([0x00, 0x01, 0x03, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c]); // rv_a/rv64_a (0x02 = LR, checked apart)
const S_FENCES = new Set([0x09, 0x0b]); // sfence.vma sinval.vma
const H_FENCES = new Set([0x11, 0x13, 0x31, 0x33]); // hfence.vvma hinval.vvma hfence.gvma hinval.gvma
const SYSTEM_F3_0 = new Set([0x000, 0x001, 0x102, 0x302, 0x105, 0x180, 0x181]); // ecall ebreak sret mret wfi sfence.w.inval sfence.inval.ir
const SYSTEM_UNSURE = new Set([0x002, 0x202, 0x702, 0x7b2]); // uret/hret (withdrawn), mnret (Smrnmi), dret (debug): implementations may disagree

/** Classifies a 32-bit encoding (low two bits 11). */
export function classify32(w: number, isa: IsaProfile): Legality {
  if ((w & 3) !== 3) throw new RangeError('classify32 needs a 32-bit encoding');
  if (((w >>> 2) & 7) === 7) return 'unknown'; // 48-bit and longer encodings (rv64.adoc "Base Instruction-Length Encoding")
  const opcode = w & 0x7f;
  const rd = (w >>> 7) & 31;
  const f3 = (w >>> 12) & 7;
  const rs1 = (w >>> 15) & 31;
  const rs2 = (w >>> 20) & 31;
  const f7 = w >>> 25;
  const legalIf = (cond: boolean): Legality => (cond ? 'legal' : 'illegal');
  switch (opcode) {
    case OPC.LOAD:
      return legalIf(f3 !== 7); // LDU is RV128 only
    case OPC.MISC_MEM:
      return legalIf(f3 === 0 || f3 === 1); // FENCE (fm/rd/rs1 ignored), FENCE.I
    case OPC.OP_IMM:
      if (f3 === 1) return legalIf(f7 >>> 1 === 0); // SLLI: imm[11:6] = 0
      if (f3 === 5) return legalIf(f7 >>> 1 === 0 || f7 >>> 1 === 0x10); // SRLI / SRAI
      return 'legal';
    case OPC.AUIPC:
    case OPC.LUI:
    case OPC.JAL:
      return 'legal';
    case OPC.OP_IMM_32:
      if (f3 === 0) return 'legal';
      if (f3 === 1) return legalIf(f7 === 0);
      if (f3 === 5) return legalIf(f7 === 0 || f7 === 0x20);
      return 'illegal';
    case OPC.STORE:
      return legalIf(f3 <= 3);
    case OPC.AMO: {
      if (f3 !== 2 && f3 !== 3) return 'illegal';
      const f5 = w >>> 27;
      if (f5 === 0x02) return legalIf(rs2 === 0); // LR: rs2 field is 0
      return legalIf(AMO_FUNCT5.has(f5));
    }
    case OPC.OP:
      if (f7 === 0 || f7 === 1) return 'legal';
      return legalIf(f7 === 0x20 && (f3 === 0 || f3 === 5));
    case OPC.OP_32:
      if (f7 === 0) return legalIf(f3 === 0 || f3 === 1 || f3 === 5);
      if (f7 === 0x20) return legalIf(f3 === 0 || f3 === 5);
      if (f7 === 1) return legalIf(f3 === 0 || f3 >= 4);
      return 'illegal';
    case OPC.BRANCH:
      return legalIf(f3 !== 2 && f3 !== 3);
    case OPC.JALR:
      return legalIf(f3 === 0);
    case OPC.SYSTEM:
      return classifySystem(w, isa, rd, f3, rs1, rs2, f7);
    case 0x07: case 0x27: case 0x43: case 0x47: case 0x4b: case 0x4f: case 0x53: // F/D/Q (and V memory ops)
    case 0x57: // OP-V
    case 0x0b: case 0x2b: case 0x5b: case 0x7b: // custom-0..3
    case 0x6b: case 0x77: // reserved
      return 'illegal';
    default:
      return 'unknown';
  }
}

function classifySystem(w: number, isa: IsaProfile, rd: number, f3: number, rs1: number, rs2: number, f7: number): Legality {
  if (f3 === 0) {
    if (rd !== 0) return 'illegal'; // every SYSTEM funct3=0 instruction has rd = 0 (rv_system, rv_s, rv_h, rv_svinval)
    if (S_FENCES.has(f7) || (isa.h && H_FENCES.has(f7))) return 'legal';
    const funct12 = w >>> 20;
    if (rs1 === 0 && SYSTEM_F3_0.has(funct12)) return 'legal';
    if (rs1 === 0 && SYSTEM_UNSURE.has(funct12)) return 'unknown';
    return 'illegal';
  }
  if (f3 === 4) {
    if (!isa.h) return 'illegal';
    // rv_h / rv64_h: HLV/HLVX (rd, rs2 selects the variant) and HSV (rd = 0)
    const loads: Record<number, number[]> = { 0x30: [0, 1], 0x32: [0, 1, 3], 0x34: [0, 1, 3], 0x36: [0] };
    const loadForms = loads[f7];
    if (loadForms) return loadForms.includes(rs2) ? 'legal' : 'illegal';
    if (f7 === 0x31 || f7 === 0x33 || f7 === 0x35 || f7 === 0x37) return rd === 0 ? 'legal' : 'illegal';
    return 'illegal';
  }
  return 'unknown'; // Zicsr: legality depends on the CSR and the privilege
}

/** Classifies a 16-bit encoding (low two bits not 11), zca.adoc "RVC Instruction Set Listings". */
export function classify16(h: number): Legality {
  if ((h & 3) === 3) throw new RangeError('classify16 needs a compressed encoding');
  const op = h & 3;
  const f3 = h >>> 13;
  const rd = (h >>> 7) & 31;
  const rs2 = (h >>> 2) & 31;
  const bit12 = (h >>> 12) & 1;
  const legalIf = (cond: boolean): Legality => (cond ? 'legal' : 'illegal');
  if (op === 0) {
    if (f3 === 0) return legalIf(((h >>> 5) & 0xff) !== 0); // C.ADDI4SPN nzuimm=0 reserved (includes 0x0000)
    if (f3 === 1 || f3 === 5) return 'illegal'; // C.FLD / C.FSD: no D
    if (f3 === 4) return 'illegal'; // reserved
    return 'legal'; // C.LW C.LD C.SW C.SD
  }
  if (op === 1) {
    const imm6 = (bit12 << 5) | rs2;
    switch (f3) {
      case 1: return legalIf(rd !== 0); // C.ADDIW rd=0 reserved
      case 3: return legalIf(imm6 !== 0); // C.ADDI16SP / C.LUI with a zero immediate are reserved
      case 4:
        if (((h >>> 10) & 3) !== 3) return 'legal'; // C.SRLI C.SRAI C.ANDI
        return legalIf(bit12 === 0 || ((h >>> 5) & 3) < 2); // C.SUBW/C.ADDW; the other two are reserved
      default: return 'legal';
    }
  }
  // op === 2
  switch (f3) {
    case 1: case 5: return 'illegal'; // C.FLDSP / C.FSDSP
    case 2: case 3: return legalIf(rd !== 0); // C.LWSP / C.LDSP rd=0 reserved
    case 4: return legalIf(!(bit12 === 0 && rs2 === 0 && rd === 0)); // C.JR x0 reserved
    default: return 'legal';
  }
}

/**
 * CSRs that exist on neither side, so any access is an illegal instruction (zicsr.adoc "CSR
 * Instructions", machine.adoc: accessing a non-existent CSR raises illegal instruction):
 * ustatus (no N), fflags/frm/fcsr (no F), vstart..vcsr and vl/vtype/vlenb (no V),
 * the debug-mode CSRs dcsr/dpc/dscratch0/1 (only accessible in Debug Mode), and custom
 * CSR numbers in each privilege's custom range.
 */
export const NONEXISTENT_CSRS: readonly number[] = [
  0x000, 0x001, 0x002, 0x003, 0x008, 0x009, 0x00a, 0x00f, 0xc20, 0xc21, 0xc22,
  0x7b0, 0x7b1, 0x7b2, 0x7b3, 0x800, 0x8ff, 0xcc0, 0x5c0, 0x9c0, 0x6c0, 0xac0, 0x7c0, 0xbc0, 0xfc0,
];

/** Read-only CSRs (csr[11:10] = 11) that both sides implement: any write raises illegal instruction (zicsr.adoc). */
export const READ_ONLY_CSRS: readonly number[] = [0xf11, 0xf12, 0xf13, 0xf14, 0xc00, 0xc01, 0xc02];

export type IllegalFamily = 'random32' | 'fpSpace' | 'functField' | 'system' | 'compressed' | 'csr';

/** One illegal instruction: its bits and length. */
export interface IllegalInsn {
  bits: number;
  len: 2 | 4;
  family: IllegalFamily;
}

function random32Matching(isa: IsaProfile, make: () => number, tries = 64): number | undefined {
  for (let i = 0; i < tries; i++) {
    const w = make() >>> 0;
    if (classify32(w, isa) === 'illegal') return w;
  }
  return undefined;
}

/**
 * Draws an illegal or reserved encoding from a weighted mix of families. `rdChoices` are the
 * registers it may name as rd; `nonZeroRegs` registers known to hold a nonzero value.
 */
export function randomIllegal(rng: Prng, isa: IsaProfile, rdChoices: readonly number[], nonZeroRegs: readonly number[]): IllegalInsn {
  const family = rng.weighted<IllegalFamily>([
    [3, 'random32'], [2, 'fpSpace'], [3, 'functField'], [1, 'system'], [3, 'compressed'], [2, 'csr'],
  ]);
  switch (family) {
    case 'random32': {
      const w = random32Matching(isa, () => rng.u32() | 3);
      if (w !== undefined) return { bits: w, len: 4, family };
      break;
    }
    case 'fpSpace': {
      const opc = rng.pick([0x07, 0x27, 0x43, 0x47, 0x4b, 0x4f, 0x53, 0x57, 0x0b, 0x2b, 0x5b, 0x7b, 0x6b, 0x77]);
      return { bits: ((rng.u32() & ~0x7f) | opc) >>> 0, len: 4, family };
    }
    case 'functField': {
      const opc = rng.pick([OPC.LOAD, OPC.STORE, OPC.MISC_MEM, OPC.OP_IMM, OPC.OP_IMM_32, OPC.OP, OPC.OP_32, OPC.AMO, OPC.BRANCH, OPC.JALR]);
      const w = random32Matching(isa, () => {
        // Bias funct7 towards the values other extensions use (Zb*, Zicond) and towards few set bits.
        const f7 = rng.chance(0.5) ? rng.pick([0x04, 0x05, 0x07, 0x10, 0x14, 0x20, 0x24, 0x30, 0x34, 0x02, 0x21, 0x40]) : rng.u32() & 0x7f;
        return ((f7 << 25) | (rng.u32() & 0x01fff000) | (rng.u32() & 0xf80) | opc) >>> 0;
      });
      if (w !== undefined) return { bits: w, len: 4, family };
      break;
    }
    case 'system': {
      const w = random32Matching(isa, () => {
        const f3 = rng.pick([0, 4]);
        const f7 = rng.chance(0.5) ? rng.pick([0x08, 0x09, 0x0b, 0x0c, 0x11, 0x18, 0x30, 0x31, 0x32, 0x36, 0x37, 0x38]) : rng.u32() & 0x7f;
        return ((f7 << 25) | (rng.u32() & 0x01ff8f80) | (f3 << 12) | OPC.SYSTEM) >>> 0;
      });
      if (w !== undefined) return { bits: w, len: 4, family };
      break;
    }
    case 'compressed': {
      for (let i = 0; i < 256; i++) {
        const h = rng.u32() & 0xffff;
        if ((h & 3) === 3) continue;
        if (classify16(h) === 'illegal') return { bits: h, len: 2, family };
      }
      break;
    }
    case 'csr': {
      const rd = rng.pick(rdChoices);
      if (rng.chance(0.5)) {
        const f3 = rng.pick([1, 2, 3, 5, 6, 7]);
        return { bits: csr(f3, rd, rng.below(32), rng.pick(NONEXISTENT_CSRS)), len: 4, family };
      }
      // A write to a read-only CSR: CSRRW/CSRRWI always write; CSRRS/C(I) write when rs1/zimm != 0
      // (zicsr.adoc "CSR Instructions": the register index decides, not its value). QEMU 7.2 treats
      // CSRRS/CSRRC with rs1 != x0 holding zero as a read, so rs1 is one of `nonZeroRegs`.
      const f3 = rng.pick([1, 2, 3, 5, 6, 7]);
      const src = f3 === 1 || f3 === 5 ? rng.below(32) : f3 === 2 || f3 === 3 ? rng.pick(nonZeroRegs) : rng.range(1, 31);
      return { bits: csr(f3, rd, src, rng.pick(READ_ONLY_CSRS)), len: 4, family };
    }
  }
  return { bits: 0x0000000b, len: 4, family: 'fpSpace' }; // custom-0 fallback when a filter ran dry
}
