import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../common/errors.js';
import { FENCE_KIND_NAMES, TLB_NAMES } from '../../mmu/tlb/fence-records.js';
import { defaultConfig, type MachineConfig } from '../../pipeline/config.js';
import { Machine } from '../../pipeline/machine.js';
import { EXIT_USER_ERROR } from '../cli.js';
import { runWorkload, type RunSummary, type RunTraceOptions } from '../run.js';
import { cli } from '../test-support/cli.js';
import type { EndRecord, FenceTraceRecord, FlushRecord, InsnRecord, ReturnRecord, SampleRecord, TraceRecord, TrapRecord, WorldSwitchRecord } from './format.js';
import { readTrace, type TraceReadResult } from './reader.js';
import { TraceRecorder } from './recorder.js';

const dir = mkdtempSync(join(tmpdir(), 'rvhsim-trace-recorder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bin = join(import.meta.dirname, '..', '..', 'workloads', 'bin');
const GUPS = join(bin, 'bench-gups.elf');

/**
 * bench-gups in VU-mode under a guest kernel under the hypervisor: two time-sliced guests sharing
 * one VMID (the hv fences at every switch) with the G-stage mapped lazily (guest-page faults), a
 * small table: every kind of record in about a second of simulation.
 */
function virtualizedConfig(): MachineConfig {
  const c = defaultConfig();
  c.run.mode = 'detailed';
  c.platform.uart = 'none';
  c.run.params = { mode: 4, guests: 2, untagged: 1, lazy: 1, footprint_bytes: 16384, iterations: 2000, slice_ticks: 200 };
  return c;
}

function traced(name: string, config: MachineConfig, trace: Omit<RunTraceOptions, 'path'>): { summary: RunSummary; path: string } {
  const path = join(dir, name);
  return { summary: runWorkload({ elf: GUPS, config, trace: { path, ...trace } }), path };
}

const of = <T extends TraceRecord['t']>(t: TraceReadResult, kind: T) => t.records.filter((r): r is Extract<TraceRecord, { t: T }> => r.t === kind);
const stat = (s: RunSummary, name: string): number => {
  const line = s.stats.find((l) => l.name === name);
  if (line === undefined) throw new Error(`no statistic ${name}`);
  return line.value;
};
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('a trace of a virtualized run', () => {
  let summary: RunSummary;
  let path = '';
  let t: TraceReadResult;

  beforeAll(() => {
    ({ summary, path } = traced('gups.rvtrace', virtualizedConfig(), { intervalCycles: 10_000, window: null }));
    t = readTrace(path);
  });

  it('is complete: its end record holds the run result and the count of records before it', () => {
    expect(summary.result.reason).toBe('exit');
    expect(t.complete).toBe(true);
    const end = t.records.at(-1) as EndRecord;
    expect(end).toEqual({ t: 'end', cycle: summary.result.cycles, instret: summary.result.instret, reason: 'exit', exitCode: 0, records: t.records.length - 1 });
    expect(t.header.workload).toEqual({ name: 'bench-gups', path: GUPS, sha256: summary.workload.sha256 });
    expect(t.header.config).toEqual(JSON.parse(JSON.stringify(summary.config)));
    expect(t.header.modes).toEqual(['M', 'HS', 'U', 'VS', 'VU']);
  });

  it('samples every interval: mode cycles add up to the interval, intervals to the run, deltas to the statistics', () => {
    const samples = of(t, 'sample');
    expect(samples.length).toBe(Math.ceil(summary.result.cycles / 10_000));
    let prev = 0;
    for (const s of samples) {
      expect(sum(s.modeCycles)).toBe(s.cycles);
      expect(s.cycle - prev).toBe(s.cycles);
      prev = s.cycle;
    }
    // Every sample but the last is taken at the first boundary past a multiple of the interval.
    samples.slice(0, -1).forEach((s, i) => expect(Math.floor(s.cycle / 10_000)).toBe(i + 1));
    expect(sum(samples.map((s) => s.cycles))).toBe(summary.result.cycles);
    expect(sum(samples.map((s) => s.insns))).toBe(summary.result.instret);
    t.header.modes.forEach((m, i) => expect(sum(samples.map((s) => s.modeCycles[i]!))).toBe(stat(summary, `timing.mode.${m}.cycles`)));
    // The guest ran: VU-mode and HS-mode (the hv) both have cycles.
    expect(sum(samples.map((s) => s.modeCycles[4]!))).toBeGreaterThan(0);
    expect(t.header.counters.map((c) => c.name)).toEqual(expect.arrayContaining(['mmu.dtlb.misses', 'mmu.walker.cycles', 'caches.l1d.misses.load', 'mmu.pwc.first.lookups']));
    t.header.counters.forEach((c, i) => expect(sum(samples.map((s) => s.deltas[i]!)), c.name).toBe(stat(summary, c.name)));
  });

  it('records every trap with its cause, and the guest-page faults of lazy G-stage mapping go from the guest to HS', () => {
    const traps = of(t, 'trap');
    expect(traps.length).toBe(stat(summary, 'hart.exceptions') + stat(summary, 'hart.interrupts'));
    expect(traps.filter((r) => r.interrupt).length).toBe(stat(summary, 'hart.interrupts'));
    // hypervisor.adoc "Trap Cause Codes": 20, 21, 23 are instruction, load and store/AMO guest-page faults.
    const guestPageFaults = traps.filter((r) => !r.interrupt && [20, 21, 23].includes(r.cause));
    expect(guestPageFaults.length).toBeGreaterThan(0);
    for (const r of guestPageFaults) {
      expect([3, 4]).toContain(r.from);
      expect(r.to).toBe(1);
    }
    // The VU kernel's ecalls (cause 8) are delegated to the guest kernel in VS-mode.
    const uEcalls = traps.filter((r) => !r.interrupt && r.cause === 8);
    expect(uEcalls.length).toBeGreaterThan(0);
    for (const r of uEcalls) expect([r.from, r.to]).toEqual([4, 3]);
    expect(typeof traps[0]!.pc).toBe('bigint');
  });

  it('records a world switch beside each trap or return that changed V, alternating in and out of the guest', () => {
    const events = t.records.filter((r): r is TrapRecord | ReturnRecord | WorldSwitchRecord => r.t === 'trap' || r.t === 'return' || r.t === 'world');
    const worlds = events.filter((r): r is WorldSwitchRecord => r.t === 'world');
    const changing = events.filter((r) => r.t !== 'world' && (r.from >= 3) !== (r.to >= 3));
    expect(worlds.length).toBe(changing.length);
    expect(worlds.length).toBeGreaterThan(2);
    worlds.forEach((w, i) => expect(w.virt).toBe(i % 2 === 0));
    for (let i = 0; i < events.length; i++) {
      const w = events[i]!;
      if (w.t !== 'world') continue;
      const cause = events[i - 1]!;
      expect(cause.t === 'trap' || cause.t === 'return').toBe(true);
      expect([w.cycle, w.instret, w.from, w.to]).toEqual([cause.cycle, cause.instret, cause.from, cause.to]);
    }
    expect(of(t, 'return').some((r) => r.insn === 'sret' && r.from === 1 && r.to >= 3)).toBe(true);
  });

  it('records every fence with costs matching the mmu.fence statistics, shadow walks included', () => {
    const fences = of(t, 'fence');
    expect(fences.map((f) => f.seq)).toEqual(fences.map((_, i) => i));
    expect(fences.length).toBeGreaterThan(0);
    for (const kind of FENCE_KIND_NAMES) {
      const mine = fences.filter((f) => f.kind === kind);
      expect(mine.length, kind).toBe(stat(summary, `mmu.fence.${kind}.count`));
      expect(sum(mine.map((f) => f.cycles)), kind).toBe(stat(summary, `mmu.fence.${kind}.cycles`));
      expect(sum(mine.map((f) => f.shadowWalks)), kind).toBe(stat(summary, `mmu.fence.${kind}.shadowWalks`));
      expect(sum(mine.map((f) => f.shadowCycles)), kind).toBe(stat(summary, `mmu.fence.${kind}.shadowCycles`));
      TLB_NAMES.forEach((tlb, i) => expect(sum(mine.map((f) => f.dropped[i]!)), `${kind} ${tlb}`).toBe(stat(summary, `mmu.fence.${kind}.dropped.${tlb}`)));
    }
    expect(of(t, 'fence').some((f) => f.kind === 'hfence-gvma')).toBe(true);
    // The run summary keeps the same fences as JSON, 64-bit values in hex.
    expect(summary.fences.map((f) => [f.seq, f.kind, f.cycle, f.pc, f.shadowCycles])).toEqual(
      fences.slice(0, summary.config.mmu.tlb.fenceRecordLimit).map((f: FenceTraceRecord) => [f.seq, f.kind, f.cycle, `0x${f.pc.toString(16)}`, f.shadowCycles]),
    );
  });

  it('writes each fence once its shadow window has closed, by the next sample after that', () => {
    const window = summary.config.mmu.tlb.shadowWindow;
    const timed = (r: TraceRecord) => r.t === 'sample' || r.t === 'trap' || r.t === 'return';
    t.records.forEach((f, i) => {
      if (f.t !== 'fence') return;
      const closes = f.cycle + window;
      // Not early: nothing written after it happened inside its window.
      for (const r of t.records.slice(i + 1)) if (timed(r)) expect((r as { cycle: number }).cycle, `fence ${f.seq}`).toBeGreaterThan(closes);
      // Not late: written before the second sample taken after its window closed.
      const samplesAfter = t.records.map((r, k) => [r, k] as const).filter(([r]) => r.t === 'sample' && r.cycle > closes);
      if (samplesAfter.length >= 2) expect(i, `fence ${f.seq}`).toBeLessThan(samplesAfter[1]![1]);
    });
  });

  it('records TLB structures emptied whole, with the fence kind that emptied them', () => {
    const flushes = of(t, 'flush');
    expect(flushes.length).toBeGreaterThan(0);
    for (const f of flushes as FlushRecord[]) {
      expect(TLB_NAMES).toContain(f.structure);
      expect(FENCE_KIND_NAMES).toContain(f.reason);
      expect(f.entries).toBeGreaterThan(0);
    }
    for (const tlb of TLB_NAMES) {
      const n = flushes.filter((f) => f.structure === tlb).length;
      if (n > 0) expect(n).toBeLessThanOrEqual(stat(summary, `mmu.${tlb}.flushes`));
    }
  });

});

describe('determinism', () => {
  it('gives a byte-identical trace for the same run', () => {
    const config = virtualizedConfig();
    config.run.maxInsns = 300_000;
    const options = { intervalCycles: 1000, window: { startInsn: 1000, endInsn: 1100 } };
    const a = traced('same-a.rvtrace', config, options);
    const b = traced('same-b.rvtrace', config, options);
    const bytes = readFileSync(a.path);
    expect(bytes.length).toBeGreaterThan(10_000);
    expect(readFileSync(b.path).equals(bytes)).toBe(true);
  });
});

describe('the pipeline window', () => {
  it('records one instruction per retirement number in the window with stage cycles IF <= ID <= EX <= MEM <= WB, changing no result', () => {
    const config = virtualizedConfig();
    config.run.maxInsns = 40_000;
    const plain = runWorkload({ elf: GUPS, config });
    const { summary, path } = traced('window.rvtrace', config, { intervalCycles: 0, window: { startInsn: 30_000, endInsn: 30_400 } });
    const t = readTrace(path);
    const insns = of(t, 'insn') as InsnRecord[];
    expect(insns.map((r) => r.seq)).toEqual(Array.from({ length: 400 }, (_, i) => 30_000 + i));
    for (const r of insns) {
      for (let s = 0; s < 4; s++) expect(r.stages[s]!).toBeLessThanOrEqual(r.stages[s + 1]!);
      expect(r.text.length).toBeGreaterThan(0);
    }
    // In order: each instruction completes after the one before it.
    for (let i = 1; i < insns.length; i++) expect(insns[i]!.stages[4]).toBeGreaterThan(insns[i - 1]!.stages[4]);
    expect(t.header.window).toEqual({ startInsn: 30_000, endInsn: 30_400 });
    expect(of(t, 'sample')).toEqual([]);
    // Stepping the window and leaving blocks at boundaries changes no architectural or timing result.
    const modelled = (s: RunSummary) => s.stats.filter((l) => !l.name.startsWith('translator.') && !l.name.startsWith('sim.'));
    expect(modelled(summary)).toEqual(modelled(plain));
    expect(summary.result.cycles).toBe(plain.result.cycles);
  });

  it('leaves the timing of a sampled run unchanged', () => {
    const config = virtualizedConfig();
    config.run.maxInsns = 200_000;
    const plain = runWorkload({ elf: GUPS, config });
    const { summary } = traced('sampled.rvtrace', config, { intervalCycles: 1000, window: null });
    const modelled = (s: RunSummary) => s.stats.filter((l) => !l.name.startsWith('translator.') && !l.name.startsWith('sim.'));
    expect(modelled(summary)).toEqual(modelled(plain));
  });
});

describe('what a recorder refuses', () => {
  it('refuses functional mode with a UserError: there are no cycles, caches or TLBs to record', () => {
    const c = defaultConfig();
    c.run.mode = 'functional';
    const m = new Machine(c);
    const make = () => new TraceRecorder(m, { path: join(dir, 'f.rvtrace'), intervalCycles: 10_000, window: null }, { workload: { name: 'x', path: 'x', sha256: '' }, simulatorVersion: '0' });
    expect(make).toThrow(UserError);
    expect(make).toThrow(/needs detailed mode/);
  });

  it('refuses an empty or reversed window', () => {
    const c = defaultConfig();
    c.run.mode = 'detailed';
    const m = new Machine(c);
    const make = (startInsn: number, endInsn: number) => () =>
      new TraceRecorder(m, { path: join(dir, 'w.rvtrace'), intervalCycles: 0, window: { startInsn, endInsn } }, { workload: { name: 'x', path: 'x', sha256: '' }, simulatorVersion: '0' });
    expect(make(5, 5)).toThrow(/trace window 5:5/);
    expect(make(-1, 5)).toThrow(UserError);
  });
});

describe('rvhsim run --trace', () => {
  it('writes a complete trace with samples and the chosen window', async () => {
    const path = join(dir, 'cli.rvtrace');
    const r = await cli('run', 'hello', '--mode', 'detailed', '--set', 'platform.uart=capture', '--trace', path, '--trace-interval', '500', '--trace-window', '10:20', '-q');
    expect(r.code).toBe(0);
    const t = readTrace(path);
    expect(t.complete).toBe(true);
    expect(t.header.workload.name).toBe('hello');
    expect(t.header.intervalCycles).toBe(500);
    expect((of(t, 'insn') as InsnRecord[]).map((x) => x.seq)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect((of(t, 'sample') as SampleRecord[]).length).toBeGreaterThan(0);
  });

  it('samples every 10000 cycles by default', async () => {
    const path = join(dir, 'cli-default.rvtrace');
    const r = await cli('run', 'hello', '--mode', 'detailed', '--set', 'platform.uart=capture', '--trace', path, '-q');
    expect(r.code).toBe(0);
    expect(readTrace(path).header.intervalCycles).toBe(10_000);
  });

  it('refuses tracing in functional mode, exit code 2', async () => {
    const r = await cli('run', 'hello', '--mode', 'functional', '--set', 'platform.uart=capture', '--trace', join(dir, 'func.rvtrace'));
    expect(r.code).toBe(EXIT_USER_ERROR);
    expect(r.err).toMatch(/func\.rvtrace: tracing needs detailed mode/);
  });

  it('refuses trace options without --trace, and a malformed window', async () => {
    expect((await cli('run', 'hello', '--trace-interval', '100')).err).toMatch(/need --trace <file>/);
    const bad = await cli('run', 'hello', '--trace', join(dir, 'x.rvtrace'), '--trace-window', '20:10');
    expect(bad.code).toBe(EXIT_USER_ERROR);
    expect(bad.err).toMatch(/--trace-window.*START < END/);
  });
});
