/**
 * Test-only reader of the riscv-opcodes encoding tables (../shared/riscv-opcodes, format in its
 * README "Encoding Syntax"), and a sampler that builds concrete encodings from them.
 * Production code never reads these tables.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BitRange {
  msb: number;
  lsb: number;
}

export interface ArgField extends BitRange {
  name: string;
}

export interface TableEntry {
  name: string;
  /** The file (extension) the line is in, e.g. 'rv64_c'. */
  file: string;
  /** For a `$pseudo_op` line: the regular instruction it is an alias of. */
  pseudoOf?: { file: string; name: string };
  /** For a `$import` line: the file the regular instruction was imported from. */
  importedFrom?: string;
  /** Fixed bits: (word & mask) === match. */
  mask: number;
  match: number;
  /** Variable fields, in the order the line lists them. */
  args: ArgField[];
  /** `a=b` arguments of pseudo-ops: field a takes the value of field b. */
  aliases: Array<{ field: string; from: string }>;
  width: 16 | 32;
}

/** arg_lut.csv: argument name → its bit range in the instruction. */
export function loadArgLut(dir: string): Map<string, BitRange> {
  const lut = new Map<string, BitRange>();
  for (const line of readFileSync(join(dir, 'arg_lut.csv'), 'utf8').split('\n')) {
    const m = /^"([^"]+)",\s*(\d+),\s*(\d+)/.exec(line.trim());
    if (m) lut.set(m[1]!, { msb: Number(m[2]), lsb: Number(m[3]) });
  }
  return lut;
}

function fieldMask(msb: number, lsb: number): number {
  const width = msb - lsb + 1;
  return (width >= 32 ? 0xffffffff : ((1 << width) - 1) << lsb) >>> 0;
}

/** Parses one `rv*` file; `$import` lines are resolved by reading the named file. */
export function parseOpcodeFile(dir: string, file: string, lut: Map<string, BitRange>): TableEntry[] {
  const entries: TableEntry[] = [];
  for (const rawLine of readFileSync(join(dir, file), 'utf8').split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const tokens = line.split(/\s+/);
    if (tokens[0] === '$import') {
      const [srcFile, name] = splitQualified(tokens[1]!);
      const src = parseOpcodeFile(dir, srcFile, lut).find((e) => e.name === name && !e.pseudoOf);
      if (!src) throw new Error(`${file}: $import ${tokens[1]} not found`);
      entries.push({ ...src, file, importedFrom: srcFile });
      continue;
    }
    let pseudoOf: TableEntry['pseudoOf'];
    if (tokens[0] === '$pseudo_op') {
      const [baseFile, baseName] = splitQualified(tokens[1]!);
      pseudoOf = { file: baseFile, name: baseName };
      tokens.splice(0, 2);
    }
    entries.push(parseInstruction(file, tokens, lut, pseudoOf));
  }
  return entries;
}

function splitQualified(q: string): [string, string] {
  const i = q.indexOf('::');
  if (i < 0) throw new Error(`expected extension::instruction, got ${q}`);
  return [q.slice(0, i), q.slice(i + 2)];
}

