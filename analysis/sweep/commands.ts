import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { UserError } from '../../common/errors.js';
import { EXIT_DEADLOCK, EXIT_INTERNAL, EXIT_LIMIT, EXIT_USER_ERROR, type CliIo } from '../cli.js';
import { parseValue } from '../config-load.js';
import { planSweep, pointLabel, type SweepPlan } from './expand.js';
import { createProgress, formatSeconds, type ProgressStyle } from './progress.js';
import { runSweep, runSweepIndex, type IndexOutcome, type SweepSummary } from './run-sweep.js';
import { DEFAULT_METRICS, buildReport, formatReport } from './report.js';
import { ResultStore } from './store.js';

/**
 * `rvhsim sweep plan FILE` and `rvhsim sweep run FILE`. Exit codes of `sweep run`: 0 when every
 * point has an ok result, 1 when the sweep finished but some points failed (listed in the
 * summary), 2 for a user error, 130 when interrupted (SIGINT; run it again to resume). With
 * `--index I` the codes are those of `rvhsim run` for that one point (0 ok, 1 guest failure,
 * 3 limit, 4 deadlock, 2 user error, 70 internal error).
 */

export const EXIT_SWEEP_FAILURES = 1;
export const EXIT_INTERRUPTED = 130;

interface PlanFlags {
  out?: string;
  json?: boolean;
}

interface RunFlags extends PlanFlags {
  jobs: number;
  index?: number;
  progress: ProgressStyle | 'auto';
}

export function registerSweepCommands(program: Command, io: CliIo): void {
  const sweep = program
    .command('sweep')
    .description('Expand and run a sweep: workloads x configurations, in parallel, into a resumable result store.')
    .addHelpText(
      'after',
      `
A sweep file (YAML or JSON):
  name: small                       # default: the file name
  base: tiny                        # preset, JSON configuration file, or configuration object
  set: { run.mode: detailed }       # dotted path -> value for every point (as --set)
  workloads:
    - bench-gups                    # catalog name, or a path to an ELF relative to the file
    - { workload: bench-chase, params: { footprint_bytes: 0x100000 } }
  axes:                             # the product of all axes
    - set: { caches.l1d.sizeBytes: [16384, 32768], caches.l1d.ways: [4, 8] }     # every combination
    - zip: { caches.l2.sizeBytes: [262144, 524288], caches.l2.ways: [8, 16] }     # in lockstep
  seeds: [1, 2]                     # run.params.seed
  repeats: 1

Examples:
  rvhsim sweep plan examples/sweep-small.yaml
  rvhsim sweep run examples/sweep-small.yaml --jobs 2
  rvhsim sweep run examples/sweep-small.yaml --index 3     one point (a cluster array task)`,
    );

  sweep
    .command('plan')
    .description('Print the expanded points of a sweep in run order (the --index numbering), and which are already stored.')
    .argument('<file>', 'sweep file (.yaml, .yml or .json)')
    .option('-o, --out <dir>', 'result store to check for finished points (default: results/<sweep name>)')
    .option('--json', 'print the plan as JSON, with each point\'s resolved configuration (default: false)')
    .action((file: string, flags: PlanFlags) => {
      const plan = planSweep(file);
      const out = flags.out ?? defaultOut(plan);
      const store = new ResultStore(out);
      const state = (key: string): 'stored' | 'error' | 'pending' => (store.has(key) ? 'stored' : store.readError(key) !== undefined ? 'error' : 'pending');
      if (flags.json === true) {
        const points = plan.points.map((p) => ({ ...p, state: state(p.key) }));
        io.out(JSON.stringify({ name: plan.name, file: plan.file, version: plan.version, out, points }, null, 2) + '\n');
        return;
      }
      io.out(formatPlan(plan, out, state));
    });

  sweep
    .command('run')
    .description('Run the points of a sweep not yet stored, in parallel worker threads, storing each result as it finishes.')
    .argument('<file>', 'sweep file (.yaml, .yml or .json)')
    .addOption(new Option('-j, --jobs <n>', 'worker threads, one simulation each').argParser(positiveInteger).default(availableParallelism(), `the number of cores, ${availableParallelism()}`))
    .option('-o, --out <dir>', 'result store directory (default: results/<sweep name>)')
    .addOption(new Option('--index <i>', 'run only point i of the plan (0-based, see `sweep plan`), in this process; for cluster array jobs (default: all points)').argParser(nonNegativeInteger))
    .addOption(new Option('--progress <style>', 'progress display: bar (a live bar), lines (a line every 10 s), none; auto: bar on a terminal, lines otherwise').choices(['auto', 'bar', 'lines', 'none']).default('auto'))
    .option('--json', 'print the summary as JSON (default: false)')
    .action(async (file: string, flags: RunFlags) => {
      const plan = planSweep(file);
      const out = flags.out ?? defaultOut(plan);
      if (flags.index !== undefined) {
        if (flags.index >= plan.points.length) throw new UserError(`--index ${flags.index}: the sweep ${file} has ${plan.points.length} points (0..${plan.points.length - 1})`);
        const outcome = runSweepIndex(plan, flags.index, out);
        io.out(flags.json === true ? JSON.stringify(indexJson(outcome, out), null, 2) + '\n' : formatIndexOutcome(plan, outcome, out));
        io.exitCode = indexExitCode(outcome);
        return;
      }
      const style = flags.progress === 'auto' ? (process.stderr.isTTY ? 'bar' : 'lines') : flags.progress;
      const distinct = new Set(plan.points.map((p) => p.key)).size;
      const controller = new AbortController();
      const onSigint = (): void => controller.abort();
      process.once('SIGINT', onSigint);
      let summary: SweepSummary;
      try {
        summary = await runSweep({
          plan,
          out,
          jobs: flags.jobs,
          signal: controller.signal,
          progress: (toRun) => {
            io.err(`sweep ${plan.name}: ${plan.points.length} points, ${distinct - toRun} already stored in ${out}, ${toRun} to run on ${Math.min(flags.jobs, Math.max(toRun, 1))} worker(s)\n`);
            return createProgress({ name: plan.name, total: toRun, style, write: io.err });
          },
        });
      } finally {
        process.off('SIGINT', onSigint);
      }
      io.out(flags.json === true ? JSON.stringify(summary, null, 2) + '\n' : formatSweepSummary(summary));
      io.exitCode = summary.interrupted ? EXIT_INTERRUPTED : summary.failures.length > 0 || summary.missing > 0 ? EXIT_SWEEP_FAILURES : 0;
    });

  sweep
    .command('report')
    .description('Print the stored points of a sweep side by side: the coordinates that vary and chosen statistics or ratios of two.')
    .argument('<file>', 'sweep file (.yaml, .yml or .json)')
    .option('-o, --out <dir>', 'result store directory (default: results/<sweep name>)')
    .option('-m, --metric <name...>', `a statistic's dotted name or a ratio a/b of two; repeatable (default: ${DEFAULT_METRICS.join(' ')})`)
    .option('--csv', 'print CSV instead of an aligned table (default: false)')
    .action((file: string, flags: { out?: string; metric?: string[]; csv?: boolean }) => {
      const plan = planSweep(file);
      const out = flags.out ?? defaultOut(plan);
      const report = buildReport(plan, new ResultStore(out), flags.metric ?? DEFAULT_METRICS);
      if (report.rows.length === 0) throw new UserError(`sweep ${plan.name}: no point of ${file} is stored in ${out} yet (rvhsim sweep run ${file})`);
      io.out(formatReport(report, flags.csv === true));
    });
}

