#!/usr/bin/env node
/**
 * `npm run bench`: simulation speed of the bundled workloads, in one run, so the figures are
 * comparable: MIPS with the block translator, MIPS with the interpreter alone, and their ratio.
 * A benchmark, not a test: it prints numbers and exits 0; the targets are printed beside them.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { defaultConfig } from '../pipeline/config.js';
import { Machine } from '../pipeline/machine.js';
import { loadElfFile } from '../workloads/elf.js';
import { applyParams } from '../workloads/params.js';
import { packageRoot } from './package-info.js';
import { formatSweepThroughput, measurePairedSweep } from './sweep/bench-sweep.js';
import { TraceRecorder } from './trace/recorder.js';

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

interface TraceMeasure {
  insns: number;
  seconds: number;
  /** Trace file bytes (0 when not traced). */
  bytes: number;
}

/** One detailed-mode run to the end, traced to `tracePath` (interval sampling only) or not. */
function measureTrace(elf: string, params: Record<string, number>, tracePath: string | null): TraceMeasure {
  const cfg = defaultConfig();
  cfg.platform.uart = 'none';
  cfg.run.mode = 'detailed';
  cfg.run.params = params;
  const m = new Machine(cfg);
  const image = loadElfFile(elf, { base: cfg.platform.dramBase, size: cfg.platform.dramSizeMiB * 2 ** 20 });
  applyParams(image, params, elf);
  m.load(image);
  const trace =
    tracePath === null
      ? null
      : new TraceRecorder(m, { path: tracePath, intervalCycles: TRACE_INTERVAL, window: null }, { workload: { name: basename(elf, '.elf'), path: elf, sha256: '' }, simulatorVersion: 'bench' });
  const r = m.run(cfg.run.maxInsns);
  trace?.finish(r);
  return { insns: r.instret, seconds: r.hostSeconds, bytes: trace === null ? 0 : trace.bytesWritten };
}

/** Issue 7: simulation speed with interval sampling on within 10% of tracing off. */
const TARGET_TRACE_OVERHEAD = 0.1;
const TRACE_INTERVAL = 10_000;
const TRACE_REPEATS = 3;
const TRACE_BENCH: { label: string; elf: string; params: Record<string, number> }[] = [
  { label: 'bench-intloop', elf: 'bench-intloop', params: {} },
  // VU-mode under a guest kernel under hv: two time-sliced guests sharing a VMID (fences at every switch).
  { label: 'bench-gups (VU)', elf: 'bench-gups', params: { mode: 4, guests: 2, untagged: 1, iterations: 200_000 } },
];

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

// `npm run bench sweep` (or trace) names no workload: no speed table then.
if (elfs.length > 0) {
  console.log('rvhsim functional-mode speed (node ' + process.version + ')');
  console.log(
    'workload'.padEnd(18) + 'insns'.padStart(12) + 'functional MIPS'.padStart(17) + 'interp MIPS'.padStart(13) + 'ratio'.padStart(8) +
      'detailed MIPS'.padStart(15) + 'det/func'.padStart(10) + '  result',
  );
}
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
if (elfs.length > 0) console.log(`host memory: rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);

// Tracing overhead (`npm run bench` with no filter, or `npm run bench trace`): detailed mode with
// tracing off and with interval sampling on, alternating so that both see the same host load;
// the best run of each is compared. The integer loop is the worst case (the fastest simulation,
// so the most samples per host second); the virtualized GUPS run adds traps, world switches and
// fences to the trace.
if (only.length === 0 || only.includes('trace')) {
  const dir = mkdtempSync(join(tmpdir(), 'rvhsim-bench-trace-'));
  try {
    console.log(`\ntracing overhead (detailed mode, samples every ${TRACE_INTERVAL} cycles; best of ${TRACE_REPEATS} alternating runs each)`);
    console.log('workload'.padEnd(18) + 'insns'.padStart(12) + 'off MIPS'.padStart(10) + 'on MIPS'.padStart(10) + 'overhead'.padStart(10) + 'trace B/Minsn'.padStart(15) + '  target');
    for (const w of TRACE_BENCH) {
      const path = join(packageRoot(), 'workloads', 'bin', `${w.elf}.elf`);
      const off: TraceMeasure[] = [];
      const on: TraceMeasure[] = [];
      for (let k = 0; k < TRACE_REPEATS; k++) {
        off.push(measureTrace(path, w.params, null));
        on.push(measureTrace(path, w.params, join(dir, `${w.label}.rvtrace`)));
      }
      const best = (ms: TraceMeasure[]) => ms.reduce((a, b) => (b.seconds < a.seconds ? b : a));
      const a = best(off);
      const b = best(on);
      const overhead = b.seconds / a.seconds - 1;
      console.log(
        w.label.padEnd(18) + String(a.insns).padStart(12) + (a.insns / a.seconds / 1e6).toFixed(1).padStart(10) + (b.insns / b.seconds / 1e6).toFixed(1).padStart(10) +
          `${(100 * overhead).toFixed(1)}%`.padStart(10) + ((b.bytes / b.insns) * 1e6).toFixed(0).padStart(15) +
          `  <= ${100 * TARGET_TRACE_OVERHEAD}%: ${overhead <= TARGET_TRACE_OVERHEAD ? 'met' : 'NOT met'}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Sweep throughput (`npm run bench` with no filter, or `npm run bench sweep`): sweeps from scratch
// with 1 and with 2 workers, each worker count in a process of its own. The target is judged on a
// study-sized sweep, the TLB sweep of the paper study (192 points of about 1.5 s, 4 kernels; about
// 5 min on 1 worker, 2.5 min on 2), as users run studies, measured in four interleaved slices with
// the order of 1 and 2 workers reversed every other slice (measurePairedSweep): this VM's
// neighbours change its speed by up to 50% for minutes at a time, and one run of each after the
// other measured 1.75x and 1.94x on the same code. Every worker compiles the simulator's hot code
// and the translated blocks for itself, once (the processes keep their workers from slice to
// slice, as a sweep does), and with one worker V8 runs that compilation on the otherwise idle
// core: on the small example sweeps, whose points last 0.2 to 1 s, that start-up is a large share
// of the work and caps the speed-up (the CPU lines show it), so they are reported, not judged.
if (only.length === 0 || only.includes('sweep')) {
  const examples = join(packageRoot(), 'examples');
  for (const [sweep, judged, note] of [
    [join(examples, 'sweep-small.yaml'), false, 'points of 0.2 s: mostly JIT compilation'],
    [join(examples, 'sweep-mmu-compare.yaml'), false, '24 points of 0.5 to 1 s: JIT start-up per worker'],
    [join(examples, 'study-paper.yaml') + '#tlb', true, 'a study-sized sweep'],
  ] as const) {
    console.log(`\nsweep throughput (${sweep}; ${note}${judged ? '' : ', not judged'})`);
    const runs = await measurePairedSweep(sweep, judged ? 4 : 1);
    for (const line of formatSweepThroughput(runs, judged ? TARGET_SWEEP_SPEEDUP : null)) console.log(line);
  }
}
