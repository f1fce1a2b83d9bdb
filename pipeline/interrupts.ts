import { Interrupt } from '../common/causes.js';
import { Priv } from '../mmu/access.js';
import { HS, IP, MS, R64, type Hart } from './hart.js';

/**
 * Pending interrupts and their selection (machine.adoc "Machine Interrupt Registers";
 * supervisor.adoc "Supervisor Interrupt Registers"; hypervisor.adoc "Hypervisor Interrupt
 * Registers", "Hypervisor Guest External Interrupt Registers"; sstc.adoc).
 */

/** machine.adoc / hypervisor.adoc: MEI, MSI, MTI, SEI, SSI, STI, SGEI, VSEI, VSSI, VSTI. */
const PRIORITY = [
  Interrupt.MEI,
  Interrupt.MSI,
  Interrupt.MTI,
  Interrupt.SEI,
  Interrupt.SSI,
  Interrupt.STI,
  Interrupt.SGEI,
  Interrupt.VSEI,
  Interrupt.VSSI,
  Interrupt.VSTI,
];

function pickByPriority(bits: number): number {
  for (const irq of PRIORITY) if ((bits & (1 << irq)) !== 0) return irq;
  return -1;
}

/** menvcfg.STCE with Sstc implemented. */
export function stce(h: Hart): boolean {
  return h.config.hart.sstc && (h.menvcfgHi & (1 << 31)) !== 0;
}

/** henvcfg.STCE (read-only zero unless menvcfg.STCE, machine.adoc norm:menvcfg_stce_op2). */
export function vstce(h: Hart): boolean {
  return h.hasH && stce(h) && (h.henvcfgHi & (1 << 31)) !== 0;
}

/** A 64-bit CSR pair as an unsigned number (exact below 2^53, comparisons stay right above). */
function u64(h: Hart, slot: R64): number {
  return (h.r64[2 * slot + 1]! >>> 0) * 4294967296 + (h.r64[2 * slot]! >>> 0);
}

/** The guest's time as int32 halves, written by guestTime. */
export const GUEST_TIME = { lo: 0, hi: 0 };

/**
 * time + htimedelta, truncated to 64 bits: the guest's time (hypervisor.adoc
 * norm:htimedelta_sz_acc_op; "overflow is ignored", so a large htimedelta is a negative
 * offset). Computed exactly in halves into GUEST_TIME: a sum of doubles would round once
 * htimedelta is 2^53 or more, which is exactly the "negative offset" case.
 */
export function guestTime(h: Hart, now: number): void {
  const tHi = Math.floor(now / 4294967296);
  const lo = now - tHi * 4294967296 + (h.r64[2 * R64.htimedelta]! >>> 0);
  GUEST_TIME.lo = lo | 0;
  GUEST_TIME.hi = (tHi + h.r64[2 * R64.htimedelta + 1]! + (lo > 0xffffffff ? 1 : 0)) | 0;
}

/** Unsigned 64-bit a >= b on int32 halves. */
function geU64(aLo: number, aHi: number, bLo: number, bHi: number): boolean {
  return aHi !== bHi ? aHi >>> 0 > bHi >>> 0 : aLo >>> 0 >= bLo >>> 0;
}

/** hypervisor.adoc norm:hip_vstip_op: (time + htimedelta) mod 2^64 >= vstimecmp, unsigned. */
function vstimecmpReached(h: Hart, now: number): boolean {
  guestTime(h, now);
  return geU64(GUEST_TIME.lo, GUEST_TIME.hi, h.r64[2 * R64.vstimecmp]!, h.r64[2 * R64.vstimecmp + 1]!);
}

/** mip as software reads it: software bits OR the platform's interrupt lines and the timers. */
export function mip(h: Hart): number {
  let ip = h.mipSw;
  if (h.clint.msip(0)) ip |= IP.MSIP;
  if (h.clint.mtip(0)) ip |= IP.MTIP;
  if (h.plic.meip()) ip |= IP.MEIP;
  if (h.plic.seip()) ip |= IP.SEIP;
  if (stce(h)) {
    // sstc.adoc: with STCE=1, STIP reflects stimecmp <= time and is read-only.
    ip &= ~IP.STIP;
    if (h.clock.mtime() >= u64(h, R64.stimecmp)) ip |= IP.STIP;
  }
  if (h.hasH) {
    // hip.VSSIP aliases hvip.VSSIP; VSTIP = hvip.VSTIP | the vstimecmp signal; VSEIP =
    // hvip.VSEIP | hgeip[VGEIN]; SGEIP = (hgeip & hgeie) != 0 (hypervisor.adoc "hvip, hip, hie").
    ip |= h.hvip & (IP.VSSIP | IP.VSTIP | IP.VSEIP);
    if (vstce(h) && vstimecmpReached(h, h.clock.mtime())) ip |= IP.VSTIP;
    // hgeip/hgeie are 64-bit (GEILEN up to 63): lines 63:32 live in the Hi halves.
    const vgein = (h.hstatus & HS.VGEIN) >>> HS.VGEIN_SHIFT;
    if (vgein !== 0 && ((vgein < 32 ? h.hgeip >>> vgein : h.hgeipHi >>> (vgein - 32)) & 1) !== 0) ip |= IP.VSEIP;
    if ((h.hgeip & h.hgeie) !== 0 || (h.hgeipHi & h.hgeieHi) !== 0) ip |= IP.SGEIP;
  }
  return ip;
}

