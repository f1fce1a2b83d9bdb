/**
 * Parameters of the memory-hierarchy timing models (the `caches` section of the run
 * configuration; pipeline/config.ts mounts it) and the named presets. The schema's defaults are
 * the `inorder-default` preset. Every preset number carries a comment naming its source; the
 * few that no public configuration fixes say so and say what they assume.
 */
import { z } from 'zod';

const replacementSchema = z
  .enum(['lru', 'tree-plru', 'random'])
  .describe('Victim choice in a full set: true LRU, tree pseudo-LRU (power-of-two ways), or random from a seeded xorshift32 generator. An invalid way is always taken first.');

const writePolicySchema = z
  .enum(['write-back', 'write-through'])
  .describe('write-back: write-allocate, dirty victims are written to the next level (off the critical path). write-through: no-write-allocate, every store goes to the next level through a write buffer assumed never full, so a store costs the hit latency.');

interface LevelDefaults {
  sizeBytes: number;
  ways: number;
  lineBytes: number;
  hitLatency: number;
  replacement: z.infer<typeof replacementSchema>;
  seed: number;
}

function levelShape(d: LevelDefaults) {
  return {
    sizeBytes: z.number().int().positive().default(d.sizeBytes).describe('Capacity in bytes; sizeBytes / (ways * lineBytes) is the number of sets and must be a power of two.'),
    ways: z.number().int().positive().max(1024).default(d.ways).describe('Associativity (1: direct-mapped; ways = sizeBytes / lineBytes: fully associative).'),
    lineBytes: z.number().int().min(8).max(4096).default(d.lineBytes).describe('Line size in bytes, a power of two of at least 8 so that no PTE straddles two lines.'),
    hitLatency: z.number().int().nonnegative().default(d.hitLatency).describe('Cycles from request to data on a hit; a miss adds the latency of the level below. In detailed mode an L1 hit is the pipeline stage itself (IF or MEM, one cycle), so the L1s\' hitLatency does not change a hit\'s cost; the pipeline stalls for what an access costs beyond it.'),
    replacement: replacementSchema.default(d.replacement),
    seed: z.number().int().nonnegative().max(0xffff_ffff).default(d.seed).describe('Seed of the random replacement generator: the same seed gives the same victims.'),
  };
}

type Geometry = Pick<LevelDefaults, 'sizeBytes' | 'ways' | 'lineBytes' | 'replacement'>;

/** Geometry rules the cache model relies on, reported at the offending field. */
function checkGeometry(c: Geometry, ctx: z.RefinementCtx): void {
  const pow2 = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
  if (!pow2(c.lineBytes)) ctx.addIssue({ code: 'custom', path: ['lineBytes'], message: `lineBytes must be a power of two, got ${c.lineBytes}` });
  const sets = c.sizeBytes / (c.ways * c.lineBytes);
  if (!pow2(sets)) {
    ctx.addIssue({ code: 'custom', path: ['sizeBytes'], message: `sizeBytes / (ways * lineBytes) = ${sets} sets; it must be a power of two` });
  }
  if (c.replacement === 'tree-plru' && !pow2(c.ways)) {
    ctx.addIssue({ code: 'custom', path: ['ways'], message: `tree-plru needs a power-of-two number of ways, got ${c.ways}` });
  }
}

// Defaults: the inorder-default preset (sources at PRESETS below).
const L1I_DEFAULTS: LevelDefaults = { sizeBytes: 16 * 1024, ways: 4, lineBytes: 64, hitLatency: 2, replacement: 'random', seed: 1 };
const L1D_DEFAULTS: LevelDefaults = { sizeBytes: 32 * 1024, ways: 8, lineBytes: 64, hitLatency: 2, replacement: 'random', seed: 2 };
const L2_DEFAULTS: LevelDefaults = { sizeBytes: 512 * 1024, ways: 8, lineBytes: 64, hitLatency: 20, replacement: 'random', seed: 3 };

export const l1iSchema = z
  .object(levelShape(L1I_DEFAULTS))
  .strict()
  .superRefine(checkGeometry)
  .describe('L1 instruction cache (read-only: instruction fetch).');

