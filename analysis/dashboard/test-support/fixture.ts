import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConfig } from '../../../pipeline/config.js';
import type { FenceJson } from '../../stats-output.js';
import { POINT_FORMAT, type PointRecord } from '../../sweep/record.js';
import { MANIFEST_FORMAT, ResultStore, type Manifest } from '../../sweep/store.js';
import type { TraceHeader, TraceRecord } from '../../trace/format.js';
import { TraceWriter } from '../../trace/writer.js';

/**
 * A hand-made result set for the dashboard tests: a sweep of 2 workloads x 3 TLB organisations x
 * 4 D-TLB sizes x native/virtualized (48 points) with statistics shaped like the real ones
 * (timing.cpi.*, mmu.walker.*, mmu.pwc.*, mmu.<tlb>.*, mmu.fence.<kind>.*) and kept fences,
 * and a small trace: 200 samples of 1000 cycles, four mode stretches, three world switches and
 * ten fences.
 */

export const WORKLOADS = ['bench-gups', 'bench-chase'];
export const ORGANISATIONS = ['combined', 'separate', 'hybrid'];
export const DTLB_ENTRIES = [8, 16, 32, 64];
export const MODES = [1, 3];
export const AXES = { org: 'mmu.tlb.organisation', entries: 'mmu.tlb.dtlb.entries', mode: 'run.params.mode' } as const;
/** Fences each point keeps: native runs 20 sfence-vma; virtualized 20 sfence-vma-v1, 10 hfence-vvma, 2 hfence-gvma. */
export const FENCES_NATIVE = 20;
export const FENCES_VIRTUALIZED = 32;

interface FixturePoint {
  workload: string;
  org: string;
  entries: number;
  mode: number;
}

export function fixturePoints(): FixturePoint[] {
  return WORKLOADS.flatMap((workload) => ORGANISATIONS.flatMap((org) => DTLB_ENTRIES.flatMap((entries) => MODES.map((mode) => ({ workload, org, entries, mode })))));
}

function key(i: number): string {
  return i.toString(16).padStart(64, '0');
}

/** Statistics of one fixture point: plausible, and different along every axis. */
export function fixtureStats(p: FixturePoint): Record<string, number> {
  const virt = p.mode === 3;
  const insns = 1_000_000;
  const dAccesses = 300_000;
  const dMisses = Math.round((dAccesses * 0.2 * (p.workload === 'bench-chase' ? 1.5 : 1)) / (p.entries / 8));
  const iMisses = 100;
  const walks = dMisses + iMisses;
  const walkCycles = walks * (virt ? 60 : 20) * (p.org === 'combined' ? 1 : 0.8);
  const s: Record<string, number> = {
    'timing.instructions': insns,
    'timing.cpi.base': insns,
    'timing.cpi.icache': 5000,
    'timing.cpi.itlb': virt ? 30000 : 10000,
    'timing.cpi.dcache': 200000,
    'timing.cpi.dtlb': walkCycles,
    'timing.cpi.fence': virt ? 4000 : 1000,
    'timing.cpi.wfi': 0,
    'mmu.dtlb.accesses': dAccesses,
    'mmu.dtlb.misses': dMisses,
    'mmu.dtlb.hits': dAccesses - dMisses,
    'mmu.itlb.accesses': insns,
    'mmu.itlb.misses': iMisses,
    'mmu.itlb.hits': insns - iMisses,
    'mmu.gtlb.accesses': virt && p.org !== 'combined' ? walks : 0,
    'mmu.gtlb.misses': virt && p.org !== 'combined' ? Math.round(walks / 4) : 0,
    'mmu.walker.walks': walks,
    'mmu.walker.walksNative': virt ? 0 : walks,
    'mmu.walker.walksVirt': virt ? walks : 0,
    'mmu.walker.walksG': 0,
    'mmu.walker.cycles': walkCycles,
    'mmu.walker.refs': virt ? 15 * walks : 3 * walks,
    'mmu.pwc.first.lookups': walks,
    'mmu.pwc.first.misses': Math.round(walks * 0.3),
    'mmu.pwc.g.lookups': virt ? 3 * walks : 0,
    'mmu.pwc.g.misses': virt ? Math.round(walks * 1.5) : 0,
  };
  for (const st of ['native', 'vs', 'g']) {
    for (let l = 0; l <= 4; l++) {
      const used = l <= 2 && (st === 'native' ? !virt : virt);
      s[`mmu.walker.refs.${st}.l${l}`] = used ? (st === 'g' ? 4 * walks : walks) : 0;
    }
  }
  const fences = fixtureFenceCounts(p);
  for (const kind of ['sfence-vma', 'sfence-vma-v1', 'hfence-vvma', 'hfence-gvma']) {
    const n = fences[kind] ?? 0;
    s[`mmu.fence.${kind}.count`] = n;
    s[`mmu.fence.${kind}.cycles`] = 3 * n;
    s[`mmu.fence.${kind}.stale`] = 5 * n;
    s[`mmu.fence.${kind}.collateral`] = p.org === 'combined' ? 2 * n : 0;
    s[`mmu.fence.${kind}.shadowCycles`] = p.org === 'combined' ? 40 * n : 0;
  }
  const cycles = ['base', 'icache', 'itlb', 'dcache', 'dtlb', 'fence', 'wfi'].reduce((a, c) => a + s[`timing.cpi.${c}`]!, 0);
  s['timing.cycles'] = cycles;
  s['timing.mode.M.cycles'] = Math.round(cycles * 0.1);
  s['timing.mode.HS.cycles'] = Math.round(cycles * (virt ? 0.2 : 0.9));
  s['timing.mode.U.cycles'] = 0;
  s['timing.mode.VS.cycles'] = virt ? Math.round(cycles * 0.7) : 0;
  s['timing.mode.VU.cycles'] = 0;
  return s;
}

