import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Word } from '../caches/word.js';
import { FENCE_KIND_NAMES } from '../mmu/tlb/fence-records.js';
import { machineConfigSchema } from '../pipeline/config.js';
import { Machine } from '../pipeline/machine.js';
import { presetConfig } from '../pipeline/presets.js';
import { requireWorkload, WORKLOAD_MODES } from './catalog.js';
import { loadElfFile, type ElfImage } from './elf.js';
import { applyParams } from './params.js';

// The fence and storm microbenchmarks on the vmk kernel (runtime/vmk.h; workloads/README.md
// "Fence and storm microbenchmarks"): one ELF each runs natively (S, U) and under the hypervisor
// (VS, VU), with every memory-virtualization scheme, and prints the same line in every mode.
// expected/NAME.uart is QEMU's output at the defaults (storm-vm with -cpu rv64,h=true: it has no
// native mode); QEMU prints the same lines in VS/VU with memvirt 0, 1 and 3.

const here = import.meta.dirname;
const NAMES = ['fence-hfence', 'storm-remap', 'storm-process', 'storm-vm'] as const;
type Name = (typeof NAMES)[number];

interface Run {
  uart: string;
  exitCode: number;
  stats: Record<string, number>;
  image: ElfImage;
  machine: Machine;
}

function run(name: Name, params: Record<string, number>, mode: 'functional' | 'detailed' = 'functional'): Run {
  const cfg = machineConfigSchema.parse(presetConfig('tiny'));
  cfg.platform.uart = 'capture';
  cfg.run.mode = mode;
  const image = loadElfFile(join(here, 'bin', `${name}.elf`));
  applyParams(image, params, `${name}.elf`);
  const machine = new Machine(cfg);
  machine.load(image);
  const r = machine.run(100_000_000);
  expect(r.reason).toBe('exit');
  return { uart: machine.uartText, exitCode: r.exitCode, stats: machine.stats.snapshot(), image, machine };
}

/** hv_events[index] (runtime/hv-guest.h; HV_STAT_* in runtime/hv-sbi.h) after a run. */
function hvEvent(r: Run, index: number): number {
  const at = r.image.symbols.get('hv_events');
  if (at === undefined) throw new Error('no hv_events symbol');
  const w = new Word();
  expect(r.machine.platform.bus.load(Number(at) + 8 * index, 8, w)).toBe(true);
  return w.hi * 2 ** 32 + (w.lo >>> 0);
}
const HV_STAT_SWITCHES = 5;
const HV_STAT_SLICES = 6;

/** mmu.fence.<kind>.count for every fence kind (0 when absent). */
function fenceCounts(r: Run): Record<string, number> {
  return Object.fromEntries(FENCE_KIND_NAMES.map((k) => [k, r.stats[`mmu.fence.${k}.count`] ?? 0]));
}

function modeNumber(label: string): number {
  return WORKLOAD_MODES.indexOf(label as (typeof WORKLOAD_MODES)[number]);
}

/** The expected output at the defaults, every line with the mode the run prints. */
function expectedFor(name: Name, label: string): string {
  return readFileSync(join(here, 'expected', `${name}.uart`), 'latin1').replace(/ mode=(S|U|VS|VU) /g, ` mode=${label} `);
}

describe('fence and storm microbenchmarks at their defaults print the expected line in every catalog mode (tiny)', () => {
  for (const name of NAMES) {
    for (const label of requireWorkload(name).modes) {
      it(`${name} in ${label}-mode passes its self-check, exit 0`, () => {
        const r = run(name, { mode: modeNumber(label) });
        expect(r.uart).toBe(expectedFor(name, label));
        expect(r.exitCode).toBe(0);
      });
    }
  }
});

