import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { UserError } from '../../common/errors.js';
import { packageVersion } from '../package-info.js';
import type { FenceJson } from '../stats-output.js';
import type { PointRecord } from '../sweep/record.js';
import { ResultStore, type Manifest } from '../sweep/store.js';
import type { TraceRecord } from '../trace/format.js';
import { forEachRecord } from '../trace/reader.js';
import { DASHBOARD_FORMAT, type DashboardAxis, type DashboardData, type DashboardFence, type DashboardPoint, type DashboardTrace } from './dashboard-data.js';
import { DEFAULT_TRACE_LIMITS, fenceCost, summariseTrace, thin, type TraceLimits } from './trace-summary.js';

/**
 * Gathers what the dashboard shows from a results directory: the stored points of a sweep
 * (manifest.json for their order and coordinates, points/KEY.json for their statistics and kept
 * fences) and traces: every `*.rvtrace` in the directory or its `traces/` folder, and the
 * files named with --trace.
 */

export const TRACE_EXTENSION = '.rvtrace';

export interface LoadOptions {
  /** Trace files to include beside those found in the results directory. */
  traces?: readonly string[];
  /** Fences kept per point for the cost histogram (the rest are thinned evenly). */
  maxFencesPerPoint?: number;
  traceLimits?: TraceLimits;
}

/** Pseudo-axes beside the configuration paths. */
export const WORKLOAD_AXIS = 'workload';
export const REPEAT_AXIS = 'repeat';

export function loadDashboardData(resultsDir: string, options: LoadOptions = {}): DashboardData {
  if (!existsSync(resultsDir) || !statSync(resultsDir).isDirectory()) throw new UserError(`${resultsDir}: no such results directory`);
  const store = new ResultStore(resultsDir);
  const manifest = readManifest(store);
  const stored = storedPoints(store, manifest);
  const tracePaths = [...findTraces(resultsDir), ...(options.traces ?? [])];
  const uniqueTraces = [...new Map(tracePaths.map((p) => [resolve(p), p])).values()];
  if (stored.length === 0 && uniqueTraces.length === 0) {
    throw new UserError(`${resultsDir}: no stored results (points/*.json) and no ${TRACE_EXTENSION} traces; run \`rvhsim sweep run\` first, or name a trace with --trace`);
  }
  const axes = varyingAxes(stored);
  const statNames = [...new Set(stored.flatMap((s) => Object.keys(s.record.stats)))].sort();
  const maxFences = options.maxFencesPerPoint ?? 2000;
  const points = stored.map((s): DashboardPoint => {
    const fences = fencesOf(s.record);
    return {
      index: s.index,
      key: s.record.key,
      workload: s.workload,
      status: s.record.status,
      coordinates: Object.fromEntries(axes.map((a) => [a.path, s.coordinates.get(a.path)])),
      values: statNames.map((n) => s.record.stats[n] ?? null),
      fences: thin(fences, maxFences),
      fenceTotal: fences.length,
    };
  });
  const traces: DashboardTrace[] = [];
  for (const path of uniqueTraces) traces.push(loadTrace(path, options.traceLimits ?? DEFAULT_TRACE_LIMITS));
  return {
    format: DASHBOARD_FORMAT,
    title: manifest?.name ?? basename(resolve(resultsDir)),
    version: packageVersion(),
    axes,
    statNames,
    points,
    traces,
  };
}

interface StoredPoint {
  index: number;
  workload: string;
  /** Every coordinate of the point by path, including the workload and repeat pseudo-axes. */
  coordinates: Map<string, unknown>;
  record: PointRecord;
}

function readManifest(store: ResultStore): Manifest | undefined {
  try {
    return store.readManifest();
  } catch (e) {
    throw new UserError(`${join(store.dir, 'manifest.json')}: not a sweep manifest: ${(e as Error).message}`);
  }
}

function readPoint(store: ResultStore, key: string): PointRecord | undefined {
  try {
    return store.read(key);
  } catch (e) {
    throw new UserError(`${join(store.dir, 'points', `${key}.json`)}: not a point record: ${(e as Error).message}`);
  }
}

/**
 * The points to show. With a manifest, its points that have results, in sweep order (results of
 * points no longer in the sweep are left out); without one, every stored result, in key order,
 * with the workload as its only coordinate.
 */
function storedPoints(store: ResultStore, manifest: Manifest | undefined): StoredPoint[] {
  const out: StoredPoint[] = [];
  if (manifest !== undefined) {
    for (const p of manifest.points) {
      const record = readPoint(store, p.key);
      if (record === undefined) continue;
      const coordinates = new Map<string, unknown>([
        [WORKLOAD_AXIS, p.workload.name],
        [REPEAT_AXIS, p.repeat],
      ]);
      for (const c of p.coordinates) coordinates.set(c.path, c.value);
      out.push({ index: p.index, workload: p.workload.name, coordinates, record });
    }
    return out;
  }
  store.keys().forEach((key, index) => {
    const record = readPoint(store, key);
    if (record === undefined) return;
    const coordinates = new Map<string, unknown>([
      [WORKLOAD_AXIS, record.workload.name],
      [REPEAT_AXIS, record.repeat],
    ]);
    out.push({ index, workload: record.workload.name, coordinates, record });
  });
  return out;
}

/** The coordinate paths with two or more distinct values, in order of first appearance. */
function varyingAxes(points: readonly StoredPoint[]): DashboardAxis[] {
  const values = new Map<string, Map<string, unknown>>();
  for (const p of points) {
    for (const [path, value] of p.coordinates) {
      let distinct = values.get(path);
      if (distinct === undefined) values.set(path, (distinct = new Map()));
      const id = JSON.stringify(value) ?? 'undefined';
      if (!distinct.has(id)) distinct.set(id, value);
    }
  }
  return [...values].filter(([, distinct]) => distinct.size >= 2).map(([path, distinct]) => ({ path, values: [...distinct.values()] }));
}

/** The fences a point's run kept (PointRecord.fences), reduced to their cost; records older than the field have none. */
function fencesOf(record: PointRecord): DashboardFence[] {
  return ((record.fences as FenceJson[] | undefined) ?? []).map(fenceCost);
}

/** `*.rvtrace` files in the results directory and its traces/ folder, sorted. */
function findTraces(dir: string): string[] {
  const found: string[] = [];
  for (const d of [dir, join(dir, 'traces')]) {
    if (!existsSync(d) || !statSync(d).isDirectory()) continue;
    for (const f of readdirSync(d).sort()) if (f.endsWith(TRACE_EXTENSION)) found.push(join(d, f));
  }
  return found;
}

/**
 * A trace file summarised. Records stream through one block at a time; only those the summary
 * uses are held (the pipeline window's per-instruction records, the bulk of a traced window, are not).
 */
function loadTrace(path: string, limits: TraceLimits): DashboardTrace {
  if (!existsSync(path)) throw new UserError(`--trace ${path}: no such file`);
  const records: TraceRecord[] = [];
  const scan = forEachRecord(path, (r) => {
    if (r.t !== 'insn') records.push(r);
  });
  const damage = scan.damage === null ? null : `${scan.damage.reason} (at byte ${scan.damage.offset})`;
  return summariseTrace({ name: basename(path), header: scan.header, records, complete: scan.complete, damage }, limits);
}
