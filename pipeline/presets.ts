import { PRESETS, type PresetName } from '../caches/cache-config.js';
import type { MachineConfigInput } from './config.js';
import { MMU_TLB_PRESETS } from '../mmu/tlb/tlb-config.js';
import { WALKER_PRESETS } from '../mmu/walker/walker-config.js';
import { PREDICTOR_PRESETS } from './timing/predictor-config.js';

/**
 * Named machine presets (`rvhsim run --config NAME`), composed from each model's own preset
 * data, which cites its sources (caches/cache-config.ts, pipeline/timing/predictor-config.ts).
 * - tiny: small structures so that tests see misses and evictions quickly;
 * - inorder-default: a Rocket-like in-order core (16 KiB L1I, 32 KiB L1D, 512 KiB L2);
 * - cva6-like: after CVA6's cv64a6_imafdch_sv39 configuration.
 */
export const PRESET_NAMES: readonly PresetName[] = ['tiny', 'inorder-default', 'cva6-like'];

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

export function presetConfig(name: PresetName): MachineConfigInput {
  return {
    caches: PRESETS[name].caches,
    timing: { predictor: PREDICTOR_PRESETS[name].predictor },
    mmu: { tlb: MMU_TLB_PRESETS[name], walker: WALKER_PRESETS[name].walker },
  };
}
