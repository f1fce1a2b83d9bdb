import { describe, expect, it } from 'vitest';
import { RandomPolicy } from '../../caches/replacement.js';
import { StatRegistry } from '../../common/stats.js';
import { BranchKind, BranchPredictor, classifyJal, classifyJalr, PenaltyClass } from './predictor.js';
import { predictorSchema, type PredictorConfigInput } from './predictor-config.js';

const Cond = BranchKind.Conditional;

/**
 * Bimodal, 2-bit counters starting weakly not-taken, an 8-entry fully associative BTB, a
 * 4-deep RAS, and nothing caught in decode: every fetch-stage miss is an Execute misprediction.
 */
function config(over: PredictorConfigInput = {}): PredictorConfigInput {
  return {
    direction: 'bimodal',
    jalResolvedInDecode: false,
    branchesResolvedInDecode: false,
    ...over,
    bht: { entries: 64, counterBits: 2, counterInit: 'weakly-not-taken', ...over.bht },
    btb: { entries: 8, ways: 8, ...over.btb },
    ras: { entries: 4, ...over.ras },
  };
}

function make(over: PredictorConfigInput = {}) {
  const reg = new StatRegistry();
  const bp = new BranchPredictor(predictorSchema.parse(config(over)), reg.scope('predictor'));
  const stat = (name: string) => reg.snapshot()[`predictor.${name}`];
  return { bp, stat };
}

/** A loop-closing branch at 0x8000_0100 back to 0x8000_00f0: `taken` iterations, then the exit. */
function runLoop(bp: BranchPredictor, taken: number): void {
  for (let i = 0; i < taken; i++) bp.resolve(0x8000_0100, 0, Cond, true, 0x8000_00f0, 0);
  bp.resolve(0x8000_0100, 0, Cond, false, 0x8000_00f0, 0);
}

/** One branch at pc 0x1000 (forward target 0x1040) with the given outcomes. */
function runPattern(bp: BranchPredictor, outcomes: boolean[]): void {
  for (const t of outcomes) bp.resolve(0x1000, 0, Cond, t, 0x1040, 0);
}

const alternating = (n: number) => Array.from({ length: n }, (_, i) => i % 2 === 0);

describe('RAS hints (rv32.adoc "Return-address stack prediction hints")', () => {
  it('classifies JAL by its link register', () => {
    expect([classifyJal(1), classifyJal(5), classifyJal(0), classifyJal(2)]).toEqual([BranchKind.Call, BranchKind.Call, BranchKind.Jal, BranchKind.Jal]);
  });

  it('classifies JALR row by row of the table', () => {
    expect(classifyJalr(0, 6)).toBe(BranchKind.Jalr); // rd no, rs1 no: none
    expect(classifyJalr(0, 1)).toBe(BranchKind.Return); // rd no, rs1 yes: pop
    expect(classifyJalr(5, 10)).toBe(BranchKind.CallIndirect); // rd yes, rs1 no: push
    expect(classifyJalr(1, 5)).toBe(BranchKind.Coroutine); // both, different: pop, then push
    expect(classifyJalr(1, 1)).toBe(BranchKind.CallIndirect); // both, rd = rs1: push
  });
});

