import { availableParallelism } from 'node:os';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { UserError } from '../../common/errors.js';
import type { CliIo } from '../cli.js';
import type { StudyDashboard } from '../study.js';
import { formatSeconds, type ProgressStyle } from '../sweep/progress.js';
import { readFigureSpec } from './figure-spec.js';
import { renderFigures } from './render-figure.js';

/**
 * `rvhsim figure SPEC.json...` renders figures from sweep result stores; `rvhsim study FILE` runs
 * a study's sweeps and renders its figures (`npm run paper`). Exit codes of `study`: 0 when every
 * point has an ok result and every figure was written, 1 when some points failed (the figures are
 * drawn from the rest), 2 for a user error, 130 when interrupted (run it again to resume).
 */

const EXIT_FAILURES = 1;
const EXIT_INTERRUPTED = 130;

interface FigureFlags {
  out: string;
  results?: string;
  pdf: boolean;
}

export function registerFigureCommands(program: Command, io: CliIo): void {
  program
    .command('figure')
    .description('Render publication figures from sweep results: SVG and PDF (two-column paper style), the plotted data as CSV and a LaTeX table.')
    .argument('<spec...>', 'figure spec files (JSON; see examples/figures/)')
    .option('-o, --out <dir>', 'directory for NAME.svg, NAME.pdf, NAME.csv, NAME.tex', 'figures')
    .option('-r, --results <dir>', "result store to plot (default: each spec's \"results\")")
    .option('--no-pdf', 'skip the PDFs, which need Chromium (default: PDFs are written)')
    .addHelpText(
      'after',
      `
A figure spec (JSON):
  { "results": "results/small", "kind": "line", "title": "DTLB CPI by DTLB size",
    "metric": "timing.cpi.dtlb/timing.instructions", "metricLabel": "D-TLB CPI",
    "x": { "path": "mmu.tlb.dtlb.arrays.0.entries", "label": "L1 DTLB entries" },
    "series": { "path": "run.params.mode", "labels": { "1": "native", "3": "virtualized" } },
    "filters": { "run.params.page_size": 4096 }, "aggregate": "geomean", "logX": true,
    "size": "column", "output": "dtlb-size" }
kind: line | bars | heatmap (x and y) | stacked (layers: [{ metric, label }]); metrics as
\`rvhsim sweep report --metric\` takes them (a statistic or a ratio a/b).

Examples:
  rvhsim figure examples/figures/tlb-org.json --results results/default/tlb
  rvhsim figure examples/figures/walk-refs.json --results results/paper/page-sizes --out paper/figs --no-pdf`,
    )
    .action(async (specs: string[], flags: FigureFlags) => {
      const jobs = specs.map((file) => {
        const spec = readFigureSpec(file);
        const results = flags.results ?? spec.results;
        if (results === undefined) throw new UserError(`${file}: the spec names no "results" store; give one with --results DIR`);
        return { spec, results };
      });
      const { files } = await renderFigures(jobs, { out: flags.out, pdf: flags.pdf });
      io.out(files.map((f) => `${f}\n`).join(''));
    });
}

interface StudyFlags {
  out?: string;
  jobs: number;
  figure?: string[];
  figures: boolean;
  pdf: boolean;
  progress: ProgressStyle | 'auto';
}

/** What the study command adds beyond sweeps and figures (analysis/cli.ts passes the dashboard builder). */
export interface StudyHooks {
  dashboard?: StudyDashboard;
}

export function registerStudyCommands(program: Command, io: CliIo, hooks: StudyHooks = {}): void {
  program
    .command('study')
    .description("Run a study's sweeps (resumable, in parallel, with progress) and render its figures.")
    .argument('<file>', 'a study file (YAML: sweeps and figures, e.g. examples/study-default.yaml) or a plain sweep file')
    .option('-o, --out <dir>', 'output directory: a result store per sweep, figures/ (default: results/<study name>)')
    .addOption(new Option('-j, --jobs <n>', 'worker threads, one simulation each').argParser(positiveInteger).default(availableParallelism(), `the number of cores, ${availableParallelism()}`))
    .option('-f, --figure <spec...>', 'more figure specs to render (for a plain sweep file, its figures; default: none)')
    .option('--no-figures', 'run the sweeps only (default: the figures are rendered)')
    .option('--no-pdf', 'skip the PDFs, which need Chromium (default: PDFs are written)')
    .addOption(new Option('--progress <style>', 'progress display: bar, lines (a line every 10 s), none; auto: bar on a terminal, lines otherwise').choices(['auto', 'bar', 'lines', 'none']).default('auto'))
    .action(async (file: string, flags: StudyFlags) => {
      // Loaded here: `--help` needs neither the pool nor the simulator.
      const { runStudy } = await import('../study.js');
      const controller = new AbortController();
      const onSigint = (): void => controller.abort();
      process.once('SIGINT', onSigint);
      const start = performance.now();
      try {
        const r = await runStudy({
          sweepFile: file,
          out: flags.out,
          jobs: flags.jobs,
          figures: flags.figures ? (flags.figure ?? []) : false,
          pdf: flags.pdf,
          progress: flags.progress === 'auto' ? (process.stderr.isTTY ? 'bar' : 'lines') : flags.progress,
          log: io.err,
          signal: controller.signal,
          dashboard: hooks.dashboard,
        });
        const lines = [`study ${r.name}: done in ${formatSeconds((performance.now() - start) / 1000)}`];
        for (const [i, s] of r.sweeps.entries()) lines.push(`  results  ${r.stores[i]!.dir}  (${s.ok} ok${s.failures.length > 0 ? `, ${s.failures.length} failed` : ''}${s.missing > 0 ? `, ${s.missing} not run` : ''})`);
        if (r.figures.length > 0) lines.push(`  figures  ${r.figureDir}/  (${r.figures.length} files: ${[...new Set(r.figures.map((f) => f.replace(/^.*\./, '')))].join(', ')})`);
        for (const d of r.dashboards) lines.push(`  dashboard  ${d}`);
        if (r.interrupted) lines.push('interrupted: run the same command again to resume');
        for (const s of r.sweeps) for (const f of s.failures) lines.push(`  failed: ${s.name} #${f.index} ${f.label}: ${f.status}: ${f.message.split('\n', 1)[0]}`);
        io.out(lines.join('\n') + '\n');
        io.exitCode = r.interrupted ? EXIT_INTERRUPTED : r.failures > 0 ? EXIT_FAILURES : 0;
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}

function positiveInteger(raw: string): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}
