/**
 * Test-only runner for the timing microbenchmarks (workloads/src/ubench-*): loads a committed ELF,
 * writes the benchmark's parameters (64-bit words at their symbols) into DRAM after loading, runs
 * it on a Machine built from a preset plus overrides, and returns the statistics. Every detailed
 * run is checked on the way out: the guest exited 0 and the CPI stack sums to timing.cycles.
 *
 * Analytic answers are measured as differences: two runs that differ only in how many
 * iterations the kernel makes give, divided by the difference in iterations, the cost of one
 * steady-state iteration; the prologue, the first (cold) iterations and the epilogue cancel.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import type { PresetName } from '../../../caches/cache-config.js';
import { loadElfFile, type ElfImage } from '../../../workloads/elf.js';
import { machineConfigSchema, type MachineConfig, type MachineConfigInput } from '../../config.js';
import { Machine } from '../../machine.js';
import { presetConfig } from '../../presets.js';

const BIN = join(import.meta.dirname, '..', '..', '..', 'workloads', 'bin');
const images = new Map<string, ElfImage>();

export type Stats = Record<string, number>;

export interface UbenchOptions {
  /** Machine preset the overrides apply to (default inorder-default). */
  preset?: PresetName;
  /** Configuration overrides, merged over the preset field by field. */
  patch?: MachineConfigInput;
  mode?: 'functional' | 'detailed';
  blockTranslation?: boolean;
}

export interface UbenchRun {
  stats: Stats;
  exitCode: number;
  uart: string;
}

/** The committed ELF workloads/bin/NAME.elf, parsed once. */
export function ubenchImage(name: string): ElfImage {
  let img = images.get(name);
  if (img === undefined) {
    img = loadElfFile(join(BIN, `${name}.elf`));
    images.set(name, img);
  }
  return img;
}

/** Address of a symbol of the program (throws if the ELF lacks it). */
export function symbol(name: string, sym: string): number {
  const a = ubenchImage(name).symbols.get(sym);
  if (a === undefined) throw new Error(`${name}.elf has no symbol ${sym}`);
  return Number(a);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** b over a, recursively for plain objects (arrays and scalars of b replace a's). */
export function mergeConfig(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isPlainObject(prev) && isPlainObject(v) ? mergeConfig(prev, v) : v;
  }
  return out;
}

/** The machine configuration a run with these options uses (tests derive expected values from it). */
export function ubenchConfig(opts: UbenchOptions = {}): MachineConfig {
  const input = mergeConfig(presetConfig(opts.preset ?? 'inorder-default') as Record<string, unknown>, (opts.patch ?? {}) as Record<string, unknown>);
  const cfg = machineConfigSchema.parse(input);
  cfg.platform.uart = 'capture';
  cfg.run.mode = opts.mode ?? 'detailed';
  cfg.hart.blockTranslation = opts.blockTranslation ?? true;
  return cfg;
}

/**
 * Run workloads/bin/NAME.elf with `params` (symbol name → 64-bit value) written over the
 * program's defaults, to its exit.
 */
export function runUbench(name: string, params: Record<string, bigint | number>, opts: UbenchOptions = {}): UbenchRun {
  const cfg = ubenchConfig(opts);
  const m = new Machine(cfg);
  m.load(ubenchImage(name));
  const dram = m.platform.bus.dram;
  for (const [sym, value] of Object.entries(params)) {
    // Only initialised data survives to main: crt0 clears .bss after the test's write.
    const a = symbol(name, sym);
    const inData = ubenchImage(name).segments.some((seg) => a >= seg.paddr && a + 8 <= seg.paddr + seg.data.length);
    if (!inData) throw new Error(`${name}.elf: parameter ${sym} is not in an initialised data segment (.bss is cleared at start-up)`);
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(value)), true);
    dram.writeBytes(a, bytes);
  }
  const r = m.run(50_000_000);
  const stats = m.stats.snapshot();
  expect(r.reason, `${name}: ${r.message}`).toBe('exit');
  expect(r.exitCode, `${name} exit code (UART: ${m.uartText})`).toBe(0);
  if (cfg.run.mode === 'detailed') expect(cpiStackSum(stats), `${name}: the CPI stack sums to timing.cycles`).toBe(stats['timing.cycles']);
  return { stats, exitCode: r.exitCode, uart: m.uartText };
}

/** Sum of every timing.cpi.* category. */
export function cpiStackSum(s: Stats): number {
  return Object.entries(s)
    .filter(([k]) => k.startsWith('timing.cpi.'))
    .reduce((a, [, v]) => a + v, 0);
}

/** b - a for every statistic of b. */
export function statDelta(a: Stats, b: Stats): Stats {
  const out: Stats = {};
  for (const [k, v] of Object.entries(b)) out[k] = v - (a[k] ?? 0);
  return out;
}

/**
 * Per-iteration cost of a kernel: runs it with n1 and n2 iterations (params[iterSym]) and returns
 * (stats(n2) - stats(n1)) / (n2 - n1) for every statistic, plus the raw difference.
 */
export function perIteration(
  name: string,
  iterSym: string,
  n1: number,
  n2: number,
  params: Record<string, bigint | number> = {},
  opts: UbenchOptions = {},
): { per: Stats; delta: Stats; a: UbenchRun; b: UbenchRun } {
  const a = runUbench(name, { ...params, [iterSym]: n1 }, opts);
  const b = runUbench(name, { ...params, [iterSym]: n2 }, opts);
  const delta = statDelta(a.stats, b.stats);
  const per: Stats = {};
  for (const [k, v] of Object.entries(delta)) per[k] = v / (n2 - n1);
  return { per, delta, a, b };
}
