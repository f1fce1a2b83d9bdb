import type { Word } from '../caches/word.js';
import { Csr } from './csr-addr.js';
import { ATP, decodeAtp, writeTvec } from './csr.js';
import { HS, IP, MS, R64, VS_INTERRUPTS, type Hart } from './hart.js';
import { vstce } from './interrupts.js';

/**
 * The hypervisor and virtual-supervisor CSRs (hypervisor.adoc "Hypervisor and Virtual
 * Supervisor CSRs", "Machine-Level CSRs"): read values and WARL write rules. Access rules are in
 * csr-access.ts; by the time a CSR number gets here it is the CSR actually reached.
 */

const H_NUMBERS: ReadonlySet<number> = new Set([
  Csr.hstatus, Csr.hedeleg, Csr.hideleg, Csr.hie, Csr.htimedelta, Csr.hcounteren, Csr.hgeie, Csr.henvcfg,
  Csr.htval, Csr.hip, Csr.hvip, Csr.htinst, Csr.hgatp, Csr.hgeip,
  Csr.vsstatus, Csr.vsie, Csr.vstvec, Csr.vsscratch, Csr.vsepc, Csr.vscause, Csr.vstval, Csr.vsip, Csr.vsatp,
  Csr.vstimecmp, Csr.mtval2, Csr.mtinst,
]);

export function isHCsr(csr: number): boolean {
  return H_NUMBERS.has(csr);
}

/** hstatus fields software may write (VSBE read-only 0: little-endian only; VSXL read-only 2). */
const HSTATUS_WRITE = HS.GVA | HS.SPV | HS.SPVP | HS.HU | HS.VTVM | HS.VTW | HS.VTSR;
/** vsstatus: the sstatus fields this hart has (no F/V state, UBE read-only 0). */
const VSSTATUS_FIELDS = MS.SIE | MS.SPIE | MS.SPP | MS.SUM | MS.MXR;
/**
 * hedeleg bits (hypervisor.adoc table "Bits of hedeleg that must be writable or must be
 * read-only zero"): 0-8, 12, 13, 15, 18, 19 writable; 9-11, 16, 20-23 read-only zero.
 */
const HEDELEG_WRITE = 0x1ff | (1 << 12) | (1 << 13) | (1 << 15) | (1 << 18) | (1 << 19);
/** hideleg: bits 10, 6, 2 writable; the S-level bits read-only zero (norm:hideleg_acc). */
const HIDELEG_WRITE = VS_INTERRUPTS;

/** Bits GEILEN:1 of hgeip/hgeie (hypervisor.adoc norm:geilen), bits 31:0. */
function geMask(h: Hart): number {
  const n = h.config.hart.geilen;
  return n === 0 ? 0 : n >= 31 ? -2 : ((1 << (n + 1)) - 2) | 0;
}

/** The same, bits 63:32: GEILEN may be up to 63 on RV64. */
function geMaskHi(h: Hart): number {
  const n = h.config.hart.geilen;
  return n < 32 ? 0 : n === 63 ? -1 : (1 << (n - 31)) - 1;
}

function hieMask(h: Hart): number {
  return VS_INTERRUPTS | (h.config.hart.geilen > 0 ? IP.SGEIP : 0);
}

function r64(h: Hart, slot: R64, out: Word): void {
  out.lo = h.r64[2 * slot]!;
  out.hi = h.r64[2 * slot + 1]!;
}

