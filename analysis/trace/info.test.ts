import { describe, expect, it } from 'vitest';
import { collectTraceInfo, traceInfo, trapName } from './info.js';
import { referenceTrace, ret, sample, trap, traceHeader, HS, M } from './test-support/records.js';

describe('trace info', () => {
  const { header, records } = referenceTrace();
  const info = collectTraceInfo({ header, records, complete: true, damage: null });

  it('counts the records of each type and the cycle span', () => {
    expect(info.records).toEqual({ sample: 3, trap: 2, return: 2, world: 2, fence: 1, flush: 1, insn: 5, end: 1 });
    expect([info.firstCycle, info.lastCycle]).toEqual([150, 2300]);
  });

  it('takes instructions from the end record and IPC over the whole run from cycle 0', () => {
    expect(info.instructions).toBe(1150);
    expect(info.ipc).toBeCloseTo(1150 / 2300, 12);
  });

  it('sums mode residency over the samples', () => {
    expect(info.modeCycles).toEqual({ M: 150, HS: 1050, U: 0, VS: 1100, VU: 0 });
    expect(info.modePercent['HS']).toBeCloseTo((100 * 1050) / 2300, 9);
    expect(Object.values(info.modePercent).reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
  });

  it('counts traps by cause with the spec\'s names, world switches, fences by kind with their cycles, and flushes', () => {
    expect(info.traps).toEqual([
      { cause: 10, interrupt: false, name: 'Environment call from VS-mode', count: 1 },
      { cause: 5, interrupt: true, name: 'Supervisor timer interrupt', count: 1 },
    ]);
    expect(info.worldSwitches).toEqual({ enter: 1, leave: 1 });
    expect(info.fences).toEqual({ 'hfence-vvma': { count: 1, cycles: 12, shadowWalks: 4, shadowCycles: 80 } });
    expect(info.flushes).toEqual({ l2tlb: { count: 1, entries: 5 } });
  });

  it('prints the summary as aligned lines', () => {
    const text = traceInfo({ header, records, complete: true, damage: null });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(`workload      synthetic (/tmp/synthetic.elf, sha256 ${'ab'.repeat(6)})`);
    expect(text).toContain('\nsimulator     rvhsim 0.1.0, trace format version 1\n');
    expect(text).toContain('\ninterval      1,000 cycles\n');
    expect(text).toContain('\ncounters      3: mmu.dtlb.miss, caches.l1d.bytes, walker.cycles\n');
    expect(text).toContain('\nwindow        instructions 100..105 (5)\n');
    expect(text).toContain('\nrecords       17: sample 3, trap 2, return 2, world 2, fence 1, flush 1, insn 5, end 1\n');
    expect(text).toContain('\ncycles        150..2,300\n');
    expect(text).toContain('\ninstructions  1,150\n');
    expect(text).toContain('\nIPC           0.500\n');
    expect(text).toContain('\nmode cycles   M 6.5%, HS 45.7%, VS 47.8%\n');
    expect(text).toContain('\ntraps         2\n           1  exception 10: Environment call from VS-mode\n           1  interrupt 5: Supervisor timer interrupt\n');
    expect(text).toContain('\nworld         1 guest entries, 1 guest exits\n');
    expect(text).toContain('\nfences        1\n           1  hfence-vvma: 12 cycles, 4 shadow walks (80 cycles)\n');
    expect(text).toContain('\nTLB flushes   l2tlb 1 (5 entries)\n');
    expect(lines[lines.length - 1]).toBe('state         complete (exit, exit code 0)');
  });

  it('reports where a damaged trace stops and summarises what precedes it', () => {
    const cut = records.slice(0, 4);
    const text = traceInfo({ header, records: cut, complete: false, damage: { offset: 4242, reason: 'CRC mismatch: the block is corrupt' } });
    expect(text).toMatch(/\nstate +INCOMPLETE at byte 4242: CRC mismatch: the block is corrupt; the summary covers the records before it\n$/);
    expect(text).toContain('\ninstructions  101\n'); // the largest count a record carries: the window's last seq + 1
    expect(text).toContain('\nIPC           0.249\n'); // 101 / 405, the first window instruction's WB
  });

  it('handles a trace without samples, traps or a window', () => {
    const text = traceInfo({ header: traceHeader({ intervalCycles: 0, counters: [] }), records: [], complete: false, damage: { offset: 40, reason: 'no end record' } });
    expect(text).toContain('\ninterval      no samples\n');
    expect(text).toContain('\ncounters      none\n');
    expect(text).toContain('\nrecords       0\n');
    expect(text).toContain('\nIPC           n/a\n');
    expect(text).toContain('\ntraps         none\n');
  });

  it('lists many counters by the model that counts them', () => {
    const names = ['caches.l1d.misses.load', 'caches.l2.misses.load', 'hart.exceptions', ...Array.from({ length: 7 }, (_, i) => `mmu.walker.c${i}`)];
    const header9 = traceHeader({ counters: names.map((name) => ({ name, unit: 'count', description: '' })) });
    expect(traceInfo({ header: header9, records: [], complete: true, damage: null })).toContain('\ncounters      10: caches.* 2, hart.* 1, mmu.* 7 (--json lists them)\n');
  });

  it('keeps counting as records stream in', () => {
    const stream = [ret({ cycle: 10, from: M, to: HS, instret: 3 }), trap({ cycle: 20, cause: 8, from: 2, to: HS, instret: 7 }), sample({ cycle: 1000, instret: 9, cycles: 1000, modeCycles: [10, 990, 0, 0, 0] })];
    const i = collectTraceInfo({ header: traceHeader(), records: stream, complete: false, damage: null });
    expect([i.instructions, i.lastCycle, i.traps[0]!.name]).toEqual([9, 1000, 'Environment call from U-mode or VU-mode']);
  });
});

describe('trap names', () => {
  it('follow the spec\'s cause tables, exceptions and interrupts apart', () => {
    expect(trapName(21, false)).toBe('Load guest-page fault');
    expect(trapName(22, false)).toBe('Virtual instruction');
    expect(trapName(12, true)).toBe('Supervisor guest external interrupt');
    expect(trapName(14, false)).toBe('exception 14');
    expect(trapName(4, true)).toBe('interrupt 4');
  });
});
