import { Word } from '../caches/word.js';
import { Cause } from '../common/causes.js';
import { Access, Priv } from '../mmu/access.js';
import { Csr } from './csr-addr.js';
import { CsrCheck, csrCheck, resolveCsr } from './csr-access.js';
import { csrRead, csrWrite } from './csr.js';
import { decode } from './decode.js';
import { CTX_V, HS, IP, MS, type Hart } from './hart.js';
import { R, add64, div64, divu64, divuw, divw, lt64, ltu64, mul64, mulh64, mulhsu64, mulhu64, sll64, sra64, srl64, sub64 } from './int64.js';
import { Decoded, Op } from './ops.js';
import { transformedInstruction } from './tinst.js';
import { extendLoad, loadSigned, loadSize, storeSize } from './access-width.js';

/** Why an instruction did not retire normally; the interpreter loop acts on it. */
export const enum StepResult {
  Retired = 0,
  Trapped = 1,
  /** WFI found nothing that can ever wake the hart. */
  Deadlock = 2,
}

/**
 * The interpreter: executes one instruction at a time with exact architectural semantics.
 * It is the reference and slow path (single-stepping, commit log, lockstep); the block
 * translator reuses its semantics for system instructions.
 */
export class Interpreter {
  readonly d = new Decoded();
  private readonly w = new Word();
  /** Commit-log sink; null when off. */
  commit: ((line: string) => void) | null = null;
  /** Called on FENCE.I so that the block translator can drop what it built. */
  onFenceI: (() => void) | null = null;
  /** Register written by the last retired instruction (commit log), -1 if none. */
  private lastRd = -1;
  private storeLog = '';

  constructor(private readonly h: Hart) {}

  /** Execute one instruction or take one trap (an interrupt, or the instruction's exception). */
  step(): StepResult {
    const h = this.h;
    if (h.clock.cycles >= h.nextInterruptCheck && h.checkInterrupts()) {
      h.clock.cycles++;
      return StepResult.Trapped;
    }
    const lsu = h.lsu;
    const pcLo = h.pcLo;
    const pcHi = h.pcHi;
    h.clock.cycles++;
    if (!lsu.fetch(pcLo, pcHi, h.fetchCtx())) {
      h.fetchTrap();
      return StepResult.Trapped;
    }
    decode(lsu.vlo, this.d);
    const r = this.execute(this.d);
    if (r === StepResult.Retired) {
      h.instret++;
      if (this.commit !== null) this.logCommit(pcLo, pcHi);
    }
    return r;
  }

  private trap(cause: number, tvalLo: number, tvalHi: number): StepResult {
    this.h.takeTrap(cause, false, tvalLo, tvalHi);
    return StepResult.Trapped;
  }

  private illegal(d: Decoded): StepResult {
    return this.trap(Cause.IllegalInstruction, d.raw, 0);
  }

  /** hypervisor.adoc "Virtual Instruction Exception": xtval is written as for an illegal instruction. */
  private virtualInsn(d: Decoded): StepResult {
    return this.trap(Cause.VirtualInstruction, d.raw, 0);
  }

  /** The fault the LSU recorded for this instruction's explicit access at (eaLo, ...). */
  private memFault(d: Decoded, eaLo: number): StepResult {
    this.h.memoryTrap(transformedInstruction(d), eaLo);
    return StepResult.Trapped;
  }

  private setRd(rd: number, lo: number, hi: number): void {
    if (rd !== 0) {
      this.h.x[2 * rd] = lo;
      this.h.x[2 * rd + 1] = hi;
      this.lastRd = rd;
    }
  }

  /** pc += len (or a jump target): writes pc from the (lo, hi) pair. */
  private advance(len: number): void {
    const h = this.h;
    const t = (h.pcLo >>> 0) + len;
    h.pcLo = t | 0;
    h.pcHi = (h.pcHi + (t > 0xffffffff ? 1 : 0)) | 0;
  }

  private jumpRel(imm: number): void {
    add64(this.h.pcLo, this.h.pcHi, imm, imm >> 31);
    this.h.pcLo = R.lo;
    this.h.pcHi = R.hi;
  }