export function defaultOut(plan: Pick<SweepPlan, 'name'>): string {
  return join('results', plan.name);
}

export function formatPlan(plan: SweepPlan, out: string, state: (key: string) => string): string {
  const distinct = new Set(plan.points.map((p) => p.key)).size;
  const states = plan.points.map((p) => state(p.key));
  const stored = states.filter((s) => s === 'stored').length;
  const lines = [
    `sweep ${plan.name} (${plan.file}): ${plan.points.length} points${distinct < plan.points.length ? ` (${distinct} distinct)` : ''}, ${stored} stored in ${out}`,
    `${'index'.padStart(5)}  ${'key'.padEnd(12)}  ${'state'.padEnd(7)}  point`,
    ...plan.points.map((p, i) => `${String(p.index).padStart(5)}  ${p.key.slice(0, 12)}  ${states[i]!.padEnd(7)}  ${pointLabel(p, plan.repeats)}`),
  ];
  return lines.join('\n') + '\n';
}

export function formatSweepSummary(s: SweepSummary): string {
  const rate = s.seconds > 0 ? s.ran / s.seconds : 0;
  const lines = [
    `sweep ${s.name}: ${s.points} points${s.distinct < s.points ? ` (${s.distinct} distinct)` : ''} in ${s.out}`,
    `  already stored  ${s.alreadyStored}`,
    `  ran now         ${s.ran} in ${formatSeconds(s.seconds)} (${rate.toFixed(2)} points/s)`,
    `  ok              ${s.ok}`,
    `  failed          ${s.failures.length}`,
  ];
  if (s.missing > 0) lines.push(`  not run         ${s.missing}`);
  if (s.failures.length > 0) {
    lines.push('failures:');
    for (const f of s.failures) lines.push(`  #${f.index} ${f.label}: ${f.status}: ${firstLine(f.message)}`);
  }
  if (s.interrupted) lines.push(`interrupted: ${s.distinct - s.missing} of ${s.distinct} points are stored; run the same command again to resume`);
  return lines.join('\n') + '\n';
}

function formatIndexOutcome(plan: SweepPlan, o: IndexOutcome, out: string): string {
  const where = o.status === 'error' ? join(out, 'errors', `${o.point.key}.json`) : join(out, 'points', `${o.point.key}.json`);
  return `sweep ${plan.name} point ${o.point.index} of ${plan.points.length} (${pointLabel(o.point, plan.repeats)}): ${o.ran ? '' : 'already stored, '}${o.status}: ${firstLine(o.message)}\n  ${where}\n`;
}

function indexJson(o: IndexOutcome, out: string): object {
  return { index: o.point.index, key: o.point.key, ran: o.ran, status: o.status, message: o.message, out };
}

function indexExitCode(o: IndexOutcome): number {
  switch (o.status) {
    case 'ok':
      return 0;
    case 'guest-failure':
      return EXIT_SWEEP_FAILURES;
    case 'limit':
      return EXIT_LIMIT;
    case 'deadlock':
      return EXIT_DEADLOCK;
    case 'error':
      return o.errorKind === 'user' ? EXIT_USER_ERROR : EXIT_INTERNAL;
  }
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!;
}

function positiveInteger(raw: string): number {
  const n = integer(raw);
  if (n === undefined || n <= 0) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}

function nonNegativeInteger(raw: string): number {
  const n = integer(raw);
  if (n === undefined || n < 0) throw new InvalidArgumentError('expected a non-negative integer.');
  return n;
}

function integer(raw: string): number | undefined {
  let n: unknown;
  try {
    n = parseValue(raw);
  } catch {
    return undefined;
  }
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
}
