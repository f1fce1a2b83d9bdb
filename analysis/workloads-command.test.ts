import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WORKLOADS } from '../workloads/catalog.js';
import { EXIT_USER_ERROR } from './cli.js';
import { cli } from './test-support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rvhsim-workloads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bin = join(import.meta.dirname, '..', 'workloads', 'bin');

/** Runs `rvhsim run ARGS` with the guest's UART written to a file; returns the exit code and that output. */
async function runCaptured(name: string, ...args: string[]): Promise<{ code: number; uart: string; err: string }> {
  const uartFile = join(dir, `${name}.uart`);
  const r = await cli('run', ...args, '--mode', 'functional', '-q', '--set', 'platform.uart=none', '--set', `platform.uartFile=${JSON.stringify(uartFile)}`);
  let uart = '';
  try {
    uart = readFileSync(uartFile, 'latin1');
  } catch {
    // no output file: the run failed before the guest started
  }
  return { code: r.code, uart, err: r.err };
}

describe('rvhsim workloads', () => {
  it('lists every catalog workload with its kind, modes and one-line description', async () => {
    const r = await cli('workloads');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+KIND\s+MODES\s+DESCRIPTION$/);
    for (const w of WORKLOADS) {
      expect(lines.find((l) => l.startsWith(`${w.name} `))).toMatch(new RegExp(`^${w.name}\\s+${w.kind}\\s+${w.modes.join(',')}\\s+\\S`));
    }
    expect(r.out).toMatch(new RegExp(`${WORKLOADS.length} workloads`));
  });

  it('--json prints the catalog itself', async () => {
    const r = await cli('workloads', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(JSON.parse(JSON.stringify(WORKLOADS)));
  });

  it('NAME shows one workload in full: modes, self-check, ELF and each parameter with its default and range', async () => {
    const r = await cli('workloads', 'bench-susan');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^bench-susan \(benchmark\): SUSAN/);
    expect(r.out).toMatch(/modes\s+M S U VS VU \(chosen by the mode parameter\)/);
    expect(r.out).toMatch(/self-check\s+a second, separately written smoothing/);
    expect(r.out).toContain(join(bin, 'bench-susan.elf'));
    expect(r.out).toMatch(/radius\s+arg0\s+1\s+1\.\.8\s+pixels/);
    expect(r.out).toMatch(/page_size\s+page_size\s+4096\s+4096\|2097152\|1073741824/);
    const json = await cli('workloads', 'bench-susan', '--json');
    expect(JSON.parse(json.out).name).toBe('bench-susan');
  });

  it('NAME of a workload without parameters says so, and why for the microbenchmarks', async () => {
    const r = await cli('workloads', 'ubench-alu');
    expect(r.out).toMatch(/parameters\s+none/);
    expect(r.out).toMatch(/notes\s+.*ubench\.ts/);
  });

  it('an unknown NAME is a user error suggesting the closest names (exit 2)', async () => {
    const r = await cli('workloads', 'susan');
    expect(r.code).toBe(EXIT_USER_ERROR);
    expect(r.err).toMatch(/unknown workload "susan".*did you mean bench-susan\?/);
  });
});

describe('rvhsim run NAME (a catalog workload by name)', () => {
  it('runs the committed ELF of the name and passes its self-check', async () => {
    const r = await runCaptured('hello', 'hello');
    expect(r.code).toBe(0);
    expect(r.uart).toBe(readFileSync(join(bin, '..', 'expected', 'hello.uart'), 'latin1'));
  });

  it('passes --param by the kernel argument\'s name to its rvh_params field: the kernel prints the values it ran with', async () => {
    const r = await runCaptured('susan', 'bench-susan', '--param', 'radius=2', '--param', 'threshold=12', '--param', 'mode=0', '--param', 'footprint_bytes=512');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.uart).toMatch(/^bench-susan: mode=M page=4096 seed=1 footprint=512 iterations=2 radius=2 threshold=12 checksum=0x[0-9a-f]{16} ok\n$/);
  });

  it('rejects a parameter out of its range with a user error naming the key, the workload and the range (exit 2), before running', async () => {
    const r = await runCaptured('range', 'bench-susan', '--param', 'threshold=256');
    expect(r.code).toBe(EXIT_USER_ERROR);
    expect(r.err).toMatch(/--param threshold=256: bench-susan's threshold \(arg1\) must be in 1\.\.255/);
    expect(r.uart).toBe('');
  });

  it('rejects a parameter the workload does not have (exit 2)', async () => {
    const r = await cli('run', 'bench-gups', '--param', 'stride=64');
    expect(r.code).toBe(EXIT_USER_ERROR);
    expect(r.err).toMatch(/--param stride: bench-gups has no parameter "stride"; its parameters: seed, footprint_bytes, iterations, mode, page_size, arena_pa, guests, gstage_levels, gstage_page_size, vs_levels, memvirt, lazy, vmid, untagged, mmio_decode, slice_ticks\n/);
  });

  it('an unknown name that is not a file either is a user error suggesting names (exit 2)', async () => {
    const r = await cli('run', 'bench-qsrot');
    expect(r.code).toBe(EXIT_USER_ERROR);
    expect(r.err).toMatch(/unknown workload "bench-qsrot": neither a catalog name nor an existing file; did you mean bench-qsort/);
  });

  it('still runs an ELF given by path, checking --param only against the rvh_params block', async () => {
    const r = await runCaptured('path', join(bin, 'bench-susan.elf'), '--param', 'arg0=3', '--param', 'mode=0');
    expect(r.code).toBe(0);
    expect(r.uart).toMatch(/radius=3 threshold=20 .* ok\n$/);
  });
});
