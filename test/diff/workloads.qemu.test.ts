/**
 * Every committed workload (workloads/bin/*.elf) prints the same UART text and exits with the
 * same code on rvhsim as on QEMU 7.2. Data-driven from the folder; bench-* programs are skipped
 * unless RVHSIM_DIFF_ALL_WORKLOADS=1 (they are long).
 *
 * Programs with checks QEMU 7.2 gets wrong are listed in workloads/expected/h-qemu-divergences.json;
 * their QEMU output first goes through workloads/h-expected.mjs, which rewrites exactly the
 * listed checks to the spec's answer (and fails on any other failing check), and the guest's
 * exit code (its failed-check count) is then expected to be 0.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareUart } from './compare.js';
import { lockstep } from './lockstep.js';
import { qemuArgs } from '../../workloads/qemu.js';
import { Limiter, qemuAvailable, runQemuArgs } from './qemu-run.js';
import { runOnRvhsim, rvhsimIsa } from './rvhsim-run.js';

const BIN = new URL('../../workloads/bin/', import.meta.url);
const all = process.env.RVHSIM_DIFF_ALL_WORKLOADS === '1';
const elfs = readdirSync(BIN).filter((f) => f.endsWith('.elf') && (all || !f.startsWith('bench-'))).sort();
const limiter = new Limiter(2);
const WORKLOADS = new URL('../../workloads/', import.meta.url);
const divergent = new Set<string>(
  (JSON.parse(readFileSync(new URL('expected/h-qemu-divergences.json', WORKLOADS), 'utf8')) as { program: string }[]).map((d) => d.program),
);

/** QEMU's output with the listed QEMU divergences rewritten (h-expected.mjs), or its error. */
function specCorrected(program: string, uart: string): { uart: string } | { error: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rvhsim-diff-'));
  try {
    const raw = join(dir, `${program}.qemu.uart`);
    writeFileSync(raw, uart, 'latin1');
    const r = spawnSync(process.execPath, [new URL('h-expected.mjs', WORKLOADS).pathname, program, raw], { encoding: 'latin1' });
    return r.status === 0 ? { uart: r.stdout } : { error: r.stderr.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!qemuAvailable())('committed workloads run the same on rvhsim and QEMU 7.2', () => {
  const isa = rvhsimIsa();

  it('finds workloads to compare', () => {
    expect(elfs.length).toBeGreaterThan(0);
  });

  it.concurrent.each(elfs)('%s', async (name) => {
    const elf = new Uint8Array(readFileSync(new URL(name, BIN)));
    // The workloads' own QEMU command line (workloads/qemu.ts: -icount, so timer programs are
    // deterministic), with which workloads/expected/ was made.
    const path = new URL(name, BIN).pathname;
    const qemuRun = limiter.run(() => runQemuArgs(qemuArgs(path, [], name.startsWith('h-') ? 'rv64,h=true' : 'rv64'), 120_000));
    const rv = runOnRvhsim(elf, { maxInsns: 2_000_000_000 }, name);
    const q = await qemuRun;
    expect(q.timedOut, `${name}: QEMU timed out`).toBe(false);
    const program = name.replace(/\.elf$/, '');
    let qemuUart = q.uart;
    let qemuExit = q.exitCode;
    if (divergent.has(program)) {
      const fixed = specCorrected(program, q.uart);
      if ('error' in fixed) expect.fail(`${name}: h-expected.mjs rejects QEMU's output: ${fixed.error}`);
      qemuUart = fixed.uart;
      qemuExit = 0;
    }
    const cmp = compareUart(qemuUart, rv.uart);
    if (cmp.same && rv.reason === 'exit' && rv.exitCode === qemuExit) return;
    const lines = [`${name}: rvhsim differs from QEMU${divergent.has(program) ? ' (after the listed QEMU divergences)' : ''}`, `  exit: qemu=${qemuExit} rvhsim=${rv.reason} ${rv.exitCode} (${rv.message})`];
    if (!cmp.same) lines.push(`  first differing UART line ${cmp.line}:`, `    qemu:   ${cmp.qemu ?? '(missing)'}`, `    rvhsim: ${cmp.rvhsim ?? '(missing)'}`);
    const ls = await limiter.run(() => lockstep(elf, 100_000, { isa }));
    lines.push(ls.ok ? `  lockstep found no register divergence in the first ${ls.steps} instructions (${ls.end})` : ls.report);
    expect.fail(lines.join('\n'));
  });
});
