import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { QEMU_BINARY, qemuAvailable, runOnQemu } from './qemu.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, 'bin');
const hello = join(bin, 'hello.elf');
const haveQemu = qemuAvailable();
if (!haveQemu) console.warn(`qemu.test.ts: ${QEMU_BINARY} not found on PATH; skipping the QEMU runs`);
const committed = existsSync(bin) ? readdirSync(bin).filter((f) => f.endsWith('.elf')).sort() : [];

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
  it.skipIf(!haveQemu).each(committed)('%s exits 0 and prints exactly expected/<name>.uart', (elf) => {
    const expected = readFileSync(join(here, 'expected', `${basename(elf, '.elf')}.uart`), 'latin1');
    const run = runOnQemu(join(bin, elf), { timeoutMs: 30_000 });
    expect(run.timedOut).toBe(false);
    expect(run.uart).toBe(expected);
    expect(run.exitCode).toBe(0);
  });
});
