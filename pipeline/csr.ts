import type { Word } from '../caches/word.js';
import { Csr } from './csr-addr.js';
import { csrReadH, csrWriteH, isHCsr } from './csr-h.js';
import { IP, MS, R64, VS_INTERRUPTS, type Hart } from './hart.js';
import { GUEST_TIME, guestTime } from './interrupts.js';

/**
 * The CSR file: existence, access rules, read values and WARL write rules of every CSR the hart
 * implements (machine.adoc, supervisor.adoc, zicntr.adoc, zihpm.adoc, sstc.adoc, svadu.adoc).
 * State lives in the Hart; this module is its rules.
 */

const SSTATUS_READ = MS.SIE | MS.SPIE | MS.SPP | MS.SUM | MS.MXR;
const SSTATUS_WRITE = MS.SIE | MS.SPIE | MS.SPP | MS.SUM | MS.MXR;
const MSTATUS_WRITE =
  MS.SIE | MS.MIE | MS.SPIE | MS.MPIE | MS.SPP | MS.MPP | MS.MPRV | MS.SUM | MS.MXR | MS.TVM | MS.TW | MS.TSR;
/** mstatus bits whose change alters translation of loads/stores. */
const MSTATUS_TRANSLATION = MS.MPRV | MS.MPP | MS.SUM | MS.MXR;
/** UXL = SXL = 2 (64-bit), bits 35:32 (machine.adoc "Base ISA Control in mstatus Register"). */
const MSTATUS_HI = 0b1010;
/** Interrupts that can be delegated (supervisor-level ones). */
const MIDELEG_WRITE = IP.SSIP | IP.STIP | IP.SEIP;
/** Supervisor-level interrupt bits: all that sip/sie show (hip/hie hold the rest, norm:sie_hip_hie_mutex). */
const S_INTERRUPTS = IP.SSIP | IP.STIP | IP.SEIP;
/**
 * medeleg: every exception but ECALL from M (bit 11, read-only zero); with H also ECALL from
 * VS (10), the guest-page faults (20, 21, 23) and virtual instruction (22).
 */
const MEDELEG_WRITE = 0xb3ff;
const MEDELEG_WRITE_H = 0x400 | 0xf00000;
const MIE_WRITE = IP.SSIP | IP.MSIP | IP.STIP | IP.MTIP | IP.SEIP | IP.MEIP;

// ------------------------------------------------------------------ counters

/** The current value of counter source i: cycles, instret or an hpm event count. */
function counterSource(h: Hart, i: number): number {
  if (i === 0) return h.clock.cycles;
  if (i === 2) return h.instret;
  return h.hpmSource(i);
}

function counterImplemented(h: Hart, i: number): boolean {
  return i === 0 || i === 2 || (i >= 3 && i < 3 + h.config.hart.hpmCounters);
}

/** Counter value = base + (source - mark); a NaN mark means inhibited (frozen at base). */
function readCounter(h: Hart, i: number, out: Word): void {
  if (!counterImplemented(h, i)) {
    out.lo = out.hi = 0;
    return;
  }
  const mark = h.counterMark[i]!;
  const delta = Number.isNaN(mark) ? 0 : counterSource(h, i) - mark;
  const lo = (h.counterBase[2 * i]! >>> 0) + (delta % 4294967296);
  out.lo = lo | 0;
  out.hi = (h.counterBase[2 * i + 1]! + Math.floor(delta / 4294967296) + (lo > 0xffffffff ? 1 : 0)) | 0;
}

/**
 * A write takes effect after the writing instruction completes (zicntr.adoc): the instruction
 * that writes minstret does not then count itself, hence the +1 on the mark for instret/cycle
 * (and for hpm counters whose event is one of those).
 */
function writeCounter(h: Hart, i: number, lo: number, hi: number): void {
  if (!counterImplemented(h, i)) return;
  h.counterBase[2 * i] = lo;
  h.counterBase[2 * i + 1] = hi;
  const bias = i <= 2 || h.hpmRetireEvents.has(h.mhpmevent[i]!) ? 1 : 0;
  h.counterMark[i] = (h.mcountinhibit & (1 << i)) !== 0 ? NaN : counterSource(h, i) + bias;
}

/** Start counters at zero from the current source values (reset). */
export function resetCounters(h: Hart): void {
  for (let i = 0; i < 32; i++) {
    h.counterBase[2 * i] = h.counterBase[2 * i + 1] = 0;
    h.counterMark[i] = counterImplemented(h, i) ? counterSource(h, i) : 0;
  }
}

