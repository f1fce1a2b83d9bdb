import { describeViolation } from '../mmu/sanitizer/fence-sanitizer.js';
import type { FenceRecord, FenceSnapshot } from '../mmu/tlb/fence-records.js';
import type { MachineConfig } from '../pipeline/config.js';
import type { RunResult } from '../pipeline/machine.js';

/**
 * How a finished run is shown: a short human summary, gem5-style `stats.txt` text, and a JSON
 * document. The text and JSON forms are deterministic (same run, same bytes) so they can be
 * diffed and checked in; host timing lives only in the summary and the JSON's `host` key.
 */

export interface StatLine {
  name: string;
  value: number;
  unit: string;
  description: string;
}

export interface RunSummary {
  /** rvhsim package version that produced the run. */
  version: string;
  workload: { path: string; sha256: string };
  config: MachineConfig;
  result: RunResult;
  /** Every registered statistic, sorted by name. */
  stats: StatLine[];
  /** instret / hostSeconds in millions; 0 when the run took no measurable time. */
  mips: number;
  /** The first mmu.tlb.fenceRecordLimit fences of the run with their costs (none in functional mode). */
  fences: FenceJson[];
}

/**
 * One fence as plain JSON (mmu/tlb/fence-records.ts FenceRecord): 64-bit values as hex strings.
 * Per-structure counts are indexed like TLB_NAMES (itlb, dtlb, l2tlb, gtlb).
 */
export interface FenceJson extends Omit<FenceSnapshot, 'kind' | 'pc' | 'rs1'> {
  kind: string;
  pc: string;
  rs1: string | null;
}

export function fenceJson(r: FenceRecord): FenceJson {
  const s = r.snapshot();
  return { ...s, pc: `0x${s.pc.toString(16)}`, rs1: s.rs1 === null ? null : `0x${s.rs1.toString(16)}` };
}

/** The human summary printed after a run. */
export function formatSummary(s: RunSummary): string {
  const r = s.result;
  const exit =
    r.reason === 'exit' ? `code ${r.exitCode}${r.exitCode === 0 ? ' (pass)' : ' (fail)'}` : r.reason === 'limit' ? 'none: instruction limit reached' : `none: ${r.reason}`;
  const rows: [string, string][] = [
    ['workload', s.workload.path],
    ['exit', exit],
    ['instructions', groupDigits(r.instret)],
    ['cycles', groupDigits(r.cycles)],
    ['host time', `${r.hostSeconds.toFixed(3)} s`],
    ['speed', `${s.mips.toFixed(2)} MIPS`],
  ];
  const value = (name: string) => s.stats.find((l) => l.name === name)?.value;
  const timed = value('timing.cycles');
  if (timed !== undefined && r.instret > 0) rows.splice(4, 0, ['CPI', (timed / r.instret).toFixed(3)]);
  return [`rvhsim: ${r.message}`, ...rows.map(([k, v]) => `  ${k.padEnd(14)}${v}`), ...formatSanitizer(s), ...formatCpiStack(s.stats)].join('\n') + '\n';
}

/** How many violations the summary spells out (the rest are in the --stats JSON's result.sanitizer.records). */
export const SANITIZER_LINES = 3;

/**
 * The fence sanitizer's verdict (config mmu.sanitizer; nothing when it was off): the number of
 * violations by missing fence and one readable line for each of the first few.
 */
export function formatSanitizer(s: RunSummary): string[] {
  const rep = s.result.sanitizer;
  if (rep === undefined) return [];
  const byFence = ['sfence-vma', 'hfence-vvma', 'hfence-gvma']
    .map((k) => [k, s.stats.find((l) => l.name === `mmu.sanitizer.violations.${k}`)?.value ?? 0] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${groupDigits(n)}`);
  const head = `  ${'sanitizer'.padEnd(14)}${rep.violations === 0 ? 'no violations' : `${groupDigits(rep.violations)} violation${rep.violations === 1 ? '' : 's'} (missing: ${byFence.join(', ')})`}`;
  const lines = rep.records.slice(0, SANITIZER_LINES).map((v, i) => `    ${i + 1}. ${describeViolation(v)}`);
  const more = rep.violations - lines.length;
  if (more > 0) lines.push(`    ... ${groupDigits(more)} more (records: --stats JSON, result.sanitizer)`);
  return [head, ...lines];
}

/**
 * The CPI stack and the per-mode breakdown of a detailed run (nothing in functional mode):
 * cycles per cause with their share of the run and their CPI contribution.
 */
export function formatCpiStack(stats: readonly StatLine[]): string[] {
  const get = (name: string) => stats.find((l) => l.name === name)?.value;
  const cycles = get('timing.cycles');
  const insns = get('timing.instructions');
  if (cycles === undefined || insns === undefined || cycles === 0) return [];
  const out = ['  CPI stack     cause          cycles        share    CPI'];
  for (const l of stats.filter((x) => x.name.startsWith('timing.cpi.'))) {
    if (l.value === 0) continue;
    const name = l.name.slice('timing.cpi.'.length);
    out.push(`                ${name.padEnd(12)}${groupDigits(l.value).padStart(14)}${((100 * l.value) / cycles).toFixed(1).padStart(8)}%${(l.value / Math.max(insns, 1)).toFixed(3).padStart(8)}`);
  }
  out.push('  by mode       mode           cycles        insns');
  for (const mode of ['M', 'HS', 'U', 'VS', 'VU']) {
    const c = get(`timing.mode.${mode}.cycles`) ?? 0;
    const n = get(`timing.mode.${mode}.insns`) ?? 0;
    if (c === 0 && n === 0) continue;
    out.push(`                ${mode.padEnd(12)}${groupDigits(c).padStart(14)}${groupDigits(n).padStart(13)}`);
  }
  return out;
}

/** gem5-style statistics: `name  value  # description (unit)`, one per line, sorted by name. */
export function formatStatsText(stats: readonly StatLine[]): string {
  const sorted = [...stats].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const values = sorted.map((s) => formatValue(s.value));
  const nameWidth = Math.max(40, ...sorted.map((s) => s.name.length + 2));
  const valueWidth = Math.max(12, ...values.map((v) => v.length));
  const lines = sorted.map((s, i) => `${s.name.padEnd(nameWidth)}${values[i]!.padStart(valueWidth)}  # ${s.description} (${s.unit})`);
  return ['', '---------- Begin Simulation Statistics ----------', ...lines, '---------- End Simulation Statistics   ----------', ''].join('\n');
}

/**
 * The `--stats` JSON document: `{ version, workload, config, result, stats, fences, host }`,
 * every object's keys sorted. Everything but `host` (wall-clock seconds and MIPS) depends only
 * on the workload and the configuration.
 */
export function formatStatsJson(s: RunSummary): string {
  const { hostSeconds, ...result } = s.result;
  const stats: Record<string, number> = {};
  for (const line of s.stats) stats[line.name] = line.value;
  const doc = {
    version: s.version,
    workload: s.workload,
    config: s.config,
    result,
    stats,
    fences: s.fences,
    host: { seconds: hostSeconds, mips: s.mips },
  };
  return JSON.stringify(sortKeys(doc), null, 2) + '\n';
}

/** A copy of `v` with every object's keys in sorted order (arrays keep their order). */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return Number.isInteger(v) ? String(v) : v.toFixed(6);
}

function groupDigits(n: number): string {
  const s = String(Math.trunc(Math.abs(n)));
  return (n < 0 ? '-' : '') + s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