  execute(d: Decoded): StepResult {
    const h = this.h;
    const x = h.x;
    const a = x[2 * d.rs1]!;
    const ah = x[2 * d.rs1 + 1]!;
    const b = x[2 * d.rs2]!;
    const bh = x[2 * d.rs2 + 1]!;
    const imm = d.imm;
    const immh = imm >> 31;
    this.lastRd = -1;
    switch (d.op) {
      // ------------------------------------------------------------ RV64I
      case Op.LUI:
        this.setRd(d.rd, imm, immh);
        break;
      case Op.AUIPC:
        add64(h.pcLo, h.pcHi, imm, immh);
        this.setRd(d.rd, R.lo, R.hi);
        break;
      case Op.JAL: {
        add64(h.pcLo, h.pcHi, d.len, 0);
        const rlo = R.lo;
        const rhi = R.hi;
        this.jumpRel(imm);
        this.setRd(d.rd, rlo, rhi);
        return StepResult.Retired;
      }
      case Op.JALR: {
        add64(a, ah, imm, immh);
        const tlo = R.lo & ~1;
        const thi = R.hi;
        add64(h.pcLo, h.pcHi, d.len, 0);
        this.setRd(d.rd, R.lo, R.hi);
        h.pcLo = tlo;
        h.pcHi = thi;
        return StepResult.Retired;
      }
      case Op.BEQ: return this.branch(d, a === b && ah === bh);
      case Op.BNE: return this.branch(d, a !== b || ah !== bh);
      case Op.BLT: return this.branch(d, lt64(a, ah, b, bh));
      case Op.BGE: return this.branch(d, !lt64(a, ah, b, bh));
      case Op.BLTU: return this.branch(d, ltu64(a, ah, b, bh));
      case Op.BGEU: return this.branch(d, !ltu64(a, ah, b, bh));
      case Op.LB: case Op.LH: case Op.LW: case Op.LD: case Op.LBU: case Op.LHU: case Op.LWU:
        return this.loadOp(d, a, ah);
      case Op.SB: case Op.SH: case Op.SW: case Op.SD: {
        add64(a, ah, imm, immh);
        const size = storeSize(d.op);
        if (!h.lsu.store(R.lo, R.hi, size, b, bh, h.dataPriv())) return this.memFault(d, R.lo);
        if (this.commit !== null) this.logStore(R.lo, R.hi, size, b, bh);
        break;
      }
      case Op.ADDI:
        add64(a, ah, imm, immh);
        this.setRd(d.rd, R.lo, R.hi);
        break;
      case Op.SLTI:
        this.setRd(d.rd, lt64(a, ah, imm, immh) ? 1 : 0, 0);
        break;
      case Op.SLTIU:
        this.setRd(d.rd, ltu64(a, ah, imm, immh) ? 1 : 0, 0);
        break;
      case Op.XORI:
        this.setRd(d.rd, a ^ imm, ah ^ immh);
        break;
      case Op.ORI:
        this.setRd(d.rd, a | imm, ah | immh);
        break;
      case Op.ANDI:
        this.setRd(d.rd, a & imm, ah & immh);
        break;
      case Op.SLLI:
        sll64(a, ah, imm);
        this.setRd(d.rd, R.lo, R.hi);
        break;
      case Op.SRLI:
        srl64(a, ah, imm);
        this.setRd(d.rd, R.lo, R.hi);
        break;
      case Op.SRAI:
        sra64(a, ah, imm);
        this.setRd(d.rd, R.lo, R.hi);
        break;
      case Op.ADD:
        add64(a, ah, b, bh);
        this.setRd(d.rd, R.lo, R.hi);
        break;
      case Op.SUB:
        sub64(a, ah, b, bh);
        this.setRd(d.rd, R.lo, R.hi);
        break;
      case Op.SLL:
        sll64(a, ah, b & 63);
        this.setRd(d.rd, R.lo, R.hi);
        break;
      case Op.SLT:
        this.setRd(d.rd, lt64(a, ah, b, bh) ? 1 : 0, 0);
        break;
      case Op.SLTU:
        this.setRd(d.rd, ltu64(a, ah, b, bh) ? 1 : 0, 0);
        break;
      case Op.XOR:
        this.setRd(d.rd, a ^ b, ah ^ bh);
        break;
      case Op.SRL:
        srl64(a, ah, b & 63);
        this.setRd(d.rd, R.lo, R.hi);
        break;
      case Op.SRA:
        sra64(a, ah, b & 63);
        this.setRd(d.rd, R.lo, R.hi);
        break;
      case Op.OR:
        this.setRd(d.rd, a | b, ah | bh);
        break;
      case Op.AND:
        this.setRd(d.rd, a & b, ah & bh);
        break;
      case Op.ADDIW: return this.w32(d, (a + imm) | 0);
      case Op.SLLIW: return this.w32(d, a << imm);
      case Op.SRLIW: return this.w32(d, a >>> imm);
      case Op.SRAIW: return this.w32(d, a >> imm);
      case Op.ADDW: return this.w32(d, (a + b) | 0);
      case Op.SUBW: return this.w32(d, (a - b) | 0);
      case Op.SLLW: return this.w32(d, a << (b & 31));
      case Op.SRLW: return this.w32(d, a >>> (b & 31));
      case Op.SRAW: return this.w32(d, a >> (b & 31));
      case Op.FENCE:
        break; // one hart, in-order, no caches with state: FENCE orders nothing further
      case Op.FENCE_I:
        if (this.onFenceI !== null) this.onFenceI();
        break;
      case Op.ECALL:
        // machine.adoc "Environment Call and Breakpoint"; hypervisor.adoc "Trap Cause Codes":
        // 8 from U or VU, 9 from HS, 10 from VS, 11 from M; tval 0.
        return this.trap(
          h.priv === Priv.U ? Cause.EcallFromU : h.priv === Priv.M ? Cause.EcallFromM : h.virt ? Cause.EcallFromVS : Cause.EcallFromS,
          0,
          0,
        );
      case Op.EBREAK:
        // tval = pc; with V=1 that is a guest virtual address (hstatus/mstatus.GVA).
        h.trapGva = h.virt;
        return this.trap(Cause.Breakpoint, h.pcLo, h.pcHi);
      // ------------------------------------------------------------ M
      case Op.MUL: mul64(a, ah, b, bh); this.setRd(d.rd, R.lo, R.hi); break;
      case Op.MULH: mulh64(a, ah, b, bh); this.setRd(d.rd, R.lo, R.hi); break;
      case Op.MULHSU: mulhsu64(a, ah, b, bh); this.setRd(d.rd, R.lo, R.hi); break;
      case Op.MULHU: mulhu64(a, ah, b, bh); this.setRd(d.rd, R.lo, R.hi); break;
      case Op.DIV: div64(a, ah, b, bh, false); this.setRd(d.rd, R.lo, R.hi); break;
      case Op.DIVU: divu64(a, ah, b, bh, false); this.setRd(d.rd, R.lo, R.hi); break;
      case Op.REM: div64(a, ah, b, bh, true); this.setRd(d.rd, R.lo, R.hi); break;
      case Op.REMU: divu64(a, ah, b, bh, true); this.setRd(d.rd, R.lo, R.hi); break;
      case Op.MULW: return this.w32(d, Math.imul(a, b));
      case Op.DIVW: return this.w32(d, divw(a, b, false));
      case Op.DIVUW: return this.w32(d, divuw(a, b, false));
      case Op.REMW: return this.w32(d, divw(a, b, true));
      case Op.REMUW: return this.w32(d, divuw(a, b, true));
      // ------------------------------------------------------------ A
      case Op.LR_W: case Op.LR_D: return this.lr(d, a, ah);
      case Op.SC_W: case Op.SC_D: return this.sc(d, a, ah, b, bh);
      case Op.AMOSWAP_W: case Op.AMOADD_W: case Op.AMOXOR_W: case Op.AMOAND_W: case Op.AMOOR_W:
      case Op.AMOMIN_W: case Op.AMOMAX_W: case Op.AMOMINU_W: case Op.AMOMAXU_W:
      case Op.AMOSWAP_D: case Op.AMOADD_D: case Op.AMOXOR_D: case Op.AMOAND_D: case Op.AMOOR_D:
      case Op.AMOMIN_D: case Op.AMOMAX_D: case Op.AMOMINU_D: case Op.AMOMAXU_D:
        return this.amo(d, a, ah, b, bh);
      // ------------------------------------------------------------ Zicsr
      case Op.CSRRW: case Op.CSRRS: case Op.CSRRC: case Op.CSRRWI: case Op.CSRRSI: case Op.CSRRCI:
        return this.csrOp(d, a, ah);
      // ------------------------------------------------------------ privileged
      case Op.MRET:
        if (h.priv !== Priv.M) return this.illegal(d);
        h.mret();
        return StepResult.Retired;
      case Op.SRET:
        // machine.adoc TSR; hypervisor.adoc norm:H_virtinst_vu_sret_sfence, norm:H_virtinst_vs_sret_vtsr1.
        if (h.virt) {
          if (h.priv === Priv.U || (h.hstatus & HS.VTSR) !== 0) return this.virtualInsn(d);
        } else if (h.priv === Priv.U || (h.priv === Priv.S && (h.mstatus & MS.TSR) !== 0)) {
          return this.illegal(d);
        }
        h.sret();
        return StepResult.Retired;
      case Op.WFI:
        // machine.adoc "Timeout Wait": TW=1 traps WFI below M (at once here, as QEMU), in every
        // mode with V=0 or 1. U-mode: illegal (QEMU and Spike). hypervisor.adoc: VU-mode, and
        // VS-mode with VTW=1, raise a virtual-instruction exception.
        if (h.priv !== Priv.M && (h.mstatus & MS.TW) !== 0) return this.illegal(d);
        if (h.virt && (h.priv === Priv.U || (h.hstatus & HS.VTW) !== 0)) return this.virtualInsn(d);
        if (!h.virt && h.priv === Priv.U) return this.illegal(d);
        // Nothing can wake the hart: stop with pc still at the WFI, which has not completed.
        if (!h.waitForInterrupt()) return StepResult.Deadlock;
        this.advance(d.len);
        return StepResult.Retired;
      case Op.SFENCE_VMA:
      case Op.SINVAL_VMA:
        if (d.op === Op.SINVAL_VMA && !h.config.hart.svinval) return this.illegal(d);
        // supervisor.adoc "SFENCE.VMA": TVM=1 traps in HS-mode; hypervisor.adoc: in VU-mode, and
        // in VS-mode with VTVM=1, a virtual-instruction exception. With V=1 it acts on the
        // VS-stage of the current VMID (the functional cache drops everything, which is a superset).
        if (h.virt) {
          if (h.priv === Priv.U || (h.hstatus & HS.VTVM) !== 0) return this.virtualInsn(d);
        } else if (h.priv === Priv.U || (h.priv === Priv.S && (h.mstatus & MS.TVM) !== 0)) {
          return this.illegal(d);
        }
        h.lsu.flush(); // also drops the block engine's pc -> block cache
        break;
      case Op.SFENCE_W_INVAL:
      case Op.SFENCE_INVAL_IR:
        // svinval.adoc: illegal in U-mode, virtual instruction in VU-mode, unaffected by TVM/VTVM.
        if (!h.config.hart.svinval) return this.illegal(d);
        if (h.priv === Priv.U) return h.virt ? this.virtualInsn(d) : this.illegal(d);
        break;
      case Op.HFENCE_VVMA:
      case Op.HFENCE_GVMA:
      case Op.HINVAL_VVMA:
      case Op.HINVAL_GVMA: {
        // hypervisor.adoc "Hypervisor Memory-Management Fence Instructions"; svinval.adoc.
        const inval = d.op === Op.HINVAL_VVMA || d.op === Op.HINVAL_GVMA;
        if (!h.hasH || (inval && !h.config.hart.svinval)) return this.illegal(d);
        if (h.virt) return this.virtualInsn(d);
        if (h.priv === Priv.U) return this.illegal(d);
        const gvma = d.op === Op.HFENCE_GVMA || d.op === Op.HINVAL_GVMA;
        if (gvma && h.priv === Priv.S && (h.mstatus & MS.TVM) !== 0) return this.illegal(d);
        h.lsu.flush();
        break;
      }
      case Op.HLV_B: case Op.HLV_BU: case Op.HLV_H: case Op.HLV_HU: case Op.HLV_W: case Op.HLV_WU: case Op.HLV_D:
      case Op.HLVX_HU: case Op.HLVX_WU: case Op.HSV_B: case Op.HSV_H: case Op.HSV_W: case Op.HSV_D:
        return this.hypervisorAccess(d, a, ah, b, bh);
      default:
        // ILLEGAL, and the H-extension instructions while misa.H = 0.
        return this.illegal(d);
    }
    this.advance(d.len);
    return StepResult.Retired;
  }