describe('conditional-branch direction', () => {
  it('static not-taken mispredicts every taken branch and nothing else', () => {
    const { bp, stat } = make({ direction: 'static-not-taken' });
    runLoop(bp, 100);
    expect(stat('cond.mispredicts')).toBe(100);
    expect(stat('cond.lookups')).toBe(101);
    expect(bp.lastPenaltyClass).toBe(PenaltyClass.None); // the exit fell through as predicted
  });

  it('bimodal mispredicts an always-taken loop branch only while warming up, and at the exit', () => {
    // weakly not-taken (1): the first iteration is wrong (counter -> 2, BTB learns the target),
    // then taken is predicted with a BTB hit; the exit finds the counter saturated at 3.
    const { bp, stat } = make();
    runLoop(bp, 100);
    expect(stat('cond.mispredicts')).toBe(2);
    // Strongly not-taken (0) needs two taken outcomes to cross the threshold.
    const cold = make({ bht: { counterInit: 'strongly-not-taken' } });
    runLoop(cold.bp, 100);
    expect(cold.stat('cond.mispredicts')).toBe(3);
  });

  it('BTFN predicts a loop right from its first iteration; only the exit is mispredicted', () => {
    // The cold BTB has no target for the first iteration: decode redirects it (front-end bubble).
    const { bp, stat } = make({ direction: 'btfn', branchesResolvedInDecode: true });
    runLoop(bp, 100);
    expect([stat('cond.redirects'), stat('cond.mispredicts')]).toEqual([1, 1]);
    // A forward branch is predicted not taken whatever it did before.
    runPattern(bp, [true, true, true, false]);
    expect(stat('cond.mispredicts')).toBe(1 + 3);
  });

  it('reads the offset sign across the 32-bit boundary of the pc', () => {
    const { bp } = make({ direction: 'btfn', branchesResolvedInDecode: true });
    // pc 0x1_0000_0010 -> 0x0_ffff_fff0 is backward although the low half grows.
    bp.resolve(0x10, 1, Cond, true, 0xffff_fff0, 0);
    expect(bp.lastPenaltyClass).toBe(PenaltyClass.FrontEnd); // direction right, target from decode
    bp.resolve(0xffff_fff0, 0, Cond, true, 0x10, 1); // forward
    expect(bp.lastPenaltyClass).toBe(PenaltyClass.Execute);
  });

  it('bimodal is wrong on every outcome of an alternating branch from weakly not-taken', () => {
    // 1 -T-> 2 -N-> 1 -T-> ...: the counter always predicts the previous outcome.
    const { bp, stat } = make({ branchesResolvedInDecode: true });
    runPattern(bp, alternating(100));
    expect(stat('cond.mispredicts')).toBe(100);
  });

  it('bimodal is wrong on exactly half of an alternating branch from weakly taken', () => {
    // 2 -T-> 3 -N-> 2 -T-> 3: taken is always predicted, so every not-taken is wrong.
    const { bp, stat } = make({ bht: { counterInit: 'weakly-taken' }, branchesResolvedInDecode: true });
    runPattern(bp, alternating(100));
    expect(stat('cond.mispredicts')).toBe(50);
    expect(stat('cond.redirects')).toBe(1); // the first taken: direction right, BTB still cold
  });

  it('gshare with one history bit learns an alternating branch after one misprediction', () => {
    // The first T (history 0) is wrong; N is then seen at history 1 and T at history 0, each
    // with its own counter, and both are right from then on.
    const { bp, stat } = make({ direction: 'gshare', bht: { historyBits: 1 }, branchesResolvedInDecode: true });
    runPattern(bp, alternating(100));
    expect(stat('cond.mispredicts')).toBe(1);
    expect(stat('cond.redirects')).toBe(0);
  });

  it('gshare with four history bits warms up once per new history before a taken outcome', () => {
    // Taken outcomes meet histories 0000, 0010 and 1010 (then 1010 again): three new counters
    // each wrong once; the not-taken outcomes (0001, 0101) start right at weakly not-taken.
    const { bp, stat } = make({ direction: 'gshare', bht: { historyBits: 4 }, branchesResolvedInDecode: true });
    runPattern(bp, alternating(100));
    expect(stat('cond.mispredicts')).toBe(3);
  });

  it('bimodal gets a seeded random pattern wrong about half the time', () => {
    const rng = new RandomPolicy(2, 42);
    const outcomes = Array.from({ length: 10_000 }, () => (rng.next() & 0x100) !== 0);
    const { bp, stat } = make({ branchesResolvedInDecode: true });
    runPattern(bp, outcomes);
    const rate = (stat('cond.mispredicts') ?? 0) / outcomes.length;
    expect(rate).toBeGreaterThan(0.47);
    expect(rate).toBeLessThan(0.53);
  });

  it('an untrained entry falls back to BTFN when coldFallback is btfn (CVA6)', () => {
    const { bp } = make({ bht: { counterInit: 'strongly-not-taken', coldFallback: 'btfn' }, branchesResolvedInDecode: true });
    bp.resolve(0x2000, 0, Cond, true, 0x1f00, 0); // backward, untrained: predicted taken
    expect(bp.lastPenaltyClass).toBe(PenaltyClass.FrontEnd);
    bp.resolve(0x2000, 0, Cond, true, 0x1f00, 0); // trained: counter 1 says not taken
    expect(bp.lastPenaltyClass).toBe(PenaltyClass.Execute);
  });

  it('reset() forgets counters and targets', () => {
    const { bp, stat } = make();
    runLoop(bp, 10);
    bp.reset();
    runLoop(bp, 10);
    expect(stat('cond.mispredicts')).toBe(4);
  });
});

