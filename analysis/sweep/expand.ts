import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, UserError } from '../../common/errors.js';
import type { MachineConfig } from '../../pipeline/config.js';
import { isPresetName, presetConfig } from '../../pipeline/presets.js';
import { checkParams } from '../../workloads/catalog.js';
import { loadConfig, parseSet, type LoadConfigOptions } from '../config-load.js';
import { simulatorBuild } from '../simulator-build.js';
import { pointKey, type PointTask, type WorkloadIdentity } from './record.js';
import { fieldName, readSweepFile, type Json, type LoadedSweepFile, type SweepFile } from './sweep-schema.js';
import { resolveSweepWorkload } from './workload-ref.js';

/**
 * A sweep file multiplied out into its points, in a fixed order: workloads outermost, then the
 * axes in file order (within a `set` axis, its paths in file order), then seeds, then repeats.
 * The order is the manifest: `rvhsim sweep run --index I` and a cluster array job both name a
 * point by its position in it. Every point carries its fully resolved configuration and the
 * content hash it is stored under.
 *
 * Each point's configuration is layered as `rvhsim run` layers one: the schema defaults, the base
 * (preset, file or object), then as `--set` overrides: platform.uart=none (workers must not write
 * to the terminal; a sweep may choose another), the sweep's `set`, the workload's params, the
 * axis values, the seed.
 */

/** One value a point takes from the sweep file, and the field of the file it came from. */
export interface Coordinate {
  /** Sweep-file field, e.g. `axes[0].set["caches.l1d.sizeBytes"]`. */
  field: string;
  /** Configuration path, e.g. `caches.l1d.sizeBytes`. */
  path: string;
  value: Json;
}

export interface SweepPoint {
  index: number;
  key: string;
  workload: WorkloadIdentity & { elf: string };
  /** The axis values and seed of this point, outermost first. */
  coordinates: Coordinate[];
  repeat: number;
  config: MachineConfig;
}

export interface SweepPlan {
  name: string;
  file: string;
  version: string;
  /** The sweep's `repeats`: points differing only in their repeat number. */
  repeats: number;
  points: SweepPoint[];
}

export function planSweep(file: string): SweepPlan {
  return expandSweep(readSweepFile(file));
}

export function expandSweep(loaded: LoadedSweepFile, version: string = simulatorBuild()): SweepPlan {
  const { file, sweep } = loaded;
  const dir = dirname(file);
  const fail = (field: string, message: string): never => {
    throw new ConfigError(`${file}: ${field}: ${message}`);
  };

  const workloads = sweep.workloads.map((entry, i) => {
    const ref = typeof entry === 'string' ? entry : entry.workload;
    const field = fieldName(['workloads', i]);
    const params = Object.entries(typeof entry === 'string' ? {} : entry.params).map(([k, v]): Coordinate => ({ field: fieldName(['workloads', i, 'params', k]), path: `run.params.${k}`, value: v }));
    try {
      const w = resolveSweepWorkload(ref, dir);
      return { ...w, sha256: fileSha256(w.elf), params };
    } catch (e) {
      if (e instanceof UserError) return fail(field, e.message);
      throw e;
    }
  });

  const fixed: Coordinate[] = Object.entries(sweep.set).map(([path, value]) => checked(file, { field: fieldName(['set', path]), path, value }));
  const axes = sweep.axes.map((axis, a) => axisSteps(file, axis, a));
  if (sweep.seeds !== undefined) {
    axes.push(sweep.seeds.map((seed, i) => [checked(file, { field: fieldName(['seeds', i]), path: 'run.params.seed', value: seed })]));
  }
  rejectRepeatedPaths(file, axes);

  const baseOptions = baseConfigOptions(file, sweep.base, dir);
  const points: SweepPoint[] = [];
  for (const w of workloads) {
    for (const combo of product(axes)) {
      for (let repeat = 0; repeat < sweep.repeats; repeat++) {
        const index = points.length;
        const coordinates = combo.flat();
        const sets = [UART_DEFAULT, ...fixed, ...w.params, ...coordinates].map(setArg);
        let config: MachineConfig;
        try {
          config = loadConfig({ ...baseOptions, sets });
        } catch (e) {
          if (!(e instanceof ConfigError)) throw e;
          throw new ConfigError(`${file}: point ${index} (${describePoint(w.name, coordinates)}): ${e.message}`);
        }
        if (w.entry !== undefined) {
          // A catalog workload's parameters are checked against the catalog and keyed by rvh_params field.
          try {
            config.run.params = checkParams(w.entry, config.run.params);
          } catch (e) {
            if (!(e instanceof UserError)) throw e;
            throw new ConfigError(`${file}: point ${index} (${describePoint(w.name, coordinates)}): ${e.message}`);
          }
        }
        const workload = { name: w.name, elf: w.elf, sha256: w.sha256 };
        const key = pointKey({ version, workload, repeat, config });
        points.push({ index, key, workload, coordinates, repeat, config });
      }
    }
  }
  return { name: loaded.name, file, version, repeats: sweep.repeats, points };
}

