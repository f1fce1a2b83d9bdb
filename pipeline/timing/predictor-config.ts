/**
 * Parameters of the branch-prediction model (the `predictor` section of the timing
 * configuration) and the named presets. The schema's defaults are the `inorder-default` preset.
 * Every preset number carries a comment naming its source; numbers no public configuration fixes
 * say so and say what they assume.
 */
import { z } from 'zod';

const pow2 = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

export const bhtSchema = z
  .object({
    entries: z.number().int().min(1).max(1 << 20).default(512).describe('Counters in the branch history table, a power of two (indexed by pc bits, XOR global history for gshare).'),
    counterBits: z
      .number()
      .int()
      .min(1)
      .max(4)
      .default(1)
      .describe('Width of each saturating counter; it predicts taken in its upper half (1: the last outcome; 2: the classic two-bit counter).'),
    counterInit: z
      .enum(['strongly-not-taken', 'weakly-not-taken', 'weakly-taken', 'strongly-taken'])
      .default('strongly-not-taken')
      .describe('Reset value of every counter (for 1-bit counters weakly and strongly coincide).'),
    historyBits: z
      .number()
      .int()
      .min(0)
      .max(20)
      .default(3)
      .describe('gshare: outcomes of the most recent conditional branches XORed into the index (at most log2(entries)); ignored by the other predictors.'),
    coldFallback: z
      .enum(['none', 'btfn'])
      .default('none')
      .describe("What an entry no branch has trained yet predicts: its counter ('none') or backward-taken/forward-not-taken ('btfn', as CVA6: a valid bit per entry)."),
  })
  .strict()
  .describe('Branch history table of the bimodal and gshare predictors.');

export const btbSchema = z
  .object({
    entries: z.number().int().min(0).max(1 << 16).default(28).describe('Branch target buffer entries; entries / ways sets, a power of two. 0: no BTB.'),
    ways: z.number().int().min(1).max(1 << 16).default(28).describe('Associativity (ways = entries: fully associative).'),
    replacement: z
      .enum(['lru', 'tree-plru', 'random'])
      .default('lru')
      .describe('Victim in a full set (caches/replacement.ts); an invalid way is always taken first.'),
    seed: z.number().int().nonnegative().max(0xffff_ffff).default(1).describe('Seed of the random replacement generator.'),
    tagged: z
      .boolean()
      .default(true)
      .describe('Entries hold the full branch pc and hit only for it; false: an untagged direct-mapped table (ways must be 1) where every pc with the same index hits, as in CVA6.'),
  })
  .strict()
  .describe('Branch target buffer: the targets the fetch stage redirects to.');

export const rasSchema = z
  .object({
    entries: z
      .number()
      .int()
      .min(0)
      .max(1024)
      .default(6)
      .describe('Return-address stack depth. A push onto a full stack overwrites the oldest entry; a return finding it empty is mispredicted. 0: returns are predicted by the BTB like any JALR.'),
  })
  .strict();

export const predictorSchema = z
  .object({
    direction: z
      .enum(['static-not-taken', 'btfn', 'bimodal', 'gshare'])
      .default('gshare')
      .describe('Conditional-branch direction predictor: always not taken; backward taken / forward not taken (from the sign of the decoded offset); a table of saturating counters indexed by pc (bimodal) or by pc XOR global history (gshare).'),
    bht: bhtSchema.prefault({}),
    btb: btbSchema.prefault({}),
    ras: rasSchema.prefault({}),
    frontEnd: z
      .enum(['btb', 'scan'])
      .default('btb')
      .describe("Where predictions redirect fetch. 'btb': the fetch stage looks the fetch pc up in the BTB and a hit redirects it at once (no bubble); every taken control transfer allocates an entry. 'scan': the front end predicts from the fetched bits (CVA6 frontend.sv): direct targets from the immediate, returns from the RAS, other JALRs from a BTB that holds only them; every correctly predicted taken transfer still costs the front-end redirect."),
    jalResolvedInDecode: z
      .boolean()
      .default(true)
      .describe('A JAL the fetch stage missed (no BTB hit or a wrong target) is redirected by decode to its decoded target: PenaltyClass.FrontEnd instead of Execute.'),
    branchesResolvedInDecode: z
      .boolean()
      .default(true)
      .describe('A conditional branch the direction predictor calls taken but whose target the fetch stage lacked is redirected by decode to its decoded target: PenaltyClass.FrontEnd when the direction was right.'),
  })
  .strict()
  .superRefine((c, ctx) => {
    const issue = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (!pow2(c.bht.entries)) issue(['bht', 'entries'], `bht.entries must be a power of two, got ${c.bht.entries}`);
    else if (c.direction === 'gshare' && c.bht.historyBits > Math.log2(c.bht.entries)) {
      issue(['bht', 'historyBits'], `gshare XORs the history into the index: bht.historyBits (${c.bht.historyBits}) must be at most log2(bht.entries) = ${Math.log2(c.bht.entries)}`);
    }
    const b = c.btb;
    if (b.entries > 0) {
      const sets = b.entries / b.ways;
      if (!pow2(sets)) issue(['btb', 'entries'], `btb.entries / btb.ways = ${sets} sets; it must be a power of two`);
      if (b.replacement === 'tree-plru' && !pow2(b.ways)) issue(['btb', 'ways'], `tree-plru needs a power-of-two number of ways, got ${b.ways}`);
      if (!b.tagged && b.ways !== 1) issue(['btb', 'ways'], `an untagged BTB is direct-mapped: btb.ways must be 1, got ${b.ways}`);
    }
    if (c.frontEnd === 'scan') {
      // The scan computes direct targets from the immediate: that is the decode-stage redirect.
      if (!c.jalResolvedInDecode) issue(['jalResolvedInDecode'], "frontEnd 'scan' takes JAL targets from the decoded immediate: jalResolvedInDecode must be true");
      if (!c.branchesResolvedInDecode) issue(['branchesResolvedInDecode'], "frontEnd 'scan' takes branch targets from the decoded immediate: branchesResolvedInDecode must be true");
    }
  })
  .describe('Branch prediction (cycle-approximate mode only; never changes functional results).');

