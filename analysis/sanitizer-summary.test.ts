import { describe, expect, it } from 'vitest';
import type { SanitizerRecord } from '../mmu/sanitizer/fence-sanitizer.js';
import { defaultConfig } from '../pipeline/config.js';
import { SANITIZER_LINES, formatStatsJson, formatSummary, type RunSummary } from './stats-output.js';

const record: SanitizerRecord = {
  required: 'hfence-gvma',
  address: '0x80030000',
  addressKind: 'gpa',
  leaf: true,
  vmid: 1,
  asid: null,
  pte: '0x80041180',
  oldPte: '0x200080d7',
  newPte: '0x200110d7',
  store: { pc: '0x80001a2c', priv: 'S', virt: false },
  use: { pc: null, priv: 'S', virt: true, va: '0x80030008', access: 'load', stale: true },
};

function summary(violations: number, records: SanitizerRecord[]): RunSummary {
  return {
    version: '0.1.0',
    workload: { path: 'workloads/bin/h-hv-demo.elf', sha256: 'ab'.repeat(32) },
    config: defaultConfig(),
    result: { reason: 'exit', exitCode: 0, instret: 10, cycles: 20, hostSeconds: 0.5, message: 'guest passed', sanitizer: { mode: 'report', violations, records } },
    stats: [{ name: 'mmu.sanitizer.violations.hfence-gvma', value: violations, unit: 'count', description: '' }],
    mips: 0,
    fences: [],
  };
}

describe('the fence sanitizer in the run summary', () => {
  it('counts violations by missing fence and spells out each of the first few in one line', () => {
    const text = formatSummary(summary(1, [record]));
    expect(text).toMatch(/ sanitizer\s+1 violation \(missing: hfence-gvma 1\)\n/);
    expect(text).toContain(
      '    1. missing HFENCE.GVMA: leaf PTE at 0x80041180 for guest-physical page 0x80030000 (VMID 1) changed 0x200080d7 -> 0x200110d7 by a store at pc 0x80001a2c (S/HS), then used by a load of 0x80030008 at pc ? (VS) through the old TLB entry\n',
    );
  });

  it(`shows at most ${SANITIZER_LINES} violations and says how many more there are`, () => {
    const text = formatSummary(summary(5, [record, record, record, record, record]));
    expect(text.match(/^ {4}\d\. missing/gm)).toHaveLength(SANITIZER_LINES);
    expect(text).toContain(`... ${5 - SANITIZER_LINES} more`);
  });

  it('says so when there were none, and prints nothing when the sanitizer was off', () => {
    expect(formatSummary(summary(0, []))).toMatch(/ sanitizer\s+no violations\n/);
    const off = summary(0, []);
    delete off.result.sanitizer;
    expect(formatSummary(off)).not.toContain('sanitizer');
  });

  it('keeps the records in the --stats JSON result', () => {
    const doc = JSON.parse(formatStatsJson(summary(1, [record]))) as { result: { sanitizer: { records: SanitizerRecord[] } } };
    expect(doc.result.sanitizer.records[0]).toEqual(record);
  });
});