describe('branch target buffer', () => {
  /** JAL (no link) at pc 0x100 * (i + 1) to 0x9000 + pc. */
  const jump = (bp: BranchPredictor, i: number) => bp.resolve(0x100 * (i + 1), 0, BranchKind.Jal, true, 0x9000 + 0x100 * (i + 1), 0);

  it('holds as many jumps as it has entries: misses only the first round', () => {
    const { bp, stat } = make({ btb: { entries: 4, ways: 4 } });
    for (let round = 0; round < 10; round++) for (let i = 0; i < 4; i++) jump(bp, i);
    expect([stat('btb.misses'), stat('btb.hits'), stat('jal.mispredicts'), stat('btb.evictions')]).toEqual([4, 36, 4, 0]);
  });

  it('misses every lookup with one jump more than it has entries (LRU evicts the next one used)', () => {
    const { bp, stat } = make({ btb: { entries: 4, ways: 4 } });
    for (let round = 0; round < 10; round++) for (let i = 0; i < 5; i++) jump(bp, i);
    expect([stat('btb.misses'), stat('btb.hits'), stat('jal.mispredicts'), stat('btb.evictions')]).toEqual([50, 0, 50, 46]);
  });

  it('misses on conflicts within one set of a set-associative BTB', () => {
    // 2 sets x 2 ways, set = pc bit 1: jumps at 0x100, 0x200, 0x300 all map to set 0.
    const { bp, stat } = make({ btb: { entries: 4, ways: 2 } });
    for (let round = 0; round < 5; round++) for (let i = 0; i < 3; i++) jump(bp, i);
    expect(stat('btb.hits')).toBe(0);
    // A fourth jump in set 1 (pc 0x402) lives beside them undisturbed.
    bp.resolve(0x402, 0, BranchKind.Jal, true, 0x9000, 0);
    bp.resolve(0x402, 0, BranchKind.Jal, true, 0x9000, 0);
    expect(bp.lastPenaltyClass).toBe(PenaltyClass.None);
  });

  it('predicts a JALR target from the last one it saw at that pc', () => {
    const { bp, stat } = make();
    const jalr = (target: number) => bp.resolve(0x500, 0, BranchKind.Jalr, true, target, 0);
    expect([jalr(0x7000), jalr(0x7000), jalr(0x7000)]).toEqual([false, true, true]);
    expect([jalr(0x7400), jalr(0x7400)]).toEqual([false, true]);
    expect(stat('jalr.mispredicts')).toBe(2);
  });

  it('tags entries with the whole 64-bit pc', () => {
    const { bp } = make();
    bp.resolve(0x500, 0, BranchKind.Jalr, true, 0x7000, 0);
    bp.resolve(0x500, 0x12, BranchKind.Jalr, true, 0x8000, 0x12);
    expect(bp.resolve(0x500, 0, BranchKind.Jalr, true, 0x7000, 0)).toBe(true);
    expect(bp.resolve(0x500, 0x12, BranchKind.Jalr, true, 0x8000, 0x12)).toBe(true);
  });

  it('an untagged direct-mapped BTB lets two JALRs with the same index overwrite each other', () => {
    // 4 entries, index = pc bits [2:1]: 0x500 and 0x508 share index 0.
    const { bp, stat } = make({ btb: { entries: 4, ways: 1, tagged: false } });
    for (let i = 0; i < 5; i++) {
      bp.resolve(0x500, 0, BranchKind.Jalr, true, 0x7000, 0);
      bp.resolve(0x508, 0, BranchKind.Jalr, true, 0x7400, 0);
    }
    expect(stat('jalr.mispredicts')).toBe(10);
    expect(stat('btb.hits')).toBe(9); // a hit, with the other one's target
  });

  it('a JAL missed by the fetch stage is redirected by decode when jalResolvedInDecode', () => {
    const { bp, stat } = make({ jalResolvedInDecode: true });
    expect(bp.resolve(0x600, 0, BranchKind.Jal, true, 0x9000, 0)).toBe(false);
    expect(bp.lastPenaltyClass).toBe(PenaltyClass.FrontEnd);
    expect(bp.resolve(0x600, 0, BranchKind.Jal, true, 0x9000, 0)).toBe(true);
    expect([stat('jal.redirects'), stat('jal.mispredicts')]).toEqual([1, 0]);
  });

  it('without a BTB every taken jump is missed at fetch', () => {
    const { bp, stat } = make({ btb: { entries: 0 }, ras: { entries: 0 } });
    for (let i = 0; i < 3; i++) bp.resolve(0x600, 0, BranchKind.Jalr, true, 0x9000, 0);
    expect(stat('jalr.mispredicts')).toBe(3);
    expect(stat('btb.hits')).toBeUndefined(); // no BTB, no BTB statistics
  });
});