export type PredictorConfig = z.infer<typeof predictorSchema>;
export type PredictorConfigInput = z.input<typeof predictorSchema>;

export type PredictorPresetName = 'tiny' | 'inorder-default' | 'cva6-like';

/** Partial run configurations (the `predictor` section) by preset name. */
export const PREDICTOR_PRESETS: Record<PredictorPresetName, { predictor: PredictorConfigInput }> = {
  // Small enough that unit tests see aliasing, BTB evictions and RAS overflow quickly; no
  // hardware behind it. Everything the fetch stage misses waits for execute.
  tiny: {
    predictor: {
      direction: 'bimodal',
      bht: { entries: 16, counterBits: 2, counterInit: 'weakly-not-taken', historyBits: 0, coldFallback: 'none' },
      btb: { entries: 4, ways: 2, replacement: 'lru', seed: 1, tagged: true },
      ras: { entries: 2 },
      frontEnd: 'btb',
      jalResolvedInDecode: false,
      branchesResolvedInDecode: false,
    },
  },

  // Rocket-like: chipsalliance/rocket-chip src/main/scala/rocket/BTB.scala (BTBParams,
  // BHTParams, class BTB, BHT, RAS) and Frontend.scala (the s2 instruction scan).
  'inorder-default': {
    predictor: {
      direction: 'gshare', // BHT.index: pc bits XOR a hash of the global history
      bht: {
        entries: 512, // BHTParams.nEntries = 512
        counterBits: 1, // BHTParams.counterLength = 1
        counterInit: 'strongly-not-taken', // BHT resets every counter to 0 (reset_waddr sweep)
        historyBits: 3, // assumption: BHTParams hashes historyLength = 8 outcomes into historyBits = 3 index bits; we XOR the 3 most recent outcomes
        coldFallback: 'none', // no valid bits: a reset counter predicts not taken
      },
      btb: {
        entries: 28, // BTBParams.nEntries = 28
        ways: 28, // class BTB: "fully-associative branch target buffer"
        replacement: 'lru', // assumption: BTB uses PseudoLRU(28), a tree over a non-power-of-two set; modelled as true LRU
        seed: 1, // ours (unused by lru)
        tagged: true, // BTB matches nMatchBits = 14 pc bits plus a page tag; modelled as an exact tag
      },
      ras: { entries: 6 }, // BTBParams.nRAS = 6; RAS.push wraps over the oldest entry
      frontEnd: 'btb', // Frontend.scala: the BTB response in s1 redirects the next fetch
      jalResolvedInDecode: true, // Frontend.scala scanInsns: predictJump redirects s2 to pc + imm on a BTB miss
      branchesResolvedInDecode: true, // Frontend.scala scanInsns: predictBranch (bht.taken) redirects s2 to pc + imm on a BTB miss
    },
  },

  // CVA6: openhwgroup/cva6 core/include/cv64a6_imafdch_sv39_config_pkg.sv (sizes) and
  // core/frontend/frontend.sv, bht.sv, btb.sv, ras.sv (behaviour).
  'cva6-like': {
    predictor: {
      direction: 'bimodal', // bht.sv: 2-bit saturating counters indexed by pc bits, no history
      bht: {
        entries: 128, // CVA6ConfigBHTEntries = 128
        counterBits: 2, // bht.sv: "2 bit saturation counter"
        counterInit: 'strongly-not-taken', // bht.sv reset: saturation_counter = 0, valid = 0
        historyBits: 0, // no global history
        coldFallback: 'btfn', // frontend.sv: an invalid BHT entry falls back to "static prediction: taken if imm negative"
      },
      btb: {
        entries: 32, // CVA6ConfigBTBEntries = 32
        ways: 1, // btb.sv: one entry per index
        replacement: 'lru', // irrelevant with one way
        seed: 1, // ours (unused)
        tagged: false, // btb.sv holds no tag ("we may want to try to put a tag field")
      },
      ras: { entries: 2 }, // CVA6ConfigRASDepth = 2; ras.sv shifts the oldest entry out on a push
      frontEnd: 'scan', // frontend.sv: instr_scan of the fetched bits; the BTB is only updated for JumpR (JALR that is not a return)
      jalResolvedInDecode: true, // frontend.sv: "unconditional jumps with known target -> immediately resolved"
      branchesResolvedInDecode: true, // frontend.sv: predict_address = addr + imm for a branch predicted taken
    },
  },
};