function writeCountinhibit(h: Hart, v: number, scratch: Word): void {
  const nv = v & ~2; // bit 1 (TM) is read-only zero
  for (let i = 0; i < 32; i++) {
    const was = (h.mcountinhibit & (1 << i)) !== 0;
    const now = (nv & (1 << i)) !== 0;
    if (was === now || !counterImplemented(h, i)) continue;
    readCounter(h, i, scratch);
    h.counterBase[2 * i] = scratch.lo;
    h.counterBase[2 * i + 1] = scratch.hi;
    h.counterMark[i] = now ? NaN : counterSource(h, i);
  }
  h.mcountinhibit = nv;
}

// ------------------------------------------------------------------ reads

/** Read a CSR that passed csrCheck. */
export function csrRead(h: Hart, csr: number, out: Word): void {
  out.hi = 0;
  if (csr >= Csr.cycle && csr <= Csr.hpmcounter31) {
    if (csr === Csr.time) {
      // hypervisor.adoc norm:htimedelta_sz_acc_op: in VS/VU, time reads time + htimedelta.
      const t = h.clock.mtime();
      if (h.virt) {
        guestTime(h, t);
        out.lo = GUEST_TIME.lo;
        out.hi = GUEST_TIME.hi;
      } else {
        out.lo = t | 0;
        out.hi = Math.floor(t / 4294967296) | 0;
      }
    } else readCounter(h, csr - Csr.cycle, out);
    return;
  }
  if (csr >= Csr.mcycle && csr <= Csr.mhpmcounter31) {
    if (csr === Csr.mcycle + 1) out.lo = 0;
    else readCounter(h, csr - Csr.mcycle, out);
    return;
  }
  if (csr >= Csr.mhpmevent3 && csr <= Csr.mhpmevent31) {
    const v = h.mhpmevent[csr - Csr.mhpmevent3 + 3]!;
    out.lo = v | 0;
    out.hi = Math.floor(v / 4294967296) | 0;
    return;
  }
  if ((csr >= Csr.pmpcfg0 && csr <= Csr.pmpcfg15) || (csr >= Csr.pmpaddr0 && csr <= Csr.pmpaddr63)) {
    out.lo = 0; // hart.pmp = 'allow-all': zero PMP entries, all fields read-only zero
    return;
  }
  if (isHCsr(csr)) return csrReadH(h, csr, out);
  switch (csr) {
    case Csr.sstatus:
      out.lo = h.mstatus & SSTATUS_READ;
      out.hi = MSTATUS_HI & 0b11; // UXL only
      return;
    case Csr.sie:
      out.lo = h.mie & h.mideleg & S_INTERRUPTS;
      return;
    case Csr.sip:
      out.lo = h.mip() & h.mideleg & S_INTERRUPTS;
      return;
    case Csr.stvec: return r64(h, R64.stvec, out);
    case Csr.sscratch: return r64(h, R64.sscratch, out);
    case Csr.sepc: return r64(h, R64.sepc, out);
    case Csr.scause: return r64(h, R64.scause, out);
    case Csr.stval: return r64(h, R64.stval, out);
    case Csr.stimecmp: return r64(h, R64.stimecmp, out);
    case Csr.scounteren:
      out.lo = h.scounteren;
      return;
    case Csr.senvcfg:
      out.lo = h.senvcfg;
      return;
    case Csr.satp:
      out.lo = h.satpPpn | 0;
      out.hi = (h.satpMode << 28) | (h.satpAsid << 12) | Math.floor(h.satpPpn / 4294967296);
      return;
    case Csr.mvendorid: case Csr.marchid: case Csr.mimpid: case Csr.mhartid: case Csr.mconfigptr:
      out.lo = 0;
      return;
    case Csr.mstatus:
      // hypervisor.adoc "Machine Status Registers": GVA is bit 38, MPV bit 39.
      out.lo = h.mstatus;
      out.hi = MSTATUS_HI | (h.mgva ? 1 << 6 : 0) | (h.mpv ? 1 << 7 : 0);
      return;
    case Csr.misa:
      out.lo = h.misaLo;
      out.hi = h.misaHi;
      return;
    case Csr.medeleg:
      out.lo = h.medeleg;
      return;
    case Csr.mideleg:
      out.lo = h.mideleg;
      return;
    case Csr.mie:
      out.lo = h.mie;
      return;
    case Csr.mip:
      out.lo = h.mip();
      return;
    case Csr.mtvec: return r64(h, R64.mtvec, out);
    case Csr.mscratch: return r64(h, R64.mscratch, out);
    case Csr.mepc: return r64(h, R64.mepc, out);
    case Csr.mcause: return r64(h, R64.mcause, out);
    case Csr.mtval: return r64(h, R64.mtval, out);
    case Csr.mcounteren:
      out.lo = h.mcounteren;
      return;
    case Csr.mcountinhibit:
      out.lo = h.mcountinhibit;
      return;
    case Csr.menvcfg:
      out.lo = h.menvcfgLo;
      out.hi = h.menvcfgHi;
      return;
  }
  out.lo = 0;
}

