import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../common/errors.js';
import { canonicalJson, type PointRecord } from '../sweep/record.js';
import { parseMetric, type Metric } from '../sweep/report.js';
import { ResultStore } from '../sweep/store.js';
import { specMetrics, type Aggregate, type Dimension, type FigureJson, type FigureSpec } from './figure-spec.js';

/**
 * From a result store to the numbers a figure plots: the stored points (manifest order, one per
 * content hash, ok results only) that pass the spec's filters, placed on cells by their values at
 * the spec's dimensions (x, series, y), each cell's metric values combined by the spec's
 * aggregate. Dimension values are ordered numerically when they are all numbers, otherwise in the
 * order the sweep lists them.
 */

/** A stored point with the coordinates its sweep gave it. */
export interface StoredPoint {
  key: string;
  workload: string;
  repeat: number;
  coordinates: { path: string; value: unknown }[];
  record: PointRecord;
}

export interface LoadedStore {
  dir: string;
  name: string;
  /** Ok results, manifest order, one per key. */
  points: StoredPoint[];
  /** Distinct manifest points without an ok result (not run yet, failed, or errors). */
  notOk: number;
}

/** The points of a result store; a UserError names the directory when it is not a store. */
export function loadStore(dir: string): LoadedStore {
  const store = new ResultStore(dir);
  const manifest = existsSync(join(dir, 'manifest.json')) ? store.readManifest() : undefined;
  if (manifest === undefined) throw new UserError(`${dir}: not a sweep result store (no manifest.json; rvhsim sweep run FILE --out ${dir})`);
  const seen = new Set<string>();
  const points: StoredPoint[] = [];
  let notOk = 0;
  for (const p of manifest.points) {
    if (seen.has(p.key)) continue;
    seen.add(p.key);
    const record = store.read(p.key);
    if (record === undefined || record.status !== 'ok') {
      notOk++;
      continue;
    }
    points.push({ key: p.key, workload: p.workload.name, repeat: p.repeat, coordinates: p.coordinates, record });
  }
  return { dir, name: manifest.name, points, notOk };
}

/** One value of a dimension: its identity (canonical JSON), display label, and the number it is on a numeric axis. */
export interface DimValue {
  key: string;
  label: string;
  number: number | undefined;
}

/** A dimension's values in plot order. */
export interface DimAxis {
  title: string;
  values: DimValue[];
}

/** One plotted cell: its position on each dimension and the combined metric values. */
export interface FigureCell {
  /** Index into each dimension's values, in FigureTable.dims order. */
  at: number[];
  /** One per metric (null: no point had the metric). */
  values: (number | null)[];
  /** Points combined into the cell. */
  points: number;
}

export interface FigureTable {
  /** x first, then the series dimensions (or y, for a heatmap). */
  dims: DimAxis[];
  metrics: { metric: string; label: string }[];
  /** Cells in order of their positions (x outermost). */
  cells: FigureCell[];
  /** Points the filters kept, and ok points in the store. */
  used: number;
  stored: number;
  notOk: number;
}

/** The spec's dimensions in table order. */
export function specDimensions(spec: FigureSpec): Dimension[] {
  return spec.kind === 'heatmap' ? [spec.x, spec.y] : [spec.x, ...spec.series];
}

export function figureTable(spec: FigureSpec, store: LoadedStore): FigureTable {
  const where = `figure ${spec.output} (${store.dir})`;
  if (store.points.length === 0) throw new UserError(`${where}: the store has no ok results yet${store.notOk > 0 ? ` (${store.notOk} points not run or failed)` : ''}`);
  const known = new Set(store.points.flatMap((p) => Object.keys(p.record.stats)));
  const metrics = specMetrics(spec).map((m) => ({ ...m, parsed: checkedMetric(where, m.metric, known) }));
  const dims = specDimensions(spec);
  for (const path of [...dims.map((d) => d.path), ...Object.keys(spec.filters)]) requirePath(where, store, path);

  const kept = store.points.filter((p) => Object.entries(spec.filters).every(([path, want]) => matches(valueAt(p, path), want)));
  if (kept.length === 0) throw new UserError(`${where}: no stored point matches the filters ${JSON.stringify(spec.filters)}`);

  const axes = dims.map((d) => dimAxis(d, kept));
  const index = axes.map((a) => new Map(a.values.map((v, i) => [v.key, i])));
  const groups = new Map<string, { at: number[]; points: StoredPoint[] }>();
  for (const p of kept) {
    const at = dims.map((d, i) => index[i]!.get(canonicalJson(valueAt(p, d.path) ?? null))!);
    const id = at.join(',');
    const g = groups.get(id) ?? { at, points: [] };
    g.points.push(p);
    groups.set(id, g);
  }
  const cells = [...groups.values()]
    .sort((a, b) => compareAt(a.at, b.at))
    .map((g): FigureCell => {
      if (g.points.length > 1 && spec.aggregate === undefined) throw new UserError(`${where}: ${ambiguity(g.points, axes, dims, g.at)}`);
      return { at: g.at, values: metrics.map((m) => combine(spec.aggregate ?? 'mean', g.points.map((p) => m.parsed.value(p.record.stats)))), points: g.points.length };
    });
  return { dims: axes, metrics: metrics.map(({ metric, label }) => ({ metric, label })), cells, used: kept.length, stored: store.points.length, notOk: store.notOk };
}

