import { describe, expect, it } from 'vitest';
import { CodeBuilder } from './code-builder.js';
import { PF_R, PF_X, writeElf } from './elf-writer.js';
import { lockstep } from './lockstep.js';
import { qemuAvailable } from './qemu-run.js';
import { generateProgramDetailed } from './random-program.js';
import { addi, addiw, csrr, lui, sw } from './rv-encode.js';
import { rvhsimIsa } from './rvhsim-run.js';

/** A program that reads the cycle counter, which no two implementations agree on. */
function cycleReader(): Uint8Array {
  const b = new CodeBuilder();
  b.emit32(addi(10, 0, 5)); // a0 = 5
  b.emit32(addi(11, 10, 1)); // a1 = 6
  b.emit32(csrr(12, 0xc00)); // a2 = cycle   <- divergence appears in the state after this
  b.emit32(addi(13, 0, 7));
  b.emit32(lui(5, 0x100)).emit32(lui(6, 5)).emit32(addiw(6, 6, 0x555)).emit32(sw(6, 5, 0));
  return writeElf({ entry: 0x8000_0000n, segments: [{ addr: 0x8000_0000n, data: b.finish(0x8000_0000n), flags: PF_R | PF_X }] });
}

describe.skipIf(!qemuAvailable())('lockstep against QEMU', () => {
  it('runs a random program to the end of its memory hash without divergence', async () => {
    const isa = rvhsimIsa();
    const p = generateProgramDetailed(1, { length: 200, hypervisor: isa.h });
    const r = await lockstep(p.elf, 100_000, { isa, stopAt: p.symbols.get('hash_done') });
    expect(r).toMatchObject({ ok: true, end: 'stop-pc' });
    if (r.ok) expect(r.steps).toBeGreaterThan(200);
  });

  it('stops after maxSteps instructions counted from the entry', async () => {
    const p = generateProgramDetailed(2, { length: 200 });
    expect(await lockstep(p.elf, 25)).toMatchObject({ ok: true, steps: 25, end: 'max-steps' });
  });

  it('names the step, the instruction and the register of the first divergence', async () => {
    const r = await lockstep(cycleReader(), 100);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.step).toBe(3);
    expect(r.pc).toBe(0x8000_000cn);
    expect(r.diffs).toHaveLength(1);
    expect(r.diffs[0]).toMatch(/^x12\/a2: qemu=0x[0-9a-f]+ rvhsim=0x[0-9a-f]+$/);
    expect(r.report).toContain('last instruction executed: 0x80000008: c0002673 rdcycle a2');
  });

  it('reaches the end of a program that exits through the finisher', async () => {
    const b = new CodeBuilder();
    b.emit32(addi(10, 0, 1)).emit32(lui(5, 0x100)).emit32(lui(6, 5)).emit32(addiw(6, 6, 0x555)).emit32(sw(6, 5, 0));
    const elf = writeElf({ entry: 0x8000_0000n, segments: [{ addr: 0x8000_0000n, data: b.finish(0x8000_0000n), flags: PF_R | PF_X }] });
    expect(await lockstep(elf, 1000)).toMatchObject({ ok: true, steps: 5, end: 'qemu-exited' });
  });
});
