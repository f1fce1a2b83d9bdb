/**
 * The fence a page-table store makes necessary, and which fences provide it (issue 5, "Strict
 * mode and the fence sanitizer").
 *
 * supervisor.adoc norm:sfence_vma_ordering_semantics: "An implicit read of the memory-management
 * data structures may return any translation for an address that was valid at any time since the
 * most recent SFENCE.VMA that subsumes that address." A Mark is one such debt: a PTE that a cached
 * translation was built from has changed, and until a fence that subsumes that translation
 * retires, any access through it may use the old one. Marks are created by fence-sanitizer.ts and
 * cleared here by the fences the spec names for each stage.
 */
import { LEVEL_SPAN, PTE_A, PTE_D, PTE_G, PTE_R, PTE_U, PTE_V, PTE_W, PTE_X, pageNumber } from '../pte.js';
import { FenceKind } from '../tlb/fence-records.js';
import { gpaPageOfRs1 } from '../tlb/mmu-model.js';

/** The translation stage a changed PTE belongs to, which decides the fence it needs. */
export const enum Stage {
  /** V=0 (satp): SFENCE.VMA with V=0 (supervisor.adoc "Supervisor Memory-Management Fence Instruction"). */
  Native = 0,
  /** VS-stage (vsatp): HFENCE.VVMA, or SFENCE.VMA with V=1 (hypervisor.adoc norm:hfence-vvma_mode, norm:sfence_vma_v1). */
  Vs = 1,
  /** G-stage (hgatp): HFENCE.GVMA (hypervisor.adoc norm:hfence-gvma_op). */
  G = 2,
}

/** Statistic and record name of the fence each Stage needs. */
export const REQUIRED_FENCE = ['sfence-vma', 'hfence-vvma', 'hfence-gvma'] as const;
export type RequiredFence = (typeof REQUIRED_FENCE)[number];

/** Where a mark stands on its way to being cleared (svinval.adoc splits the fence in three). */
export const enum MarkState {
  /** No fence has ordered the store yet. */
  Pending = 0,
  /** An SFENCE.W.INVAL retired after the store: a SINVAL.VMA / HINVAL.* can now invalidate it. */
  StoreOrdered = 1,
  /** A covering SINVAL.VMA / HINVAL.* retired after that: SFENCE.INVAL.IR completes it. */
  Invalidated = 2,
  /** A covering fence completed: the debt is paid. */
  Cleared = 3,
}

/** The hart context of a store or a use. */
export interface AccessSite {
  pcLo: number;
  pcHi: number;
  /** False while the pc is unknown (an access inside a translated block; the machine fills it in when the block leaves). */
  pcKnown: boolean;
  priv: number;
  virt: boolean;
}

export class Mark {
  state = MarkState.Pending;
  /** A use has been reported as a violation (each mark is reported once). */
  reported = false;

  constructor(
    readonly stage: Stage,
    /** hgatp.VMID of the translation (Vs and G stages). */
    readonly vmid: number,
    /** ASID of the translation (Native: satp.ASID; Vs: vsatp.ASID); -1 for a global one (PTE.G on the path). */
    readonly asid: number,
    /** Physical address of the changed PTE, and its old and new values. */
    readonly ptePa: number,
    readonly oldPte: bigint,
    readonly newPte: bigint,
    /** Whether the PTE is the leaf of the walk (else rs1 must be x0, supervisor.adoc's note on non-leaf PTEs). */
    readonly leaf: boolean,
    /** The page number the PTE's walk translated (VA/GVA bits 58:12, or the GPA page for the G-stage). */
    readonly page: number,
    /** The pages the PTE maps: a leaf of level L covers 512^L pages around `page`. */
    readonly firstPage: number,
    readonly endPage: number,
    readonly store: AccessSite,
  ) {}

  get required(): RequiredFence {
    return REQUIRED_FENCE[this.stage]!;
  }
}

/** The page range a level-`level` PTE on the walk of `page` maps. */
export function leafRange(page: number, level: number): [number, number] {
  const span = LEVEL_SPAN[level]!;
  const first = page - (page % span);
  return [first, first + span];
}

