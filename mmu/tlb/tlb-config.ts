/**
 * Parameters of the TLB organisations (issue 5): the L1 ITLB and DTLB, an optional shared L2 TLB,
 * an optional G-stage TLB, how V=1 translations are held (combined, separate, hybrid), tagging,
 * HFENCE.GVMA matching, fence costs and the fence-shadow window; and the named presets. The
 * schema's defaults are the `inorder-default` preset. Timing only: no parameter here can change
 * what an access does, only what it costs.
 */
import { z } from 'zod';
import type { PresetName } from '../../caches/cache-config.js';

/** Page sizes a TLB array can hold. Svnapot 64 KiB pages are absent: the walk does not implement Svnapot (mmu/pte.ts SVNAPOT_IMPLEMENTED). */
export const PAGE_SIZE_NAMES = ['4K', '2M', '1G'] as const;
export type PageSizeName = (typeof PAGE_SIZE_NAMES)[number];

/** The page-table level of a page size: 0 for 4 KiB, 1 for 2 MiB, 2 for 1 GiB. */
export function levelOf(size: PageSizeName): number {
  return PAGE_SIZE_NAMES.indexOf(size);
}

const replacementSchema = z
  .enum(['lru', 'tree-plru', 'random'])
  .describe('Victim choice in a full set (caches/replacement.ts): true LRU, tree pseudo-LRU (power-of-two ways), or random from a seeded xorshift32 generator. An invalid entry is always taken first.');

export const tlbArraySchema = z
  .object({
    entries: z.number().int().min(1).max(65536).describe('Entries of this array.'),
    ways: z
      .number()
      .int()
      .min(0)
      .max(65536)
      .default(0)
      .describe('Associativity: 0 for fully associative, 1 for direct-mapped, n for n-way set-associative (entries / ways sets, a power of two).'),
    replacement: replacementSchema.default('tree-plru').describe(replacementSchema.description ?? ''),
    seed: z.number().int().nonnegative().max(0xffff_ffff).default(1).describe('Seed of the random replacement generator: the same seed gives the same victims.'),
    pageSizes: z
      .array(z.enum(PAGE_SIZE_NAMES))
      .min(1)
      .default(['4K', '2M', '1G'])
      .describe('Page sizes this array holds. A translation whose page is larger than every size it holds is stored splintered: as an entry of the largest held size that is not larger (a 2 MiB page in a 4K-only array becomes the 4 KiB entry around the access).'),
  })
  .strict()
  .superRefine((a, ctx) => {
    const pow2 = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
    const ways = a.ways === 0 ? a.entries : a.ways;
    if (a.entries % ways !== 0 || !pow2(a.entries / ways)) {
      ctx.addIssue({ code: 'custom', path: ['ways'], message: `entries / ways = ${a.entries / ways} sets; it must be a power of two` });
    }
    if (a.replacement === 'tree-plru' && !pow2(ways)) {
      ctx.addIssue({ code: 'custom', path: ['replacement'], message: `tree-plru needs a power-of-two number of ways, got ${ways}` });
    }
    if (new Set(a.pageSizes).size !== a.pageSizes.length) {
      ctx.addIssue({ code: 'custom', path: ['pageSizes'], message: `pageSizes lists a size twice: ${a.pageSizes.join(', ')}` });
    }
  })
  .describe('One array of TLB entries: its geometry, replacement and the page sizes it holds.');

export const tlbStructureSchema = z
  .object({
    hitLatency: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(0)
      .describe('Cycles one lookup costs, hit or miss, beyond a zero-latency hit (0: in parallel with the cache access). Its arrays are probed in parallel.'),
    arrays: z
      .array(tlbArraySchema)
      .min(1)
      .describe('The arrays probed in parallel on a lookup, e.g. one for 4 KiB pages and one for superpages. A fill goes to the first array holding the translation\'s page size, else to the array holding the largest smaller size (splintered).'),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (!s.arrays.some((a) => a.pageSizes.includes('4K'))) {
      ctx.addIssue({ code: 'custom', path: ['arrays'], message: 'no array holds 4K pages, so a 4 KiB translation could never be cached' });
    }
  })
  .describe('One TLB structure (ITLB, DTLB, shared L2 TLB or G-stage TLB).');