  private branch(d: Decoded, taken: boolean): StepResult {
    if (taken) this.jumpRel(d.imm);
    else this.advance(d.len);
    return StepResult.Retired;
  }

  private w32(d: Decoded, v: number): StepResult {
    this.setRd(d.rd, v | 0, v >> 31);
    this.advance(d.len);
    return StepResult.Retired;
  }

  private loadOp(d: Decoded, a: number, ah: number): StepResult {
    const h = this.h;
    add64(a, ah, d.imm, d.imm >> 31);
    const op = d.op;
    const size = loadSize(op);
    const eaLo = R.lo;
    if (!h.lsu.load(R.lo, R.hi, size, h.dataPriv())) return this.memFault(d, eaLo);
    extendLoad(h.lsu.vlo, h.lsu.vhi, size, loadSigned(op));
    this.setRd(d.rd, R.lo, R.hi);
    this.advance(d.len);
    return StepResult.Retired;
  }

  /** LR (a-st-ext "Load-Reserved/Store-Conditional"): misaligned raises load address-misaligned. */
  private lr(d: Decoded, a: number, ah: number): StepResult {
    const h = this.h;
    const size = d.op === Op.LR_W ? 4 : 8;
    const lsu = h.lsu;
    const ctx = h.dataPriv();
    if (!lsu.translateAtomic(a, ah, size, Access.Load, ctx)) return this.memFault(d, a);
    if (!lsu.loadPhys(lsu.lastPa, size, Access.Load, a, ah, ctx)) return this.memFault(d, a);
    const lo = lsu.vlo;
    const hi = size === 4 ? lo >> 31 : lsu.vhi;
    h.resValid = true;
    h.resLo = a;
    h.resHi = ah;
    h.resValLo = lo;
    h.resValHi = hi;
    this.setRd(d.rd, lo, hi);
    this.advance(d.len);
    return StepResult.Retired;
  }

