/**
 * Parameters of the timed page walker's caches (issue 5): a page-walk cache of non-leaf
 * first-stage PTEs (native and VS-stage), one of non-leaf G-stage PTEs, and a nested TLB of the
 * G-stage translations of guest page-table pages (Bhargava et al., "Accelerating Two-Dimensional
 * Page Walks for Virtualized Systems", ASPLOS 2008). The page-walk cache organisations are those
 * of Barr, Cox and Rixner, "Translation Caching: Skip, Don't Walk (the Page Table)", ISCA 2010.
 * The schema's defaults are the `inorder-default` preset; every preset number names its source.
 */
import { z } from 'zod';

const replacementSchema = z
  .enum(['lru', 'tree-plru', 'random'])
  .describe('Victim choice in a full set (caches/replacement.ts): true LRU, tree pseudo-LRU (power-of-two ways), or random from a seeded generator. An invalid way is always taken first.');

const organisationSchema = z
  .enum(['none', 'split', 'unified', 'tpc'])
  .describe(
    "Barr et al. (ISCA 2010): 'split' one array per non-leaf level; 'unified' one array whose entries are tagged with their level; 'tpc' a translation-path cache, each entry the path of one page's upper indices, matched by longest prefix (fully associative); 'none' no cache.",
  );

/** Non-leaf levels: 1 (the PTE pointing to a 4 KiB-page table) up to 4 (Sv57's root). */
export const MAX_NONLEAF_LEVEL = 4;

interface PwcDefaults {
  organisation: z.infer<typeof organisationSchema>;
  entries: number;
  ways: number;
  replacement: z.infer<typeof replacementSchema>;
  seed: number;
  latency: number;
}

function pwcSchema(d: PwcDefaults) {
  return z
    .object({
      organisation: organisationSchema.default(d.organisation),
      entries: z
        .number()
        .int()
        .min(1)
        .max(4096)
        .default(d.entries)
        .describe("Entries: of each level's array for 'split', of the whole cache for 'unified' and 'tpc'."),
      entriesByLevel: z
        .array(z.number().int().min(1).max(4096))
        .min(1)
        .max(MAX_NONLEAF_LEVEL)
        .nullable()
        .default(null)
        .describe("'split' only: entries of each level's array, level 1 first (a level past the list's end takes its last value); null: `entries` for every level."),
      ways: z
        .number()
        .int()
        .min(0)
        .max(4096)
        .default(d.ways)
        .describe("Associativity of each array (0: fully associative); it must divide the array's entries. 'tpc' must be 0: a prefix match cannot index a set."),
      replacement: replacementSchema.default(d.replacement),
      seed: z.number().int().nonnegative().max(0xffff_ffff).default(d.seed).describe('Seed of the random replacement generator: the same seed gives the same victims.'),
      latency: z.number().int().nonnegative().max(1000).default(d.latency).describe('Cycles one lookup adds to a walk (all levels are looked up in parallel; the deepest hit wins).'),
    })
    .strict()
    .superRefine(checkPwc);
}

type PwcShape = { organisation: string; entries: number; entriesByLevel: number[] | null; ways: number; replacement: string };

/** The geometry rules the key store relies on, reported at the offending field. */
function checkPwc(c: PwcShape, ctx: z.RefinementCtx): void {
  if (c.organisation === 'none') return;
  if (c.organisation === 'tpc' && c.ways !== 0) {
    ctx.addIssue({ code: 'custom', path: ['ways'], message: `a translation-path cache is fully associative: ways must be 0, got ${c.ways}` });
    return;
  }
  if (c.entriesByLevel !== null && c.organisation !== 'split') {
    ctx.addIssue({ code: 'custom', path: ['entriesByLevel'], message: `entriesByLevel is for the 'split' organisation only, not '${c.organisation}'` });
  }
  const sizes = c.organisation === 'split' && c.entriesByLevel !== null ? c.entriesByLevel : [c.entries];
  for (const n of sizes) checkGeometry(n, c.ways, c.replacement, ctx);
}

function checkGeometry(entries: number, ways: number, replacement: string, ctx: z.RefinementCtx): void {
  const assoc = ways === 0 ? entries : ways;
  if (entries % assoc !== 0) {
    ctx.addIssue({ code: 'custom', path: ['ways'], message: `ways (${ways}) must divide the entries of every array (${entries})` });
  } else if (replacement === 'tree-plru' && (assoc & (assoc - 1)) !== 0) {
    ctx.addIssue({ code: 'custom', path: ['ways'], message: `tree-plru needs a power-of-two associativity, got ${assoc} (entries ${entries}, ways ${ways})` });
  }
}

export const nestedTlbSchema = z
  .object({
    entries: z.number().int().min(1).max(4096).default(8).describe('Entries, each the G-stage translation of one 4 KiB guest page-table page (VMID, GPA page → HPA page).'),
    ways: z.number().int().min(0).max(4096).default(0).describe('Associativity (0: fully associative); it must divide entries.'),
    replacement: replacementSchema.default('tree-plru'),
    seed: z.number().int().nonnegative().max(0xffff_ffff).default(1).describe('Seed of the random replacement generator.'),
    latency: z.number().int().nonnegative().max(1000).default(1).describe('Cycles one lookup adds to a walk.'),
  })
  .strict()
  .superRefine((c, ctx) => checkGeometry(c.entries, c.ways, c.replacement, ctx))
  .describe('Nested TLB (Bhargava et al., ASPLOS 2008): a hit skips the whole G-stage walk of a VS-stage page-table page.');

