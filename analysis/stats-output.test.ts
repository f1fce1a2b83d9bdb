import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../pipeline/config.js';
import { formatStatsJson, formatStatsText, formatSummary, sortKeys, type RunSummary, type StatLine } from './stats-output.js';

const stats: StatLine[] = [
  { name: 'mmu.dtlb.miss', value: 12, unit: 'count', description: 'Data TLB misses' },
  { name: 'hart.instret', value: 1_234_567, unit: 'count', description: 'Instructions retired' },
  { name: 'hart.ipc', value: 0.5, unit: 'instructions/cycle', description: 'Instructions per cycle' },
];

function summary(over: Partial<RunSummary['result']> = {}, hostSeconds = 0.5): RunSummary {
  return {
    version: '0.1.0',
    workload: { path: 'workloads/bin/default.elf', sha256: 'ab'.repeat(32) },
    config: defaultConfig(),
    result: { reason: 'exit', exitCode: 0, instret: 1_234_567, cycles: 2_469_134, hostSeconds, message: 'guest passed', ...over },
    stats,
    mips: 1_234_567 / hostSeconds / 1e6,
    fences: [
      {
        seq: 0, kind: 'hfence-gvma', cycle: 1000, pc: '0x80001234', rs1: null, rs2: 3, cycles: 9,
        dropped: [1, 2, 3, 0], stale: [1, 0, 3, 0], pwcFirst: 0, pwcG: 2, nestedTlb: 0, shadowWalks: 1, shadowCycles: 40,
      },
    ],
  };
}

describe('formatSummary', () => {
  it('shows the result message, exit code, counts with digit groups, host time and MIPS', () => {
    const text = formatSummary(summary());
    expect(text.split('\n')[0]).toBe('rvhsim: guest passed');
    expect(text).toMatch(/exit\s+code 0 \(pass\)/);
    expect(text).toMatch(/instructions\s+1,234,567\n/);
    expect(text).toMatch(/cycles\s+2,469,134\n/);
    expect(text).toMatch(/host time\s+0\.500 s\n/);
    expect(text).toMatch(/speed\s+2\.47 MIPS\n/);
  });

  it('says there is no exit code when the instruction limit stopped the run', () => {
    const text = formatSummary(summary({ reason: 'limit', exitCode: -1, message: 'stopped at the instruction limit (1000) at pc 0x80000010' }));
    expect(text).toMatch(/^rvhsim: stopped at the instruction limit/);
    expect(text).toMatch(/exit\s+none: instruction limit reached/);
  });

  it('names the stop reason when the guest deadlocked', () => {
    expect(formatSummary(summary({ reason: 'deadlock', exitCode: -1, message: 'hart waits in WFI' }))).toMatch(/exit\s+none: deadlock\n/);
  });

  it('marks a nonzero guest exit code as a failure', () => {
    expect(formatSummary(summary({ exitCode: 3, message: 'guest failed' }))).toMatch(/exit\s+code 3 \(fail\)/);
  });
});

describe('formatStatsText', () => {
  it('writes gem5-style lines sorted by name: name, value, # description (unit)', () => {
    const lines = formatStatsText(stats).split('\n');
    expect(lines[1]).toBe('---------- Begin Simulation Statistics ----------');
    const body = lines.slice(2, 5);
    expect(body.map((l) => l.split(/\s+/)[0])).toEqual(['hart.instret', 'hart.ipc', 'mmu.dtlb.miss']);
    expect(body[0]).toMatch(/^hart\.instret\s+1234567  # Instructions retired \(count\)$/);
    expect(body[1]).toMatch(/^hart\.ipc\s+0\.500000  # Instructions per cycle \(instructions\/cycle\)$/);
    expect(lines[5]).toBe('---------- End Simulation Statistics   ----------');
    // Values line up in one right-aligned column.
    const ends = body.map((l) => l.indexOf('  #'));
    expect(new Set(ends).size).toBe(1);
  });

  it('is deterministic: the same statistics in any order give the same bytes', () => {
    expect(formatStatsText([...stats].reverse())).toBe(formatStatsText(stats));
  });

  it('spells non-finite values as gem5 does', () => {
    const text = formatStatsText([{ name: 'x.rate', value: NaN, unit: 'ratio', description: 'r' }]);
    expect(text).toMatch(/x\.rate\s+nan  # r \(ratio\)/);
  });
});

describe('formatStatsJson', () => {
  it('holds version, workload, config, result, stats and fence records, with host timing only under host', () => {
    const doc = JSON.parse(formatStatsJson(summary())) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['config', 'fences', 'host', 'result', 'stats', 'version', 'workload']);
    expect((doc['fences'] as { kind: string; pc: string }[]).map((f) => [f.kind, f.pc])).toEqual([['hfence-gvma', '0x80001234']]);
    expect(doc['result']).toEqual({ cycles: 2_469_134, exitCode: 0, instret: 1_234_567, message: 'guest passed', reason: 'exit' });
    expect(doc['stats']).toEqual({ 'hart.instret': 1_234_567, 'hart.ipc': 0.5, 'mmu.dtlb.miss': 12 });
    expect(doc['host']).toEqual({ mips: 1_234_567 / 0.5 / 1e6, seconds: 0.5 });
    expect((doc['config'] as { hart: { misaligned: string } }).hart.misaligned).toBe('trap');
  });

  it('differs between two runs of the same workload only in host', () => {
    const a = JSON.parse(formatStatsJson(summary({}, 0.5))) as Record<string, unknown>;
    const b = JSON.parse(formatStatsJson(summary({}, 2))) as Record<string, unknown>;
    delete a['host'];
    delete b['host'];
    expect(a).toEqual(b);
  });

  it('sorts the keys of nested objects too', () => {
    const text = formatStatsJson(summary());
    const platform = (JSON.parse(text) as { config: { platform: object } }).config.platform;
    expect(Object.keys(platform)).toEqual([...Object.keys(platform)].sort());
  });
});

describe('sortKeys', () => {
  it('orders object keys recursively and keeps array order', () => {
    expect(JSON.stringify(sortKeys({ b: [{ z: 1, a: 2 }, 3], a: { d: 1, c: 2 } }))).toBe('{"a":{"c":2,"d":1},"b":[{"a":2,"z":1},3]}');
  });
});
