import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { isPresetName, presetConfig } from '../pipeline/presets.js';
import { ConfigError } from '../common/errors.js';
import { machineConfigSchema, type MachineConfig, type MachineConfigInput } from '../pipeline/config.js';

/**
 * Turns what a user wrote (a JSON file, `--set key.path=value` overrides) into a validated
 * MachineConfig. Every failure is a ConfigError naming the file, the `--set` argument or the
 * field path at fault, so the CLI can print it without a stack trace.
 */

export interface LoadConfigOptions {
  /** JSON configuration file; omitted fields take their schema defaults. */
  file?: string;
  /** `key.path=value` overrides, applied in order after the file. */
  sets?: string[];
  /** Programmatic overrides (e.g. from CLI flags), deep-merged after the file and before `sets`. */
  overrides?: MachineConfigInput;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export function loadConfig(opts: LoadConfigOptions = {}): MachineConfig {
  let input: JsonObject = {};
  if (opts.file !== undefined && isPresetName(opts.file) && !existsSync(opts.file)) {
    // `--config NAME` names a built-in preset (pipeline/presets.ts) rather than a file.
    input = presetConfig(opts.file) as JsonObject;
  } else if (opts.file !== undefined) {
    const fromFile = readJsonFile(opts.file);
    if (!isObject(fromFile)) throw new ConfigError(`${opts.file}: expected a JSON object at the top level, got ${describeValue(fromFile)}`);
    input = fromFile;
  }
  if (opts.overrides !== undefined) input = deepMerge(input, opts.overrides as JsonObject);

  // Which --set argument last wrote each path, so a validation error can say where the bad value came from.
  const origins = new Map<string, string>();
  const defaults = machineConfigSchema.parse({}) as JsonObject;
  for (const arg of opts.sets ?? []) {
    const { path, value } = parseSet(arg);
    input = setPath(input, path, value, defaults);
    origins.set(path.join('.'), arg);
  }

  const parsed = machineConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `config: ${formatIssue(issue, input, origins, opts.file)}`);
  throw new ConfigError(lines.join('\n'));
}

/** The JSON Schema of a configuration file (what a user may write: defaults are optional). */
export function configJsonSchema(): object {
  return z.toJSONSchema(machineConfigSchema, { io: 'input' });
}

// ---------------------------------------------------------------------------------------------
// Reading the file