describe('return-address stack', () => {
  /**
   * n nested calls: function i (at 0x1000 * (i + 1)) calls function i + 1 with a JAL at
   * offset 0x10 (length `len`); each returns with a JALR at offset 0x20 to its caller.
   */
  function nest(bp: BranchPredictor, n: number, len = 4): PenaltyClass[] {
    const fn = (i: number) => 0x1000 * (i + 1);
    for (let i = 0; i < n; i++) bp.resolve(fn(i) + 0x10, 0, BranchKind.Call, true, fn(i + 1), 0, len);
    const classes: PenaltyClass[] = [];
    for (let i = n - 1; i >= 0; i--) {
      bp.resolve(fn(i + 1) + 0x20, 0, BranchKind.Return, true, fn(i) + 0x10 + len, 0, len);
      classes.push(bp.lastPenaltyClass);
    }
    return classes;
  }

  it('predicts every return of calls nested within its depth', () => {
    // frontEnd 'btb': a return the BTB has not seen is found by decode (front-end bubble).
    const { bp, stat } = make({ ras: { entries: 4 } });
    expect(nest(bp, 4)).toEqual(Array(4).fill(PenaltyClass.FrontEnd));
    expect(nest(bp, 4)).toEqual(Array(4).fill(PenaltyClass.None)); // returns now in the BTB
    expect([stat('ras.mispredicts'), stat('ret.mispredicts'), stat('ras.pushes'), stat('ras.pops')]).toEqual([0, 0, 8, 8]);
  });

  it('mispredicts exactly the returns whose addresses overflowed', () => {
    const { bp, stat } = make({ ras: { entries: 2 } });
    const classes = nest(bp, 5);
    // Innermost two from the stack; the outer three find it empty (BTB cold too).
    expect(classes).toEqual([PenaltyClass.FrontEnd, PenaltyClass.FrontEnd, PenaltyClass.Execute, PenaltyClass.Execute, PenaltyClass.Execute]);
    expect([stat('ras.mispredicts'), stat('ras.overflows'), stat('ras.underflows')]).toEqual([3, 3, 3]);
  });

  it('pushes the address after a compressed call', () => {
    const { bp, stat } = make({ frontEnd: 'scan', jalResolvedInDecode: true, branchesResolvedInDecode: true });
    expect(nest(bp, 2, 2)).toEqual([PenaltyClass.FrontEnd, PenaltyClass.FrontEnd]); // scan: right, one stage late
    expect(stat('ras.mispredicts')).toBe(0);
  });

  it('carries the return address into the high half of the pc', () => {
    const { bp } = make();
    bp.resolve(0xffff_fffc, 0, BranchKind.Call, true, 0x4000, 1);
    bp.resolve(0x4040, 1, BranchKind.Return, true, 0, 1);
    expect(bp.lastPenaltyClass).toBe(PenaltyClass.FrontEnd); // RAS right; the BTB had no entry
  });

  it('a coroutine swap pops then pushes', () => {
    const { bp, stat } = make();
    bp.resolve(0x100, 0, BranchKind.Call, true, 0x2000, 0); // pushes 0x104
    bp.resolve(0x2010, 0, BranchKind.Coroutine, true, 0x104, 0); // pops 0x104, pushes 0x2014
    bp.resolve(0x104, 0, BranchKind.Return, true, 0x2014, 0);
    expect([stat('ras.mispredicts'), stat('coroutine.mispredicts'), stat('ret.mispredicts')]).toEqual([0, 0, 0]);
  });

  it('without a RAS a return is an indirect jump through the BTB', () => {
    const { bp, stat } = make({ ras: { entries: 0 } });
    for (let i = 0; i < 3; i++) bp.resolve(0x2020, 0, BranchKind.Return, true, 0x104, 0);
    bp.resolve(0x2020, 0, BranchKind.Return, true, 0x208, 0); // another caller
    expect(stat('ret.mispredicts')).toBe(2);
    expect(stat('ras.pushes')).toBeUndefined();
  });
});

