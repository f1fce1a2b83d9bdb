/**
 * The strict TLB mode (issue 5, "Strict mode and the fence sanitizer"): the functional hart
 * translates through the modelled TLBs, so a stale translation stays visible until the guest or
 * the hypervisor fences it, as on hardware. This is the one named place where a timing
 * structure changes an architectural result (docs STYLE.md, "Functional semantics and timing are
 * separate").
 *
 * For each translation the hart makes (on a miss of its own software TLB, pipeline/lsu.ts) this
 * asks the TLB organisation what it holds (TlbModel.held: no lookup counted, nothing replaced or
 * filled; the timing model's own lookup for the same access follows and counts as usual):
 *  - an entry that holds the page and whose cached leaf permissions allow the access answers,
 *    with its physical address, however the page tables have changed since it was filled;
 *  - an entry whose cached permissions refuse the access is dropped and the access walks: a TLB
 *    that refetches on a permission miss (the spec lets an implementation read a PTE at any time,
 *    supervisor.adoc norm:sfence_vma_ordering_semantics, so either the old or the new PTE may
 *    decide). A store to a page cached with D=0 thus walks and sets D (or faults under Svade) as
 *    the walk's step 9 requires;
 *  - no entry: the access walks the page tables in memory, as it does without strict mode, and
 *    the timing model's walk fills the TLBs with the same translation.
 * In the separate organisation a held VS-stage entry whose G-stage translation is not in the
 * G-stage TLB walks the G-stage for the entry's (possibly stale) GPA; in the separate and hybrid
 * organisations a walk takes the final GPA's G-stage translation from the G-stage TLB when it
 * holds it, as their walker does.
 *
 * The page-walk caches and the nested TLB are timing only: a walk reads the page tables from
 * memory even where a walk cache holds an older non-leaf entry.
 */
import type { StatScope } from '../../common/stats.js';
import { Access, Priv } from '../access.js';
import { PTE_A, PTE_D, PTE_R, PTE_U, PTE_W, PTE_X, pageNumber } from '../pte.js';
import { type Translator, isGuestPageFault } from '../translate.js';
import { HELD_NONE, HELD_VS_ONLY, type TlbModel, TlbSide } from './mmu-model.js';
import { doubleFields } from '../../common/double-fields.js';

export class StrictTranslation {
  /** Physical address of the last successful translate. */
  pa = 0;
  /** Accesses whose held entry refused them by its cached permissions, dropped and refetched by a walk. */
  refetches = 0;
  /** Accesses answered by a held entry without a walk. */
  heldHits = 0;
  /** Called after an entry was dropped (the PTE tracker rechecks the hart's cached translations). */
  onDrop: (() => void) | null = null;

  constructor(
    private readonly tlbs: TlbModel,
    private readonly t: Translator,
    stats: StatScope | null,
  ) {
    tlbs.strict = true;
    if (stats !== null) {
      stats.register('heldHits', 'count', 'Functional translations answered by an entry the modelled TLBs held (strict mode; stale if its page table changed unfenced)', () => this.heldHits);
      stats.register('refetches', 'count', 'Functional translations whose held TLB entry refused the access by its cached permissions and was refetched by a walk (strict mode)', () => this.refetches);
    }
    doubleFields(this, 'pa');
  }

