import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { builtPackage } from './sweep/test-support/built-package.js';

/**
 * The simulator's objects keep their V8 hidden classes through a run. A field that changes
 * representation mid-run (a small integer that later holds an address above 2^31, a cycle count
 * past 2^31) gives every object of its class a new hidden class, and all optimised code that saw
 * the old one (each translated block) deoptimises and compiles again: in a sweep worker, for every
 * new kind of point. common/double-fields.ts fixes those fields' representation at construction;
 * this test finds any that were missed. It needs V8's natives syntax (%HaveSameMap), so it runs
 * the built JavaScript in a child node with --allow-natives-syntax: for each case, an unrun
 * machine's object graph is compared with that of a machine built after one like it has run.
 */

const PROBE = `
const [distUrl, casesJson] = process.argv.slice(2);
const dist = (p) => new URL(p, distUrl).href;
const { loadConfig } = await import(dist('analysis/config-load.js'));
const { Machine } = await import(dist('pipeline/machine.js'));
const { loadElfFile } = await import(dist('workloads/elf.js'));
const { applyParams } = await import(dist('workloads/params.js'));
const { resolveWorkload } = await import(dist('workloads/catalog.js'));

function machine(c) {
  const config = loadConfig({ file: c.preset, sets: c.sets });
  const { elf } = resolveWorkload(c.workload);
  const image = loadElfFile(elf, { base: config.platform.dramBase, size: config.platform.dramSizeMiB * 2 ** 20 });
  applyParams(image, config.run.params, elf);
  const m = new Machine(config);
  m.load(image);
  return [m, config];
}

// Every object reachable from the machine through own enumerable properties, by path.
function graph(root) {
  const out = new Map();
  const seen = new Set();
  const visit = (o, path, depth) => {
    if (o === null || typeof o !== 'object' || seen.has(o) || depth > 10) return;
    if (ArrayBuffer.isView(o) || o instanceof ArrayBuffer || Array.isArray(o) || o instanceof Map || o instanceof Set) return;
    seen.add(o);
    out.set(path, o);
    for (const k of Object.keys(o)) visit(o[k], path + '.' + k, depth + 1);
  };
  visit(root, 'machine', 0);
  return out;
}

const report = [];
for (const c of JSON.parse(casesJson)) {
  const [unrun] = machine(c);
  const before = graph(unrun);
  const [m, config] = machine(c);
  const result = m.run(config.run.maxInsns);
  const after = graph(machine(c)[0]);
  const changed = [];
  for (const [path, o] of before) {
    const o2 = after.get(path);
    if (o2 !== undefined && !%HaveSameMap(o, o2)) changed.push(path + ' (' + o.constructor.name + ')');
  }
  report.push({ name: c.name, reason: result.reason, exitCode: result.exitCode ?? null, objects: before.size, changed });
}
console.log(JSON.stringify(report));
`;

interface ProbeCase {
  name: string;
  preset: string;
  workload: string;
  sets: string[];
}

interface ProbeReport {
  name: string;
  reason: string;
  exitCode: number | null;
  objects: number;
  changed: string[];
}

const gups = (mode: number, extra: string[] = []): string[] => [
  'run.mode=detailed',
  'run.maxInsns=20000000',
  'run.params.footprint_bytes=0x100000',
  'run.params.iterations=2000',
  `run.params.mode=${mode}`,
  ...extra,
];

const CASES: ProbeCase[] = [
  { name: 'native (S under Sv39), combined TLBs', preset: 'inorder-default', workload: 'bench-gups', sets: gups(1) },
  { name: 'virtualized (VS under Sv39x4), combined TLBs', preset: 'inorder-default', workload: 'bench-gups', sets: gups(3) },
  { name: 'virtualized, separate VS-stage and G-stage TLBs', preset: 'inorder-default', workload: 'bench-gups', sets: gups(3, ['mmu.tlb.organisation=separate', 'mmu.tlb.gTlb={"hitLatency":1,"arrays":[{"entries":16}]}']) },
  { name: 'virtualized, hybrid TLBs, nested TLB, no walk caches, no L2 TLB', preset: 'inorder-default', workload: 'bench-gups', sets: gups(3, ['mmu.tlb.organisation=hybrid', 'mmu.tlb.gTlb={"hitLatency":1,"arrays":[{"entries":16}]}', 'mmu.walker.nestedTlb={"entries":8,"latency":1}', 'mmu.walker.pwcFirst.organisation=none', 'mmu.walker.pwcG.organisation=none', 'mmu.tlb.l2=null']) },
  { name: 'virtualized, strict TLBs and the fence sanitizer', preset: 'inorder-default', workload: 'bench-gups', sets: gups(3, ['mmu.strict=true', 'mmu.sanitizer=report']) },
  { name: 'virtualized, cva6-like preset', preset: 'cva6-like', workload: 'bench-gups', sets: gups(3) },
  { name: 'virtualized, functional mode', preset: 'inorder-default', workload: 'bench-gups', sets: [...gups(3), 'run.mode=functional'] },
];

describe('hidden classes stay put through a run (common/double-fields.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rvhsim-hidden-class-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('no object reachable from the machine changes hidden class while a native or virtualized run goes on', () => {
    const pkg = builtPackage();
    const probe = join(dir, 'probe.mjs');
    writeFileSync(probe, PROBE);
    const distUrl = pathToFileURL(join(pkg.root, 'dist') + '/').href;
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', probe, distUrl, JSON.stringify(CASES)], { cwd: pkg.root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const report = JSON.parse(out.trim().split('\n').pop()!) as ProbeReport[];
    expect(report.map((r) => r.name)).toEqual(CASES.map((c) => c.name));
    for (const r of report) {
      // The runs are real: the guest finished, and the machine has its whole graph of models.
      expect({ name: r.name, reason: r.reason, exitCode: r.exitCode }).toEqual({ name: r.name, reason: 'exit', exitCode: 0 });
      expect(r.objects).toBeGreaterThan(40);
    }
    // Except the pipeline model, whose stage cycles are left to turn double once (pipeline.ts).
    const unexpected = report.map((r) => ({ name: r.name, changed: r.changed.filter((c) => c !== 'machine.engine.timing.pipeline (PipelineModel)') }));
    expect(unexpected.filter((r) => r.changed.length > 0)).toEqual([]);
  });
});
