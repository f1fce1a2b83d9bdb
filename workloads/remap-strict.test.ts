import { describe, expect, it } from 'vitest';
import { runHvDemo } from './testing/hv-demo-run.js';

/**
 * Strict TLB mode (issue 5) on a hypervisor that forgets HFENCE.GVMA after remapping a guest page
 * (h-hv-demo with remap_nofence, arg0 = 1): through the modelled TLBs the guest keeps reading the
 * old host page, which the hv has poisoned, as it would on hardware (hypervisor.adoc
 * norm:hfence-gvma_op); without strict mode the hart walked the G-stage afresh and the demo passed
 * (workloads/remap-sanitizer.test.ts).
 */
describe('strict TLB mode: h-hv-demo remapping a guest page', () => {
  it('without HFENCE.GVMA the guest reads the stale (poisoned) page: the remap check fails', () => {
    const { uart, result, stats } = runHvDemo({ nofence: true, strict: true });
    expect(uart).toMatch(/FAIL 7 remap: the guest sees the page's contents at the new host page/);
    expect(uart).toContain('h-hv-demo: 10 checks, 1 failed');
    expect([result.reason, result.exitCode]).toEqual(['exit', 1]);
    // The premise (testing/hv-demo-run.ts): the L2 TLB evicts nothing, so the stale entry stays until a fence.
    expect(stats['mmu.l2tlb.evictions']).toBe(0);
  });

  it('with HFENCE.GVMA every check passes', () => {
    const { uart, result } = runHvDemo({ nofence: false, strict: true });
    expect(uart).toContain('h-hv-demo: 10 checks, 0 failed');
    expect([result.reason, result.exitCode]).toEqual(['exit', 0]);
  });
});