  /**
   * Translate (vaLo, vaHi) for `access` in context ctx (privilege | V << 2) as mmu/translate.ts
   * Translator.translate does, but through the modelled TLBs. Returns 0 with the address in `pa`,
   * or a Cause with the translator's `out` describing the fault.
   */
  translate(vaLo: number, vaHi: number, access: Access, ctx: number, hlvx: boolean): number {
    const t = this.t;
    const priv = (ctx & 3) as Priv;
    const virt = ctx >= 4;
    // supervisor.adoc norm:satp_op_active / norm:satp_mode, hypervisor.adoc norm:H_vm_twostage:
    // untranslated accesses never meet a TLB.
    if (virt ? t.vsatpMode === 0 && t.hgatpMode === 0 : priv === Priv.M || t.satpMode === 0) return this.walk(vaLo, vaHi, access, priv, virt, hlvx);
    const side = access === Access.Fetch ? TlbSide.I : TlbSide.D;
    const m = this.tlbs;
    const pa = m.held(side, vaLo, vaHi, ctx);
    if (pa === HELD_NONE) return virt ? this.walkVirt(vaLo, access, priv, hlvx, vaHi) : this.walk(vaLo, vaHi, access, priv, virt, hlvx);
    const first = m.heldPerm & 0xff;
    const g = (m.heldPerm >>> 8) & 0xff;
    // The first-stage leaf (native or VS); a zero byte: that stage was Bare when filled.
    const sum = virt ? t.vsSum : t.sum;
    const mxr = virt ? t.vsMxr || t.mxr : t.mxr;
    let ok = first === 0 || cachedLeafAllows(first, access, priv, sum, mxr, hlvx, false);
    if (ok && pa === HELD_VS_ONLY && !hlvx) {
      // The G-stage of the held entry's guest-physical page, walked now.
      const gpa = m.heldGpaPage;
      const cause = t.translateG(((gpa % 2 ** 20) * 4096 + (vaLo & 0xfff)) | 0, Math.floor(gpa / 2 ** 20) | 0, access);
      if (cause !== 0) return cause;
      this.heldHits++;
      this.pa = t.out.pa;
      return 0;
    }
    // The G-stage leaf: checked as a U-mode access with the HS-level MXR (norm:H_vm_gpapriv, norm:hlsv_sstatus_mxr).
    if (ok && virt && g !== 0) ok = cachedLeafAllows(g, access, Priv.U, false, t.mxr, hlvx, true);
    if (!ok || pa === HELD_VS_ONLY) {
      this.refetches++;
      m.dropHeld(side, vaLo, vaHi, ctx);
      if (this.onDrop !== null) this.onDrop();
      return this.walk(vaLo, vaHi, access, priv, virt, hlvx);
    }
    this.heldHits++;
    this.pa = pa;
    return 0;
  }

  /**
   * A V=1 walk. In the separate and hybrid organisations the walker translates the final GPA
   * through the G-stage TLB when it holds it (mmu/walker/timed-walker.ts replayFinal), so the
   * G-stage translation may be the held, stale one: the VS-stage is walked in memory, the GPA's
   * G-stage entry (if held and its cached flags allow the access) gives the host page.
   */
  private walkVirt(vaLo: number, access: Access, priv: Priv, hlvx: boolean, vaHi: number): number {
    const t = this.t;
    const cause = this.walk(vaLo, vaHi, access, priv, true, hlvx);
    // The final GPA is known when the walk succeeded or failed in its last G-stage walk.
    if (cause !== 0 && !(isGuestPageFault(cause) && !t.out.implicitFault)) return cause;
    if (t.hgatpMode === 0) return cause;
    const o = t.out;
    const hpa = this.tlbs.heldG(pageNumber(o.gpaLo, o.gpaHi));
    if (hpa < 0) return cause;
    if (!cachedLeafAllows((this.tlbs.heldPerm >>> 8) & 0xff, access, Priv.U, false, t.mxr, hlvx, true)) {
      this.refetches++;
      this.tlbs.dropHeld(access === Access.Fetch ? TlbSide.I : TlbSide.D, vaLo, vaHi, 4 | priv);
      if (this.onDrop !== null) this.onDrop();
      return cause;
    }
    this.heldHits++;
    this.pa = hpa * 4096 + (vaLo & 0xfff);
    return 0;
  }

  private walk(vaLo: number, vaHi: number, access: Access, priv: Priv, virt: boolean, hlvx: boolean): number {
    const cause = this.t.translate(vaLo, vaHi, access, priv, virt, hlvx);
    if (cause === 0) this.pa = this.t.out.pa;
    return cause;
  }
}

/**
 * The checks of supervisor.adoc "Virtual Address Translation Process" steps 6, 8 and 9 applied to
 * a leaf's cached flags (the walk made steps 1-5 and 10 when it filled the entry): U against the
 * privilege and SUM (the G-stage always as U, hypervisor.adoc norm:H_vm_gpapriv), R/W/X against
 * the access with MXR and HLVX, and A (and D for a store) set. A refusal is not a fault here:
 * the caller refetches the entry and the walk decides.
 */
export function cachedLeafAllows(flags: number, access: Access, priv: Priv, sum: boolean, mxr: boolean, hlvx: boolean, gStage: boolean): boolean {
  const user = (flags & PTE_U) !== 0;
  if (gStage || priv === Priv.U) {
    if (!user) return false;
  } else if (user && (access === Access.Fetch || !sum)) {
    return false;
  }
  if (access === Access.Fetch) {
    if ((flags & PTE_X) === 0) return false;
  } else if (access === Access.Store) {
    if ((flags & PTE_W) === 0) return false;
  } else if (hlvx ? (flags & PTE_X) === 0 : (flags & PTE_R) === 0 && !(mxr && (flags & PTE_X) !== 0)) {
    return false;
  }
  return (flags & PTE_A) !== 0 && (access !== Access.Store || (flags & PTE_D) !== 0);
}
