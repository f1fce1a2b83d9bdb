import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadElfFile } from '../workloads/elf.js';
import { defaultConfig } from './config.js';
import { Machine } from './machine.js';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'workloads', 'bin');
const expected = join(root, 'workloads', 'expected');
const elfs = readdirSync(bin).filter((f) => f.endsWith('.elf')).sort();

function machine(blockTranslation: boolean, mode: 'functional' | 'detailed' = 'functional', threshold = 16): Machine {
  const cfg = defaultConfig();
  cfg.hart.translateThreshold = threshold;
  cfg.platform.uart = 'capture';
  cfg.hart.blockTranslation = blockTranslation;
  cfg.run.mode = mode;
  return new Machine(cfg);
}

function boot(elf: string, blockTranslation: boolean, mode: 'functional' | 'detailed' = 'functional', threshold = 16): Machine {
  const m = machine(blockTranslation, mode, threshold);
  m.load(loadElfFile(join(bin, elf)));
  return m;
}

describe('committed workloads on rvhsim', () => {
  for (const elf of elfs) {
    const name = basename(elf, '.elf');
    const ref = join(expected, `${name}.uart`);
    it.runIf(existsSync(ref))(`${name} exits 0 with the UART output QEMU produced (workloads/expected/${name}.uart)`, () => {
      const m = boot(elf, true);
      const r = m.run(400_000_000);
      expect(m.uartText).toBe(readFileSync(ref, 'latin1'));
      expect(r.reason).toBe('exit');
      expect(r.exitCode).toBe(0);
    });
  }
});

describe('the block translator is exact: same architectural statistics and state as the interpreter', () => {
  for (const [elf, threshold] of elfs.flatMap((e) => [[e, 16], [e, 1]] as const)) {
    const name = basename(elf, '.elf');
    // Cap the interpreter's work; a cap in the middle of a block also checks the budget rule.
    const cap = name === 'bench-intloop' || name === 'default' ? 3_000_017 : 50_000_000;
    it(`${name}: registers, pc, CSRs, UART and every hart/platform statistic match after ${cap} instructions or exit (blocks compiled after ${threshold} runs)`, () => {
      const a = boot(elf, true, 'functional', threshold);
      const b = boot(elf, false);
      const ra = a.run(cap);
      const rb = b.run(cap);
      expect({ ...ra, hostSeconds: 0 }).toEqual({ ...rb, hostSeconds: 0 });
      expect(a.uartText).toBe(b.uartText);
      const sa = a.debugState();
      const sb = b.debugState();
      expect(sa.pc).toBe(sb.pc);
      expect(sa.priv).toBe(sb.priv);
      expect(sa.x).toEqual(sb.x);
      for (const csr of ['mstatus', 'mepc', 'mcause', 'mtval', 'mip', 'mie', 'satp', 'sepc', 'scause', 'stval', 'mcycle', 'minstret']) {
        expect(sa.csr(csr), csr).toBe(sb.csr(csr));
      }
      const architectural = (m: Machine) =>
        Object.fromEntries(Object.entries(m.stats.snapshot()).filter(([k]) => !k.startsWith('sim.') && !k.startsWith('translator.')));
      expect(architectural(a)).toEqual(architectural(b));
    });
  }
});

const TIME_SLICED = new Set(['h-hv-demo']);

describe('detailed (timed) mode never changes what a program computes', () => {
  for (const elf of elfs.filter((e) => !e.startsWith('bench-') && e !== 'default.elf')) {
    const name = basename(elf, '.elf');
    it(`${name}: detailed mode prints the same UART output and exits the same as functional mode, and its CPI stack sums to its cycles`, () => {
      const f = boot(elf, true);
      const d = boot(elf, true, 'detailed');
      const rf = f.run(50_000_000);
      const rd = d.run(50_000_000);
      expect(d.uartText).toBe(f.uartText);
      expect(rd.exitCode).toBe(rf.exitCode);
      // A program that spins until a timer interrupt (h-hv-demo's time-sliced guests) retires as
      // many instructions as the time it waits takes: detailed time differs from functional time.
      if (!TIME_SLICED.has(name)) expect(rd.instret).toBe(rf.instret);
      const s = d.stats.snapshot();
      const stack = Object.entries(s).filter(([k]) => k.startsWith('timing.cpi.')).reduce((a, [, v]) => a + v, 0);
      expect(stack).toBe(s['timing.cycles']);
      expect(s['hart.cycles']).toBe(s['timing.cycles']);
    });
  }
});