export const fenceCostSchema = z
  .object({
    sfenceVma: z.number().int().min(0).max(100000).default(1).describe('TLB cycles of an SFENCE.VMA (V=0 or V=1), beyond the pipeline flush that the pipeline model charges (timing.pipeline.vmaFencePenalty).'),
    hfenceVvma: z.number().int().min(0).max(100000).default(1).describe('TLB cycles of an HFENCE.VVMA.'),
    hfenceGvma: z.number().int().min(0).max(100000).default(1).describe('TLB cycles of an HFENCE.GVMA.'),
    sinval: z.number().int().min(0).max(100000).default(1).describe('TLB cycles of a SINVAL.VMA, HINVAL.VVMA or HINVAL.GVMA (Svinval).'),
    sfenceWInval: z.number().int().min(0).max(100000).default(0).describe('TLB cycles of an SFENCE.W.INVAL (it orders, it invalidates nothing).'),
    sfenceInvalIr: z.number().int().min(0).max(100000).default(0).describe('TLB cycles of an SFENCE.INVAL.IR (it orders, it invalidates nothing).'),
    atpFlush: z.number().int().min(0).max(100000).default(1).describe('TLB cycles of the flush a satp/vsatp/hgatp write causes when ASID or VMID tagging is off and the ID changed.'),
    perEntry: z
      .number()
      .min(0)
      .max(1000)
      .default(0)
      .describe('Extra cycles per entry a fence invalidates (TLBs and walk caches); 0 models a flash invalidation, 1 an SRAM array cleared an entry per cycle.'),
  })
  .strict()
  .describe('What a fence costs in the TLBs, in cycles.');

const ORGANISATION_DESCRIPTION =
  "How V=1 translations are held. combined: one entry maps GVA to HPA, tagged (VMID, ASID, GVA page), at the smaller of the two stages' leaf sizes. separate: the L1s (and L2) hold VS-stage GVA-to-GPA entries and a G-stage TLB (gTlb) holds GPA-to-HPA entries, looked up in series. hybrid: combined entries in the L1s (and L2), backed by a G-stage TLB that the walker consults (gTlb, optional) and/or a combined L2. Native (V=0) translations use the L1s and L2 in every organisation, tagged V=0.";

export const mmuTlbSchema = z
  .object({
    organisation: z.enum(['combined', 'separate', 'hybrid']).default('combined').describe(ORGANISATION_DESCRIPTION),
    itlb: tlbStructureSchema.prefault(rocketL1()).describe('Level-1 instruction TLB (instruction fetch).'),
    dtlb: tlbStructureSchema.prefault(rocketL1()).describe('Level-1 data TLB (loads, stores, AMOs, HLV/HSV).'),
    l2: tlbStructureSchema.nullable().prefault(rocketL2()).describe('Shared L2 TLB behind both L1s, looked up on an L1 miss; null for none.'),
    gTlb: tlbStructureSchema
      .nullable()
      .default(null)
      .describe('G-stage TLB (GPA to HPA, tagged VMID): required by separate, optional for hybrid, not allowed for combined.'),
    asidTagging: z
      .boolean()
      .default(false)
      .describe('Entries are tagged with the ASID (satp.ASID for V=0, vsatp.ASID for V=1). Off: a satp or vsatp write that changes the ASID flushes the non-global entries the tag would have separated, counted as a satp-write / vsatp-write fence.'),
    vmidTagging: z
      .boolean()
      .default(false)
      .describe('V=1 and G-stage entries are tagged with hgatp.VMID. Off: an hgatp write that changes the VMID flushes every V=1 and G-stage entry, counted as an hgatp-write fence.'),
    gvmaByGpa: z
      .enum(['flush-vmid', 'keep-gpa'])
      .default('flush-vmid')
      .describe("How HFENCE.GVMA with an address finds combined GVA-to-HPA entries. flush-vmid: it cannot, so it drops every combined entry of the VMID. keep-gpa: each combined entry also stores its guest-physical page (and G-stage page size), and only entries whose G-stage page holds the address are dropped; the cost is the wider entry, reported as mmu.<tlb>.entryBits / storageBits."),
    fenceCost: fenceCostSchema.prefault({}).describe('What a fence costs in the TLBs, in cycles (beyond the pipeline flush the pipeline model charges).'),
    shadowWindow: z
      .number()
      .int()
      .min(0)
      .max(1e12)
      .default(10000)
      .describe('Cycles after a fence during which a page walk that refills an entry the fence dropped collaterally (outside its architectural scope) is charged to that fence (mmu.fence.<kind>.shadowWalks / shadowCycles).'),
    fenceRecordLimit: z
      .number()
      .int()
      .min(0)
      .max(10_000_000)
      .default(10000)
      .describe('Per-fence records kept for the trace writer; later fences are aggregated (exactly) but not kept.'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.organisation === 'separate' && c.gTlb === null) {
      ctx.addIssue({ code: 'custom', path: ['gTlb'], message: "organisation 'separate' needs a G-stage TLB (gTlb), which is null" });
    }
    if (c.organisation === 'combined' && c.gTlb !== null) {
      ctx.addIssue({ code: 'custom', path: ['gTlb'], message: "organisation 'combined' has no G-stage TLB; set gTlb to null or choose 'hybrid'" });
    }
  })
  .describe('TLB organisations and fence costs (cycle-approximate mode only; never changes functional results).');