export function csrReadH(h: Hart, csr: number, out: Word): void {
  out.hi = 0;
  switch (csr) {
    case Csr.hstatus:
      out.lo = h.hstatus;
      out.hi = 2; // VSXL = 2 (64-bit), read-only (norm:vsxl_ro)
      return;
    case Csr.hedeleg: out.lo = h.hedeleg; return;
    case Csr.hideleg: out.lo = h.hideleg; return;
    case Csr.hvip: out.lo = h.hvip; return;
    case Csr.hip: out.lo = h.mip() & hieMask(h); return;
    case Csr.hie: out.lo = h.mie & hieMask(h); return;
    case Csr.hgeie:
      out.lo = h.hgeie;
      out.hi = h.hgeieHi;
      return;
    case Csr.hgeip:
      out.lo = h.hgeip & geMask(h);
      out.hi = h.hgeipHi & geMaskHi(h);
      return;
    case Csr.henvcfg:
      out.lo = h.henvcfgLo;
      // STCE and ADUE read as zero while menvcfg's are zero (machine.adoc norm:menvcfg_stce_op2,
      // norm:menvcfg_adue_henvcfg_adue_rdonly0).
      out.hi = h.henvcfgHi & ~(vstce(h) ? 0 : 1 << 31) & ~((h.menvcfgHi & (1 << 29)) !== 0 ? 0 : 1 << 29);
      return;
    case Csr.hcounteren: out.lo = h.hcounteren; return;
    case Csr.htimedelta: return r64(h, R64.htimedelta, out);
    case Csr.htval: return r64(h, R64.htval, out);
    case Csr.htinst: return r64(h, R64.htinst, out);
    case Csr.hgatp:
      out.lo = h.hgatpPpn | 0;
      out.hi = (h.hgatpMode << 28) | (h.hgatpVmid << 12) | Math.floor(h.hgatpPpn / 4294967296);
      return;
    case Csr.vsstatus:
      out.lo = h.vsstatus & VSSTATUS_FIELDS;
      out.hi = 2; // UXL = 2
      return;
    case Csr.vsie:
      // hypervisor.adoc "vsip and vsie": bit i-1 aliases hie bit i (i = 2, 6, 10) when hideleg bit i is set.
      out.lo = (h.mie & h.hideleg & VS_INTERRUPTS) >>> 1;
      return;
    case Csr.vsip:
      out.lo = (h.mip() & h.hideleg & VS_INTERRUPTS) >>> 1;
      return;
    case Csr.vstvec: return r64(h, R64.vstvec, out);
    case Csr.vsscratch: return r64(h, R64.vsscratch, out);
    case Csr.vsepc: return r64(h, R64.vsepc, out);
    case Csr.vscause: return r64(h, R64.vscause, out);
    case Csr.vstval: return r64(h, R64.vstval, out);
    case Csr.vstimecmp: return r64(h, R64.vstimecmp, out);
    case Csr.vsatp:
      out.lo = h.vsatpPpn | 0;
      out.hi = (h.vsatpMode << 28) | (h.vsatpAsid << 12) | Math.floor(h.vsatpPpn / 4294967296);
      return;
    case Csr.mtval2: return r64(h, R64.mtval2, out);
    case Csr.mtinst: return r64(h, R64.mtinst, out);
  }
  out.lo = 0;
}

