import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Word } from '../caches/word.js';
import { defaultConfig, machineConfigSchema } from '../pipeline/config.js';
import { Machine } from '../pipeline/machine.js';
import { presetConfig } from '../pipeline/presets.js';
import { loadElfFile, type ElfImage } from './elf.js';
import { applyParams } from './params.js';

// The hypervisor (runtime/hv*.c) and guest kernel (runtime/guest*.c) linked into every bench-*
// program run the same kernel binary in VS-mode (rvh_params.mode 3) and VU-mode (mode 4); the
// report line is the native one with mode=VS or mode=VU (workloads/README.md, "Virtualized modes").

const here = import.meta.dirname;
const bin = join(here, 'bin');
const expectedDir = join(here, 'expected');
const benches = readdirSync(bin)
  .filter((f) => f.startsWith('bench-') && f.endsWith('.elf') && f !== 'bench-intloop.elf')
  .map((f) => basename(f, '.elf'))
  .filter((n) => existsSync(join(expectedDir, `${n}.uart`)))
  .sort();

/** hv_events indices (runtime/hv-sbi.h HV_STAT_*). */
const STAT = {
  gpfMapped: 0, mmio: 1, mmioTinst: 2, mmioHlvx: 3, mmioAgree: 4, switches: 5,
  shadowFills: 7, vtvmTraps: 8, reflected: 9,
} as const;

interface Run {
  uart: string;
  exitCode: number;
  reason: string;
  image: ElfImage;
  machine: Machine;
  stats: Record<string, number>;
}

function run(name: string, params: Record<string, number>, tinst: 'transformed' | 'zero' = 'transformed'): Run {
  const cfg = defaultConfig();
  cfg.platform.uart = 'capture';
  cfg.run.mode = 'functional';
  cfg.hart.tinst = tinst;
  const image = loadElfFile(join(bin, `${name}.elf`));
  applyParams(image, params, `${name}.elf`);
  const machine = new Machine(cfg);
  machine.load(image);
  const r = machine.run(200_000_000);
  return { uart: machine.uartText, exitCode: r.exitCode, reason: r.reason, image, machine, stats: machine.stats.snapshot() };
}

/** A run on the `tiny` preset, functional or detailed (with the MMU timing model's statistics). */
function runTiny(name: string, params: Record<string, number>, mode: 'functional' | 'detailed'): Run {
  const cfg = machineConfigSchema.parse(presetConfig('tiny'));
  cfg.platform.uart = 'capture';
  cfg.run.mode = mode;
  const image = loadElfFile(join(bin, `${name}.elf`));
  applyParams(image, params, `${name}.elf`);
  const machine = new Machine(cfg);
  machine.load(image);
  const r = machine.run(100_000_000);
  return { uart: machine.uartText, exitCode: r.exitCode, reason: r.reason, image, machine, stats: machine.stats.snapshot() };
}

/** The hypervisor's event totals (hv_events[], runtime/hv-guest.h) after a run. */
function hvEvent(r: Run, index: number): number {
  const at = r.image.symbols.get('hv_events');
  if (at === undefined) throw new Error('no hv_events symbol');
  const w = new Word();
  expect(r.machine.platform.bus.load(Number(at) + 8 * index, 8, w)).toBe(true);
  return w.hi * 2 ** 32 + (w.lo >>> 0);
}

/** The native expected line with the mode the virtualized run prints. */
function expectedLine(name: string, mode: 'VS' | 'VU'): string {
  return readFileSync(join(expectedDir, `${name}.uart`), 'latin1').replace(/ mode=(M|S|U) /, ` mode=${mode} `);
}

describe('bench kernels under the hypervisor print the native report line (nested paging, defaults)', () => {
  for (const name of benches) {
    for (const [mode, label] of [[3, 'VS'], [4, 'VU']] as const) {
      it(`${name} in ${label}-mode passes its self-check and reference checksum, exit 0`, () => {
        const r = run(name, { mode });
        expect(r.uart).toBe(expectedLine(name, label));
        expect(r.reason).toBe('exit');
        expect(r.exitCode).toBe(0);
      });
    }
  }
});