export type TlbArrayConfig = z.infer<typeof tlbArraySchema>;
export type TlbStructureConfig = z.infer<typeof tlbStructureSchema>;
export type FenceCostConfig = z.infer<typeof fenceCostSchema>;
export type MmuTlbConfig = z.infer<typeof mmuTlbSchema>;
export type MmuTlbConfigInput = z.input<typeof mmuTlbSchema>;
type StructureInput = z.input<typeof tlbStructureSchema>;

/**
 * Rocket's L1 TLB (chipsalliance/rocket-chip src/main/scala/rocket/TLB.scala, ICacheParams /
 * DCacheParams defaults nTLBSets = 1, nTLBWays = 32, nTLBSuperpages = 4). Rocket sectors its 32
 * 4 KiB ways four to a tag; we model them as 32 independent entries (sectoring changes only the
 * tag count, not which translations fit).
 */
function rocketL1(): StructureInput {
  return {
    hitLatency: 0, // TLB.scala: the lookup is combinational, in the same cycle as the cache index
    arrays: [
      { entries: 32, ways: 0, replacement: 'tree-plru', seed: 1, pageSizes: ['4K'] }, // sectored_entries, SetAssocLRU(..., "plru")
      { entries: 4, ways: 0, replacement: 'tree-plru', seed: 1, pageSizes: ['2M', '1G'] }, // superpage_entries, PseudoLRU(nSuperpageEntries = 4)
    ],
  };
}

/**
 * Rocket's L2 TLB, inside the PTW (PTW.scala): RocketCoreParams nL2TLBWays = 1 (direct-mapped),
 * refilled only with 4 KiB leaves (l2_refill requires count === pgLevels-1). Rocket's default
 * nL2TLBEntries is 0; we take 512, the size BOOM's BoomCoreParams sets ("copied from Rocket"),
 * because the preset is meant to show a two-level TLB. Rocket does not refill superpages into
 * it at all; here they are splintered into 4 KiB entries instead.
 */
function rocketL2(): StructureInput {
  return {
    hitLatency: 3, // assumption: the PTW reads the SRAM one cycle, checks the tag the next, and responds to the L1 TLB the cycle after
    arrays: [{ entries: 512, ways: 1, replacement: 'lru', seed: 3, pageSizes: ['4K'] }],
  };
}

