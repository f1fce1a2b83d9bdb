import { readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { ConfigError, UserError } from '../common/errors.js';
import { figureTable, type LoadedStore, type StoredPoint } from './figure/figure-data.js';
import { readFigureSpec, type FigureSpec } from './figure/figure-spec.js';
import { renderFigures } from './figure/render-figure.js';
import { expandSweep, type SweepPlan } from './sweep/expand.js';
import { createProgress, type ProgressStyle } from './sweep/progress.js';
import type { PointRecord } from './sweep/record.js';
import { WorkerPool } from './sweep/pool.js';
import { runSweep, type SweepSummary } from './sweep/run-sweep.js';
import { fieldName, parseSweep } from './sweep/sweep-schema.js';

/**
 * A study: the sweeps behind a set of figures, and the figures, run as one command
 * (`rvhsim study FILE`, `npm run paper`). A study file (YAML) names its sweeps inline, each a
 * sweep document as `rvhsim sweep` reads one, and lists figure specs with the sweep each plots:
 *
 *   name: paper
 *   sweeps:
 *     tlb:   { base: inorder-default, workloads: [bench-gups], axes: [...] }
 *     fence: { ... }
 *   figures:
 *     - { spec: figures/tlb-org.json, sweep: tlb }    # spec paths relative to the study file
 *
 * Results go to OUT/<sweep>/ (one resumable store per sweep: an interrupted study resumes), the
 * figures to OUT/figures/. Before anything runs, every figure's dimensions and filters are checked
 * against its sweep's planned points, so a typo fails in a second rather than after the sweeps.
 * A plain sweep file works too: its one sweep, with the figure specs given in `figures`.
 */

const sweepKey = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, ".", "_" or "-" (the key is a directory name)');

const studySchema = z
  .object({
    name: sweepKey.describe('Name of the study; the default output directory is results/<name>.'),
    description: z.string().optional(),
    sweeps: z.record(sweepKey, z.unknown()).refine((s) => Object.keys(s).length > 0, 'a study needs at least one sweep'),
    figures: z.array(z.object({ spec: z.string().min(1), sweep: sweepKey }).strict()).default([]),
  })
  .strict();

export interface StudySweep {
  key: string;
  plan: SweepPlan;
}

export interface StudyFigure {
  /** The spec file, resolved. */
  file: string;
  spec: FigureSpec;
  sweep: string;
}

export interface Study {
  name: string;
  file: string;
  sweeps: StudySweep[];
  figures: StudyFigure[];
}

/**
 * Reads a study file, or a sweep file (a study of one sweep whose figures are `extraFigures`),
 * expands its sweeps and reads its figure specs. Errors name the file and the field.
 */
export function readStudy(file: string, extraFigures: readonly string[] = []): Study {
  const doc = parseText(file);
  const isStudy = typeof doc === 'object' && doc !== null && 'sweeps' in doc;
  if (!isStudy) {
    const sweep = parseSweep(doc, file);
    const name = sweep.name ?? basename(file, extname(file));
    const plan = expandSweep({ file, name, sweep });
    return { name, file, sweeps: [{ key: name, plan }], figures: extraFigures.map((f) => ({ file: f, spec: readFigureSpec(f), sweep: name })) };
  }
  const parsed = studySchema.safeParse(doc);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${file}: ${fieldName(i.path)}: ${i.message}`).join('\n'));
  }
  const study = parsed.data;
  const sweeps = Object.entries(study.sweeps).map(([key, body]): StudySweep => {
    // `file#key` names the sweep in messages; its directory still resolves workload paths.
    const where = `${file}#${key}`;
    const sweep = parseSweep(body, where);
    return { key, plan: expandSweep({ file: where, name: `${study.name}-${key}`, sweep }) };
  });
  const keys = new Set(sweeps.map((s) => s.key));
  const figures = [
    ...study.figures.map((f, i): StudyFigure => {
      if (!keys.has(f.sweep)) throw new ConfigError(`${file}: figures[${i}].sweep: no sweep named ${f.sweep} (sweeps: ${[...keys].join(', ')})`);
      const path = resolve(dirname(file), f.spec);
      return { file: path, spec: readFigureSpec(path), sweep: f.sweep };
    }),
    ...extraFigures.map((f) => ({ file: f, spec: readFigureSpec(f), sweep: sweeps[0]!.key })),
  ];
  rejectDuplicateOutputs(file, figures);
  return { name: study.name, file, sweeps, figures };
}

/**
 * Checks each figure against its sweep's planned points (before any result exists): its
 * dimensions and filters must name coordinates or configuration fields, and the filters must
 * keep at least one point. Metric names are checked when the figure is rendered.
 */
export function checkStudyFigures(study: Study): void {
  for (const f of study.figures) {
    const plan = study.sweeps.find((s) => s.key === f.sweep)!.plan;
    const points: StoredPoint[] = plan.points.map((p) => ({
      key: p.key,
      workload: p.workload.name,
      repeat: p.repeat,
      coordinates: p.coordinates,
      record: { config: p.config, stats: { planned: 1 } } as unknown as PointRecord,
    }));
    const store: LoadedStore = { dir: `${study.file}#${f.sweep}`, name: plan.name, points, notOk: 0 };
    try {
      figureTable(withPlaceholderMetric(f.spec), store);
    } catch (e) {
      if (e instanceof UserError) throw new UserError(`${f.file}: ${e.message}`);
      throw e;
    }
  }
}