export const l1dSchema = z
  .object({ ...levelShape(L1D_DEFAULTS), writePolicy: writePolicySchema.default('write-back') })
  .strict()
  .superRefine(checkGeometry)
  .describe('L1 data cache (loads, stores, and page-table walks when walkerLevel is l1d).');

export const l2Schema = z
  .object({
    ...levelShape(L2_DEFAULTS),
    writePolicy: writePolicySchema.default('write-back'),
    inclusion: z
      .enum(['inclusive', 'non-inclusive'])
      .default('inclusive')
      .describe('inclusive: an L2 eviction back-invalidates the line in the L1I and L1D (a dirty L1D copy is written back with it). non-inclusive: the L1s keep their copies; an L1 write-back that misses the L2 allocates there without a fetch.'),
  })
  .strict()
  .superRefine(checkGeometry)
  .describe('Unified L2 cache behind the L1I and L1D; null for none.');

export const rowBufferSchema = z
  .object({
    // Defaults: one DDR3-1600K (11-11-11) rank seen from an 800 MHz core, JESD79-3: 8 banks; a
    // 1 KiB page per x8 device, 8 devices per 64-bit rank; tCL = tRCD = tRP = 13.75 ns = 11 cycles.
    banks: z.number().int().positive().max(1024).default(8).describe('Banks, each with one open row; rows are interleaved across banks.'),
    rowBytes: z.number().int().positive().default(8192).describe('Bytes per row (DRAM page) across the rank.'),
    rowHitLatency: z.number().int().nonnegative().default(15).describe('Cycles for an access to the open row (default: tCL 11 + 4 for a BL8 burst).'),
    rowMissLatency: z.number().int().nonnegative().default(37).describe('Cycles when another row must be opened (default: tRP + tRCD + tCL + burst = 11 + 11 + 11 + 4).'),
  })
  .strict()
  .describe('Open-row buffer model: bank = (pa / rowBytes) mod banks, row = pa / (rowBytes * banks).');

export const dramSchema = z
  .object({
    latency: z.number().int().nonnegative().default(40).describe('Fixed access latency in cycles (used when rowBuffer is null).'),
    rowBuffer: rowBufferSchema.nullable().default(null).describe('Open-row model replacing the fixed latency; null for the fixed latency.'),
    transferCycles: z
      .number()
      .int()
      .nonnegative()
      .default(8)
      .describe('Minimum cycles between two line transfers on the memory channel (bandwidth); an access finding the channel busy waits (caches.dram.queueCycles). 0: unlimited bandwidth.'),
  })
  .strict();

export const cachesSchema = z
  .object({
    l1i: l1iSchema.prefault({}).describe('Level-1 instruction cache (instruction fetch).'),
    l1d: l1dSchema.prefault({}).describe('Level-1 data cache (loads, stores, AMOs; page-table walks when walkerLevel is l1d).'),
    l2: l2Schema.nullable().prefault({}).describe('Unified level-2 cache; null for none (the L1s then talk to DRAM).'),
    walkerLevel: z
      .enum(['l1d', 'l2'])
      .default('l1d')
      .describe('Where page-table-walker PTE reads enter the hierarchy: the L1D (as in Rocket and CVA6) or the L2, bypassing the L1D.'),
    dram: dramSchema.prefault({}).describe('Main memory: latency, optional open-row model and bandwidth.'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.walkerLevel === 'l2' && c.l2 === null) {
      ctx.addIssue({ code: 'custom', path: ['walkerLevel'], message: "walkerLevel is 'l2' but caches.l2 is null" });
    }
    if (c.l2 !== null) {
      // An L1 fill is one L2 access, so an L1 line must fit in one L2 line.
      for (const l1 of ['l1i', 'l1d'] as const) {
        if (c[l1].lineBytes > c.l2.lineBytes) {
          ctx.addIssue({ code: 'custom', path: ['l2', 'lineBytes'], message: `l2.lineBytes (${c.l2.lineBytes}) is smaller than ${l1}.lineBytes (${c[l1].lineBytes})` });
        }
      }
    }
  })
  .describe('Memory-hierarchy timing (cycle-approximate mode only; never changes functional results).');

