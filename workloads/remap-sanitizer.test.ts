import { describe, expect, it } from 'vitest';
import { runHvDemo } from './testing/hv-demo-run.js';

/**
 * The fence sanitizer on a hypervisor that forgets HFENCE.GVMA (issue 5): h-hv-demo's hv remaps a
 * page of guest 0 to a new host page; with remap_nofence (arg0 = 1) it skips the HFENCE.GVMA
 * (hypervisor.adoc norm:hfence-gvma_op) the guest needs before it may rely on the new translation.
 */
let buggyRun: ReturnType<typeof runHvDemo> | undefined;
const buggy = () => (buggyRun ??= runHvDemo({ nofence: true, sanitizer: 'report' }));

describe('fence sanitizer: h-hv-demo remapping a guest page', () => {
  it('reports the missing HFENCE.GVMA at the remapped GPA (VMID 1), stored by the hv in HS-mode and used by guest 0 in VS-mode', () => {
    const { result, image, stats } = buggy();
    const stackTop = image.symbols.get('__stack_top')!;
    const dataGpa = (stackTop + 0xffffn) & ~0xffffn; // h-hv-demo.c data_base(): the page it remaps
    const remapFn = image.symbols.get('hv_mem_remap')!;
    expect(result.sanitizer!.violations).toBe(1);
    const r = result.sanitizer!.records[0]!;
    expect(r).toMatchObject({ required: 'hfence-gvma', address: `0x${dataGpa.toString(16)}`, addressKind: 'gpa', leaf: true, vmid: 1 });
    expect(r.store).toMatchObject({ priv: 'S', virt: false });
    const storePc = BigInt(r.store.pc!);
    expect(storePc >= remapFn && storePc < remapFn + 0x200n).toBe(true);
    expect(r.use).toMatchObject({ priv: 'S', virt: true, access: 'load', stale: true });
    expect(BigInt(r.use.va) >> 12n).toBe(dataGpa >> 12n); // vsatp Bare: GVA = GPA
    expect(stats['mmu.sanitizer.violations.hfence-gvma']).toBe(1);
    // The premise of `stale` (testing/hv-demo-run.ts): the L2 TLB evicts nothing, only fences drop entries.
    expect(stats['mmu.l2tlb.evictions']).toBe(0);
  });

  it('changes nothing: the same output, result and statistics as without the sanitizer (without strict mode the guest passes)', () => {
    const plain = runHvDemo({ nofence: true });
    const b = buggy();
    const model = (s: Record<string, number>) => Object.fromEntries(Object.entries(s).filter(([k]) => !/^(mmu\.sanitizer|sim|translator)\./.test(k)));
    expect(b.uart).toBe(plain.uart);
    expect(b.uart).toContain('h-hv-demo: 10 checks, 0 failed');
    expect([b.result.reason, b.result.exitCode]).toEqual(['exit', 0]);
    expect(model(b.stats)).toEqual(model(plain.stats));
  });

  it('reports nothing for the correct hv, which fences the remap (the debt it opened is paid)', () => {
    const fixed = runHvDemo({ nofence: false, sanitizer: 'report' });
    expect([fixed.result.reason, fixed.result.exitCode]).toEqual(['exit', 0]);
    expect(fixed.result.sanitizer).toEqual({ mode: 'report', violations: 0, records: [] });
    expect(fixed.stats['mmu.sanitizer.debts']).toBeGreaterThanOrEqual(1);
  });
});