describe('fence-hfence executes exactly the fence it names, iterations times (detailed mode, mmu.fence.<kind>.count)', () => {
  const small = { footprint_bytes: 16384, iterations: 8, fence_rate: 4 };
  const SPAN = 3;
  // The same run with fence 0 (the same service calls, no fence) counts only the boot and set-up
  // fences; U and VU set up exactly as S and VS do.
  const baselines = new Map<boolean, Record<string, number>>();
  function baseline(virtualized: boolean): Record<string, number> {
    let b = baselines.get(virtualized);
    if (b === undefined) {
      const r = run('fence-hfence', { ...small, mode: virtualized ? 3 : 1, arg0: 0 }, 'detailed');
      expect(r.exitCode).toBe(0);
      b = fenceCounts(r);
      baselines.set(virtualized, b);
    }
    return b;
  }
  // [mode, fence, via, the statistic's kind]; by-address fences cover SPAN pages, one instruction each.
  const cases: [number, number, number, string][] = [
    [2, 1, 0, 'sfence-vma'],
    [3, 1, 0, 'hfence-vvma'], [3, 2, 0, 'hfence-vvma'], [3, 3, 0, 'hfence-vvma'],
    [4, 4, 0, 'hfence-gvma'], [3, 5, 0, 'hfence-gvma'], [3, 6, 0, 'hfence-gvma'],
    [3, 4, 1, 'hfence-gvma'], [4, 3, 2, 'sfence-vma-v1'],
  ];
  for (const [mode, fence, via, kind] of cases) {
    const per = fence === 1 || fence === 4 ? SPAN : 1;
    it(`mode ${WORKLOAD_MODES[mode]}, fence ${fence}, via ${via}: ${small.iterations} x ${per} more ${kind} than with fence 0, nothing else`, () => {
      const r = run('fence-hfence', { ...small, mode, arg0: fence, arg1: SPAN, arg2: via }, 'detailed');
      expect(r.uart).toMatch(/ checksum=0x[0-9a-f]{16} ok\n$/);
      expect(r.exitCode).toBe(0);
      const base = baseline(mode >= 3);
      expect(fenceCounts(r)).toEqual({ ...base, [kind]: base[kind]! + small.iterations * per });
    });
  }
});

describe('storm-remap moves pages under running code and reads them back', () => {
  const small = { footprint_bytes: 32768, iterations: 12, fence_rate: 5 };
  const line = (label: string, by: number) =>
    new RegExp(`^storm-remap: mode=${label} page=4096 seed=1 footprint=32768 iterations=12 fence_rate=5 by=${by} checksum=0x[0-9a-f]{16} ok\n$`);

  it('the hv remaps in the G-stage (by=1) from VS and from a VU process over a lazy G-stage: one HFENCE.GVMA per remap', () => {
    const vs = run('storm-remap', { ...small, mode: 3, arg0: 1 }, 'detailed');
    expect(vs.uart).toMatch(line('VS', 1));
    expect(fenceCounts(vs)['hfence-gvma']).toBe(1 + small.iterations);   // the hv's boot fence + one per remap
    const vu = run('storm-remap', { ...small, mode: 4, arg0: 1, lazy: 1 });
    expect(vu.uart).toMatch(line('VU', 1));
    expect(vu.exitCode).toBe(0);
  });

  it('the kernel remaps in its own page table (by=0) with SFENCE.VMA by address (natively; VS at the defaults above)', () => {
    const s = run('storm-remap', { ...small, mode: 2 }, 'detailed');
    expect(s.uart).toMatch(line('U', 0));
    expect(fenceCounts(s)['sfence-vma']).toBe(1 + small.iterations);   // the kernel's final fence + one per remap
  });

  it('rejects what a mode cannot do with exit 2: a G-stage remap natively, or over 2 MiB G-stage leaves', () => {
    const native = run('storm-remap', { ...small, mode: 1, arg0: 1 });
    expect(native.uart).toMatch(/ FAIL \(by 1 \(the hypervisor\) needs a guest: mode 3 or 4\)\n$/);
    expect(native.exitCode).toBe(2);
    const big = run('storm-remap', { ...small, mode: 3, arg0: 1, gstage_page_size: 2 << 20 });
    expect(big.uart).toMatch(/ FAIL \(by 1 needs gstage_page_size 4096\)\n$/);
    expect(big.exitCode).toBe(2);
  });
});

describe('storm-process switches address spaces every switch_every touches', () => {
  const P = 3;
  const R = 4;
  const small = { footprint_bytes: 8192, iterations: R, arg0: P, arg1: 5 };
  for (const [mode, kind, policy] of [[2, 'sfence-vma', 1], [4, 'sfence-vma-v1', 2]] as const) {
    it(`${WORKLOAD_MODES[mode]} processes: switch_fence ${policy} fences at each of the P(R+1) satp writes, switch_fence 0 never`, () => {
      const counts = [0, policy].map((sf) => {
        const r = run('storm-process', { ...small, mode, arg2: sf }, 'detailed');
        expect(r.uart).toMatch(new RegExp(`^storm-process: mode=${WORKLOAD_MODES[mode]} .* switch_fence=${sf} checksum=0x[0-9a-f]{16} ok\n$`));
        return fenceCounts(r)[kind]!;
      });
      // Every yield and every exit but the last switches to another process: P(R + 1) - 1 satp
      // writes, plus the first one from the kernel's Bare satp.
      expect(counts[1]! - counts[0]!).toBe(P * (R + 1));
    });
  }

  it('the kernel walks the address spaces itself in S and VS with every switch policy: one checksum for every mode and policy', () => {
    const lines = new Set<string>();
    for (const [mode, sf] of [[1, 0], [3, 1], [1, 2], [4, 1]]) {
      const r = run('storm-process', { ...small, mode: mode!, arg2: sf! });
      expect(r.exitCode).toBe(0);
      lines.add(r.uart.replace(/ mode=\w+ /, ' ').replace(/ switch_fence=\d /, ' '));
    }
    expect([...lines]).toHaveLength(1);
    expect([...lines][0]).toMatch(/ checksum=0x[0-9a-f]{16} ok\n$/);
  });

  it('needs VS-stage tables for several processes: memvirt 1 is rejected with exit 2', () => {
    const r = run('storm-process', { ...small, mode: 4, memvirt: 1 });
    expect(r.uart).toMatch(/ FAIL \(several processes need VS-stage tables \(not memvirt 1\)\)\n$/);
    expect(r.exitCode).toBe(2);
  });
});