function fixtureFenceCounts(p: FixturePoint): Record<string, number> {
  return p.mode === 3 ? { 'sfence-vma-v1': 20, 'hfence-vvma': 10, 'hfence-gvma': 2 } : { 'sfence-vma': FENCES_NATIVE };
}

/** The kept fences of a point, in the FenceRecord shape (mmu/tlb/fence-records.ts) as JSON. */
function fixtureFences(p: FixturePoint): FenceJson[] {
  const out: FenceJson[] = [];
  let seq = 0;
  for (const [kind, n] of Object.entries(fixtureFenceCounts(p))) {
    for (let i = 0; i < n; i++) {
      out.push({ seq, kind, cycle: 1000 * (seq + 1), pc: '0x80001000', rs1: null, rs2: null, cycles: 1 + (seq % 5), dropped: [1, 5, 0, 0], stale: [1, 4, 0, 0], pwcFirst: 0, pwcG: 0, nestedTlb: 0, shadowWalks: 0, shadowCycles: 0 });
      seq++;
    }
  }
  return out;
}

export interface FixtureOptions {
  /** Indices (0..47) of manifest points to leave without a stored result. */
  omit?: readonly number[];
}

/** Writes the fixture store to `dir`; returns its manifest. */
export function writeFixtureStore(dir: string, options: FixtureOptions = {}): Manifest {
  const store = ResultStore.create(dir);
  const config = defaultConfig();
  const points = fixturePoints();
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    name: 'fixture',
    version: '0.1.0',
    points: points.map((p, index) => ({
      index,
      key: key(index),
      workload: { name: p.workload, sha256: '0'.repeat(64) },
      repeat: 0,
      coordinates: [
        { path: AXES.org, value: p.org },
        { path: AXES.entries, value: p.entries },
        { path: AXES.mode, value: p.mode },
      ],
    })),
  };
  store.writeManifest(manifest);
  points.forEach((p, index) => {
    if (options.omit?.includes(index)) return;
    const stats = fixtureStats(p);
    const record: PointRecord = {
      format: POINT_FORMAT,
      key: key(index),
      version: '0.1.0',
      workload: { name: p.workload, sha256: '0'.repeat(64) },
      repeat: 0,
      config,
      status: 'ok',
      result: { reason: 'exit', exitCode: 0, instret: stats['timing.instructions']!, cycles: stats['timing.cycles']!, message: '' },
      stats,
      fences: fixtureFences(p),
    };
    store.writeResult(record, { key: record.key, hostSeconds: 1, mips: 1, peakHeapBytes: 1, finishedAt: '2025-01-01T00:00:00.000Z' });
  });
  return manifest;
}

