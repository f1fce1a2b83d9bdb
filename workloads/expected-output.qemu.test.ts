import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findWorkload } from './catalog.js';
import { QEMU_BINARY, qemuAvailable, runOnQemu } from './qemu.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, 'bin');
const hello = join(bin, 'hello.elf');
const haveQemu = qemuAvailable();
if (!haveQemu) console.warn(`qemu.test.ts: ${QEMU_BINARY} not found on PATH; skipping the QEMU runs`);
const committed = existsSync(bin) ? readdirSync(bin).filter((f) => f.endsWith('.elf')).sort() : [];

/** A program whose default mode is a guest (VS/VU: catalog `mode` 3 or 4) needs QEMU's H extension even at its defaults. */
function guestByDefault(elf: string): boolean {
  const mode = findWorkload(basename(elf, '.elf'))?.parameters.find((p) => p.name === 'mode')?.default;
  return typeof mode === 'number' && mode >= 3;
}

describe('runOnQemu', () => {
  it.skipIf(!haveQemu || !existsSync(hello))(`runs hello.elf on ${QEMU_BINARY}: UART line captured, finisher exit 0`, () => {
    const run = runOnQemu(hello);
    expect(run).toEqual({ exitCode: 0, uart: 'Hello from rvhsim workloads!\n', timedOut: false });
  });

  it.skipIf(!haveQemu || !existsSync(hello))('reports a timeout when the guest outlives the limit', () => {
    // With -S QEMU starts with the CPU stopped, so the guest never reaches the finisher.
    const run = runOnQemu(hello, { timeoutMs: 500, extraArgs: ['-S'] });
    expect(run.timedOut).toBe(true);
    expect(run.exitCode).toBe(-1);
  });
});

describe('the committed workloads on QEMU', () => {
  const plain = committed.filter((f) => !f.startsWith('h-'));
  const hyper = committed.filter((f) => f.startsWith('h-'));
  it.skipIf(!haveQemu).each(plain)('%s exits 0 and prints exactly expected/<name>.uart', (elf) => {
    const expected = readFileSync(join(here, 'expected', `${basename(elf, '.elf')}.uart`), 'latin1');
    const run = runOnQemu(join(bin, elf), guestByDefault(elf) ? { timeoutMs: 30_000, cpu: 'rv64,h=true' } : { timeoutMs: 30_000 });
    expect(run.timedOut).toBe(false);
    expect(run.uart).toBe(expected);
    expect(run.exitCode).toBe(0);
  });

  // The h-* programs check the spec's answers. QEMU 7.2 gets some of them wrong: each such check
  // is listed with its spec sentence in expected/h-qemu-divergences.json. h-expected.mjs turns
  // QEMU's output into the expected output by rewriting exactly those checks, and fails on any
  // other failing check and on any listed check that QEMU now passes, so QEMU is still checked on
  // everything else.
  it.skipIf(!haveQemu).each(hyper)('%s on QEMU (-cpu rv64,h=true) matches expected/<name>.uart except for the listed QEMU divergences', (elf) => {
    const name = basename(elf, '.elf');
    const run = runOnQemu(join(bin, elf), { timeoutMs: 30_000, cpu: 'rv64,h=true' });
    expect(run.timedOut).toBe(false);
    const raw = join(mkdtempSync(join(tmpdir(), 'rvhsim-h-')), `${name}.qemu.uart`);
    writeFileSync(raw, run.uart, 'latin1');
    const fixed = spawnSync(process.execPath, [join(here, 'h-expected.mjs'), name, raw], { encoding: 'latin1' });
    expect(fixed.stderr).toBe('');
    expect(fixed.status).toBe(0);
    expect(fixed.stdout).toBe(readFileSync(join(here, 'expected', `${name}.uart`), 'latin1'));
  });
});
