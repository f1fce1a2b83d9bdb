import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../trace/format.js';
import { fixtureTraceHeader, fixtureTraceRecords, TRACE_FENCES, TRACE_INTERVAL, TRACE_SAMPLES, TRACE_STRETCHES, TRACE_WORLD_SWITCHES } from './test-support/fixture.js';
import { summariseTrace, thin } from './trace-summary.js';

const input = (records: TraceRecord[] = fixtureTraceRecords()) => ({ name: 't.rvtrace', header: fixtureTraceHeader(), records, complete: true, damage: null });
const MODES = fixtureTraceHeader().modes;

describe('summariseTrace', () => {
  it('keeps every sample when under the limit, and only counters that ever changed', () => {
    const t = summariseTrace(input());
    expect(t.samples.end).toHaveLength(TRACE_SAMPLES);
    expect(t.samples.end[0]).toBe(TRACE_INTERVAL);
    expect(t.samples.counters.map((c) => c.name)).toEqual(['mmu.dtlb.misses', 'mmu.walker.walks']);
    expect(t.endCycle).toBe(TRACE_SAMPLES * TRACE_INTERVAL);
  });

  it('merges consecutive samples by summing, so a merged IPC is still instructions over cycles', () => {
    const t = summariseTrace(input(), { maxSamples: 50, maxMarkers: 100, maxFences: 100 });
    expect(t.samples.end).toHaveLength(50);
    expect(t.samples.cycles[0]).toBe(4 * TRACE_INTERVAL);
    expect(t.samples.end[0]).toBe(4 * TRACE_INTERVAL);
    const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const full = summariseTrace(input());
    expect(total(t.samples.insns)).toBe(total(full.samples.insns));
    expect(total(t.samples.counters[0]!.deltas)).toBe(total(full.samples.counters[0]!.deltas));
  });

  it('turns the samples\' mode cycles into bands of the dominant mode', () => {
    const t = summariseTrace(input());
    expect(t.residency.map((r) => [r.start, r.end, MODES[r.mode]])).toEqual(TRACE_STRETCHES.map((s) => [s.from * TRACE_INTERVAL, s.to * TRACE_INTERVAL, MODES[s.mode]]));
  });

  it('follows traps and returns for the bands when the trace has no samples', () => {
    const t = summariseTrace(input(fixtureTraceRecords().filter((r) => r.t !== 'sample')), { maxSamples: 200, maxMarkers: 100, maxFences: 100 });
    expect(t.residency.map((r) => MODES[r.mode])).toEqual(TRACE_STRETCHES.map((s) => MODES[s.mode]));
    expect(t.residency[1]!.start).toBe(TRACE_STRETCHES[1]!.from * TRACE_INTERVAL);
  });

  it('marks fences by kind and world switches by direction, thinning each kind to the limit', () => {
    const t = summariseTrace(input());
    expect(t.markers.filter((m) => m.kind === 'fence')).toHaveLength(TRACE_FENCES);
    expect(t.markers.filter((m) => m.kind === 'world').map((m) => m.label)).toEqual(['enter guest (V=1)', 'leave guest (V=0)', 'enter guest (V=1)']);
    expect(t.markerTotals).toEqual({ fence: TRACE_FENCES, world: TRACE_WORLD_SWITCHES });
    const few = summariseTrace(input(), { maxSamples: 1000, maxMarkers: 4, maxFences: 3 });
    expect(few.markers.filter((m) => m.kind === 'fence').length).toBeLessThanOrEqual(4);
    expect(few.fences.length).toBeLessThanOrEqual(3);
    expect(few.markerTotals.fence).toBe(TRACE_FENCES);
  });
});

describe('thin', () => {
  it('keeps every k-th item from the first so that at most max remain', () => {
    expect(thin([0, 1, 2, 3, 4, 5, 6], 3)).toEqual([0, 3, 6]);
    expect(thin([0, 1], 3)).toEqual([0, 1]);
  });
});