function checkedMetric(where: string, text: string, known: ReadonlySet<string>): Metric {
  try {
    return parseMetric(text, known);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${where}: ${e.message.replace(/^--metric /, 'metric ')}`);
    throw e;
  }
}

/** A dimension or filter path must name something in at least one point. */
function requirePath(where: string, store: LoadedStore, path: string): void {
  if (store.points.some((p) => valueAt(p, path) !== undefined)) return;
  const coords = [...new Set(store.points.flatMap((p) => p.coordinates.map((c) => c.path)))];
  throw new UserError(`${where}: ${path} is neither a coordinate of the sweep nor a configuration field (coordinates: workload${coords.length > 0 ? `, ${coords.join(', ')}` : ''})`);
}

/**
 * A point's value at `path`: `workload`, `repeat`, a coordinate, a path into a coordinate's
 * value, or a path into the resolved configuration; undefined when none has it. A path that
 * passes through null (a structure switched off) is null.
 */
export function valueAt(p: StoredPoint, path: string): unknown {
  if (path === 'workload') return p.workload;
  if (path === 'repeat') return p.repeat;
  const exact = p.coordinates.find((c) => c.path === path);
  if (exact !== undefined) return exact.value;
  const prefix = p.coordinates.filter((c) => path.startsWith(`${c.path}.`)).sort((a, b) => b.path.length - a.path.length)[0];
  if (prefix !== undefined) return descend(prefix.value, path.slice(prefix.path.length + 1).split('.'));
  return descend(p.record.config, path.split('.'));
}

function descend(root: unknown, segments: readonly string[]): unknown {
  let v = root;
  for (const s of segments) {
    if (v === null) return null;
    if (typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[s];
  }
  return v;
}

function matches(value: unknown, want: FigureJson | FigureJson[]): boolean {
  // A list is either the value itself (a coordinate whose values are lists) or the values allowed.
  const have = canonicalJson(value ?? null);
  return canonicalJson(want) === have || (Array.isArray(want) && want.some((w) => canonicalJson(w) === have));
}

/** The values a dimension takes among `points`: all numbers ascending, otherwise first appearance. */
function dimAxis(d: Dimension, points: readonly StoredPoint[]): DimAxis {
  const seen = new Map<string, unknown>();
  for (const p of points) {
    const v = valueAt(p, d.path) ?? null;
    const key = canonicalJson(v);
    if (!seen.has(key)) seen.set(key, v);
  }
  let entries = [...seen.entries()];
  if (entries.every(([, v]) => typeof v === 'number')) entries = entries.sort((a, b) => (a[1] as number) - (b[1] as number));
  return {
    title: d.label ?? d.path,
    values: entries.map(([key, v]) => ({ key, label: valueLabel(d, v), number: typeof v === 'number' ? v : undefined })),
  };
}

/** A value as text: the spec's label for it, else strings as they are, numbers (as bytes if asked) and JSON. */
export function valueLabel(d: Pick<Dimension, 'labels' | 'format'>, v: unknown): string {
  const text = typeof v === 'string' ? v : canonicalJson(v ?? null);
  const given = d.labels?.[text];
  if (given !== undefined) return given;
  if (d.format === 'bytes' && typeof v === 'number') return byteSize(v);
  return text;
}

/** 4096 -> "4 KiB", 2097152 -> "2 MiB"; sizes that are not whole units stay in bytes. */
export function byteSize(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0;
  let v = n;
  while (u < units.length - 1 && v >= 1024 && v % 1024 === 0) {
    v /= 1024;
    u++;
  }
  return `${v} ${units[u]}`;
}

function compareAt(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Why several points fall on one cell: the coordinates in which they differ. */
function ambiguity(points: readonly StoredPoint[], axes: readonly DimAxis[], dims: readonly Dimension[], at: readonly number[]): string {
  const paths = ['workload', ...new Set(points.flatMap((p) => p.coordinates.map((c) => c.path)))];
  const differing = paths.filter((path) => new Set(points.map((p) => canonicalJson(valueAt(p, path) ?? null))).size > 1);
  const cell = dims.map((d, i) => `${d.path} = ${axes[i]!.values[at[i]!]!.label}`).join(', ');
  return `${points.length} points fall on the cell ${cell}${differing.length > 0 ? `; they differ in ${differing.join(', ')}` : ''}: add a filter or a series for ${differing.length > 0 ? 'those' : 'what differs'}, or an "aggregate" (mean, geomean, median, min, max, sum)`;
}

/** Combines the values of one cell (points without the metric are left out). */
export function combine(how: Aggregate, raw: readonly (number | undefined)[]): number | null {
  const v = raw.filter((x): x is number => x !== undefined && Number.isFinite(x));
  if (v.length === 0) return null;
  switch (how) {
    case 'mean':
      return v.reduce((a, b) => a + b, 0) / v.length;
    case 'geomean':
      return v.some((x) => x <= 0) ? null : Math.exp(v.reduce((a, b) => a + Math.log(b), 0) / v.length);
    case 'median': {
      const s = [...v].sort((a, b) => a - b);
      const m = Math.floor(s.length / 2);
      return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
    }
    case 'min':
      return Math.min(...v);
    case 'max':
      return Math.max(...v);
    case 'sum':
      return v.reduce((a, b) => a + b, 0);
  }
}
