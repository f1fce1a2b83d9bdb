/**
 * Test support: h-hv-demo on a detailed machine for the strict-mode and fence-sanitizer tests
 * (issue 5). Its hv remaps a page of guest 0 (runtime/hv-mem.c hv_mem_remap); with
 * rvh_params.arg0 = 1 (the catalog's remap_nofence) it skips the HFENCE.GVMA hypervisor.adoc
 * norm:hfence-gvma_op requires. The TLBs tag VMIDs so that the hv's time slicing between its two
 * guests does not flush them: a tag-less TLB drops the stale entry at the next switch and hides
 * the bug by luck.
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
  cfg.mmu.sanitizer = opts.sanitizer ?? 'off';
  cfg.mmu.strict = opts.strict ?? false;
  const image = loadElfFile(HV_DEMO);
  applyParams(image, { arg0: opts.nofence ? 1 : 0 }, 'h-hv-demo.elf');
  const m = new Machine(cfg);
  m.load(image);
  const result = m.run(20_000_000);
  return { m, result, image, uart: m.uartText, stats: m.stats.snapshot() };
}