/** Partial TLB configurations (the `tlb` section of the MMU configuration) by preset name. */
export const MMU_TLB_PRESETS: Record<PresetName, MmuTlbConfigInput> = {
  // Small enough that unit tests see evictions and splintering quickly; no hardware behind it.
  tiny: {
    organisation: 'combined',
    itlb: { hitLatency: 0, arrays: [{ entries: 4, ways: 0, replacement: 'lru', seed: 1, pageSizes: ['4K', '2M', '1G'] }] },
    dtlb: { hitLatency: 0, arrays: [{ entries: 4, ways: 0, replacement: 'lru', seed: 2, pageSizes: ['4K', '2M', '1G'] }] },
    l2: { hitLatency: 2, arrays: [{ entries: 16, ways: 4, replacement: 'lru', seed: 3, pageSizes: ['4K'] }] },
    gTlb: null,
    asidTagging: true,
    vmidTagging: true,
    gvmaByGpa: 'flush-vmid',
    fenceCost: { sfenceVma: 1, hfenceVvma: 1, hfenceGvma: 1, sinval: 1, sfenceWInval: 0, sfenceInvalIr: 0, atpFlush: 1, perEntry: 0 },
    shadowWindow: 1000,
    fenceRecordLimit: 1000,
  },

  // Rocket-like (chipsalliance/rocket-chip src/main/scala/rocket/TLB.scala and PTW.scala).
  'inorder-default': {
    organisation: 'combined', // TLBEntryData holds both stages' permissions (sr/sw/sx and hr/hw/hx) and the final PPN
    itlb: rocketL1(),
    dtlb: rocketL1(),
    l2: rocketL2(),
    gTlb: null, // Rocket has no G-stage TLB
    asidTagging: false, // TLBEntry tags only tag_vpn and tag_v; ASIdBits defaults to 0 (SFENCE with rs2 drops every non-global entry)
    vmidTagging: false, // VMIdBits defaults to 0; no VMID in TLBEntry
    gvmaByGpa: 'flush-vmid', // TLB.scala sfence: with hg set, e.invalidate(hv || hg) drops every V=1 entry whatever rs1
    fenceCost: { sfenceVma: 1, hfenceVvma: 1, hfenceGvma: 1, sinval: 1, sfenceWInval: 0, sfenceInvalIr: 0, atpFlush: 1, perEntry: 0 }, // TLB.scala: "SFENCE.VMA will kill TLB entries based on rs1 and rs2. It will take 1 cycle."
    shadowWindow: 10000, // ours: a sweep parameter, not a hardware one
    fenceRecordLimit: 10000,
  },

  // CVA6: openhwgroup/cva6 core/include/cv64a6_imafdch_sv39_config_pkg.sv (sizes) and
  // core/mmu_sv39x4/cva6_tlb_sv39x4.sv (entry format, flush logic).
  'cva6-like': {
    organisation: 'combined', // cva6_tlb_sv39x4: each entry holds the VS-stage pte and the G-stage gpte together
    itlb: {
      hitLatency: 0, // the lookup is combinational (always_comb translation block)
      arrays: [{ entries: 16, ways: 0, replacement: 'tree-plru', seed: 1, pageSizes: ['4K', '2M', '1G'] }], // CVA6ConfigInstrTlbEntries = 16, fully associative, plru_tree, is_s_2M/is_s_1G tags
    },
    dtlb: {
      hitLatency: 0,
      arrays: [{ entries: 16, ways: 0, replacement: 'tree-plru', seed: 2, pageSizes: ['4K', '2M', '1G'] }], // CVA6ConfigDataTlbEntries = 16
    },
    l2: null, // no shared TLB in this configuration
    gTlb: null,
    asidTagging: true, // tags_q[i].asid, matched unless content_q[i].pte.g
    vmidTagging: true, // tags_q[i].vmid
    gvmaByGpa: 'keep-gpa', // flush_gvma_i compares gpaddr_to_be_flushed_i with make_gppn(...) of the stored VS pte (whose PPN is the GPA) at the is_g_2M/is_g_1G size
    fenceCost: { sfenceVma: 1, hfenceVvma: 1, hfenceGvma: 1, sinval: 1, sfenceWInval: 0, sfenceInvalIr: 0, atpFlush: 1, perEntry: 0 }, // update_flush is one always_comb pass: tags_n valid bits cleared in one cycle
    shadowWindow: 10000, // ours
    fenceRecordLimit: 10000,
  },
};