function readJsonFile(file: string): Json {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected a JSON file' : (e as Error).message;
    throw new ConfigError(`${file}: cannot read configuration: ${why}`);
  }
  try {
    return JSON.parse(text) as Json;
  } catch {
    // Our own description: V8's messages quote a multi-line excerpt and often omit the position.
    const offset = jsonErrorOffset(text);
    const at = lineColumn(text, offset);
    const what = offset >= text.length ? 'unexpected end of input' : `unexpected character ${JSON.stringify(text[offset])}`;
    throw new ConfigError(`${file}:${at.line}:${at.column}: not valid JSON: ${what} (offset ${offset})`);
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/**
 * Offset of the first character at which `text` stops being JSON (RFC 8259). V8's JSON.parse
 * messages give a position only for some errors ("Unexpected token" has none), so the position
 * is found by this small recogniser, run only after JSON.parse has already failed.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const expect = (s: string): void => {
    for (const ch of s) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const digits = (): void => {
    if (!/[0-9]/.test(text[i] ?? '')) fail();
    while (/[0-9]/.test(text[i] ?? '')) i++;
  };
  const string = (): void => {
    expect('"');
    for (;;) {
      const ch = text[i];
      if (ch === undefined || ch < ' ') fail();
      i++;
      if (ch === '"') return;
      if (ch === '\\') {
        const esc = text[i];
        if (esc === 'u') {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail();
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) i++;
        else fail();
      }
    }
  };
  const number = (): void => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        string();
        ws();
        expect(':');
        value();
        ws();
        if (text[i] === ',') i++;
        else return expect('}');
      }
    } else if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else return expect(']');
      }
    } else if (ch === '"') string();
    else if (ch === 't') expect('true');
    else if (ch === 'f') expect('false');
    else if (ch === 'n') expect('null');
    else if (ch === '-' || /[0-9]/.test(ch ?? '')) number();
    else fail();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return text.length;
  } catch (at) {
    if (typeof at === 'number') return Math.min(at, text.length);
    throw at;
  }
}

// ---------------------------------------------------------------------------------------------
// --set key.path=value

/** Parses one `--set` argument against the schema: the path must exist, the value is coerced. */
export function parseSet(arg: string): { path: string[]; value: Json } {
  const eq = arg.indexOf('=');
  if (eq < 0) throw new ConfigError(`--set ${arg}: expected key.path=value (e.g. --set hart.misaligned=emulate)`);
  const key = arg.slice(0, eq).trim();
  const raw = arg.slice(eq + 1);
  const path = key.split('.');
  if (key === '' || path.some((p) => p === '')) throw new ConfigError(`--set ${arg}: "${key}" is not a key path (expected dotted names, e.g. platform.dramSizeMiB)`);
  const leaf = resolvePath(path, arg);
  return { path, value: parseValue(raw, leaf) };
}

/** Walks the schema along `path`, returning the leaf schema; unknown names are errors listing the valid ones. */
function resolvePath(path: string[], arg: string): z.ZodType {
  let schema: z.ZodType = machineConfigSchema;
  for (let depth = 0; depth < path.length; depth++) {
    const name = path[depth]!;
    const here = depth === 0 ? 'the top level' : path.slice(0, depth).join('.');
    const node = unwrap(schema);
    if (node instanceof z.ZodObject) {
      const shape = node.shape as Record<string, z.ZodType>;
      const child = Object.hasOwn(shape, name) ? shape[name] : undefined;
      if (child === undefined) {
        throw new ConfigError(`--set ${arg}: unknown key "${path.slice(0, depth + 1).join('.')}"; valid keys at ${here}: ${Object.keys(shape).join(', ')}`);
      }
      schema = child;
    } else if (node instanceof z.ZodRecord) {
      schema = node.def.valueType as z.ZodType;
    } else {
      throw new ConfigError(`--set ${arg}: "${here}" is a single value, it has no key "${name}"`);
    }
  }
  return schema;
}

/** Strips the wrappers (default, prefault, optional, nullable) that do not change what a value is. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
      s = s.unwrap() as z.ZodType;
    } else return s;
  }
}

const extendedNumber = /^[+-]?(0x[0-9a-f][0-9a-f_]*|0b[01][01_]*|0o[0-7][0-7_]*|[0-9][0-9_]*(\.[0-9_]+)?(e[+-]?[0-9]+)?)$/i;

/**
 * A `--set` value: for a string-typed field the text itself (so `uartFile=123` names a file);
 * otherwise a number (accepting `0x`, `0b`, `0o` and `_` separators), else JSON, else for a list
 * field comma-separated elements, else the text.
 */
export function parseValue(raw: string, leaf?: z.ZodType): Json {
  const text = raw.trim();
  const node = leaf === undefined ? undefined : unwrap(leaf);
  if (node instanceof z.ZodString) return text.startsWith('"') ? tryJson(text) ?? raw : raw;
  if (extendedNumber.test(text)) return parseNumber(text);
  const json = tryJson(text);
  if (json !== undefined) return json;
  // A list field also takes comma-separated elements: hart.satpModes=sv39,sv48.
  if (node instanceof z.ZodArray) return text === '' ? [] : text.split(',').map((item) => parseValue(item, node.element as z.ZodType));
  return raw;
}

function parseNumber(text: string): number {
  const negative = text.startsWith('-');
  const body = text.replace(/^[+-]/, '').replace(/_/g, '').toLowerCase();
  let magnitude: number;
  if (body.startsWith('0x') || body.startsWith('0b') || body.startsWith('0o')) {
    const big = BigInt(body);
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new ConfigError(`value ${text} is larger than 2^53 - 1 and cannot be represented exactly`);
    magnitude = Number(big);
  } else magnitude = Number(body);
  return negative ? -magnitude : magnitude;
}

function tryJson(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

/**
 * `root` with `value` at `path`. A missing parent starts from its default, so that setting one
 * entry of a record with a default (hart.hpmEvents.7=...) adds to the default entries rather
 * than replacing them.
 */
function setPath(root: JsonObject, path: readonly string[], value: Json, defaults: Json | undefined): JsonObject {
  const out: JsonObject = { ...root };
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) out[head] = value;
  else {
    const child = out[head];
    const childDefault = isObject(defaults) ? defaults[head] : undefined;
    const start = isObject(child) ? child : isObject(childDefault) ? structuredClone(childDefault) : {};
    out[head] = setPath(start, rest, value, childDefault);
  }
  return out;
}

function deepMerge(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    const b = out[k];
    out[k] = isObject(v) && isObject(b) ? deepMerge(b, v) : v;
  }
  return out;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------------
// Validation errors

function formatIssue(issue: z.core.$ZodIssue, input: JsonObject, origins: Map<string, string>, file: string | undefined): string {
  const path = issue.path.map(String);
  const where = path.length === 0 ? '(top level)' : path.join('.');
  const got = describeValue(valueAt(input, path));
  let what: string;
  switch (issue.code) {
    case 'invalid_type':
      what = `expected ${issue.expected === 'int' ? 'an integer' : issue.expected}, got ${got}`;
      break;
    case 'invalid_value':
      what = `expected ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map((v) => JSON.stringify(v)).join('|')}`}, got ${got}`;
      break;
    case 'too_small':
      what = `expected ${issue.origin === 'array' ? 'length ' : ''}${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}, got ${got}`;
      break;
    case 'too_big':
      what = `expected ${issue.origin === 'array' ? 'length ' : ''}${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}, got ${got}`;
      break;
    case 'unrecognized_keys': {
      const valid = validKeysAt(path);
      const keys = issue.keys.map((k) => `"${[...path, k].join('.')}"`).join(', ');
      what = `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}${valid ? `; valid keys: ${valid.join(', ')}` : ''}`;
      break;
    }
    case 'invalid_key':
      what = `invalid key ${JSON.stringify(path[path.length - 1])}: ${issue.issues.map((i) => i.message).join('; ')}`;
      break;
    default:
      what = `${issue.message}, got ${got}`;
  }
  return `${where}: ${what}${originOf(path, origins, file)}`;
}

function originOf(path: string[], origins: Map<string, string>, file: string | undefined): string {
  for (let n = path.length; n >= 1; n--) {
    const arg = origins.get(path.slice(0, n).join('.'));
    if (arg !== undefined) return ` (from --set ${arg})`;
  }
  return file !== undefined ? ` (in ${file})` : '';
}

function validKeysAt(path: string[]): string[] | undefined {
  let schema: z.ZodType = machineConfigSchema;
  for (const name of path) {
    const node = unwrap(schema);
    if (!(node instanceof z.ZodObject)) return undefined;
    const child = (node.shape as Record<string, z.ZodType>)[name];
    if (child === undefined) return undefined;
    schema = child;
  }
  const node = unwrap(schema);
  return node instanceof z.ZodObject ? Object.keys(node.shape) : undefined;
}

function valueAt(root: Json, path: readonly string[]): Json | undefined {
  let v: Json | undefined = root;
  for (const p of path) {
    if (Array.isArray(v)) v = v[Number(p)];
    else if (isObject(v)) v = v[p];
    else return undefined;
  }
  return v;
}

function describeValue(v: Json | undefined): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return `an array ${truncate(JSON.stringify(v))}`;
  if (isObject(v)) return `an object ${truncate(JSON.stringify(v))}`;
  return truncate(JSON.stringify(v));
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