function r64(h: Hart, slot: R64, out: Word): void {
  out.lo = h.r64[2 * slot]!;
  out.hi = h.r64[2 * slot + 1]!;
}

// ------------------------------------------------------------------ writes

/** Write a CSR that passed csrCheck, applying its WARL rules. */
export function csrWrite(h: Hart, csr: number, lo: number, hi: number, scratch: Word): void {
  if (csr >= Csr.mcycle && csr <= Csr.mhpmcounter31) {
    if (csr !== Csr.mcycle + 1) writeCounter(h, csr - Csr.mcycle, lo, hi);
    return;
  }
  if (csr >= Csr.mhpmevent3 && csr <= Csr.mhpmevent31) {
    const i = csr - Csr.mhpmevent3 + 3;
    if (i >= 3 + h.config.hart.hpmCounters) return; // unimplemented: read-only zero
    readCounter(h, i, scratch); // keep the count across the event change
    h.mhpmevent[i] = (hi >>> 0) * 4294967296 + (lo >>> 0);
    writeCounter(h, i, scratch.lo, scratch.hi);
    return;
  }
  if (csr >= Csr.pmpcfg0 && csr <= Csr.pmpaddr63) return; // zero PMP entries: writes ignored
  if (isHCsr(csr)) return csrWriteH(h, csr, lo, hi);
  switch (csr) {
    case Csr.sstatus:
      writeMstatus(h, (h.mstatus & ~SSTATUS_WRITE) | (lo & SSTATUS_WRITE));
      return;
    case Csr.sie: {
      const m = h.mideleg & S_INTERRUPTS;
      h.mie = (h.mie & ~m) | (lo & m);
      h.nextInterruptCheck = 0;
      return;
    }
    case Csr.sip: {
      // supervisor.adoc "Supervisor Interrupt Registers": only SSIP is writable through sip.
      const m = IP.SSIP & h.mideleg;
      h.mipSw = (h.mipSw & ~m) | (lo & m);
      h.nextInterruptCheck = 0;
      return;
    }
    case Csr.stvec: return writeTvec(h, R64.stvec, lo, hi);
    case Csr.sscratch: return h.setR64(R64.sscratch, lo, hi);
    case Csr.sepc: return h.setR64(R64.sepc, lo & ~1, hi);
    case Csr.scause: return h.setR64(R64.scause, lo, hi);
    case Csr.stval: return h.setR64(R64.stval, lo, hi);
    case Csr.stimecmp:
      h.setR64(R64.stimecmp, lo, hi);
      h.nextInterruptCheck = 0;
      return;
    case Csr.scounteren:
      h.scounteren = lo;
      return;
    case Csr.senvcfg:
      h.senvcfg = lo & 1; // FIOM
      return;
    case Csr.satp: return writeSatp(h, lo, hi);
    case Csr.mstatus:
      if (h.hasH) {
        h.mgva = (hi & (1 << 6)) !== 0;
        h.mpv = (hi & (1 << 7)) !== 0;
      }
      writeMstatus(h, (h.mstatus & ~MSTATUS_WRITE) | (lo & MSTATUS_WRITE));
      return;
    case Csr.misa:
      return; // read-only: the extensions cannot be switched off (WARL)
    case Csr.medeleg:
      h.medeleg = lo & (MEDELEG_WRITE | (h.hasH ? MEDELEG_WRITE_H : 0));
      return;
    case Csr.mideleg:
      h.mideleg = (lo & MIDELEG_WRITE) | h.readOnlyMideleg();
      h.nextInterruptCheck = 0;
      return;
    case Csr.mie:
      // hypervisor.adoc: mie's VSSIE, VSTIE, VSEIE and SGEIE (if GEILEN > 0) alias hie.
      h.mie = lo & (MIE_WRITE | (h.hasH ? VS_INTERRUPTS | (h.config.hart.geilen > 0 ? IP.SGEIP : 0) : 0));
      h.nextInterruptCheck = 0;
      return;
    case Csr.mip: {
      // machine.adoc "Machine Interrupt Registers": SSIP, STIP and SEIP are writable by M-mode;
      // STIP is read-only while Sstc drives it (sstc.adoc).
      const m = IP.SSIP | IP.SEIP | (h.stce() ? 0 : IP.STIP);
      h.mipSw = (h.mipSw & ~m) | (lo & m);
      // mip.VSSIP is an alias of hvip.VSSIP (hypervisor.adoc "Machine Interrupt Registers").
      if (h.hasH) h.hvip = (h.hvip & ~IP.VSSIP) | (lo & IP.VSSIP);
      h.nextInterruptCheck = 0;
      return;
    }
    case Csr.mtvec: return writeTvec(h, R64.mtvec, lo, hi);
    case Csr.mscratch: return h.setR64(R64.mscratch, lo, hi);
    case Csr.mepc: return h.setR64(R64.mepc, lo & ~1, hi);
    case Csr.mcause: return h.setR64(R64.mcause, lo, hi);
    case Csr.mtval: return h.setR64(R64.mtval, lo, hi);
    case Csr.mcounteren:
      h.mcounteren = lo;
      return;
    case Csr.mcountinhibit:
      writeCountinhibit(h, lo, scratch);
      return;
    case Csr.menvcfg: {
      // machine.adoc "Machine Environment Configuration Register": FIOM; Svadu's ADUE (bit 61)
      // and Sstc's STCE (bit 63) when implemented; PBMTE (62) read-only zero (no Svpbmt).
      const hiMask = (h.config.hart.sstc ? 1 << 31 : 0) | (h.config.hart.svadu ? 1 << 29 : 0);
      const oldHi = h.menvcfgHi;
      h.menvcfgLo = lo & 1;
      h.menvcfgHi = hi & hiMask;
      if (oldHi !== h.menvcfgHi) h.syncTranslation();
      h.nextInterruptCheck = 0;
      return;
    }
  }
}