/**
 * The highest-priority interrupt that is pending, enabled and allowed now, or -1.
 * - To M (not delegated by mideleg): when priv < M, or in M with mstatus.MIE.
 * - To HS (delegated by mideleg, not by hideleg): when V=1, or in U, or in HS with sstatus.SIE
 *   (hypervisor.adoc "An interrupt i will trap to HS-mode whenever ...").
 * - To VS (delegated by both): only when V=1, in VU, or in VS with vsstatus.SIE.
 * Interrupts for a more privileged mode come first.
 */
export function pendingInterrupt(h: Hart): number {
  const pending = mip(h) & h.mie;
  if (pending === 0) return -1;
  const toM = pending & ~h.mideleg;
  if (toM !== 0 && (h.priv !== Priv.M || (h.mstatus & MS.MIE) !== 0)) return pickByPriority(toM);
  if (h.priv === Priv.M) return -1;
  const toHS = pending & h.mideleg & ~h.hideleg;
  const hsEnabled = h.virt || h.priv === Priv.U || (h.mstatus & MS.SIE) !== 0;
  if (toHS !== 0 && hsEnabled) return pickByPriority(toHS);
  if (!h.virt) return -1;
  const toVS = pending & h.mideleg & h.hideleg;
  const vsEnabled = h.priv === Priv.U || (h.vsstatus & MS.SIE) !== 0;
  if (toVS !== 0 && vsEnabled) return pickByPriority(toVS);
  return -1;
}

/**
 * Called at instruction (interpreter) or block (translator) boundaries when
 * clock.cycles >= nextInterruptCheck. Takes an interrupt if one is due; otherwise schedules
 * the next check at the next timer deadline. Returns true if a trap was taken.
 */
export function checkInterrupts(h: Hart): boolean {
  const irq = pendingInterrupt(h);
  if (irq >= 0) {
    h.takeTrap(irq, true, 0, 0);
    return true;
  }
  h.nextInterruptCheck = nextTimerCycle(h, false);
  return false;
}

/**
 * The cycle at which a timer comparator that has not fired yet will fire (mtimecmp; stimecmp
 * and vstimecmp under Sstc); Infinity if none will. A comparator that has already fired needs
 * no schedule: its pending bit is set, and anything that could make it deliverable (a CSR
 * write, a privilege change, a device write) resets nextInterruptCheck to 0.
 */
export function nextTimerCycle(h: Hart, onlyEnabled: boolean): number {
  let t = Infinity;
  const now = h.clock.mtime();
  if (!onlyEnabled || (h.mie & IP.MTIP) !== 0) {
    const cmp = h.clint.mtimecmp(0);
    if (cmp > now) t = h.clock.cycleWhenMtimeReaches(cmp);
  }
  if (stce(h) && (!onlyEnabled || (h.mie & IP.STIP) !== 0)) {
    const cmp = u64(h, R64.stimecmp);
    if (cmp > now) t = Math.min(t, h.clock.cycleWhenMtimeReaches(cmp));
  }
  if (vstce(h) && (!onlyEnabled || (h.mie & IP.VSTIP) !== 0)) {
    // Fires after vstimecmp - (time + htimedelta) more ticks, computed on exact halves (a
    // difference of 2^53 or more is never reached anyway).
    if (!vstimecmpReached(h, now)) {
      const dLo = (h.r64[2 * R64.vstimecmp]! >>> 0) - (GUEST_TIME.lo >>> 0);
      const dHi = (h.r64[2 * R64.vstimecmp + 1]! >>> 0) - (GUEST_TIME.hi >>> 0);
      t = Math.min(t, h.clock.cycleWhenMtimeReaches(now + dHi * 4294967296 + dLo));
    }
  }
  return t;
}

/**
 * WFI (machine.adoc "Wait for Interrupt"): resume when any interrupt is pending and locally
 * enabled in mie, whatever the global enables and delegation. The wait skips simulated time to
 * the next deadline of an enabled timer. Returns false if nothing can ever wake the hart (no
 * other agent on this platform raises an interrupt while the hart sleeps).
 */
export function waitForInterrupt(h: Hart): boolean {
  if ((mip(h) & h.mie) !== 0) return true;
  const next = nextTimerCycle(h, true);
  if (!Number.isFinite(next)) return false;
  if (next > h.clock.cycles) h.clock.cycles = next;
  return (mip(h) & h.mie) !== 0;
}
