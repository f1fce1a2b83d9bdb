import { z } from 'zod';
import { cachesSchema } from '../caches/cache-config.js';
import { predictorSchema } from './timing/predictor-config.js';
import { mmuTlbSchema } from '../mmu/tlb/tlb-config.js';
import { walkerSchema } from '../mmu/walker/walker-config.js';
import { pipelineSchema } from './timing/timing-config.js';

/**
 * The one configuration schema of a run (gem5-style: every parameter declared once, with a
 * default and a description). The `timing`, `caches` and `mmu` sections configure the detailed timing model.
 * zod 4: nested objects use .prefault({}) so that an omitted section is parsed through its own
 * defaults rather than taken verbatim.
 */
export const platformSchema = z
  .object({
    dramBase: z.number().int().nonnegative().default(0x8000_0000).describe('Physical base address of DRAM (QEMU virt: 0x80000000).'),
    dramSizeMiB: z.number().int().positive().max(65536).default(2048).describe('DRAM size in MiB; memory is sparse, untouched pages cost nothing.'),
    uart: z
      .enum(['stdout', 'stderr', 'none', 'capture'])
      .default('stdout')
      .describe("Where the NS16550A UART's output goes ('capture' keeps it in the run result)."),
    uartFile: z.string().optional().describe('Also append UART output to this file.'),
    cpuHz: z.number().int().positive().default(1_000_000_000).describe('Core clock; mtime advances timebaseHz/cpuHz per cycle.'),
    timebaseHz: z.number().int().positive().default(10_000_000).describe('mtime frequency (QEMU virt: 10 MHz).'),
  })
  .strict();

export const hartSchema = z
  .object({
    misaligned: z
      .enum(['trap', 'emulate'])
      .default('trap')
      .describe('Misaligned loads/stores: raise address-misaligned (as Spike and many cores do) or perform them in hardware (as QEMU does). LR/SC/AMOs always trap.'),
    svadu: z
      .boolean()
      .default(true)
      .describe('Implement Svadu: hardware A/D updates when menvcfg.ADUE=1. Svade (page fault on A/D) is the reset behaviour.'),
    sstc: z.boolean().default(true).describe('Implement Sstc (stimecmp, menvcfg.STCE).'),
    svinval: z.boolean().default(true).describe('Implement Svinval (SINVAL.VMA, SFENCE.W.INVAL, SFENCE.INVAL.IR).'),
    pmp: z
      .literal('allow-all')
      .default('allow-all')
      .describe('PMP model. Only "allow-all" exists: no PMP entries are implemented (pmpcfg/pmpaddr read as zero, ignore writes) and every physical access is permitted, as the privileged spec allows for zero PMP entries.'),
    satpModes: z
      .array(z.enum(['sv39', 'sv48', 'sv57']))
      .default(['sv39', 'sv48', 'sv57'])
      .describe('Translation modes satp accepts; writing an unsupported MODE leaves satp unchanged (supervisor.adoc, satp WARL).'),
    hpmCounters: z.number().int().min(0).max(29).default(29).describe('How many of mhpmcounter3..31 exist.'),
    hpmEvents: z
      .record(z.string().regex(/^[1-9][0-9]*$/, 'event codes are positive decimal integers'), z.string())
      .default({ '1': 'hart.cycles', '2': 'hart.instret', '3': 'hart.exceptions', '4': 'hart.interrupts' })
      .describe('mhpmevent codes and the statistic each one counts (zihpm.adoc): writing the code to mhpmeventN makes mhpmcounterN count that statistic. Any registered statistic name is allowed; later issues add TLB and walk events.'),
    h: z.boolean().default(true).describe('Implement the Hypervisor extension (misa.H): HS/VS/VU modes, two-stage translation, h*/vs* CSRs, HLV/HSV, HFENCE.'),
    geilen: z.number().int().min(0).max(63).default(0).describe('GEILEN: number of guest external interrupt lines (hgeip/hgeie bits GEILEN:1); 0 is allowed (hypervisor.adoc "hgeip and hgeie").'),
    vmidBits: z.number().int().min(0).max(14).default(14).describe('VMIDLEN: implemented bits of hgatp.VMID (at most 14 for Sv39x4/48x4/57x4).'),
    hgatpModes: z
      .array(z.enum(['sv39x4', 'sv48x4', 'sv57x4']))
      .default(['sv39x4', 'sv48x4', 'sv57x4'])
      .describe('G-stage modes hgatp accepts; writing another MODE leaves hgatp.MODE unchanged (WARL) while the other fields are written.'),
    tinst: z
      .enum(['transformed', 'zero'])
      .default('transformed')
      .describe('What mtinst/htinst receive on a fault of an explicit memory access: the transformed instruction (hypervisor.adoc "Transformed Instruction or Pseudoinstruction") or zero. Implicit VS-stage PTE accesses always write the required pseudoinstruction.'),
    translateThreshold: z
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .default(16)
      .describe('A basic block is compiled to JavaScript after it has run this many times through the interpreter (0 or 1: at first sight). Results never depend on it.'),
    blockTranslation: z.boolean().default(true).describe('Run through the basic-block translator (fast); false forces the interpreter.'),
  })
  .strict();