/**
 * Whether a fence of `kind` (rs1/rs2 as executed, hasRs1/hasRs2 false for x0; vmid: hgatp.VMID
 * when it executed) subsumes the translation `m` is about. For the Svinval instructions this is
 * the invalidation's reach; fence-sanitizer.ts adds the ordering they need.
 */
export function covers(m: Mark, kind: FenceKind, rs1Lo: number, rs1Hi: number, hasRs1: boolean, rs2: number, hasRs2: boolean, vmid: number): boolean {
  switch (kind) {
    case FenceKind.SfenceVma:
    case FenceKind.SinvalVma:
      // hypervisor.adoc norm:sfence_vma_v0: with V=0 only HS-level (native) translations.
      if (m.stage !== Stage.Native) return false;
      return firstStageCovers(m, rs1Lo, rs1Hi, hasRs1, rs2, hasRs2);
    case FenceKind.SfenceVmaV1:
    case FenceKind.SinvalVmaV1:
    case FenceKind.HfenceVvma:
    case FenceKind.HinvalVvma:
      // norm:sfence_vma_v1 / norm:hfence-vvma_mode: VS-stage translations of the VMID in hgatp as
      // the fence executes (norm:hfence-vvma_limits: other VMIDs are not ordered).
      if (m.stage !== Stage.Vs || m.vmid !== vmid) return false;
      return firstStageCovers(m, rs1Lo, rs1Hi, hasRs1, rs2, hasRs2);
    case FenceKind.HfenceGvma:
    case FenceKind.HinvalGvma:
      // norm:hfence-gvma_op: G-stage translations; rs1 = GPA >> 2, rs2 = VMID (norm:hfence-gvma_vmid:
      // bits above VMIDMAX ignored); an address names leaf translations only, as for SFENCE.VMA
      // ("perform a function similar to SFENCE.VMA", norm:hfence-vvma_hfence-gvma_op).
      if (m.stage !== Stage.G) return false;
      if (hasRs2 && (rs2 & 0x3fff) !== m.vmid) return false;
      return !hasRs1 || (m.leaf && inRange(m, gpaPageOfRs1(rs1Lo, rs1Hi)));
    default:
      return false;
  }
}

/**
 * supervisor.adoc norm:sfence_vma_all_asid_va .. norm:sfence_vma_va_asid: rs1 = x0 orders every
 * level of the page tables; rs1 ≠ x0 only the leaf PTEs of that address; rs2 ≠ x0 one ASID,
 * and then not global mappings (norm:sfence_vma_rs2_bits: bits above ASIDMAX ignored).
 */
function firstStageCovers(m: Mark, rs1Lo: number, rs1Hi: number, hasRs1: boolean, rs2: number, hasRs2: boolean): boolean {
  if (hasRs2 && (m.asid < 0 || (rs2 & 0xffff) !== m.asid)) return false;
  return !hasRs1 || (m.leaf && inRange(m, pageNumber(rs1Lo, rs1Hi)));
}

function inRange(m: Mark, page: number): boolean {
  return page >= m.firstPage && page < m.endPage;
}

const FLAG_BITS = PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;

/**
 * A change that needs no fence: supervisor.adoc's note on when SFENCE.VMA is required lets
 * software fence lazily when it only increases the permissions of a valid leaf ("either the new or
 * old permissions will be used"), and an invalid PTE was never the source of a translation. So: the
 * old PTE a valid leaf, the new one the same leaf (same PPN, U, G and upper bits) with a superset
 * of R, W, X, A and D.
 */
export function needsNoFence(oldLo: number, oldHi: number, newLo: number, newHi: number): boolean {
  if ((oldLo & PTE_V) === 0) return true;
  if ((oldLo & (PTE_R | PTE_X)) === 0 || (newLo & PTE_V) === 0) return false;
  if (oldHi !== newHi || (oldLo & ~0xff) !== (newLo & ~0xff)) return false;
  if ((oldLo & (PTE_U | PTE_G)) !== (newLo & (PTE_U | PTE_G))) return false;
  return (oldLo & FLAG_BITS & ~newLo) === 0;
}

/** A PTE as one 64-bit value (cold code: records). */
export function pteValue(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}
