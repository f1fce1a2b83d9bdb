import { describe, expect, it } from 'vitest';
import { ConfigError } from '../common/errors.js';
import { StatRegistry } from '../common/stats.js';
import { defaultConfig } from '../pipeline/config.js';
import { buildPlatform, registerPlatformStats, UART0_IRQ, VIRT } from './platform.js';
import { Word } from './word.js';

function setup() {
  const out: number[] = [];
  const exits: [number, string][] = [];
  const p = buildPlatform(defaultConfig().platform, {
    uartOut: (b) => out.push(b),
    onExit: (code, reason) => exits.push([code, reason]),
  });
  return { p, out, exits };
}

describe('buildPlatform: the QEMU virt memory map', () => {
  it('puts DRAM at 0x80000000 with the configured size, sparsely', () => {
    const { p } = setup();
    const w = new Word();
    expect(p.bus.store(VIRT.dram + 2047 * 2 ** 20, 8, 5, 6)).toBe(true);
    expect(p.bus.load(VIRT.dram + 2047 * 2 ** 20, 8, w)).toBe(true);
    expect([w.lo, w.hi]).toEqual([5, 6]);
    expect(p.bus.load(VIRT.dram + 2048 * 2 ** 20, 1, w)).toBe(false);
    expect(p.bus.dram.residentBytes).toBe(2 ** 20);
  });

  it('writes UART0 THR output to the sink', () => {
    const { p, out } = setup();
    p.bus.store(VIRT.uart0, 1, 0x4f, 0);
    p.bus.store(VIRT.uart0, 1, 0x4b, 0);
    expect(String.fromCharCode(...out)).toBe('OK');
    expect(p.uart.txBytes).toBe(2);
  });

  it('ends the run through the test finisher', () => {
    const { p, exits } = setup();
    p.bus.store(VIRT.finisher, 4, (3 << 16) | 0x3333, 0);
    expect(exits).toEqual([[3, 'fail']]);
  });

  it('reads mtime through the CLINT from the shared clock', () => {
    const { p } = setup();
    p.clock.cycles = 100 * 77; // 1 GHz core, 10 MHz timebase
    const w = new Word();
    expect(p.bus.load(VIRT.clint + 0xbff8, 8, w)).toBe(true);
    expect(w.lo).toBe(77);
  });

  it('routes the UART interrupt line to PLIC source 10 (hart 0 S-mode context)', () => {
    const { p } = setup();
    expect(UART0_IRQ).toBe(10);
    p.bus.store(VIRT.plic + 4 * UART0_IRQ, 4, 1, 0); // priority 1
    p.bus.store(VIRT.plic + 0x2080, 4, 1 << UART0_IRQ, 0); // enable in context 1
    p.bus.store(VIRT.uart0 + 1, 1, 0x01, 0); // IER.ERBFI
    expect(p.plic.seip()).toBe(false);
    p.uart.pushInput([0x0d]);
    expect(p.plic.seip()).toBe(true);
    const w = new Word();
    p.bus.load(VIRT.plic + 0x20_1004, 4, w); // claim, context 1
    expect(w.lo).toBe(UART0_IRQ);
    p.bus.load(VIRT.uart0, 1, w); // read RBR: the UART drops its line
    p.bus.store(VIRT.plic + 0x20_1004, 4, UART0_IRQ, 0); // complete
    expect(p.plic.seip()).toBe(false);
  });

  it('leaves the holes between devices unmapped (access fault)', () => {
    const { p } = setup();
    const w = new Word();
    expect(p.bus.load(0x0, 4, w)).toBe(false);
    expect(p.bus.load(VIRT.uart0 + 0x100, 1, w)).toBe(false);
    expect(p.bus.load(VIRT.clint + 0x10000, 4, w)).toBe(false);
    expect(p.bus.load(VIRT.plic + 0x5f_fffc, 4, w)).toBe(true); // PLIC window is 6 MiB
    expect(p.bus.load(VIRT.plic + 0x60_0000, 4, w)).toBe(false);
    expect(p.bus.load(VIRT.finisher + 0x1000, 4, w)).toBe(false);
  });

  it('rejects DRAM placed over the devices or misaligned with a ConfigError', () => {
    const io = { uartOut: () => {}, onExit: () => {} };
    const base = { dramSizeMiB: 512, cpuHz: 1e9, timebaseHz: 1e7 };
    expect(() => buildPlatform({ ...base, dramBase: 0 }, io)).toThrow(ConfigError);
    expect(() => buildPlatform({ ...base, dramBase: 0 }, io)).toThrow(/overlaps test-finisher/);
    expect(() => buildPlatform({ ...base, dramBase: 0x8000_1000 }, io)).toThrow(/dramBase/);
  });
});

describe('registerPlatformStats', () => {
  it('registers device statistics under the given scope and reads them live', () => {
    const { p } = setup();
    const reg = new StatRegistry();
    registerPlatformStats(p, reg.scope('platform'));
    p.bus.store(VIRT.uart0, 1, 0x41, 0);
    const snap = reg.snapshot();
    expect(snap['platform.uart.txBytes']).toBe(1);
    expect(snap['platform.dram.residentBytes']).toBe(0);
    expect(Object.keys(snap)).toContain('platform.plic.claims');
  });
});