  /**
   * SC: succeeds only if the reservation of the most recent LR covers this address and memory
   * still holds the value that LR read (one hart: no other store can intervene except this
   * hart's own, which is then seen as a change; QEMU behaves the same). A failing SC makes no
   * memory access and raises nothing but the misaligned-address exception. Every SC clears the
   * reservation.
   */
  private sc(d: Decoded, a: number, ah: number, b: number, bh: number): StepResult {
    const h = this.h;
    const size = d.op === Op.SC_W ? 4 : 8;
    const lsu = h.lsu;
    // Zalrsc: "If the address is not naturally aligned, an address-misaligned exception or an
    // access-fault exception will be generated", reservation or not (Spike checks this first too).
    if ((a & (size - 1)) !== 0) {
      // hypervisor.adoc norm:hstatus_gva_op / norm:mstatus_gva_op: an address-misaligned trap
      // whose tval is a guest virtual address (a V=1 access, or MPRV with MPV=1) sets GVA.
      h.trapGva = (h.dataPriv() & CTX_V) !== 0;
      return this.trap(Cause.StoreAddressMisaligned, a, ah);
    }
    const reserved = h.resValid && h.resLo === a && h.resHi === ah;
    h.resValid = false;
    if (!reserved) {
      this.setRd(d.rd, 1, 0);
      this.advance(d.len);
      return StepResult.Retired;
    }
    const ctx = h.dataPriv();
    if (!lsu.translateAtomic(a, ah, size, Access.Store, ctx)) return this.memFault(d, a);
    const pa = lsu.lastPa;
    if (!lsu.loadPhys(pa, size, Access.Store, a, ah, ctx)) return this.memFault(d, a);
    const same = size === 4 ? lsu.vlo === h.resValLo : lsu.vlo === h.resValLo && lsu.vhi === h.resValHi;
    if (same) {
      if (!lsu.storePhys(pa, size, b, bh, a, ah, ctx)) return this.memFault(d, a);
      if (this.commit !== null) this.logStore(a, ah, size, b, bh);
    }
    this.setRd(d.rd, same ? 0 : 1, 0);
    this.advance(d.len);
    return StepResult.Retired;
  }