describe("frontEnd 'scan' (CVA6)", () => {
  it('charges a front-end redirect for every correctly predicted taken transfer', () => {
    const { bp, stat } = make({ direction: 'btfn', frontEnd: 'scan', jalResolvedInDecode: true, branchesResolvedInDecode: true });
    runLoop(bp, 10);
    expect([stat('cond.redirects'), stat('cond.mispredicts')]).toEqual([10, 1]);
    for (let i = 0; i < 3; i++) bp.resolve(0x600, 0, BranchKind.Jal, true, 0x9000, 0);
    expect(stat('jal.redirects')).toBe(3);
    expect(stat('btb.misses')).toBe(0); // direct transfers never use the BTB
    bp.resolve(0x700, 0, BranchKind.Jalr, true, 0x9000, 0);
    bp.resolve(0x700, 0, BranchKind.Jalr, true, 0x9000, 0);
    expect([stat('jalr.mispredicts'), stat('jalr.redirects')]).toEqual([1, 1]);
  });
});

describe('the repeat path (a conditional branch repeated at a fixed point of the predictor) is invisible', () => {
  // A seeded mix of loop-closing branches (long runs of the same call), other branches, calls
  // and returns, over configurations whose state reaches fixed points differently.
  const configs: [string, PredictorConfigInput][] = [
    ['bimodal, 2-bit counters, tagged fully associative BTB', {}],
    ['gshare with history, 1-bit counters', { direction: 'gshare', bht: { entries: 64, counterBits: 1, historyBits: 3 } }],
    ['btfn, small LRU BTB', { direction: 'btfn', btb: { entries: 2, ways: 2 } }],
    ['bimodal, tree-PLRU BTB, decode-stage resolution', { branchesResolvedInDecode: true, jalResolvedInDecode: true, btb: { entries: 8, ways: 4, replacement: 'tree-plru' } }],
    ['bimodal, random-replacement BTB', { btb: { entries: 4, ways: 4, replacement: 'random', seed: 7 } }],
    ['scan front end', { frontEnd: 'scan', jalResolvedInDecode: true, branchesResolvedInDecode: true }],
  ];
  for (const [name, over] of configs) {
    it(`${name}: every result and statistic matches the predictor with the repeat path off`, () => {
      const a = make(over);
      const b = make(over);
      b.bp.useRepeatPath = false;
      let seed = 12345;
      const rnd = (n: number) => {
        seed = (seed * 1103515245 + 12345) >>> 0;
        return (seed >>> 8) % n;
      };
      const results: [boolean, boolean][] = [];
      const both = (f: (bp: BranchPredictor) => boolean) => results.push([f(a.bp), f(b.bp)]);
      for (let round = 0; round < 400; round++) {
        const loopPc = 0x8000_0100 + 4 * rnd(6);
        const trips = rnd(12);
        for (let i = 0; i < trips; i++) both((bp) => bp.resolve(loopPc, 0, Cond, true, loopPc - 0x20, 0));
        both((bp) => bp.resolve(loopPc, 0, Cond, false, loopPc - 0x20, 0));
        const r = rnd(4);
        if (r === 0) both((bp) => bp.resolve(0x8000_0400, 0, classifyJal(1), true, 0x8000_0800, 0));
        if (r === 1) both((bp) => bp.resolve(0x8000_0900, 0, classifyJalr(0, 1), true, 0x8000_0404, 0));
        if (r === 2) {
          const pc = 0x8000_0500 + 4 * rnd(3);
          const taken = rnd(2) === 0;
          both((bp) => bp.resolve(pc, 0, Cond, taken, 0x8000_0600, 0));
        }
      }
      for (const [x, y] of results) expect(x).toBe(y);
      const statsOf = (m: ReturnType<typeof make>) => Object.fromEntries(['cond.lookups', 'cond.redirects', 'cond.mispredicts', 'btb.hits', 'btb.misses', 'btb.evictions', 'ras.mispredicts', 'call.mispredicts', 'return.mispredicts'].map((k) => [k, m.stat(k)]));
      expect(statsOf(a)).toEqual(statsOf(b));
      expect(a.stat('cond.lookups')).toBeGreaterThan(1000);
    });
  }
});