function parseInstruction(
  file: string, tokens: string[], lut: Map<string, BitRange>, pseudoOf: TableEntry['pseudoOf'],
): TableEntry {
  const name = tokens[0]!;
  let mask = 0;
  let match = 0;
  const args: ArgField[] = [];
  const aliases: TableEntry['aliases'] = [];
  for (const tok of tokens.slice(1)) {
    const fixed = /^(\d+)(?:\.\.(\d+))?=(.+)$/.exec(tok);
    if (fixed) {
      const msb = Number(fixed[1]);
      const lsb = fixed[2] === undefined ? msb : Number(fixed[2]);
      const value = Number(fixed[3]); // decimal, 0x.. or 0b..
      const m = fieldMask(msb, lsb);
      if (Number.isNaN(value) || value >= 2 ** (msb - lsb + 1)) throw new Error(`${file} ${name}: bad ${tok}`);
      if ((mask & m) !== 0) throw new Error(`${file} ${name}: bits of ${tok} given twice`);
      mask = (mask | m) >>> 0;
      match = (match | ((value << lsb) >>> 0 & m)) >>> 0;
      continue;
    }
    const alias = /^(\w+)=(\w+)$/.exec(tok);
    if (alias) {
      aliases.push({ field: alias[1]!, from: alias[2]! });
      const range = lut.get(alias[1]!);
      if (!range) throw new Error(`${file} ${name}: unknown field ${alias[1]}`);
      args.push({ name: alias[1]!, ...range });
      continue;
    }
    const range = lut.get(tok);
    if (!range) throw new Error(`${file} ${name}: unknown argument ${tok}`);
    args.push({ name: tok, ...range });
  }
  const width = (match & 3) === 3 && (mask & 3) === 3 ? 32 : 16;
  // parse.py's check: every bit is either fixed or an argument.
  let covered = mask;
  for (const a of args) covered = (covered | fieldMask(a.msb, a.lsb)) >>> 0;
  const all = width === 32 ? 0xffffffff : 0xffff;
  if (covered !== all) {
    throw new Error(`${file} ${name}: bits 0x${((all & ~covered) >>> 0).toString(16)} unaccounted`);
  }
  const entry: TableEntry = { name, file, mask, match, args, aliases, width };
  if (pseudoOf) entry.pseudoOf = pseudoOf;
  return entry;
}

/** Reads one field of a concrete encoding. */
export function extractField(word: number, f: BitRange): number {
  return ((word >>> 0) & fieldMask(f.msb, f.lsb)) >>> f.lsb;
}

/**
 * The immediate an argument is part of: hi/lo halves of a split immediate share one group
 * (imm12hi + imm12lo → imm12, c_nzimm6hi + c_nzimm6lo → c_nzimm6).
 */
export function argGroup(name: string): string {
  return name.replace(/(hi|lo)$/, '');
}

/** mulberry32: a small seeded PRNG so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Whether a sample's field values satisfy the constraints the argument names carry:
 * `*_n0` nonzero, `rd_n2` not x2, and a `c_nz*` immediate (all its parts together) nonzero.
 */
function satisfiesConstraints(entry: TableEntry, values: Map<string, number>): boolean {
  const groups = new Map<string, number>();
  for (const a of entry.args) {
    const v = values.get(a.name)!;
    if (a.name.endsWith('_n0') && v === 0) return false;
    if (a.name === 'rd_n2' && v === 2) return false;
    if (a.name.startsWith('c_nz')) groups.set(argGroup(a.name), (groups.get(argGroup(a.name)) ?? 0) | v);
  }
  for (const v of groups.values()) if (v === 0) return false;
  return true;
}

export type FieldChoice = 'random' | 'ones' | 'zeros';

/**
 * One concrete encoding of `entry`: fixed bits from the table, each argument filled per `choice`
 * ('ones'/'zeros' give the extreme values, e.g. a negative immediate with every bit set), then
 * redrawn at random until the argument-name constraints hold.
 */
export function sampleEncoding(entry: TableEntry, rand: () => number, choice: FieldChoice): number {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const values = new Map<string, number>();
    for (const a of entry.args) {
      const max = 2 ** (a.msb - a.lsb + 1) - 1;
      const mode = attempt === 0 ? choice : 'random';
      values.set(a.name, mode === 'ones' ? max : mode === 'zeros' ? 0 : Math.floor(rand() * (max + 1)));
    }
    for (const { field, from } of entry.aliases) values.set(field, values.get(from)!);
    if (!satisfiesConstraints(entry, values)) continue;
    let word = entry.match;
    for (const a of entry.args) word = (word | (values.get(a.name)! << a.lsb)) >>> 0;
    return word;
  }
  throw new Error(`${entry.file} ${entry.name}: no encoding satisfies the argument constraints`);
}