// Defaults: the inorder-default preset (sources at WALKER_PRESETS below).
export const walkerSchema = z
  .object({
    pwcFirst: pwcSchema({ organisation: 'unified', entries: 8, ways: 0, replacement: 'tree-plru', seed: 1, latency: 1 })
      .prefault({})
      .describe(
        'Page-walk cache of non-leaf first-stage PTEs: native (V=0) and VS-stage walks; entries tagged with V, VMID (V=1) and ASID. A hit at level i skips the reads at levels LEVELS-1..i and, for the VS-stage, the G-stage walks of their addresses.',
      ),
    pwcG: pwcSchema({ organisation: 'unified', entries: 8, ways: 0, replacement: 'tree-plru', seed: 2, latency: 1 })
      .prefault({})
      .describe('Page-walk cache of non-leaf G-stage PTEs, entries tagged with the VMID and keyed by guest-physical page bits (the x4 root index has 11 bits).'),
    nestedTlb: nestedTlbSchema.nullable().default(null).describe('Nested TLB for guest page-table pages; null for none.'),
    ptPagesViaGTlb: z
      .boolean()
      .default(false)
      .describe("Also consult (and fill) the TLB organisation's G-stage TLB for the G-stage translations of guest page-table pages, after a nested-TLB miss. The final GPA always goes to it when the organisation has one."),
  })
  .strict()
  .describe('Page-walk caches and nested TLB of the timed walker (cycle-approximate mode only; never changes functional results).');

export type WalkerConfig = z.infer<typeof walkerSchema>;
export type WalkerConfigInput = z.input<typeof walkerSchema>;
export type PwcConfig = WalkerConfig['pwcFirst'];
export type NestedTlbConfig = z.infer<typeof nestedTlbSchema>;

export type WalkerPresetName = 'tiny' | 'inorder-default' | 'cva6-like';

/** Partial run configurations (the `walker` section) by preset name. */
export const WALKER_PRESETS: Record<WalkerPresetName, { walker: WalkerConfigInput }> = {
  // Small enough that unit tests see every kind of eviction quickly; no hardware behind it.
  tiny: {
    walker: {
      pwcFirst: { organisation: 'split', entries: 2, entriesByLevel: null, ways: 0, replacement: 'lru', seed: 1, latency: 1 },
      pwcG: { organisation: 'split', entries: 2, entriesByLevel: null, ways: 0, replacement: 'lru', seed: 2, latency: 1 },
      nestedTlb: { entries: 4, ways: 0, replacement: 'lru', seed: 3, latency: 1 },
      ptPagesViaGTlb: false,
    },
  },

  // Rocket-like: chipsalliance/rocket-chip src/main/scala/rocket/PTW.scala (makePTECache) and
  // RocketCoreParams.nPTECacheEntries. Rocket's PTE caches are tagged by the physical (or, for
  // the VS-stage, guest-physical) address of the PTE rather than by page-number bits, which for
  // one set of page tables hits exactly where a unified page-walk cache does; its walker probes
  // them level by level from the root, where ours takes the deepest hit of a parallel lookup.
  'inorder-default': {
    walker: {
      pwcFirst: {
        organisation: 'unified', // one PTE cache for every non-leaf level (tags: PTE address, plus the vstage1 bit)
        entries: 8, // RocketCoreParams.nPTECacheEntries = 8; Rocket has one such cache for native and one (makePTECache(true)) for VS-stage PTEs, ours is shared by both
        entriesByLevel: null,
        ways: 0, // a Vec of tags compared all at once: fully associative
        replacement: 'tree-plru', // makePTECache: new PseudoLRU(nPTECacheEntries)
        seed: 1, // ours (unused by tree-plru)
        latency: 1, // PTW.scala s_req: a PTE-cache hit advances one level per cycle instead of issuing a D$ read
      },
      pwcG: {
        organisation: 'unified', // the G-stage PTEs of a two-stage walk go through makePTECache(false) (can_hit: vstage1 && stage2)
        entries: 8, // RocketCoreParams.nPTECacheEntries = 8
        entriesByLevel: null,
        ways: 0, // fully associative
        replacement: 'tree-plru', // PseudoLRU
        seed: 2, // ours (unused)
        latency: 1, // one s_req cycle per hit
      },
      nestedTlb: null, // Rocket keeps no G-stage leaf translation of guest page-table pages (its VS PTE cache skips both the G-walk and the read instead)
      ptPagesViaGTlb: false, // Rocket's TLBs are not consulted by its PTW
    },
  },

  // CVA6: openhwgroup/cva6 core/mmu_sv39x4/cva6_ptw_sv39x4.sv walks every level of both stages
  // through the D-cache; the configuration package (cv64a6_imafdch_sv39_config_pkg.sv) has no
  // page-walk cache (cache-config.ts PRESET_EXTRAS: pageWalkCacheEntries = 0).
  'cva6-like': {
    walker: {
      pwcFirst: { organisation: 'none', entries: 1, entriesByLevel: null, ways: 0, replacement: 'lru', seed: 1, latency: 0 }, // no page-walk cache
      pwcG: { organisation: 'none', entries: 1, entriesByLevel: null, ways: 0, replacement: 'lru', seed: 2, latency: 0 }, // no page-walk cache
      nestedTlb: null, // none
      ptPagesViaGTlb: false, // the PTW does not consult the TLBs for page-table pages
    },
  },
};
