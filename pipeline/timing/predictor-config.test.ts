import { describe, expect, it } from 'vitest';
import { BranchKind, BranchPredictor, PenaltyClass } from './predictor.js';
import { PREDICTOR_PRESETS, predictorSchema, type PredictorPresetName } from './predictor-config.js';

const NAMES = Object.keys(PREDICTOR_PRESETS) as PredictorPresetName[];

/** The issue paths of a failed parse, dotted. */
function issuePaths(input: unknown): string[] {
  const r = predictorSchema.safeParse(input);
  expect(r.success).toBe(false);
  return r.error?.issues.map((i) => i.path.join('.')) ?? [];
}

describe('predictor configuration schema', () => {
  it('defaults to the inorder-default preset', () => {
    expect(predictorSchema.parse({})).toEqual(predictorSchema.parse(PREDICTOR_PRESETS['inorder-default'].predictor));
  });

  it.each(NAMES)('preset %s validates and builds a predictor that learns a loop', (name) => {
    const bp = new BranchPredictor(predictorSchema.parse(PREDICTOR_PRESETS[name].predictor), null);
    for (let i = 0; i < 20; i++) bp.resolve(0x8000_0040, 0, BranchKind.Conditional, true, 0x8000_0000, 0);
    // Every preset predicts the direction by now: no flush at execute.
    expect(bp.lastPenaltyClass).not.toBe(PenaltyClass.Execute);
  });

  it('preset sizes follow their sources', () => {
    const cva6 = predictorSchema.parse(PREDICTOR_PRESETS['cva6-like'].predictor);
    expect([cva6.btb.entries, cva6.bht.entries, cva6.ras.entries]).toEqual([32, 128, 2]); // CVA6ConfigBTBEntries, BHTEntries, RASDepth
    expect([cva6.direction, cva6.bht.counterBits, cva6.btb.tagged, cva6.frontEnd]).toEqual(['bimodal', 2, false, 'scan']);
    const rocket = predictorSchema.parse(PREDICTOR_PRESETS['inorder-default'].predictor);
    expect([rocket.btb.entries, rocket.bht.entries, rocket.ras.entries]).toEqual([28, 512, 6]); // BTBParams / BHTParams
    expect([rocket.direction, rocket.bht.counterBits, rocket.btb.ways]).toEqual(['gshare', 1, 28]);
  });

  it('rejects a BHT that is not a power of two, at bht.entries', () => {
    expect(issuePaths({ bht: { entries: 100 } })).toEqual(['bht.entries']);
  });

  it('rejects a gshare history longer than the index', () => {
    expect(issuePaths({ direction: 'gshare', bht: { entries: 16, historyBits: 5 } })).toEqual(['bht.historyBits']);
    // The same history is fine for bimodal, which ignores it.
    expect(predictorSchema.safeParse({ direction: 'bimodal', bht: { entries: 16, historyBits: 5 } }).success).toBe(true);
  });

  it('rejects BTB geometry the model cannot index, at the offending field', () => {
    expect(issuePaths({ btb: { entries: 24, ways: 2 } })).toEqual(['btb.entries']); // 12 sets
    expect(issuePaths({ btb: { entries: 24, ways: 3, replacement: 'tree-plru' } })).toEqual(['btb.ways']); // 8 sets of 3
    expect(issuePaths({ btb: { entries: 8, ways: 2, tagged: false } })).toEqual(['btb.ways']);
  });

  it('accepts a fully associative BTB of any size and no BTB at all', () => {
    expect(predictorSchema.safeParse({ btb: { entries: 28, ways: 28 } }).success).toBe(true);
    expect(predictorSchema.safeParse({ btb: { entries: 0 } }).success).toBe(true);
  });

  it("rejects frontEnd 'scan' without decoded direct targets", () => {
    expect(issuePaths({ frontEnd: 'scan', jalResolvedInDecode: false })).toEqual(['jalResolvedInDecode']);
  });

  it('rejects unknown keys and out-of-range values', () => {
    expect(predictorSchema.safeParse({ btb: { size: 8 } }).success).toBe(false);
    expect(predictorSchema.safeParse({ tage: {} }).success).toBe(false);
    expect(predictorSchema.safeParse({ bht: { counterBits: 5 } }).success).toBe(false);
    expect(predictorSchema.safeParse({ direction: 'perceptron' }).success).toBe(false);
  });
});