  /** AMOs: misaligned raises store/AMO address-misaligned; translated as a store (R and W needed). */
  private amo(d: Decoded, a: number, ah: number, b: number, bh: number): StepResult {
    const h = this.h;
    const lsu = h.lsu;
    const op = d.op;
    const word = op <= Op.AMOMAXU_W;
    const size = word ? 4 : 8;
    const ctx = h.dataPriv();
    if (!lsu.translateAtomic(a, ah, size, Access.Store, ctx)) return this.memFault(d, a);
    const pa = lsu.lastPa;
    if (!lsu.loadPhys(pa, size, Access.Store, a, ah, ctx)) return this.memFault(d, a);
    const olo = lsu.vlo;
    const ohi = word ? olo >> 31 : lsu.vhi;
    const blo = b;
    const bhi = word ? b >> 31 : bh;
    let nlo = blo; // SWAP, and the "take b" side of MIN/MAX
    let nhi = bhi;
    switch (word ? op - Op.AMOSWAP_W : op - Op.AMOSWAP_D) {
      case 1: add64(olo, ohi, blo, bhi); nlo = R.lo; nhi = R.hi; break; // ADD
      case 2: nlo = olo ^ blo; nhi = ohi ^ bhi; break;
      case 3: nlo = olo & blo; nhi = ohi & bhi; break;
      case 4: nlo = olo | blo; nhi = ohi | bhi; break;
      case 5: if (lt64(olo, ohi, blo, bhi)) { nlo = olo; nhi = ohi; } break; // MIN
      case 6: if (!lt64(olo, ohi, blo, bhi)) { nlo = olo; nhi = ohi; } break; // MAX
      case 7: if (ltu64(olo, ohi, blo, bhi)) { nlo = olo; nhi = ohi; } break; // MINU (W: both sign-extended, same order)
      case 8: if (!ltu64(olo, ohi, blo, bhi)) { nlo = olo; nhi = ohi; } break; // MAXU
    }
    if (!lsu.storePhys(pa, size, nlo, nhi, a, ah, ctx)) return this.memFault(d, a);
    if (this.commit !== null) this.logStore(a, ah, size, nlo, nhi);
    this.setRd(d.rd, olo, ohi);
    this.advance(d.len);
    return StepResult.Retired;
  }