export const TRACE_SAMPLES = 200;
export const TRACE_INTERVAL = 1000;
/** Mode of each stretch of samples: HS, VS, HS, VU (indices into MODE_NAMES M, HS, U, VS, VU). */
export const TRACE_STRETCHES = [
  { from: 0, to: 40, mode: 1 },
  { from: 40, to: 120, mode: 3 },
  { from: 120, to: 160, mode: 1 },
  { from: 160, to: 200, mode: 4 },
];
export const TRACE_WORLD_SWITCHES = 3;
export const TRACE_FENCES = 10;

export function fixtureTraceHeader(): TraceHeader {
  return {
    format: 'rvhsim-trace',
    version: 1,
    simulator: { name: 'rvhsim', version: '0.1.0' },
    workload: { name: 'h-hv-demo', path: 'workloads/bin/h-hv-demo.elf', sha256: '0'.repeat(64) },
    config: {},
    intervalCycles: TRACE_INTERVAL,
    counters: [
      { name: 'mmu.dtlb.misses', unit: 'count', description: 'D-TLB misses' },
      { name: 'mmu.walker.walks', unit: 'walks', description: 'walks' },
      { name: 'caches.l1d.evictions', unit: 'entries', description: 'never changes in the fixture' },
    ],
    window: null,
    modes: ['M', 'HS', 'U', 'VS', 'VU'],
  };
}

/** The fixture trace's records in cycle order, ending with its end record. */
export function fixtureTraceRecords(): TraceRecord[] {
  const records: TraceRecord[] = [];
  const modeAt = (i: number): number => TRACE_STRETCHES.find((s) => i >= s.from && i < s.to)!.mode;
  let instret = 0;
  for (let i = 0; i < TRACE_SAMPLES; i++) {
    const cycle = (i + 1) * TRACE_INTERVAL;
    if (i > 0 && modeAt(i) !== modeAt(i - 1)) {
      const from = modeAt(i - 1);
      const to = modeAt(i);
      const at = i * TRACE_INTERVAL;
      if (to > from) records.push({ t: 'return', cycle: at, instret, pc: 0x80000100n, insn: 'sret', from, to });
      else records.push({ t: 'trap', cycle: at, instret, pc: 0x1000n, cause: 10, interrupt: false, tval: 0n, from, to });
      if ((from >= 3) !== (to >= 3)) records.push({ t: 'world', cycle: at, instret, virt: to >= 3, from, to });
    }
    if (i % 20 === 5) {
      records.push({ t: 'fence', cycle: i * TRACE_INTERVAL + 500, seq: (i - 5) / 20, kind: modeAt(i) >= 3 ? 'sfence-vma-v1' : 'sfence-vma', pc: 0x80002000n, rs1: null, rs2: null, cycles: 2 + ((i / 20) | 0), dropped: [0, 3, 0, 0], stale: [0, 2, 0, 0], pwcFirst: 0, pwcG: 0, nestedTlb: 0, shadowWalks: 1, shadowCycles: 30 });
    }
    const insns = modeAt(i) >= 3 ? 400 : 800;
    instret += insns;
    const modeCycles = [0, 0, 0, 0, 0];
    modeCycles[modeAt(i)] = TRACE_INTERVAL;
    records.push({ t: 'sample', cycle, instret, cycles: TRACE_INTERVAL, insns, modeCycles, deltas: [modeAt(i) >= 3 ? 20 : 5, modeAt(i) >= 3 ? 20 : 5, 0] });
  }
  records.push({ t: 'end', cycle: TRACE_SAMPLES * TRACE_INTERVAL, instret, reason: 'exit', exitCode: 0, records: records.length });
  return records;
}

/** Writes the fixture trace with the trace writer; returns its path. */
export function writeFixtureTrace(dir: string, name = 'fixture.rvtrace'): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  const w = new TraceWriter(path, fixtureTraceHeader());
  for (const r of fixtureTraceRecords()) w.write(r);
  w.close();
  return path;
}