describe('storm-vm: guests time-sliced by the hv, with and without VMID tagging', () => {
  const small = { footprint_bytes: 16384, iterations: 24, slice_ticks: 300 };

  it('three tagged guests switch with no fence; untagged guests fence both stages at every switch', () => {
    const tagged = run('storm-vm', { ...small, mode: 4, guests: 3 }, 'detailed');
    expect(tagged.uart.trimEnd().split('\n')).toHaveLength(3);
    expect(new Set(tagged.uart.trimEnd().split('\n')).size).toBe(1);
    expect(tagged.exitCode).toBe(0);
    expect(hvEvent(tagged, HV_STAT_SWITCHES)).toBeGreaterThan(0);
    expect(fenceCounts(tagged)['hfence-gvma']).toBe(1);   // the hv's boot fence only

    const untagged = run('storm-vm', { ...small, mode: 3, guests: 2, untagged: 1 }, 'detailed');
    expect(untagged.exitCode).toBe(0);
    const switches = hvEvent(untagged, HV_STAT_SLICES);
    expect(switches).toBeGreaterThan(0);
    // One HFENCE.GVMA and one HFENCE.VVMA per guest loaded at boot and per switch, plus the boot fences.
    expect(fenceCounts(untagged)['hfence-gvma']).toBe(1 + 2 + switches);
    expect(fenceCounts(untagged)['hfence-vvma']).toBe(1 + 2 + switches);
  });

  it('runs with vsatp Bare (memvirt 1), a lazy G-stage and Sv48 over Sv48x4', () => {
    const variants: Record<string, number>[] = [{ memvirt: 1, guests: 4 }, { lazy: 1, mode: 4 }, { vs_levels: 4, gstage_levels: 4 }];
    for (const params of variants) {
      const r = run('storm-vm', { ...small, mode: 3, ...params });
      expect(r.exitCode).toBe(0);
      expect(r.uart).toMatch(/ checksum=0x[0-9a-f]{16} ok\n$/);
    }
  });

  it('has no native mode: mode 1 is rejected with exit 2', () => {
    const r = run('storm-vm', { mode: 1 });
    expect(r.uart).toMatch(/ FAIL \(mode must be 3 \(VS\) or 4 \(VU\): it runs under the hypervisor\)\n$/);
    expect(r.exitCode).toBe(2);
  });
});

// memvirt=2 (shadow) runs only on rvhsim: QEMU 7.2 does not trap satp accesses under hstatus.VTVM
// (expected/h-qemu-divergences.json, h-virtinst), which hypervisor.adoc requires: "When VTVM=1, an
// attempt in VS-mode to execute SFENCE.VMA or SINVAL.VMA or to access CSR satp raises a
// virtual-instruction exception." The expected line is the native one (QEMU's, at memvirt 0).
describe('shadow paging (memvirt=2): the hv shadows the guest kernel\'s tables under hgatp Bare (rvhsim only)', () => {
  const HV_STAT_SHADOW_FILLS = 7;
  const HV_STAT_VTVM_TRAPS = 8;
  for (const [i, name] of NAMES.entries()) {
    for (const label of [i % 2 === 0 ? 'VU' : 'VS']) {
      it(`${name} in ${label}-mode prints the expected line; the hv filled shadow leaves and emulated the guest's satp accesses`, () => {
        const r = run(name, { mode: modeNumber(label), memvirt: 2 });
        expect(r.uart).toBe(expectedFor(name, label));
        expect(r.exitCode).toBe(0);
        expect(hvEvent(r, HV_STAT_SHADOW_FILLS)).toBeGreaterThan(0);
        expect(hvEvent(r, HV_STAT_VTVM_TRAPS)).toBeGreaterThan(0);
      });
    }
  }

  it("a guest's own SFENCE.VMA drops its shadow (refilled through hidden page faults); an HFENCE.VVMA from the hv leaves the shadow", () => {
    const small = { footprint_bytes: 16384, iterations: 6, mode: 3, memvirt: 2, arg0: 3 };
    const byHv = run('fence-hfence', { ...small, arg2: 0 });
    const byGuest = run('fence-hfence', { ...small, arg2: 2 });
    expect(byHv.exitCode).toBe(0);
    expect(byGuest.exitCode).toBe(0);
    const extra = hvEvent(byGuest, HV_STAT_SHADOW_FILLS) - hvEvent(byHv, HV_STAT_SHADOW_FILLS);
    // Each of the 6 fences costs at least the 4 working-set pages again.
    expect(extra).toBeGreaterThanOrEqual(6 * 4);
    expect(hvEvent(byGuest, HV_STAT_VTVM_TRAPS) - hvEvent(byHv, HV_STAT_VTVM_TRAPS)).toBe(6);
  });

  it('storm-remap: a remap by the hv (guest-physical page moved) and by the guest kernel (SFENCE.VMA trapped) both reach the shadow', () => {
    for (const by of [0, 1]) {
      const r = run('storm-remap', { footprint_bytes: 16384, iterations: 10, fence_rate: 3, mode: 4, memvirt: 2, arg0: by });
      expect(r.uart).toMatch(/ checksum=0x[0-9a-f]{16} ok\n$/);
      expect(r.exitCode).toBe(0);
    }
  });
});