  /**
   * HLV, HLVX, HSV (hypervisor.adoc "Hypervisor Virtual-Machine Load and Store Instructions"):
   * valid in M, HS, and U with hstatus.HU=1 (else illegal); virtual instruction with V=1. The
   * access is made as though V=1 at privilege hstatus.SPVP, whatever MPRV says.
   */
  private hypervisorAccess(d: Decoded, a: number, ah: number, b: number, bh: number): StepResult {
    const h = this.h;
    if (!h.hasH) return this.illegal(d);
    if (h.virt) return this.virtualInsn(d);
    if (h.priv === Priv.U && (h.hstatus & HS.HU) === 0) return this.illegal(d);
    const lsu = h.lsu;
    const ctx = h.hlvCtx();
    const op = d.op;
    if (op >= Op.HSV_B) {
      const size = storeSize(op);
      if (!lsu.store(a, ah, size, b, bh, ctx)) return this.memFault(d, a);
      if (this.commit !== null) this.logStore(a, ah, size, b, bh);
      this.advance(d.len);
      return StepResult.Retired;
    }
    const size = loadSize(op);
    const hlvx = op === Op.HLVX_HU || op === Op.HLVX_WU;
    if (!(hlvx ? lsu.loadHlvx(a, ah, size, ctx) : lsu.load(a, ah, size, ctx))) return this.memFault(d, a);
    extendLoad(lsu.vlo, lsu.vhi, size, loadSigned(op));
    this.setRd(d.rd, R.lo, R.hi);
    this.advance(d.len);
    return StepResult.Retired;
  }

