import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_LIMIT, EXIT_USER_ERROR } from './cli.js';
import { cli } from './test-support/cli.js';

const bin = join(import.meta.dirname, '..', 'workloads', 'bin');

describe('rvhsim run, end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rvhsim-e2e-'));

  it('runs a workload to its exit, returns the guest exit code and writes deterministic statistics JSON', async () => {
    const stats = join(dir, 'hello.json');
    const r = await cli('run', join(bin, 'hello.elf'), '--set', 'platform.uart=capture', '--stats', stats);
    expect(r.code).toBe(0);
    expect(r.out + r.err).toMatch(/guest passed/);
    const json = JSON.parse(readFileSync(stats, 'utf8'));
    expect(json.result.reason).toBe('exit');
    expect(json.result.exitCode).toBe(0);
    expect(json.stats).toBeDefined();
    const again = join(dir, 'hello2.json');
    await cli('run', join(bin, 'hello.elf'), '--set', 'platform.uart=capture', '--stats', again);
    const strip = (t: string) => { const j = JSON.parse(t); delete j.host; return j; };
    expect(strip(readFileSync(again, 'utf8'))).toEqual(strip(readFileSync(stats, 'utf8')));
  });

  it('stops a runaway guest at --max-insns with a clear message, exit code 3, and still writes its statistics', async () => {
    const stats = join(dir, 'limit.json');
    const r = await cli('run', join(bin, 'default.elf'), '--set', 'platform.uart=capture', '--max-insns', '10000', '--stats', stats);
    expect(r.code).toBe(EXIT_LIMIT);
    expect(r.out + r.err).toMatch(/instruction limit \(10000\)/);
    const json = JSON.parse(readFileSync(stats, 'utf8'));
    expect(json.result.reason).toBe('limit');
    expect(json.result.instret).toBe(10000);
  });

  it('rejects a malformed ELF with a message naming the file and the problem, exit code 2', async () => {
    const bad = join(dir, 'bad.elf');
    writeFileSync(bad, Buffer.from('\x7fELF\x01\x01\x01\x00' + '\x00'.repeat(56), 'latin1'));
    const r = await cli('run', bad);
    expect(r.code).toBe(EXIT_USER_ERROR);
    expect(r.err).toMatch(/bad\.elf: .*ELFCLASS32/);
  });

  it('writes a Spike-style commit log, one line per retired instruction', async () => {
    const log = join(dir, 'hello.log');
    const r = await cli('run', join(bin, 'hello.elf'), '--set', 'platform.uart=capture', '--commit-log', log, '--stats', join(dir, 'h3.json'));
    expect(r.code).toBe(0);
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    const json = JSON.parse(readFileSync(join(dir, 'h3.json'), 'utf8'));
    expect(lines.length).toBe(json.result.instret);
    expect(lines[0]).toMatch(/^core {3}0: 3 0x0000000080000000 \(0x[0-9a-f]{4,8}\)/);
  });
});

describe('rvhsim run --mode and --config presets (issue 4)', () => {
  it('detailed mode (the default) prints a CPI stack whose cycles sum to the run; functional mode prints none', async () => {
    const d = await cli('run', join(bin, 'isa-rv64i.elf'), '--set', 'platform.uart=capture');
    expect(d.code).toBe(0);
    expect(d.out).toMatch(/CPI stack/);
    const cycles = Number(/cycles {8}([\d,]+)/.exec(d.out)![1]!.replaceAll(',', ''));
    const rows = [...d.out.matchAll(/^ {16}[a-zA-Z]+ +([\d,]+) +[\d.]+% +[\d.]+$/gm)].map((m) => Number(m[1]!.replaceAll(',', '')));
    expect(rows.reduce((a, b) => a + b, 0)).toBe(cycles);
    const f = await cli('run', join(bin, 'isa-rv64i.elf'), '--set', 'platform.uart=capture', '--mode', 'functional');
    expect(f.code).toBe(0);
    expect(f.out).not.toMatch(/CPI stack/);
  });

  it('--config cva6-like selects the CVA6 preset: write-through 32 KiB 8-way L1D with 16-byte lines, no L2, 16-entry TLBs', async () => {
    const r = await cli('config', '--show', '--config', 'cva6-like');
    const cfg = JSON.parse(r.out);
    expect(cfg.caches.l1d.sizeBytes).toBe(32 * 1024);
    expect(cfg.caches.l1d.ways).toBe(8);
    expect(cfg.caches.l1d.lineBytes).toBe(16);
    expect(cfg.caches.l2).toBeNull();
    expect(cfg.mmu.tlb.organisation).toBe('combined');
    expect(cfg.mmu.tlb.itlb.arrays).toEqual([expect.objectContaining({ entries: 16, ways: 0 })]);
    expect(cfg.mmu.tlb.dtlb.arrays).toEqual([expect.objectContaining({ entries: 16, ways: 0 })]);
    expect(cfg.mmu.tlb.l2).toBeNull();
    expect(cfg.mmu.walker.pwcFirst.organisation).toBe('none');
  });
});

describe('rvhsim run --param fills the workload\'s rvh_params block (issue 6: parameters without recompiling)', () => {
  it('a kernel runs with the footprint and iterations given on the command line and still passes its self-check', async () => {
    const r = await cli('run', join(bin, 'bench-gups.elf'), '--set', 'platform.uart=capture', '--mode', 'functional', '--param', 'footprint_bytes=32768', '--param', 'iterations=1_000');
    expect(r.code).toBe(0);
    const uart = await cli('run', join(bin, 'bench-gups.elf'), '--mode', 'functional', '--param', 'footprint_bytes=32768', '--param', 'iterations=1000', '-q');
    expect(uart.code).toBe(0);
  });

  it('the parameters reach the guest: the kernel prints them', async () => {
    const { Machine } = await import('../pipeline/machine.js');
    const { loadElfFile } = await import('../workloads/elf.js');
    const { applyParams } = await import('../workloads/params.js');
    const { defaultConfig } = await import('../pipeline/config.js');
    const cfg = defaultConfig();
    cfg.platform.uart = 'capture';
    cfg.run.mode = 'functional';
    const image = loadElfFile(join(bin, 'bench-gups.elf'));
    applyParams(image, { footprint_bytes: 32768, iterations: 1000, seed: 7 }, 'bench-gups.elf');
    const m = new Machine(cfg);
    m.load(image);
    expect(m.run(50_000_000).exitCode).toBe(0);
    expect(m.uartText).toMatch(/seed=7 footprint=32768 iterations=1000 .*ok/);
  });

  it('an unknown parameter is a user error naming it and listing the valid ones (exit 2)', async () => {
    const r = await cli('run', join(bin, 'bench-gups.elf'), '--param', 'footprint=1');
    expect(r.code).toBe(EXIT_USER_ERROR);
    expect(r.err).toMatch(/unknown parameter "footprint"; parameters: seed, footprint_bytes, iterations/);
  });

  it('--param on a workload without a parameter block is a user error (exit 2)', async () => {
    const r = await cli('run', join(bin, 'hello.elf'), '--param', 'seed=1');
    expect(r.code).toBe(EXIT_USER_ERROR);
    expect(r.err).toMatch(/hello\.elf: --param given, but the workload has no rvh_params parameter block/);
  });

  it('a malformed --param is a user error (exit 2)', async () => {
    const r = await cli('run', join(bin, 'bench-gups.elf'), '--param', 'seed=-1');
    expect(r.code).toBe(EXIT_USER_ERROR);
    expect(r.err).toMatch(/--param seed=-1: expected KEY=VALUE with a non-negative integer value/);
  });
});