/** A short human description: workload, axis values, repeat. */
export function pointLabel(p: Pick<SweepPoint, 'workload' | 'coordinates' | 'repeat'>, repeats = 1): string {
  const parts = [p.workload.name, ...p.coordinates.map((c) => `${c.path}=${typeof c.value === 'string' ? c.value : JSON.stringify(c.value)}`)];
  if (repeats > 1 || p.repeat > 0) parts.push(`repeat=${p.repeat}`);
  return parts.join(' ');
}

export function taskOf(plan: SweepPlan, p: SweepPoint): PointTask {
  return { index: p.index, key: p.key, version: plan.version, workload: p.workload, repeat: p.repeat, config: p.config };
}

function describePoint(workload: string, coordinates: readonly Coordinate[]): string {
  return [`workload ${workload}`, ...coordinates.map((c) => `${c.field} = ${JSON.stringify(c.value)}`)].join(', ');
}

const UART_DEFAULT: Coordinate = { field: '(sweep default)', path: 'platform.uart', value: 'none' };

function setArg(c: Coordinate): string {
  return `${c.path}=${JSON.stringify(c.value)}`;
}

/** A coordinate whose path exists in the configuration schema (the value is checked per point). */
function checked(file: string, c: Coordinate): Coordinate {
  const arg = setArg(c);
  try {
    parseSet(arg);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    // parseSet words its errors for the command line; name the sweep field instead.
    const prefix = `--set ${arg}: `;
    throw new ConfigError(`${file}: ${c.field}: ${e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message}`);
  }
  return c;
}

/** The steps of one axis, each a list of coordinates: the product of a `set` axis's paths, or a `zip` axis in lockstep. */
function axisSteps(file: string, axis: SweepFile['axes'][number], a: number): Coordinate[][] {
  if (axis.set !== undefined) {
    const dims = Object.entries(axis.set).map(([path, values]) => values.map((value, i) => checked(file, { field: fieldName(['axes', a, 'set', path, i]), path, value })));
    return product(dims.map((d) => d.map((c) => [c]))).map((steps) => steps.flat());
  }
  const lists = Object.entries(axis.zip ?? {});
  const length = lists[0]?.[1].length ?? 0;
  for (const [path, values] of lists) {
    if (values.length !== length) {
      throw new ConfigError(`${file}: ${fieldName(['axes', a, 'zip', path])}: has ${values.length} values but ${fieldName(['axes', a, 'zip', lists[0]![0]])} has ${length}; zipped lists must be the same length`);
    }
  }
  return Array.from({ length }, (_, i) => lists.map(([path, values]) => checked(file, { field: fieldName(['axes', a, 'zip', path, i]), path, value: values[i]! })));
}

/** Two axes setting one path would make one of them silently win. */
function rejectRepeatedPaths(file: string, axes: Coordinate[][][]): void {
  const seen = new Map<string, string>();
  for (const steps of axes) {
    for (const c of steps[0] ?? []) {
      const field = c.field.replace(/\[\d+\]$/, '');
      const earlier = seen.get(c.path);
      if (earlier !== undefined) throw new ConfigError(`${file}: ${field}: ${c.path} is already varied by ${earlier}`);
      seen.set(c.path, field);
    }
  }
}

/** Every combination of one step from each list, the first list outermost; one empty combination for no lists. */
function product<T>(lists: readonly T[][]): T[][] {
  let out: T[][] = [[]];
  for (const list of lists) out = out.flatMap((prefix) => list.map((item) => [...prefix, item]));
  return out;
}

function baseConfigOptions(file: string, base: SweepFile['base'], dir: string): LoadConfigOptions {
  if (base === undefined) return {};
  if (typeof base === 'object') return { overrides: base as LoadConfigOptions['overrides'] };
  if (isPresetName(base)) return { overrides: presetConfig(base) };
  const path = resolve(dir, base);
  try {
    loadConfig({ file: path });
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(`${file}: base: ${e.message}`);
    throw e;
  }
  return { file: path };
}

function fileSha256(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  return createHash('sha256').update(bytes).digest('hex');
}
