import { describe, expect, it } from 'vitest';
import { UserError } from '../../common/errors.js';
import { CHROME_THREADS, exportChrome, type ChromeEvent } from './export-chrome.js';
import type { TraceHeader, TraceRecord } from './format.js';
import { HS, M, referenceTrace, ret, sample, traceHeader } from './test-support/records.js';

function toJson(header: TraceHeader, records: TraceRecord[], limit?: number): { displayTimeUnit: string; traceEvents: ChromeEvent[]; otherData: Record<string, unknown> } {
  let text = '';
  exportChrome(header, records, (t) => (text += t), limit);
  return JSON.parse(text) as { displayTimeUnit: string; traceEvents: ChromeEvent[]; otherData: Record<string, unknown> };
}

describe('Chrome trace-event export', () => {
  const { header, records } = referenceTrace();
  const doc = toJson(header, records);
  const events = doc.traceEvents;

  it('is one JSON document with the events, in ns display units, naming the process and a thread per track', () => {
    expect(doc.displayTimeUnit).toBe('ns');
    expect(doc.otherData).toMatchObject({ workload: 'synthetic', cycleNs: 1 });
    const meta = events.filter((e) => e.ph === 'M');
    expect(meta.find((e) => e.name === 'process_name')?.args).toEqual({ name: 'rvhsim synthetic' });
    expect(meta.filter((e) => e.name === 'thread_name').map((e) => [e.tid, e.args?.['name']])).toEqual([
      [CHROME_THREADS.mode, 'mode'],
      [CHROME_THREADS.world, 'world'],
      [CHROME_THREADS.traps, 'traps'],
      [CHROME_THREADS.fences, 'fences'],
      [CHROME_THREADS.flushes, 'tlb flushes'],
    ]);
  });

  it('gives counters at each interval\'s start in microseconds (cycle / 1000)', () => {
    const miss = events.filter((e) => e.ph === 'C' && e.name === 'mmu.dtlb.miss');
    expect(miss.map((e) => [e.ts, e.args])).toEqual([
      [0, { count: 7 }],
      [1, { count: 3 }],
      [2, { count: 1 }],
    ]);
    const ipc = events.filter((e) => e.ph === 'C' && e.name === 'IPC');
    expect(ipc.map((e) => e.args?.['ipc'])).toEqual([0.5, 0.5, 0.5]);
    const residency = events.find((e) => e.ph === 'C' && e.name === 'mode residency (%)');
    expect(residency?.args).toEqual({ M: 15, HS: 25, U: 0, VS: 60, VU: 0 });
  });

  it('draws modes and worlds as complete events covering the run without gaps', () => {
    const slices = (tid: number): [string, number, number][] =>
      events.filter((e) => e.ph === 'X' && e.tid === tid).map((e) => [e.name, Math.round(e.ts! * 1000), Math.round((e.ts! + e.dur!) * 1000)]);
    expect(slices(CHROME_THREADS.mode)).toEqual([
      ['M', 0, 150],
      ['HS', 150, 400],
      ['VS', 400, 1500],
      ['HS', 1500, 2300],
    ]);
    expect(slices(CHROME_THREADS.world)).toEqual([
      ['host', 0, 400],
      ['guest', 400, 1500],
      ['host', 1500, 2300],
    ]);
  });

  it('marks traps, fences and flushes as thread-scoped instants with their details as args', () => {
    const instants = events.filter((e) => e.ph === 'i');
    expect(instants.every((e) => e.s === 't')).toBe(true);
    expect(instants.map((e) => [e.tid, e.ts, e.name])).toEqual([
      [CHROME_THREADS.fences, 1.2, 'hfence-vvma'],
      [CHROME_THREADS.flushes, 1.2, 'l2tlb flush'],
      [CHROME_THREADS.traps, 1.5, 'Environment call from VS-mode'],
      [CHROME_THREADS.traps, 1.7, 'Supervisor timer interrupt'],
    ]);
    expect(instants[0]!.args).toMatchObject({ pc: '0x80000200', rs1: '0x4000', rs2: 3, cycles: 12, 'dropped.l2tlb': 5, shadowCycles: 80 });
    expect(instants[2]!.args).toMatchObject({ cause: 10, interrupt: false, pc: '0x80000400', from: 'VS', to: 'HS' });
  });

  it('refuses a trace with more events than the limit, pointing to the Perfetto export', () => {
    const many = Array.from({ length: 10 }, (_, i) => sample({ cycle: 1000 * (i + 1), instret: 0 }));
    expect(() => toJson(traceHeader(), many, 40)).toThrow(UserError);
    expect(() => toJson(traceHeader(), many, 40)).toThrow(/more than 40 Chrome trace events.*--format perfetto/);
    expect(toJson(traceHeader(), many.slice(0, 2), 40).traceEvents.length).toBeLessThanOrEqual(40);
  });

  it('ends a cut-short trace\'s open mode slice at its last record', () => {
    const cut = toJson(traceHeader(), [ret({ cycle: 50, from: M, to: HS }), sample({ cycle: 1000, instret: 10 })]);
    expect(cut.traceEvents.filter((e) => e.ph === 'X').map((e) => [e.name, e.ts, e.dur])).toEqual([
      ['M', 0, 0.05],
      ['HS', 0.05, 0.95],
    ]);
  });
});
