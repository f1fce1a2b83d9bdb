import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../common/errors.js';
import { defaultConfig } from '../pipeline/config.js';
import { configJsonSchema, jsonErrorOffset, loadConfig, parseSet } from './config-load.js';

const dir = mkdtempSync(join(tmpdir(), 'rvhsim-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The ConfigError message loadConfig throws for `opts`. */
function errorOf(opts: Parameters<typeof loadConfig>[0]): string {
  try {
    loadConfig(opts);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig: sources', () => {
  it('gives the schema defaults when there is no file and no override', () => {
    expect(loadConfig({})).toEqual(defaultConfig());
  });

  it('fills the fields a file omits with their defaults', () => {
    const f = file('partial.json', JSON.stringify({ hart: { misaligned: 'emulate' } }));
    const c = loadConfig({ file: f });
    expect(c.hart.misaligned).toBe('emulate');
    expect(c.hart.svadu).toBe(true);
    expect(c.platform).toEqual(defaultConfig().platform);
  });

  it('applies programmatic overrides after the file and --set after both', () => {
    const f = file('order.json', JSON.stringify({ run: { maxInsns: 10 }, platform: { dramSizeMiB: 64 } }));
    expect(loadConfig({ file: f, overrides: { run: { maxInsns: 20 } } }).run.maxInsns).toBe(20);
    const c = loadConfig({ file: f, overrides: { run: { maxInsns: 20 } }, sets: ['run.maxInsns=30'] });
    expect(c.run.maxInsns).toBe(30);
    expect(c.platform.dramSizeMiB).toBe(64); // an override of one field leaves its siblings alone
  });

  it('lets a later --set of the same path win', () => {
    expect(loadConfig({ sets: ['hart.misaligned=emulate', 'hart.misaligned=trap'] }).hart.misaligned).toBe('trap');
  });
});

describe('loadConfig: --set value coercion', () => {
  it('parses numbers, including 0x hex and _ separators', () => {
    const c = loadConfig({ sets: ['platform.dramBase=0x9000_0000', 'platform.dramSizeMiB=1_024', 'run.maxInsns=1e6'] });
    expect(c.platform.dramBase).toBe(0x9000_0000);
    expect(c.platform.dramSizeMiB).toBe(1024);
    expect(c.run.maxInsns).toBe(1_000_000);
  });

  it('parses booleans and JSON arrays and objects', () => {
    const c = loadConfig({ sets: ['hart.svadu=false', 'hart.satpModes=["sv39"]', 'hart.hpmEvents={"7":"hart.cycles"}'] });
    expect(c.hart.svadu).toBe(false);
    expect(c.hart.satpModes).toEqual(['sv39']);
    expect(c.hart.hpmEvents).toEqual({ '7': 'hart.cycles' });
  });

  it('takes comma-separated elements for a list field', () => {
    expect(loadConfig({ sets: ['hart.satpModes=sv39,sv57'] }).hart.satpModes).toEqual(['sv39', 'sv57']);
    expect(loadConfig({ sets: ['hart.satpModes=sv48'] }).hart.satpModes).toEqual(['sv48']);
  });

  it('takes a value that is not JSON as a string (enum values need no quotes)', () => {
    expect(loadConfig({ sets: ['platform.uart=none'] }).platform.uart).toBe('none');
  });

  it('keeps the text of a string-typed field verbatim even when it looks like a number', () => {
    expect(loadConfig({ sets: ['platform.uartFile=123'] }).platform.uartFile).toBe('123');
    expect(loadConfig({ sets: ['platform.uartFile=a=b.txt'] }).platform.uartFile).toBe('a=b.txt');
  });

  it('adds one entry to a record field, keeping its default entries', () => {
    const events = loadConfig({ sets: ['hart.hpmEvents.9=hart.instret'] }).hart.hpmEvents;
    expect(events['9']).toBe('hart.instret');
    expect(events).toEqual({ ...defaultConfig().hart.hpmEvents, '9': 'hart.instret' });
  });

  it('replaces a record given whole in a file', () => {
    const f = file('events.json', JSON.stringify({ hart: { hpmEvents: { '3': 'hart.cycles' } } }));
    expect(loadConfig({ file: f }).hart.hpmEvents).toEqual({ '3': 'hart.cycles' });
  });
});

describe('loadConfig: errors name the field, the file or the argument', () => {
  it('reports a bad enum value with the allowed values and the value given', () => {
    expect(errorOf({ sets: ['hart.misaligned=sometimes'] })).toBe(
      'config: hart.misaligned: expected one of "trap"|"emulate", got "sometimes" (from --set hart.misaligned=sometimes)',
    );
  });

  it('reports a wrong type with the path, the expected type and the file it came from', () => {
    const f = file('badtype.json', JSON.stringify({ platform: { cpuHz: 'fast' } }));
    expect(errorOf({ file: f })).toBe(`config: platform.cpuHz: expected number, got "fast" (in ${f})`);
  });

  it('reports a non-integer where an integer is required', () => {
    expect(errorOf({ sets: ['hart.hpmCounters=1.5'] })).toMatch(/^config: hart\.hpmCounters: expected an integer, got 1\.5/);
  });

  it('reports an out-of-range value with its bound', () => {
    expect(errorOf({ sets: ['hart.hpmCounters=30'] })).toMatch(/^config: hart\.hpmCounters: expected <= 29, got 30/);
    expect(errorOf({ sets: ['platform.dramSizeMiB=0'] })).toMatch(/^config: platform\.dramSizeMiB: expected > 0, got 0/);
  });

  it('reports every bad field, one per line', () => {
    const f = file('two.json', JSON.stringify({ hart: { misaligned: 'x', sstc: 'yes' } }));
    const lines = errorOf({ file: f }).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^config: hart\.misaligned: /);
    expect(lines[1]).toMatch(/^config: hart\.sstc: expected boolean, got "yes"/);
  });

  it('rejects an unknown key in a file (strict schema), listing the valid keys at that level', () => {
    const f = file('unknown.json', JSON.stringify({ hart: { misalignd: 'trap' } }));
    expect(errorOf({ file: f })).toBe(
      `config: hart: unknown key "hart.misalignd"; valid keys: misaligned, svadu, sstc, svinval, pmp, satpModes, hpmCounters, hpmEvents, h, geilen, vmidBits, hgatpModes, tinst, translateThreshold, blockTranslation (in ${f})`,
    );
  });

  it('rejects an unknown top-level section', () => {
    const f = file('section.json', JSON.stringify({ cache: {} }));
    expect(errorOf({ file: f })).toBe(`config: (top level): unknown key "cache"; valid keys: platform, hart, timing, caches, mmu, run (in ${f})`);
  });

  it('rejects a top-level value that is not an object', () => {
    const f = file('array.json', '[1, 2]');
    expect(errorOf({ file: f })).toBe(`${f}: expected a JSON object at the top level, got an array [1,2]`);
  });

  it('rejects an unknown --set path before validation, naming it and the valid keys', () => {
    expect(errorOf({ sets: ['platform.dramSise=4'] })).toBe(
      '--set platform.dramSise=4: unknown key "platform.dramSise"; valid keys at platform: dramBase, dramSizeMiB, uart, uartFile, cpuHz, timebaseHz',
    );
    expect(errorOf({ sets: ['hrt.svadu=false'] })).toBe('--set hrt.svadu=false: unknown key "hrt"; valid keys at the top level: platform, hart, timing, caches, mmu, run');
  });

  it('reports a record key that its key schema rejects', () => {
    expect(errorOf({ sets: ['hart.hpmEvents.x=hart.cycles'] })).toBe(
      'config: hart.hpmEvents.x: invalid key "x": event codes are positive decimal integers (from --set hart.hpmEvents.x=hart.cycles)',
    );
  });

  it('rejects a --set path that goes below a single value', () => {
    expect(errorOf({ sets: ['hart.svadu.x=1'] })).toBe('--set hart.svadu.x=1: "hart.svadu" is a single value, it has no key "x"');
  });

  it('rejects a malformed --set', () => {
    expect(errorOf({ sets: ['hart.svadu'] })).toBe('--set hart.svadu: expected key.path=value (e.g. --set hart.misaligned=emulate)');
    expect(errorOf({ sets: ['=1'] })).toMatch(/^--set =1: "" is not a key path/);
    expect(errorOf({ sets: ['hart..svadu=1'] })).toMatch(/^--set hart\.\.svadu=1: "hart\.\.svadu" is not a key path/);
  });

  it('rejects a hex number too large to be exact', () => {
    expect(errorOf({ sets: ['platform.dramBase=0x1_0000_0000_0000_0000'] })).toMatch(/larger than 2\^53 - 1/);
  });

  it('names a missing file', () => {
    const missing = join(dir, 'nope.json');
    expect(errorOf({ file: missing })).toBe(`${missing}: cannot read configuration: no such file`);
  });

  it('names the file, line and column of a JSON syntax error', () => {
    const f = file('bad.json', '{\n  "hart": {\n    "svadu": tru\n  }\n}\n');
    expect(errorOf({ file: f })).toBe(`${f}:3:17: not valid JSON: unexpected character "\\n" (offset 30)`);
  });

  it('locates the JSON error even where V8 gives no position (trailing comma, end of input)', () => {
    const f = file('comma.json', '{"run": {"maxInsns": 5,}}');
    expect(errorOf({ file: f })).toBe(`${f}:1:24: not valid JSON: unexpected character "}" (offset 23)`);
    const g = file('short.json', '{"run": {');
    expect(errorOf({ file: g })).toBe(`${g}:1:10: not valid JSON: unexpected end of input (offset 9)`);
  });
});

describe('jsonErrorOffset', () => {
  it('points at the first character that cannot continue the JSON text', () => {
    expect(jsonErrorOffset('{"a": }')).toBe(6);
    expect(jsonErrorOffset('[1, 2')).toBe(5);
    expect(jsonErrorOffset('{"a": 01}')).toBe(7);
    expect(jsonErrorOffset('"\\x"')).toBe(2);
    expect(jsonErrorOffset('{"a": 1} x')).toBe(9);
    expect(jsonErrorOffset("{'a': 1}")).toBe(1);
  });

  it('returns the length for valid JSON', () => {
    const ok = '{"a": [1, -2.5e3, true, null, "\\u00e9"]}';
    expect(jsonErrorOffset(ok)).toBe(ok.length);
  });
});

describe('parseSet', () => {
  it('splits at the first = so values may contain =', () => {
    expect(parseSet('platform.uartFile=x=y')).toEqual({ path: ['platform', 'uartFile'], value: 'x=y' });
  });

  it('parses a negative hex number', () => {
    expect(parseSet('run.maxInsns=-0x10').value).toBe(-16);
  });
});

describe('configJsonSchema', () => {
  const schema = configJsonSchema() as {
    type: string;
    additionalProperties: boolean;
    properties: Record<string, { properties: Record<string, { description?: string; default?: unknown; enum?: unknown[] }> }>;
  };

  it('describes every field with its default', () => {
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    const misaligned = schema.properties['hart']!.properties['misaligned']!;
    expect(misaligned.default).toBe('trap');
    expect(misaligned.enum).toEqual(['trap', 'emulate']);
    expect(misaligned.description).toMatch(/Misaligned loads\/stores/);
    expect(schema.properties['platform']!.properties['dramBase']!.default).toBe(0x8000_0000);
    for (const section of Object.values(schema.properties)) {
      for (const [name, field] of Object.entries(section.properties)) expect(field.description, name).toBeTruthy();
    }
  });

  it('is the input schema: fields with defaults are not required', () => {
    expect((schema as { required?: string[] }).required ?? []).toEqual([]);
  });
});