/** xtvec: MODE values >= 2 are reserved; such a write is ignored (WARL; QEMU does the same). */
export function writeTvec(h: Hart, slot: R64, lo: number, hi: number): void {
  if ((lo & 3) >= 2) return;
  h.setR64(slot, lo, hi);
}

function writeMstatus(h: Hart, v: number): void {
  // MPP is WARL over {U, S, M}: the reserved value 2 is legalised to U (as Spike does).
  if (((v >>> MS.MPP_SHIFT) & 3) === 2) v &= ~MS.MPP;
  const changed = h.mstatus ^ v;
  h.mstatus = v;
  if ((changed & MSTATUS_TRANSLATION) !== 0) h.syncTranslation();
  h.nextInterruptCheck = 0;
}

/**
 * satp (supervisor.adoc "Supervisor Address Translation and Protection Register"): writing an
 * unsupported MODE has no effect at all; ASIDLEN = 16; the PPN is 44 bits.
 */
export function satpModeSupported(h: Hart, mode: number): boolean {
  return mode === 0 || (mode === 8 && h.config.hart.satpModes.includes('sv39')) ||
    (mode === 9 && h.config.hart.satpModes.includes('sv48')) || (mode === 10 && h.config.hart.satpModes.includes('sv57'));
}

function writeSatp(h: Hart, lo: number, hi: number): void {
  if (!decodeAtp(h, lo, hi)) return;
  h.satpMode = ATP.mode;
  h.satpAsid = ATP.asid;
  h.satpPpn = ATP.ppn;
  h.syncTranslation();
}

/** The fields of a satp/vsatp value, filled by decodeAtp (no allocation). */
export const ATP = { mode: 0, asid: 0, ppn: 0 };

/**
 * Split a satp/vsatp value into ATP; false when its MODE is unsupported, in which case the write
 * has no effect at all (supervisor.adoc satp WARL; hypervisor.adoc norm:vsatp_mode_unsupported_v0/_v1).
 */
export function decodeAtp(h: Hart, lo: number, hi: number): boolean {
  const mode = hi >>> 28;
  if (!satpModeSupported(h, mode)) return false;
  ATP.mode = mode;
  ATP.asid = (hi >>> 12) & 0xffff;
  ATP.ppn = (hi & 0xfff) * 4294967296 + (lo >>> 0);
  return true;
}