describe('memory-virtualization and hypervisor parameters (bench-gups, small table)', () => {
  const small = { footprint_bytes: 16384, iterations: 4000, seed: 3 };
  const cases: [string, Record<string, number>][] = [
    ['lazy G-stage (demand-mapped from guest-page faults), VU', { mode: 4, lazy: 1 }],
    ['2 MiB G-stage leaves, lazy, VS', { mode: 3, gstage_page_size: 2 << 20, lazy: 1 }],
    ['1 GiB G-stage leaves, 1 GiB VS-stage data leaves, VU', { mode: 4, gstage_page_size: 1 << 30, page_size: 1 << 30 }],
    ['Sv48 over Sv48x4, VU', { mode: 4, gstage_levels: 4, vs_levels: 4 }],
    ['gstage-only (vsatp Bare), VS', { mode: 3, memvirt: 1 }],
    ['gstage-only (vsatp Bare), lazy, VU', { mode: 4, memvirt: 1, lazy: 1 }],
    ['three guests time-sliced with distinct VMIDs', { mode: 4, guests: 3, slice_ticks: 300 }],
    ['two untagged guests (one VMID, HFENCE at every switch), lazy', { mode: 3, guests: 2, untagged: 1, lazy: 1, slice_ticks: 300 }],
    ['UART accesses decoded with HLVX', { mode: 3, mmio_decode: 1 }],
  ];
  for (const [what, params] of cases) {
    it(`${what}: every guest prints the same passing line, exit 0`, () => {
      const r = run('bench-gups', { ...small, ...params });
      const label = params.mode === 3 ? 'VS' : 'VU';
      const line = `bench-gups: mode=${label} page=${params.page_size ?? 4096} seed=3 footprint=16384 iterations=4000 checksum=`;
      const lines = r.uart.trimEnd().split('\n');
      expect(lines).toHaveLength(params.guests ?? 1);
      for (const l of lines) expect(l).toMatch(new RegExp(`^${line}0x[0-9a-f]{16} ok$`));
      expect(new Set(lines).size).toBe(1);
      expect(r.exitCode).toBe(0);
      if (params.lazy) expect(hvEvent(r, STAT.gpfMapped)).toBeGreaterThan(0);
      else expect(hvEvent(r, STAT.gpfMapped)).toBe(0);
      if ((params.guests ?? 1) > 1) expect(hvEvent(r, STAT.switches)).toBeGreaterThan(0);
    });
  }

  it('the lazy G-stage takes one guest-page fault per 4 KiB leaf touched, fewer with 2 MiB leaves', () => {
    const four = hvEvent(run('bench-gups', { ...small, mode: 3, lazy: 1 }), STAT.gpfMapped);
    const two = hvEvent(run('bench-gups', { ...small, mode: 3, lazy: 1, gstage_page_size: 2 << 20 }), STAT.gpfMapped);
    expect(four).toBeGreaterThan(16384 / 4096);
    expect(two).toBeLessThan(four);
  });

  it('a parameter the hypervisor cannot run is reported natively with exit 2', () => {
    const r = run('bench-gups', { ...small, mode: 3, guests: 2, gstage_page_size: 1 << 30 });
    expect(r.uart).toMatch(/ FAIL \(several guests need gstage_page_size <= 2 MiB/);
    expect(r.exitCode).toBe(2);
    const s = run('bench-gups', { ...small, mode: 4, memvirt: 7 });
    expect(s.uart).toMatch(/ FAIL \(memvirt must be 0 \(nested\)/);
    expect(s.exitCode).toBe(2);
  });
});

describe('h-hv-demo: two time-sliced guests, emulated UART, lazy mapping, remap', () => {
  const expected = readFileSync(join(expectedDir, 'h-hv-demo.uart'), 'latin1');

  it('decodes the trapped UART accesses from htinst when the hart writes the transformed instruction', () => {
    const r = run('h-hv-demo', {});
    expect(r.uart).toBe(expected);
    expect(r.exitCode).toBe(0);
    expect(hvEvent(r, STAT.mmioTinst)).toBe(hvEvent(r, STAT.mmio));
    expect(hvEvent(r, STAT.mmioHlvx)).toBe(0);
  });

  it('falls back to HLVX when htinst is zero (hart.tinst = zero)', () => {
    const r = run('h-hv-demo', {}, 'zero');
    expect(r.uart).toBe(expected);
    expect(r.exitCode).toBe(0);
    expect(hvEvent(r, STAT.mmioTinst)).toBe(0);
    expect(hvEvent(r, STAT.mmioHlvx)).toBe(hvEvent(r, STAT.mmio));
  });

  it('reads every faulting instruction with HLVX when mmio_decode=1', () => {
    const r = run('h-hv-demo', { mmio_decode: 1 });
    expect(r.uart).toBe(expected.replace('htinst (HLVX where htinst is zero)', 'HLVX'));
    expect(hvEvent(r, STAT.mmioHlvx)).toBe(hvEvent(r, STAT.mmio));
  });

  it('finds htinst and HLVX decode every access identically when mmio_decode=2', () => {
    const r = run('h-hv-demo', { mmio_decode: 2 });
    expect(r.exitCode).toBe(0);
    expect(hvEvent(r, STAT.mmioTinst)).toBeGreaterThan(0);
    expect(hvEvent(r, STAT.mmioAgree)).toBe(hvEvent(r, STAT.mmioTinst));
  });

  it('runs the guests with one shared VMID (untagged, HFENCE at each switch) and with Sv48x4', () => {
    const u = run('h-hv-demo', { untagged: 1 });
    expect(u.uart).toBe(expected.replace('distinct VMIDs', 'one shared VMID (untagged)'));
    expect(u.exitCode).toBe(0);
    const g = run('h-hv-demo', { gstage_levels: 4 });
    expect(g.uart).toBe(expected);
    expect(g.exitCode).toBe(0);
  });
});

// memvirt=2 (shadow) runs only on rvhsim: QEMU 7.2 does not trap satp accesses under hstatus.VTVM
// (expected/h-qemu-divergences.json, h-virtinst), which hypervisor.adoc "Hypervisor Status Register"
// requires: "When VTVM=1, an attempt in VS-mode to execute SFENCE.VMA or SINVAL.VMA or to access CSR
// satp raises a virtual-instruction exception." The guest kernel pages exactly as with nested paging
// (runtime/bench.c guest_pages); the hv runs it on shadow GVA->HPA tables under hgatp Bare.
describe('shadow paging (memvirt=2): bench kernels in a guest that pages, on the hv\'s shadow tables (rvhsim only, tiny)', () => {
  // What the guest kernel does with satp and SFENCE.VMA, each one a VTVM trap the hv emulates:
  // guest_init reads satp; the kernel writes its table's satp and fences; in VU guest_run reads
  // satp and writes the process's (ASID 1, no fence needed); at the end it writes Bare and fences.
  // Without VS-stage tables (the shadow of Bare) the kernel would trap 3 times in VS, 4 in VU.
  const VTVM_TRAPS = { VS: 5, VU: 7 } as const;
  const cases: [string, Record<string, number>, number][] = [
    ['bench-gups', { footprint_bytes: 16384, iterations: 4000, seed: 3 }, 16384],
    ['bench-qsort', {}, 16 * 1024],
  ];
  for (const [name, params, footprint] of cases) {
    for (const [mode, label] of [[3, 'VS'], [4, 'VU']] as const) {
      it(`${name} in ${label}-mode passes its self-check; the hv emulated the guest's satp writes and filled a shadow leaf per page`, () => {
        const r = runTiny(name, { ...params, mode, memvirt: 2 }, 'functional');
        if (name === 'bench-qsort') expect(r.uart).toBe(expectedLine(name, label));
        else expect(r.uart).toMatch(new RegExp(`^${name}: mode=${label} page=4096 seed=3 footprint=16384 iterations=4000 checksum=0x[0-9a-f]{16} ok\n$`));
        expect(r.reason).toBe('exit');
        expect(r.exitCode).toBe(0);
        expect(hvEvent(r, STAT.vtvmTraps)).toBe(VTVM_TRAPS[label]);
        // Every 4 KiB page of the arena (reached through the guest's data window) and of the image
        // the kernel touches is one hidden page fault the hv resolves; the guest sees none of them.
        expect(hvEvent(r, STAT.shadowFills)).toBeGreaterThan(footprint / 4096);
        expect(hvEvent(r, STAT.reflected)).toBe(0);
        expect(hvEvent(r, STAT.gpfMapped)).toBe(0);
      });
    }
  }

  it('in detailed mode the walker walks the shadow tables in one stage: V=1 walks with no G-stage reads (hgatp Bare), unlike nested paging', () => {
    const small = { footprint_bytes: 16384, iterations: 4000, seed: 3 };
    const shadow = runTiny('bench-gups', { ...small, mode: 4, memvirt: 2 }, 'detailed');
    const nested = runTiny('bench-gups', { ...small, mode: 4, memvirt: 0 }, 'detailed');
    for (const r of [shadow, nested]) {
      expect(r.uart).toMatch(/ checksum=0x[0-9a-f]{16} ok\n$/);
      expect(r.exitCode).toBe(0);
    }
    expect(shadow.uart).toBe(nested.uart);
    const s = shadow.stats;
    // mmu.walker.walksVirt counts every V=1 translation walk, whatever hgatp: under shadow paging
    // those are walks of the hv's shadow tables (vsatp), with the G-stage Bare (hypervisor.adoc
    // "hgatp": "When MODE=Bare, guest physical addresses are equal to supervisor physical addresses").
    expect(s['mmu.walker.walksVirt']).toBeGreaterThan(0);
    expect(s['mmu.walker.walksG']).toBe(0);
    expect(s['mmu.walker.refsG']).toBe(0);
    expect(s['mmu.walker.refsFirst']).toBeGreaterThan(0);
    // At most the three Sv39 levels per walk (nested Sv39 over Sv39x4 reads up to 15).
    expect(s['mmu.walker.refs']).toBeLessThanOrEqual(3 * s['mmu.walker.walks']!);
    expect(nested.stats['mmu.walker.refsG']).toBeGreaterThan(0);
    expect(hvEvent(shadow, STAT.shadowFills)).toBeGreaterThan(0);
    expect(hvEvent(shadow, STAT.vtvmTraps)).toBe(VTVM_TRAPS.VU);
  });
});