describe('direct memory (memvirt=3): the guest kernel maps host frames itself under hgatp Bare', () => {
  const HV_STAT_MMIO = 1;
  const HV_STAT_VTVM_TRAPS = 8;
  const HV_STAT_REFLECTED = 9;
  for (const [i, name] of NAMES.entries()) {
    for (const label of [i % 2 === 0 ? 'VS' : 'VU']) {
      it(`${name} in ${label}-mode prints the expected line; no satp trap, the UART emulated from page faults`, () => {
        const r = run(name, { mode: modeNumber(label), memvirt: 3 });
        expect(r.uart).toBe(expectedFor(name, label));
        expect(r.exitCode).toBe(0);
        expect(hvEvent(r, HV_STAT_VTVM_TRAPS)).toBe(0);
        expect(hvEvent(r, HV_STAT_REFLECTED)).toBe(0);
        expect(hvEvent(r, HV_STAT_MMIO)).toBeGreaterThan(0);
      });
    }
  }

  it("runs a guest whose memory is not at its guest physical address (guest 1 of 2, under its own frames) and eight processes' tables", () => {
    const vm = run('storm-vm', { footprint_bytes: 16384, iterations: 8, mode: 4, memvirt: 3, slice_ticks: 300 });
    expect(vm.uart.trimEnd().split('\n')).toHaveLength(2);
    expect(vm.exitCode).toBe(0);
    const procs = run('storm-process', { footprint_bytes: 8192, iterations: 4, mode: 4, memvirt: 3, arg0: 8, arg2: 1 });
    expect(procs.uart).toMatch(/ processes=8 .* ok\n$/);
    expect(procs.exitCode).toBe(0);
  });

  it('rejects what needs a guest-physical map the hv owns, and kernels that do not map host frames', () => {
    const remap = run('storm-remap', { mode: 3, memvirt: 3, arg0: 1 });
    expect(remap.uart).toMatch(/ FAIL \(by 1 needs a guest-physical map the hv owns/);
    expect(remap.exitCode).toBe(2);
    const big = run('fence-hfence', { mode: 3, memvirt: 3, page_size: 2 << 20 });
    expect(big.uart).toMatch(/ FAIL \(memvirt 3 \(direct\) maps host frames page by page: page_size must be 4096\)\n$/);
    expect(big.exitCode).toBe(2);
  });
});

describe('fence-hfence parameter checks (exit 2, reported natively)', () => {
  it('rejects M-mode (no translation), HFENCE.GVMA without a guest and a local SFENCE.VMA for the G-stage', () => {
    const cases: [Record<string, number>, RegExp][] = [
      [{ mode: 0 }, /mode must be 1 \(S\), 2 \(U\), 3 \(VS\) or 4 \(VU\): it needs address translation/],
      [{ mode: 2, arg0: 5 }, /fence 4\.\.6 \(HFENCE\.GVMA\) need a guest: mode 3 or 4/],
      [{ mode: 3, arg0: 4, arg2: 2 }, /via 2 \(the guest's own SFENCE\.VMA\) cannot fence the G-stage/],
      [{ mode: 3, arg1: 65 }, /span must be 1\.\.64 pages/],
    ];
    for (const [params, message] of cases) {
      const r = run('fence-hfence', params);
      expect(r.uart).toMatch(message);
      expect(r.exitCode).toBe(2);
    }
  });
});