/** The spec with its metrics replaced by the one statistic planned points have. */
function withPlaceholderMetric(spec: FigureSpec): FigureSpec {
  return spec.kind === 'stacked' ? { ...spec, layers: spec.layers.map((l) => ({ ...l, metric: 'planned' })) } : { ...spec, metric: 'planned' };
}

/** Builds the dashboard of one of the study's result stores; returns the HTML file it wrote, or null when it wrote none. */
export type StudyDashboard = (store: { study: string; sweep: string; dir: string }) => Promise<string | null> | string | null;

export interface StudyOptions {
  /** A study file, or a plain sweep file. */
  sweepFile: string;
  /** Output directory (default results/<study name>). */
  out?: string;
  jobs: number;
  /** Figure specs to render besides the study's own (for a plain sweep file, its figures); false renders none. */
  figures?: readonly string[] | false;
  /** Print figures as PDF through Chromium too (default true). */
  pdf?: boolean;
  progress?: ProgressStyle;
  /** Where messages go (default: stderr). */
  log?: (text: string) => void;
  signal?: AbortSignal;
  /** Pool worker module (tests). */
  workerFile?: string;
  /** Writes a dashboard per result store once the sweeps are done (not after an interrupt). */
  dashboard?: StudyDashboard;
}

export interface StudyResult {
  name: string;
  /** The study's output directory: one result store per sweep, and figures/. */
  resultsDir: string;
  stores: { sweep: string; dir: string }[];
  sweeps: SweepSummary[];
  figureDir: string;
  /** Files written for the figures (SVG, CSV, TeX, PDF). */
  figures: string[];
  /** Points without an ok result, over all sweeps. */
  failures: number;
  interrupted: boolean;
  /** The dashboards' HTML files, one per store, when dashboards were asked for. */
  dashboards: string[];
}

export async function runStudy(opts: StudyOptions): Promise<StudyResult> {
  const log = opts.log ?? ((t: string) => void process.stderr.write(t));
  const study = readStudy(opts.sweepFile, opts.figures === false ? [] : (opts.figures ?? []));
  const wanted = opts.figures === false ? [] : study.figures;
  checkStudyFigures({ ...study, figures: wanted });
  const out = opts.out ?? join('results', study.name);
  const style = opts.progress ?? (process.stderr.isTTY ? 'bar' : 'lines');
  const total = study.sweeps.reduce((n, s) => n + new Set(s.plan.points.map((p) => p.key)).size, 0);
  log(`study ${study.name}: ${study.sweeps.length} sweep${study.sweeps.length === 1 ? '' : 's'}, ${total} points, ${wanted.length} figures, into ${out}\n`);

  const summaries: SweepSummary[] = [];
  const stores = study.sweeps.map((s) => ({ sweep: s.key, dir: join(out, s.key) }));
  // One set of workers for every sweep: each compiles the simulator once, not once per sweep.
  const pool = new WorkerPool(Math.max(1, opts.jobs), opts.workerFile);
  try {
    for (const [i, s] of study.sweeps.entries()) {
      if (opts.signal?.aborted === true) break;
      const summary = await runSweep({
        plan: s.plan,
        out: stores[i]!.dir,
        jobs: opts.jobs,
        signal: opts.signal,
        pool,
        progress: (toRun) => createProgress({ name: `${s.plan.name} (${i + 1}/${study.sweeps.length})`, total: toRun, style, write: log }),
      });
      summaries.push(summary);
    }
  } finally {
    await pool.destroy();
  }
  const interrupted = opts.signal?.aborted === true;
  const failures = summaries.reduce((n, s) => n + s.failures.length + s.missing, 0);
  const figureDir = join(out, 'figures');
  let files: string[] = [];
  if (!interrupted && wanted.length > 0) {
    const storeOf = new Map(stores.map((s) => [s.sweep, s.dir]));
    files = (await renderFigures(wanted.map((f) => ({ spec: f.spec, results: storeOf.get(f.sweep)! })), { out: figureDir, pdf: opts.pdf ?? true })).files;
  }
  const dashboards: string[] = [];
  if (!interrupted && opts.dashboard !== undefined) {
    for (const s of stores) {
      const html = await opts.dashboard({ study: study.name, ...s });
      if (html !== null) dashboards.push(html);
    }
  }
  return { name: study.name, resultsDir: out, stores, sweeps: summaries, figureDir, figures: files, failures, interrupted, dashboards };
}

function rejectDuplicateOutputs(file: string, figures: readonly StudyFigure[]): void {
  const seen = new Map<string, string>();
  for (const f of figures) {
    const earlier = seen.get(f.spec.output);
    if (earlier !== undefined) throw new ConfigError(`${file}: figures ${earlier} and ${f.file} both write ${f.spec.output}.*`);
    seen.set(f.spec.output, f.file);
  }
}

function parseText(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(`${file}: cannot read study file: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
  try {
    return /\.json$/i.test(file) ? (JSON.parse(text) as unknown) : (parseYaml(text) as unknown);
  } catch (e) {
    if (e instanceof YAMLParseError || e instanceof SyntaxError) throw new ConfigError(`${file}: not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${e.message.split('\n')[0]}`);
    throw e;
  }
}