export type CachesConfig = z.infer<typeof cachesSchema>;
export type CachesConfigInput = z.input<typeof cachesSchema>;

export type PresetName = 'tiny' | 'inorder-default' | 'cva6-like';

/** Partial run configurations (the `caches` section) by preset name. */
export const PRESETS: Record<PresetName, { caches: CachesConfigInput }> = {
  // Small enough that unit tests see every kind of eviction quickly; no hardware behind it.
  tiny: {
    caches: {
      l1i: { sizeBytes: 1024, ways: 2, lineBytes: 32, hitLatency: 1, replacement: 'lru', seed: 1 },
      l1d: { sizeBytes: 1024, ways: 2, lineBytes: 32, hitLatency: 1, replacement: 'lru', seed: 2, writePolicy: 'write-back' },
      l2: { sizeBytes: 4096, ways: 4, lineBytes: 64, hitLatency: 4, replacement: 'lru', seed: 3, writePolicy: 'write-back', inclusion: 'non-inclusive' },
      walkerLevel: 'l1d',
      dram: { latency: 20, rowBuffer: null, transferCycles: 0 },
    },
  },

  // Rocket-like: chipsalliance/rocket-chip src/main/scala/rocket/ICache.scala, HellaCache.scala
  // (ICacheParams, DCacheParams), rocket/Configs.scala, subsystem/Configs.scala and
  // chipsalliance/rocket-chip-inclusive-cache design/craft/inclusivecache/src/Configs.scala.
  'inorder-default': {
    caches: {
      l1i: {
        sizeBytes: 16 * 1024, // ICacheParams defaults nSets = 64 x nWays = 4 x blockBytes = 64 (Chipyard RocketConfig: "16 KiB, 4-way")
        ways: 4, // ICacheParams.nWays = 4
        lineBytes: 64, // CacheBlockBytes = 64 (ICacheParams.blockBytes)
        hitLatency: 2, // ICacheParams.latency = 2
        replacement: 'random', // ICacheParams.replacement = new RandomReplacement(nWays)
        seed: 1, // ours: any fixed seed
      },
      l1d: {
        sizeBytes: 32 * 1024, // DCacheParams(nSets = 64, nWays = 8) of WithNHugeCores (the default 4-way DCacheParams is 16 KiB)
        ways: 8, // WithNHugeCores: DCacheParams nWays = 8
        lineBytes: 64, // DCacheParams.blockBytes = CacheBlockBytes = 64
        hitLatency: 2, // HellaCache pipeline: request in s0, tags/data read in s1, response in s2
        replacement: 'random', // DCacheParams.replacementPolicy = "random"
        seed: 2, // ours
        writePolicy: 'write-back', // Rocket's DCache is write-back, write-allocate
      },
      l2: {
        sizeBytes: 512 * 1024, // WithInclusiveCache(capacityKB = 512)
        ways: 8, // WithInclusiveCache(nWays = 8)
        lineBytes: 64, // CacheBlockBytes = 64
        hitLatency: 20, // assumption: InclusiveCache has no latency parameter; 20 cycles stands for its directory + banked-store pipeline and the TileLink crossbar
        replacement: 'random', // InclusiveCache Directory.scala: victimLFSR
        seed: 3, // ours
        writePolicy: 'write-back', // InclusiveCache holds dirty data (DirectoryEntry.dirty)
        inclusion: 'inclusive', // InclusiveCache: inclusive of the L1s (probes them on eviction)
      },
      walkerLevel: 'l1d', // Rocket's PTW reads PTEs through the L1 data cache (PTW.scala, HellaCache port)
      dram: {
        latency: 40, // WithInclusiveCache(outerLatencyCycles = 40): "memory round-trip (50ns @ 800MHz)"
        rowBuffer: null, // no source for a row model; the fixed round-trip above
        transferCycles: 8, // 64-byte line over MemoryBusParams(beatBytes = XLen/8 = 8): 8 beats, assuming one beat per core cycle
      },
    },
  },

  // CVA6: openhwgroup/cva6 core/include/cv64a6_imafdch_sv39_config_pkg.sv (the H-extension
  // configuration), core/cache_subsystem/cva6_icache.sv and wt_dcache_*.sv.
  'cva6-like': {
    caches: {
      l1i: {
        sizeBytes: 16 * 1024, // CVA6ConfigIcacheByteSize = 16384
        ways: 4, // CVA6ConfigIcacheSetAssoc = 4
        lineBytes: 16, // CVA6ConfigIcacheLineWidth = 128 bits
        hitLatency: 1, // cva6_icache.sv: request accepted in IDLE, tag compare and data valid in READ, the next cycle
        replacement: 'random', // cva6_icache.sv: first invalid way, else an LFSR way ("chose random replacement if all are valid")
        seed: 1, // ours
      },
      l1d: {
        sizeBytes: 32 * 1024, // CVA6ConfigDcacheByteSize = 32768
        ways: 8, // CVA6ConfigDcacheSetAssoc = 8
        lineBytes: 16, // CVA6ConfigDcacheLineWidth = 128 bits
        hitLatency: 2, // wt_dcache: tag/data read the cycle after the request, plus CVA6ConfigNrLoadPipeRegs = 1
        replacement: 'random', // wt_dcache_missunit.sv: first invalid way, else an 8-bit LFSR (i_lfsr_inv)
        seed: 2, // ours
        writePolicy: 'write-through', // CVA6ConfigDcacheType = WT; write misses pass through (no allocate); CVA6ConfigWtDcacheWbufDepth = 8
      },
      l2: null, // the core's cache subsystem talks AXI straight to memory (no L2 in this configuration)
      walkerLevel: 'l1d', // CVA6's PTW reads PTEs through a D-cache port
      dram: {
        latency: 40, // assumption: no DRAM in the config package; the same 50 ns @ 800 MHz as inorder-default so the presets compare cores, not memories
        rowBuffer: null, // no source for a row model
        transferCycles: 2, // 16-byte line over CVA6ConfigAxiDataWidth = 64 bits: 2 beats, one per core cycle
      },
    },
  },
};

