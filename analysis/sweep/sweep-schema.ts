import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../common/errors.js';
import { jsonErrorOffset } from '../config-load.js';

/**
 * What a sweep file may say (YAML or JSON). A sweep names workloads with their parameters, a base
 * configuration, overrides applied to every point, and axes whose values multiply out into points:
 *
 *   name: small                        # default: the file name without its extension
 *   base: tiny                         # a preset, a JSON configuration file, or a configuration object
 *   set: { run.maxInsns: 5000000 }     # dotted path -> one value, for every point
 *   workloads:
 *     - bench-gups                     # catalog name or path to an ELF (relative to this file)
 *     - { workload: bench-chase, params: { footprint_bytes: 0x100000 } }
 *   axes:                              # the product of all axes, first axis outermost
 *     - set: { caches.l1d.sizeBytes: [16384, 32768] }                  # the product of its paths
 *     - zip: { caches.l2.sizeBytes: [262144, 524288], caches.l2.ways: [8, 16] }  # in lockstep
 *   seeds: [1, 2]                      # run.params.seed, innermost but for repeats
 *   repeats: 1                         # identical runs (host timing only: results are deterministic)
 *
 * Paths and values are those of `rvhsim run --set` (see `rvhsim config --schema`); the values are
 * checked against the configuration schema when the sweep is expanded (expand.ts).
 */

/** Any JSON value: what a configuration path may be set to (and a figure filter may match). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const json: z.ZodType<Json> = z.lazy(() => z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(json), z.record(z.string(), json)]));

const dottedPath = z.string().regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/, 'expected a dotted configuration path such as caches.l1d.sizeBytes');

const workloadEntry = z.union([
  z.string().min(1),
  z
    .object({
      workload: z.string().min(1).describe('Catalog name (bench-gups) or path to an ELF, relative to the sweep file.'),
      params: z.record(z.string(), z.number().int().nonnegative()).default({}).describe("Values for the workload's rvh_params block (run.params)."),
    })
    .strict(),
]);

const axisValues = z.array(json).min(1, 'an axis needs at least one value');

const axisSchema = z
  .object({
    set: z.record(dottedPath, axisValues).optional().describe('Every combination of the values of these paths.'),
    zip: z.record(dottedPath, axisValues).optional().describe('These paths advance together: the i-th values of every list form one step.'),
  })
  .strict()
  .refine((a) => (a.set === undefined) !== (a.zip === undefined), 'an axis is either { set: { path: [values] } } or { zip: { path: [values] } }, not both or neither');

export const sweepFileSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, ".", "_" or "-" (the name is a directory name)')
      .optional()
      .describe('Name of the sweep; the default result directory is results/<name>. Default: the file name.'),
    base: z
      .union([z.string().min(1), z.record(z.string(), json)])
      .optional()
      .describe('A preset name (tiny, inorder-default, cva6-like), a JSON configuration file (relative to the sweep file) or a configuration object. Default: the schema defaults.'),
    set: z.record(dottedPath, json).default({}).describe('Overrides applied to every point, after base.'),
    workloads: z.array(workloadEntry).min(1, 'a sweep needs at least one workload'),
    axes: z.array(axisSchema).default([]),
    seeds: z.array(z.number().int().nonnegative()).min(1).optional().describe('Values of run.params.seed; each one is a point.'),
    repeats: z.number().int().min(1).max(1000).default(1).describe('Runs of each point; results are deterministic, so repeats only measure host timing.'),
  })
  .strict();

export type SweepFile = z.infer<typeof sweepFileSchema>;
export type SweepAxis = z.infer<typeof axisSchema>;

/** A validated sweep file and where it came from. */
export interface LoadedSweepFile {
  file: string;
  name: string;
  sweep: SweepFile;
}

/** Reads and validates a sweep file; every error is a ConfigError naming the file and the field. */
export function readSweepFile(file: string): LoadedSweepFile {
  const sweep = parseSweep(parseText(file, readInputFile(file, 'sweep file')), file);
  return { file, name: sweep.name ?? basename(file, extname(file)), sweep };
}

/** Validates an already parsed sweep document; `file` only names the source in errors. */
export function parseSweep(doc: unknown, file: string): SweepFile {
  const parsed = sweepFileSchema.safeParse(doc);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((issue) => `${file}: ${formatIssue(issue, doc)}`).join('\n'));
}

function parseText(file: string, text: string): unknown {
  if (extname(file).toLowerCase() === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      const offset = jsonErrorOffset(text);
      const before = text.slice(0, offset);
      throw new ConfigError(`${file}:${before.split('\n').length}:${offset - before.lastIndexOf('\n')}: not valid JSON`);
    }
  }
  try {
    return parseYaml(text) as unknown;
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const at = e.linePos?.[0];
      const where = at === undefined ? '' : `:${at.line}:${at.col}`;
      const what = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      throw new ConfigError(`${file}${where}: not valid YAML: ${what}`);
    }
    throw e;
  }
}

/** The text of an input file (`what`: "sweep file"); a ConfigError naming the file when it cannot be read. */
export function readInputFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(`${file}: cannot read ${what}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
}

/** `axes[0].set["caches.l1d.sizeBytes"]`: array indices in brackets, dotted keys quoted. */
export function fieldName(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(String(p))) out += out === '' ? String(p) : `.${String(p)}`;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out === '' ? '(top level)' : out;
}

function formatIssue(issue: z.core.$ZodIssue, doc: unknown): string {
  const where = fieldName(issue.path);
  const got = describeValue(valueAt(doc, issue.path));
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}${validKeys(issue.path)}`;
    case 'invalid_union':
      return `${where}: ${unionHint(issue.path)}, got ${got}`;
    case 'invalid_type':
      return `${where}: expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${got}`;
    case 'too_small':
      if (issue.origin === 'array' || issue.origin === 'string') return `${where}: ${issue.message}, got ${got}`;
      return `${where}: expected ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}, got ${got}`;
    case 'too_big':
      return `${where}: expected ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}${issue.origin === 'array' ? ' values' : ''}, got ${got}`;
    case 'invalid_key':
      return `${where}: invalid key: ${issue.issues.map((i) => i.message).join('; ')}`;
    default:
      return `${where}: ${issue.message}, got ${got}`;
  }
}

const EXPECTED: Record<string, string> = { int: 'an integer', number: 'a number', string: 'a string', array: 'a list', object: 'an object', record: 'an object' };

function validKeys(path: readonly PropertyKey[]): string {
  if (path.length === 0) return `; valid keys: ${Object.keys(sweepFileSchema.shape).join(', ')}`;
  if (path[0] === 'workloads') return '; valid keys: workload, params';
  if (path[0] === 'axes') return '; an axis is { set: { path: [values] } } or { zip: { path: [values] } }';
  return '';
}

function unionHint(path: readonly PropertyKey[]): string {
  if (path[0] === 'workloads') return 'expected a workload name or { workload, params }';
  if (path[0] === 'base') return 'expected a preset name, a configuration file or a configuration object';
  return 'expected a JSON value';
}

/** What a validation issue's path points at in the document as written (undefined: nothing there). */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const p of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** A value as an error message quotes it: its JSON, cut short past 60 characters ("nothing" for none). */
export function quoteValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describeValue(v: unknown): string {
  const quoted = quoteValue(v);
  return Array.isArray(v) ? `an array ${quoted}` : typeof v === 'object' && v !== null ? `an object ${quoted}` : quoted;
}