  /**
   * Zicsr (zicsr.adoc "CSR Instructions"): CSRRW always writes and reads only when rd != x0;
   * CSRRS/CSRRC (and the immediate forms) always read and write only when rs1/uimm != 0.
   */
  private csrOp(d: Decoded, a: number, ah: number): StepResult {
    const h = this.h;
    const op = d.op;
    const imm = op >= Op.CSRRWI;
    const srcLo = imm ? d.rs1 : a;
    const srcHi = imm ? 0 : ah;
    const kind = imm ? op - Op.CSRRWI : op - Op.CSRRW; // 0 W, 1 S, 2 C
    const writes = kind === 0 || d.rs1 !== 0;
    const check = csrCheck(h, d.csr, writes);
    if (check === CsrCheck.Illegal) return this.illegal(d);
    if (check === CsrCheck.Virtual) return this.virtualInsn(d);
    const csr = resolveCsr(h, d.csr);
    const w = this.w;
    let oldLo = 0;
    let oldHi = 0;
    if (kind !== 0 || d.rd !== 0) {
      csrRead(h, csr, w);
      oldLo = w.lo;
      oldHi = w.hi;
    }
    if (writes) {
      let nlo = srcLo;
      let nhi = srcHi;
      if (kind !== 0) {
        // For mip/sip the read-modify-write uses the software-written SEIP, not the line's OR
        // (machine.adoc "Machine Interrupt Registers").
        let baseLo = oldLo;
        if (csr === Csr.mip) baseLo = (baseLo & ~IP.SEIP) | (h.mipSw & IP.SEIP);
        nlo = kind === 1 ? baseLo | srcLo : baseLo & ~srcLo;
        nhi = kind === 1 ? oldHi | srcHi : oldHi & ~srcHi;
      }
      csrWrite(h, csr, nlo, nhi, w);
    }
    this.setRd(d.rd, oldLo, oldHi);
    this.advance(d.len);
    return StepResult.Retired;
  }

  // ------------------------------------------------------------ commit log

  private logStore(lo: number, hi: number, size: number, vlo: number, vhi: number): void {
    const v = size === 8 ? hex64(vlo, vhi) : (vlo >>> 0).toString(16).padStart(2 * size, '0').slice(-2 * size);
    this.storeLog += ` mem 0x${hex64(lo, hi)} 0x${v}`;
  }

  /** One line per retired instruction, in Spike's --log-commits format. */
  private logCommit(pcLo: number, pcHi: number): void {
    const d = this.d;
    const insn = d.len === 2 ? (d.raw & 0xffff).toString(16).padStart(4, '0') : (d.raw >>> 0).toString(16).padStart(8, '0');
    let line = `core   0: ${this.h.priv} 0x${hex64(pcLo, pcHi)} (0x${insn})`;
    if (this.lastRd > 0) {
      const r = this.lastRd;
      line += ` x${String(r).padEnd(2)} 0x${hex64(this.h.x[2 * r]!, this.h.x[2 * r + 1]!)}`;
    }
    line += this.storeLog;
    this.storeLog = '';
    this.commit!(line);
  }
}

function hex64(lo: number, hi: number): string {
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}