/**
 * Numbers of the presets that are not cache parameters, kept as data with their sources until
 * the TLB and predictor models get their own schema sections (the lead routes them there).
 */
export const PRESET_EXTRAS = {
  'inorder-default': {
    // rocket-chip: ICacheParams/DCacheParams nTLBSets = 1, nTLBWays = 32 (fully associative), nTLBSuperpages = 4.
    itlb: { entries: 32, associativity: 'full' },
    dtlb: { entries: 32, associativity: 'full' },
    sharedTlbEntries: 0, // RocketCoreParams.nL2TLBEntries = 0
    pageWalkCacheEntries: 8, // RocketCoreParams.nPTECacheEntries = 8
    walkers: 1, // one PTW per tile
    walkerLevel: 'l1d',
    btbEntries: 28, // BTBParams.nEntries = 28
    rasEntries: 6, // BTBParams.nRAS = 6
    bhtEntries: 512, // BHTParams.nEntries = 512
  },
  'cva6-like': {
    // cv64a6_imafdch_sv39_config_pkg.sv and core/mmu_sv39x4/cva6_tlb_sv39x4.sv.
    itlb: { entries: 16, associativity: 'full', replacement: 'tree-plru', combinedVsG: true }, // CVA6ConfigInstrTlbEntries = 16; plru_tree; entries hold VS-stage and G-stage PTEs together
    dtlb: { entries: 16, associativity: 'full', replacement: 'tree-plru', combinedVsG: true }, // CVA6ConfigDataTlbEntries = 16
    sharedTlbEntries: 0, // no shared (L2) TLB in this configuration
    pageWalkCacheEntries: 0, // no page-walk cache
    walkers: 1, // one PTW (cva6_ptw_sv39x4)
    walkerLevel: 'l1d', // PTE reads through the D-cache
    btbEntries: 32, // CVA6ConfigBTBEntries = 32
    rasEntries: 2, // CVA6ConfigRASDepth = 2
    bhtEntries: 128, // CVA6ConfigBHTEntries = 128
    writeBufferEntries: 8, // CVA6ConfigWtDcacheWbufDepth = 8 (modelled as never full)
  },
} as const;
