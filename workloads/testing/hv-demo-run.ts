/**
 * Test support: h-hv-demo on a detailed machine for the strict-mode and fence-sanitizer tests
 * (issue 5). Its hv remaps a page of guest 0 (runtime/hv-mem.c hv_mem_remap); with
 * rvh_params.arg0 = 1 (the catalog's remap_nofence) it skips the HFENCE.GVMA hypervisor.adoc
 * norm:hfence-gvma_op requires, and the guest reads the page back right after the remap returns
 * (src/h-hv-demo/h-hv-demo.c). What it reads depends on whether the TLBs still hold guest 0's old
 * translation then, so the TLBs here are chosen to keep it until a fence removes it:
 *  - VMID tags, so that the hv's time slicing between its two guests does not flush them (a
 *    tag-less TLB drops the stale entry at the next switch and hides the bug by luck);
 *  - an 8-way L2 TLB instead of the inorder-default direct-mapped one. That one is indexed by the
 *    page number alone, and both guests use the same guest addresses: guest 1's entry for the
 *    remapped page always takes the set of guest 0's, so only the 32-entry L1 can keep guest 0's,
 *    and whether it does across the guest-1 slice that usually falls between the remap and the
 *    read (the remap's copy and poisoning take most of a 200-tick slice) depends on where the
 *    slice boundaries fall. With 8 ways both guests' entries for a page fit and nothing is ever
 *    evicted from the L2 in this run (the tests check mmu.l2tlb.evictions = 0): only fences
 *    remove entries, as the demonstration needs.
 */
import { join } from 'node:path';
import { defaultConfig } from '../../pipeline/config.js';
import { Machine } from '../../pipeline/machine.js';
import { loadElfFile } from '../elf.js';
import { applyParams } from '../params.js';

export const HV_DEMO = join(import.meta.dirname, '..', 'bin', 'h-hv-demo.elf');

export function runHvDemo(opts: { nofence: boolean; sanitizer?: 'off' | 'report'; strict?: boolean }) {
  const cfg = defaultConfig();
  cfg.platform.uart = 'capture';
  cfg.run.mode = 'detailed';
  cfg.mmu.tlb.vmidTagging = true;
  cfg.mmu.tlb.l2 = { hitLatency: 3, arrays: [{ entries: 512, ways: 8, replacement: 'lru', seed: 3, pageSizes: ['4K'] }] };
  cfg.mmu.sanitizer = opts.sanitizer ?? 'off';
  cfg.mmu.strict = opts.strict ?? false;
  const image = loadElfFile(HV_DEMO);
  applyParams(image, { arg0: opts.nofence ? 1 : 0 }, 'h-hv-demo.elf');
  const m = new Machine(cfg);
  m.load(image);
  const result = m.run(20_000_000);
  return { m, result, image, uart: m.uartText, stats: m.stats.snapshot() };
}