export const timingSchema = z
  .object({
    pipeline: pipelineSchema.prefault({}).describe('The five-stage in-order pipeline: forwarding, latencies, branch resolution, serialising costs.'),
    predictor: predictorSchema.prefault({}).describe('Branch prediction: direction predictor, BTB and return-address stack.'),
  })
  .strict();

export const runSchema = z
  .object({
    mode: z
      .enum(['functional', 'detailed'])
      .default('detailed')
      .describe('functional: architectural simulation only (fastest). detailed: also the five-stage pipeline, caches, TLBs and branch predictor, with a CPI stack.'),
    params: z
      .record(z.string(), z.number().int().nonnegative())
      .default({})
      .describe('Run-time parameters written into the workload\'s rvh_params block before it runs (footprint_bytes, iterations, seed, mode, page_size, arg0..arg3, ...; see workloads/README.md). `rvhsim run --param key=value` sets one.'),
    maxInsns: z.number().int().positive().default(5_000_000_000).describe('Stop a run after this many instructions (a runaway guest ends with a clear message and its statistics).'),
  })
  .strict();

/** The translation design space (issue 5): TLB organisation, fences, page-walk caches and walker. */
export const mmuSchema = z
  .object({
    tlb: mmuTlbSchema.prefault({}).describe('TLB organisation: L1 ITLB/DTLB, optional L2, G-stage TLB, entry kinds, ASID/VMID tagging, fence costs.'),
    walker: walkerSchema.prefault({}).describe('The page-table walker: first-stage and G-stage page-walk caches and the nested TLB.'),
    strict: z
      .boolean()
      .default(false)
      .describe(
        "Strict TLB mode (run.mode = detailed): the hart translates through the modelled TLBs, so a translation whose page table changed stays in use exactly as long as the modelled TLBs hold it (until a fence, an eviction or a tag-less flush removes it), as on hardware. Without it the hart walks the page tables on misses of its own software TLB, which like QEMU's is dropped on every fence and translation-context change whatever the modelled TLBs hold. The one timing parameter that can change architectural results (mmu/tlb/strict.ts).",
      ),
    sanitizer: z
      .enum(['off', 'report', 'fail'])
      .default('off')
      .describe(
        "Fence sanitizer (run.mode = detailed): tracks stores to the page-table entries the modelled TLBs were filled from and reports every translation used after its PTE changed and before the fence the spec requires (SFENCE.VMA, HFENCE.VVMA / SFENCE.VMA with V=1, HFENCE.GVMA, or the Svinval sequence): statistics mmu.sanitizer.*, records in the run result. 'report' never changes the run; 'fail' stops it at the first violation with exit code 1.",
      ),
    sanitizerRecords: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .default(16)
      .describe('How many violation records the run result keeps (all are counted in mmu.sanitizer.violations).'),
  })
  .strict();

export const machineConfigSchema = z
  .object({
    platform: platformSchema.prefault({}),
    hart: hartSchema.prefault({}),
    timing: timingSchema.prefault({}).describe('Detailed timing model (run.mode = detailed).'),
    caches: cachesSchema.prefault({}).describe('Cache hierarchy and DRAM of the timing model (presets: rvhsim run --config tiny|inorder-default|cva6-like).'),
    mmu: mmuSchema.prefault({}).describe('Address-translation timing (run.mode = detailed): TLBs, page-walk caches, walker, fences.'),
    run: runSchema.prefault({}),
  })
  .strict();

export type MachineConfig = z.infer<typeof machineConfigSchema>;
export type MachineConfigInput = z.input<typeof machineConfigSchema>;

export function defaultConfig(): MachineConfig {
  return machineConfigSchema.parse({});
}
