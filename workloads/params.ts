import { UserError } from '../common/errors.js';
import type { ElfImage } from './elf.js';

/**
 * The run-time parameter block of the benchmark kernels: `struct rvh_params` at the symbol
 * `rvh_params` (workloads/runtime/bench.h, documented in workloads/README.md). The loader fills
 * it from the run configuration (`run.params`, `rvhsim run --param key=value`), so a study varies
 * footprint, iterations, mode, page size or seed without recompiling.
 */
export const RVH_PARAMS_SYMBOL = 'rvh_params';
export const RVH_PARAMS_MAGIC = 0x4d41524150485652n;
export const RVH_PARAMS_VERSION = 2n;

/** Field names in struct order, 8 bytes each; magic and version are the loader's check, not parameters. */
export const RVH_PARAMS_FIELDS = [
  'magic', 'version', 'seed', 'footprint_bytes', 'iterations', 'mode', 'page_size', 'arena_pa',
  'guests', 'fence_rate', 'arg0', 'arg1', 'arg2', 'arg3',
  // Version 2: the virtualized modes 3 (VS) and 4 (VU).
  'gstage_levels', 'gstage_page_size', 'vs_levels', 'memvirt', 'lazy', 'vmid', 'untagged', 'mmio_decode', 'slice_ticks',
] as const;
const WRITABLE = RVH_PARAMS_FIELDS.slice(2);

/**
 * Write `params` into the image's parameter block (in place, before the image is loaded).
 * Errors name the workload and the problem: no block, a block of another version, an unknown key.
 */
export function applyParams(image: ElfImage, params: Readonly<Record<string, number>>, file: string): void {
  const keys = Object.keys(params);
  if (keys.length === 0) return;
  const at = image.symbols.get(RVH_PARAMS_SYMBOL);
  if (at === undefined) throw new UserError(`${file}: --param given, but the workload has no ${RVH_PARAMS_SYMBOL} parameter block`);
  const seg = image.segments.find((s) => at >= s.vaddr && at + BigInt(8 * RVH_PARAMS_FIELDS.length) <= s.vaddr + BigInt(s.data.length));
  if (seg === undefined) throw new UserError(`${file}: ${RVH_PARAMS_SYMBOL} is not in an initialised segment`);
  const view = new DataView(seg.data.buffer, seg.data.byteOffset + Number(at - seg.vaddr), 8 * RVH_PARAMS_FIELDS.length);
  const magic = view.getBigUint64(0, true);
  const version = view.getBigUint64(8, true);
  if (magic !== RVH_PARAMS_MAGIC || version !== RVH_PARAMS_VERSION) {
    throw new UserError(`${file}: ${RVH_PARAMS_SYMBOL} has magic 0x${magic.toString(16)} version ${version}; rvhsim fills version ${RVH_PARAMS_VERSION}`);
  }
  for (const key of keys) {
    const index = (WRITABLE as readonly string[]).indexOf(key);
    if (index < 0) throw new UserError(`${file}: unknown parameter "${key}"; parameters: ${WRITABLE.join(', ')}`);
    view.setBigUint64(8 * (index + 2), BigInt(params[key]!), true);
  }
}