describe('timed blocks are exact: detailed mode gives the same state and statistics (timing included) with and without the block translator', () => {
  for (const elf of elfs.filter((e) => !e.startsWith('bench-'))) {
    const name = basename(elf, '.elf');
    const cap = name === 'default' ? 2_000_003 : 50_000_000;
    it(`${name}: detailed mode, blocks compiled at first sight vs interpreter, after ${cap} instructions or exit`, () => {
      const a = boot(elf, true, 'detailed', 1);
      const b = boot(elf, false, 'detailed');
      const ra = a.run(cap);
      const rb = b.run(cap);
      expect({ ...ra, hostSeconds: 0 }).toEqual({ ...rb, hostSeconds: 0 });
      expect(a.uartText).toBe(b.uartText);
      expect(a.debugState().x).toEqual(b.debugState().x);
      expect(a.engine!.blocksTranslated).toBeGreaterThan(0);
      const model = (m: Machine) =>
        Object.fromEntries(Object.entries(m.stats.snapshot()).filter(([k]) => !k.startsWith('sim.') && !k.startsWith('translator.')));
      expect(model(a)).toEqual(model(b));
    });
  }
});

describe('timed blocks are exact under every pipeline option the block code is specialised to (weave.ts)', () => {
  const variants: [string, Record<string, unknown>][] = [
    ['forwarding off', { forwarding: false }],
    ['branches resolved in MEM', { branchResolveStage: 'MEM' }],
    ['branches resolved in ID, unpipelined multiplier, pipelined divider', { branchResolveStage: 'ID', mulPipelined: false, divPipelined: true, mulLatency: 5, divLatency: 7 }],
  ];
  const programs: [string, number][] = [
    ['ubench-loaduse.elf', 3_000_000],
    ['ubench-alu.elf', 3_000_000],
    ['ubench-div.elf', 3_000_000],
    ['ubench-branch.elf', 3_000_000],
    ['isa-rv64m.elf', 50_000_000],
    ['priv-sv39.elf', 50_000_000],
    ['bench-gups.elf', 1_500_007],
    ['bench-qsort.elf', 1_500_007],
  ];
  for (const [label, pipeline] of variants) {
    for (const [elf, cap] of programs) {
      it(`${basename(elf, '.elf')} with ${label}: blocks compiled at first sight vs interpreter give identical statistics`, () => {
        const run = (blocks: boolean) => {
          const cfg = defaultConfig();
          cfg.hart.translateThreshold = 1;
          cfg.platform.uart = 'capture';
          cfg.hart.blockTranslation = blocks;
          cfg.run.mode = 'detailed';
          Object.assign(cfg.timing.pipeline, pipeline);
          const m = new Machine(cfg);
          m.load(loadElfFile(join(bin, elf)));
          const r = m.run(cap);
          return { m, r };
        };
        const a = run(true);
        const b = run(false);
        expect({ ...a.r, hostSeconds: 0 }).toEqual({ ...b.r, hostSeconds: 0 });
        const model = (m: Machine) =>
          Object.fromEntries(Object.entries(m.stats.snapshot()).filter(([k]) => !k.startsWith('sim.') && !k.startsWith('translator.')));
        expect(model(a.m)).toEqual(model(b.m));
        expect(a.m.engine!.blocksTranslated).toBeGreaterThan(0);
      });
    }
  }
});