export function csrWriteH(h: Hart, csr: number, lo: number, hi: number): void {
  switch (csr) {
    case Csr.hstatus: {
      // VGEIN is WLRL over 0..GEILEN: a value beyond it leaves the field unchanged.
      const vgein = (lo & HS.VGEIN) >>> HS.VGEIN_SHIFT;
      const keep = vgein <= h.config.hart.geilen ? lo & HS.VGEIN : h.hstatus & HS.VGEIN;
      h.hstatus = (lo & HSTATUS_WRITE) | keep;
      h.nextInterruptCheck = 0;
      return;
    }
    case Csr.hedeleg: h.hedeleg = lo & HEDELEG_WRITE; return;
    case Csr.hideleg:
      h.hideleg = lo & HIDELEG_WRITE;
      h.nextInterruptCheck = 0;
      return;
    case Csr.hvip:
      h.hvip = lo & VS_INTERRUPTS;
      h.nextInterruptCheck = 0;
      return;
    case Csr.hip:
      // Only hip.VSSIP is writable: an alias of hvip.VSSIP (norm:hip_vssip_vssie_op).
      h.hvip = (h.hvip & ~IP.VSSIP) | (lo & IP.VSSIP);
      h.nextInterruptCheck = 0;
      return;
    case Csr.hie: {
      const m = hieMask(h);
      h.mie = (h.mie & ~m) | (lo & m);
      h.nextInterruptCheck = 0;
      return;
    }
    case Csr.hgeie:
      h.hgeie = lo & geMask(h);
      h.hgeieHi = hi & geMaskHi(h);
      h.nextInterruptCheck = 0;
      return;
    case Csr.henvcfg: {
      // FIOM; ADUE (bit 61) with Svadu; STCE (bit 63) with Sstc; PBMTE read-only zero.
      const hiMask = (h.config.hart.sstc ? 1 << 31 : 0) | (h.config.hart.svadu ? 1 << 29 : 0);
      const old = h.henvcfgHi;
      h.henvcfgLo = lo & 1;
      h.henvcfgHi = hi & hiMask;
      if (((old ^ h.henvcfgHi) & (1 << 29)) !== 0) h.syncTranslation();
      h.nextInterruptCheck = 0;
      return;
    }
    case Csr.hcounteren: h.hcounteren = lo; return;
    case Csr.htimedelta:
      h.setR64(R64.htimedelta, lo, hi);
      h.nextInterruptCheck = 0;
      return;
    case Csr.htval: return h.setR64(R64.htval, lo, hi);
    case Csr.htinst: return h.setR64(R64.htinst, lo, hi);
    case Csr.hgatp: return writeHgatp(h, lo, hi);
    case Csr.vsstatus: {
      const v = (h.vsstatus & ~VSSTATUS_FIELDS) | (lo & VSSTATUS_FIELDS);
      const changed = h.vsstatus ^ v;
      h.vsstatus = v;
      if ((changed & (MS.SUM | MS.MXR)) !== 0) h.syncTranslation();
      h.nextInterruptCheck = 0;
      return;
    }
    case Csr.vsie: {
      const m = h.hideleg & VS_INTERRUPTS;
      h.mie = (h.mie & ~m) | ((lo << 1) & m);
      h.nextInterruptCheck = 0;
      return;
    }
    case Csr.vsip: {
      // Only vsip.SSIP is writable, as an alias of hvip.VSSIP when hideleg bit 2 is set.
      const m = h.hideleg & IP.VSSIP;
      h.hvip = (h.hvip & ~m) | ((lo << 1) & m);
      h.nextInterruptCheck = 0;
      return;
    }
    case Csr.vstvec: return writeTvec(h, R64.vstvec, lo, hi);
    case Csr.vsscratch: return h.setR64(R64.vsscratch, lo, hi);
    case Csr.vsepc: return h.setR64(R64.vsepc, lo & ~1, hi);
    case Csr.vscause: return h.setR64(R64.vscause, lo, hi);
    case Csr.vstval: return h.setR64(R64.vstval, lo, hi);
    case Csr.vstimecmp:
      h.setR64(R64.vstimecmp, lo, hi);
      h.nextInterruptCheck = 0;
      return;
    case Csr.vsatp:
      // norm:vsatp_mode_unsupported_v0/_v1: an unsupported MODE write is ignored (one rule for both).
      if (!decodeAtp(h, lo, hi)) return;
      h.vsatpMode = ATP.mode;
      h.vsatpAsid = ATP.asid;
      h.vsatpPpn = ATP.ppn;
      h.syncTranslation();
      return;
    case Csr.mtval2: return h.setR64(R64.mtval2, lo, hi);
    case Csr.mtinst: return h.setR64(R64.mtinst, lo, hi);
  }
}

/**
 * hgatp (hypervisor.adoc "hgatp"): unlike satp, a write with an unsupported MODE is not ignored:
 * the fields are WARL, and rvhsim keeps the previous MODE while writing the others. VMID keeps
 * its VMIDLEN low bits; PPN[1:0] read as zero (the x4 root table is 16 KiB aligned).
 */
function writeHgatp(h: Hart, lo: number, hi: number): void {
  const mode = hi >>> 28;
  const modes = h.config.hart.hgatpModes;
  const ok = mode === 0 || (mode === 8 && modes.includes('sv39x4')) || (mode === 9 && modes.includes('sv48x4')) ||
    (mode === 10 && modes.includes('sv57x4'));
  if (ok) h.hgatpMode = mode;
  const vmidMask = (1 << h.config.hart.vmidBits) - 1;
  h.hgatpVmid = (hi >>> 12) & 0x3fff & vmidMask;
  h.hgatpPpn = (hi & 0xfff) * 4294967296 + ((lo & ~3) >>> 0);
  h.syncTranslation();
}
