import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { it, expect } from 'vitest';
import { exportChrome } from '../trace/export-chrome.js';
import { exportPerfetto } from '../trace/export-perfetto.js';
import type { TraceRecord } from '../trace/format.js';
import { referenceTrace, traceHeader, trap, ret, world, sample, fence, flush, pipelineInsns } from '../trace/test-support/records.js';
import { summariseTrace } from '../dashboard/trace-summary.js';
import { parseFigureSpec } from '../figure/figure-spec.js';
import { parseSweep } from '../sweep/sweep-schema.js';

function rng(seed: number) { let s = seed >>> 0; return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; }; }

function randomTrace(seed: number, withSamples: boolean): TraceRecord[] {
  const r = rng(seed); const out: TraceRecord[] = []; let cycle = 0; let mode = Math.floor(r() * 5); let virt = r() < 0.5;
  for (let i = 0; i < 60; i++) {
    cycle += Math.floor(r() * 300);
    const k = r();
    if (k < 0.3) { const to = Math.floor(r() * 5); out.push(trap({ cycle, cause: Math.floor(r() * 24), interrupt: r() < 0.3, from: mode, to })); mode = to; }
    else if (k < 0.5) { const to = Math.floor(r() * 5); out.push(ret({ cycle, from: mode, to })); mode = to; }
    else if (k < 0.65) { virt = r() < 0.5 ? !virt : virt; out.push(world({ cycle, virt, from: mode, to: mode })); }
    else if (k < 0.75 && withSamples) out.push(sample({ cycle, instret: i, cycles: 500, insns: 100, modeCycles: [r() * 100, r() * 100, 0, r() * 100, 0].map(Math.floor), deltas: [1, 2, 3] }));
    else if (k < 0.85) out.push(fence({ cycle, kind: 'sfence-vma' }));
    else if (k < 0.9) out.push(flush({ cycle, structure: 'dtlb' }));
    else out.push(...pipelineInsns(i, 2, cycle));
  }
  return out;
}

const cases: [string, TraceRecord[]][] = [];
cases.push(['ref', referenceTrace().records]);
cases.push(['ref-nowin', referenceTrace({ window: false, end: false }).records]);
cases.push(['samples-only', [sample({ cycle: 1000, instret: 1, modeCycles: [0, 600, 0, 400, 0] }), sample({ cycle: 2000, instret: 2, modeCycles: [0, 100, 0, 900, 0] })]]);
cases.push(['empty', []]);
for (let s = 1; s <= 40; s++) cases.push([`rand${s}`, randomTrace(s, s % 2 === 0)]);

it('golden', () => {
  const out: Record<string, string> = {};
  const h = traceHeader();
  for (const [name, recs] of cases) {
    let text = ''; exportChrome(h, recs, (t) => (text += t)); out[`chrome:${name}`] = createHash('sha256').update(text).digest('hex');
    const hash = createHash('sha256'); exportPerfetto(h, recs, (b) => hash.update(b)); out[`perfetto:${name}`] = hash.digest('hex');
    const hn = traceHeader({ intervalCycles: 0 }); const h2 = createHash('sha256'); exportPerfetto(hn, recs, (b) => h2.update(b)); out[`perfetto0:${name}`] = h2.digest('hex');
    const noSamples = recs.filter((r) => r.t !== 'sample');
    for (const [tag, rs] of [['all', recs], ['nosamples', noSamples]] as const) {
      for (const max of [1000, 7, 3]) out[`summary:${tag}:${max}:${name}`] = JSON.stringify(summariseTrace({ name, header: h, records: rs, complete: true, damage: null }, { maxSamples: max, maxMarkers: 5, maxFences: 5 }));
    }
  }
  const specs: unknown[] = [{}, { kind: 'nope' }, { kind: 'line', title: 'x', metric: 'a', x: 3, output: 'o' }, { kind: 'line', title: 'x', metric: 'a', x: { path: 'a', bogus: 1 }, output: 'o', extra: [1, 2] }, { kind: 'heatmap', title: '', metric: '', x: 'a', y: { path: 'x'.repeat(100) }, output: '../x', filters: { 'a b': 1 } }, { kind: 'stacked', layers: [], title: 't', x: 'a', output: 'o', size: 'huge', height: -1 }];
  for (const [i, s] of specs.entries()) { try { parseFigureSpec(s, 'f.json'); out[`fig${i}`] = 'ok'; } catch (e) { out[`fig${i}`] = (e as Error).message; } }
  const sweeps: unknown[] = [{}, { workloads: [] }, { workloads: [3, { workload: '', params: { a: -1 } }], axes: [{}, { set: { 'a.b': [] } }], bogus: 1, repeats: 0, base: 5, seeds: [{ a: 1 }] }, { workloads: ['x'], set: { 'bad path': 1 }, name: '/', repeats: 5000 }];
  for (const [i, s] of sweeps.entries()) { try { parseSweep(s, 's.yaml'); out[`sweep${i}`] = 'ok'; } catch (e) { out[`sweep${i}`] = (e as Error).message; } }
  const file = '/tmp/golden/golden.json';
  if (!existsSync(file)) { writeFileSync(file, JSON.stringify(out, null, 1)); return; }
  const before = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  for (const k of Object.keys(before)) expect(out[k], k).toBe(before[k]);
});
