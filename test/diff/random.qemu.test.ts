/**
 * Differential test: seeded random RV64IMAC + Zicsr programs (random-program.ts) run on QEMU 7.2
 * and on rvhsim must print the same final state (registers, CSRs, trap log, scratch memory) and
 * exit the same way. On a mismatch the seed is re-run in lockstep to name the first divergent
 * instruction.
 *
 *   RVHSIM_DIFF_SEEDS=3000       how many seeds (default 300)
 *   RVHSIM_DIFF_FIRST_SEED=5000  the first seed (default 1)
 *   RVHSIM_DIFF_LENGTH=400       body length in instruction groups (default 200)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { compareUart, DEVIATION_NOTES, type DeviationRule } from './compare.js';
import { lockstep } from './lockstep.js';
import { Limiter, qemuAvailable, runQemu } from './qemu-run.js';
import { generateProgram, generateProgramDetailed, type ProgramOptions } from './random-program.js';
import { runOnRvhsim, rvhsimIsa } from './rvhsim-run.js';

const SEEDS = Number(process.env.RVHSIM_DIFF_SEEDS ?? 300);
const LENGTH = Number(process.env.RVHSIM_DIFF_LENGTH ?? 200);
const hasQemu = qemuAvailable();
const limiter = new Limiter(2);
const FIRST = Number(process.env.RVHSIM_DIFF_FIRST_SEED ?? 1);
const seeds = Array.from({ length: SEEDS }, (_, i) => i + FIRST);

describe.skipIf(!hasQemu)('random programs run the same on rvhsim and QEMU 7.2', () => {
  const isa = rvhsimIsa();
  // Seeds cycle through four set-ups: the body stays in M-mode (which lets the generator use the
  // Svinval fences QEMU 7.2 mishandles in U-mode); it moves between M, S and U with Bare
  // translation; with Sv39; with Sv48 (random page tables, paging.ts).
  const options = (seed: number): ProgramOptions => {
    const setup = seed % 4;
    return { length: LENGTH, hypervisor: isa.h, privilegeChanges: setup !== 0, paging: setup === 2 ? 'sv39' : setup === 3 ? 'sv48' : 'bare' };
  };
  const deviations = new Map<DeviationRule, number>();

  afterAll(() => {
    if (deviations.size === 0) return;
    const lines = [...deviations].map(([rule, n]) => `  ${rule} x${n}: ${DEVIATION_NOTES[rule]}`);
    console.info(`known deviations accepted over ${SEEDS} seeds:\n${lines.join('\n')}`);
  });

  it.concurrent.each(seeds)('seed %i', async (seed) => {
    const elf = generateProgram(seed, options(seed));
    const qemuRun = limiter.run(() => runQemu(elf, isa));
    const rv = runOnRvhsim(elf);
    const q = await qemuRun;
    expect(q.timedOut, `seed ${seed}: QEMU timed out`).toBe(false);
    const cmp = compareUart(q.uart, rv.uart);
    for (const [rule, n] of cmp.deviations) deviations.set(rule, (deviations.get(rule) ?? 0) + n);
    if (cmp.same && rv.reason === 'exit' && rv.exitCode === q.exitCode) return;

    const detailed = generateProgramDetailed(seed, options(seed));
    const lines = [`seed ${seed} (${JSON.stringify(options(seed))}): rvhsim differs from QEMU`];
    if (detailed.pageTables.length > 0) lines.push(`  page tables: ${detailed.pageTables.join('; ')}`);
    lines.push(`  exit: qemu=${q.exitCode} rvhsim=${rv.reason} ${rv.exitCode} (${rv.message})`);
    if (!cmp.same) lines.push(`  first differing UART line ${cmp.line}:`, `    qemu:   ${cmp.qemu ?? '(missing)'}`, `    rvhsim: ${cmp.rvhsim ?? '(missing)'}`);
    const interp = runOnRvhsim(elf, { blockTranslation: false });
    const interpSame = compareUart(q.uart, interp.uart).same;
    lines.push(`  with hart.blockTranslation=false rvhsim ${interpSame ? 'MATCHES QEMU (a block-translator bug)' : 'differs too'}`);
    const ls = await limiter.run(() => lockstep(elf, 500_000, { isa, stopAt: detailed.symbols.get('hash_done') }));
    lines.push(ls.ok ? `  lockstep (interpreter) found no register divergence up to the end of the memory hash (${ls.steps} steps, ${ls.end})` : ls.report);
    expect.fail(lines.join('\n'));
  });
});

describe.skipIf(!hasQemu)('the generator’s illegal encodings', () => {
  it('trap as illegal instructions on QEMU and on rvhsim, one trap per instruction', async () => {
    const isa = rvhsimIsa();
    const length = 400;
    for (const seed of [1, 2, 3]) {
      const p = generateProgramDetailed(seed, { length, illegalRate: 1, hypervisor: isa.h });
      const epilogue = p.symbols.get('epilogue')!.toString(16).padStart(16, '0');
      for (const [side, uart] of [['qemu', (await runQemu(p.elf, isa)).uart], ['rvhsim', runOnRvhsim(p.elf).uart]] as const) {
        // every trap but the epilogue's ECALL back to M-mode
        const traps = uart.split('\n').filter((l) => l.startsWith('t ') && l.split(' ')[1] !== epilogue);
        const causes = new Set(traps.map((l) => l.split(' ')[2]));
        expect([side, traps.length]).toEqual([side, length]);
        expect([side, [...causes]]).toEqual([side, ['0000000000000002']]);
        // mtval holds the instruction bits (the log's last field) on both
        for (const l of traps) expect([side, l.split(' ')[3]]).toEqual([side, l.split(' ')[4]]);
      }
    }
  });
});
