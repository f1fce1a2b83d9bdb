#!/usr/bin/env node
/**
 * `npm run bench`: simulation speed of the bundled workloads, in one run, so the figures are
 * comparable: MIPS with the block translator, MIPS with the interpreter alone, and their ratio.
 * A benchmark, not a test: it prints numbers and exits 0; the targets are printed beside them.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { defaultConfig } from '../pipeline/config.js';
import { Machine } from '../pipeline/machine.js';
import { loadElfFile } from '../workloads/elf.js';
import { packageRoot } from './package-info.js';
import { formatSweepThroughput, measureSweepThroughput } from './sweep/bench-sweep.js';

interface Measure {
  insns: number;
  seconds: number;
  mips: number;
  exit: string;
}

function measure(elf: string, blockTranslation: boolean, maxInsns: number, mode: 'functional' | 'detailed' = 'functional'): Measure {
  const cfg = defaultConfig();
  cfg.platform.uart = 'none';
  cfg.hart.blockTranslation = blockTranslation;
  cfg.run.mode = mode;
  const m = new Machine(cfg);
  m.load(loadElfFile(elf, { base: cfg.platform.dramBase, size: cfg.platform.dramSizeMiB * 2 ** 20 }));
  const r = m.run(maxInsns);
  return { insns: r.instret, seconds: r.hostSeconds, mips: r.instret / r.hostSeconds / 1e6, exit: r.reason === 'exit' ? `exit ${r.exitCode}` : r.reason };
}

const TARGET_MIPS = 300;
/** Issue 4: detailed mode at least 100 MIPS on the integer loop and 25% of functional speed. */
const TARGET_DETAILED_MIPS = 100;
const TARGET_DETAILED_RATIO = 0.25;
const INTERP_CAP = 30_000_000; // the interpreter is measured on a prefix, to keep the bench short
/** Issue 7: a sweep on 2 workers at least 1.8 times as fast as on 1 (2 cores). */
const TARGET_SWEEP_SPEEDUP = 1.8;

const dir = join(packageRoot(), 'workloads', 'bin');
const only = process.argv.slice(2);
const elfs = readdirSync(dir)
  .filter((f) => f.endsWith('.elf'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

console.log('rvhsim functional-mode speed (node ' + process.version + ')');
console.log(
  'workload'.padEnd(18) + 'insns'.padStart(12) + 'functional MIPS'.padStart(17) + 'interp MIPS'.padStart(13) + 'ratio'.padStart(8) +
    'detailed MIPS'.padStart(15) + 'det/func'.padStart(10) + '  result',
);
let intloop: Measure | null = null;
let intloopDetailed: Measure | null = null;
for (const f of elfs) {
  const path = join(dir, f);
  const fast = measure(path, true, 5_000_000_000);
  const slow = measure(path, false, Math.min(INTERP_CAP, fast.insns));
  // Detailed mode runs the same instructions as functional mode, so the ratio compares like with like.
  const detailed = measure(path, true, fast.insns, 'detailed');
  const name = basename(f, '.elf');
  if (name === 'bench-intloop') {
    intloop = fast;
    intloopDetailed = detailed;
  }
  console.log(
    name.padEnd(18) + String(fast.insns).padStart(12) + fast.mips.toFixed(1).padStart(17) + slow.mips.toFixed(1).padStart(13) +
      (fast.mips / slow.mips).toFixed(1).padStart(7) + 'x' + detailed.mips.toFixed(1).padStart(15) + (detailed.mips / fast.mips).toFixed(3).padStart(10) + '  ' + fast.exit,
  );
}
if (intloop !== null) {
  const ok = intloop.mips >= TARGET_MIPS;
  console.log(`\ninteger loop (bench-intloop): ${intloop.mips.toFixed(1)} MIPS; target >= ${TARGET_MIPS} MIPS: ${ok ? 'met' : 'NOT met'} (ratio to target ${(intloop.mips / TARGET_MIPS).toFixed(2)})`);
}
if (intloopDetailed !== null && intloop !== null) {
  const ratio = intloopDetailed.mips / intloop.mips;
  console.log(
    `detailed mode on the integer loop: ${intloopDetailed.mips.toFixed(1)} MIPS (target >= ${TARGET_DETAILED_MIPS}: ${intloopDetailed.mips >= TARGET_DETAILED_MIPS ? 'met' : 'NOT met'}); ` +
      `${(100 * ratio).toFixed(1)}% of functional speed (target >= ${100 * TARGET_DETAILED_RATIO}%: ${ratio >= TARGET_DETAILED_RATIO ? 'met' : 'NOT met'})`,
  );
}
console.log(`host memory: rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);

// Sweep throughput (`npm run bench` with no filter, or `npm run bench sweep`): example sweeps from
// scratch with 1 and with 2 workers, each in a fresh process. The target is judged on the MMU
// comparison, whose points (about a second each) are the size of a study's; the small sweep's
// points (0.2 s) are mostly JIT compilation, which V8 runs on background threads that a single
// worker already spreads over the second core, so it shows the floor, not the scaling.
if (only.length === 0 || only.includes('sweep')) {
  for (const [name, judged] of [['sweep-mmu-compare.yaml', true], ['sweep-small.yaml', false]] as const) {
    const sweepFile = join(packageRoot(), 'examples', name);
    console.log(`\nsweep throughput (${sweepFile})${judged ? '' : ' (not judged: JIT-bound points)'}`);
    const runs = [1, 2].map((jobs) => measureSweepThroughput(sweepFile, jobs));
    for (const line of formatSweepThroughput(runs, TARGET_SWEEP_SPEEDUP)) console.log(line);
  }
}
