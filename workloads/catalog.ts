import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../common/errors.js';
import { packageRoot } from '../common/package-root.js';
import { RVH_PARAMS_FIELDS } from './params.js';

/**
 * The workload catalog (issue 6): every program in workloads/src/ with its kind, description,
 * run-time parameters (defaults and ranges), the privilege modes it runs in and its self-check.
 * `rvhsim workloads` lists it; `rvhsim run NAME --param key=value` runs a program by name and
 * checks its parameters here. Every program exits 0 when its self-check passes (nonzero otherwise)
 * through the test finisher, and prints no cycle counts or addresses.
 * catalog.test.ts holds this file to the filesystem: one entry per src/ program and committed
 * ELF, parameter defaults equal to the ELF's compiled rvh_params block.
 */

export const WORKLOAD_KINDS = ['benchmark', 'microbenchmark', 'test', 'demo'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** Privilege modes: native M/S/U, virtualized VS/VU (hypervisor.adoc "Privilege and Virtualization Modes"). */
export const WORKLOAD_MODES = ['M', 'S', 'U', 'VS', 'VU'] as const;
export type WorkloadMode = (typeof WORKLOAD_MODES)[number];

const parameterSchema = z
  .object({
    /** What `--param NAME=VALUE` takes; for arg0..arg3 the kernel's own name, which it also prints. */
    name: z.string().regex(/^[a-z][a-z0-9_]*$/),
    /** The rvh_params field written (`--param FIELD=VALUE` works too); magic and version are not parameters. */
    field: z.enum(RVH_PARAMS_FIELDS).refine((f) => f !== 'magic' && f !== 'version', { message: 'magic and version are not parameters' }),
    meaning: z.string().min(1),
    default: z.number().int().nonnegative(),
    min: z.number().int().nonnegative(),
    max: z.number().int().nonnegative(),
    unit: z.string(),
    /** The only values allowed (all inside min..max), when the parameter is an enumeration. */
    values: z.array(z.number().int().nonnegative()).optional(),
    /** Values must be multiples of this. */
    multipleOf: z.number().int().positive().optional(),
  })
  .strict()
  .refine((p) => p.min <= p.default && p.default <= p.max, { message: 'default outside min..max' })
  .refine((p) => p.values === undefined || (p.values.includes(p.default) && p.values.every((v) => p.min <= v && v <= p.max)), {
    message: 'values must hold the default and lie within min..max',
  })
  .refine((p) => p.multipleOf === undefined || p.default % p.multipleOf === 0, { message: 'default not a multiple of multipleOf' });

const entrySchema = z
  .object({
    name: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    kind: z.enum(WORKLOAD_KINDS),
    /** One line, no final period. */
    description: z.string().min(1).max(100),
    /** The privilege modes its code runs in; for a benchmark kernel, the ones its `mode` parameter selects from. */
    modes: z.array(z.enum(WORKLOAD_MODES)).min(1),
    /** What the program checks before it exits 0. */
    selfCheck: z.string().min(1),
    parameters: z.array(parameterSchema),
    /** Anything a user should know that the fields above cannot say. */
    notes: z.string().optional(),
  })
  .strict();

export type WorkloadParameter = z.infer<typeof parameterSchema>;
export type WorkloadEntry = z.infer<typeof entrySchema>;

// ------------------------------------------------------------------------------------------------
// The entries. Benchmark kernels share the rvh_params fields (workloads/README.md "Parameter block").

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;
/** The arena must end inside the first 1 GiB of DRAM and starts at 0x8040_0000 by default. */
const ARENA_DEFAULT_OFFSET = 4 * MIB;
const MAX_FOOTPRINT = GIB - ARENA_DEFAULT_OFFSET;
/** The largest value `--param` can pass (a JS safe integer); the kernels take any 64-bit value. */
const MAX_PARAM = Number.MAX_SAFE_INTEGER;
const NATIVE: WorkloadMode[] = ['M', 'S', 'U'];
/** A bench kernel's modes: native M/S/U and, under the hypervisor, VS/VU (rvh_params.mode 3/4). */
const ALL_MODES: WorkloadMode[] = ['M', 'S', 'U', 'VS', 'VU'];

interface KernelDefaults {
  footprint: number;
  footprintMin: number;
  footprintMultipleOf?: number;
  footprintMeaning: string;
  iterations: number;
  iterationsMin: number;
  iterationsMeaning: string;
  /** The compiled default mode (rvh_params.mode). */
  mode: number;
  /** The lowest mode the program runs in (default 0; the vmk microbenchmarks need translation, storm-vm a guest). */
  modeMin?: number;
  pageSize: number;
}

/** rvh_params.memvirt (runtime/hv.h HV_MEMVIRT_*; workloads/README.md "Shadow and direct memory virtualization"). */
const MEMVIRT_MEANING =
  '0 nested (two-stage: the guest kernel\'s VS-stage tables over the hv\'s G-stage), 1 gstage-only (vsatp Bare: the guest uses guest-physical addresses), ' +
  '2 shadow (the guest kernel builds the same VS-stage tables as nested; hgatp Bare, the hv traps its satp accesses and SFENCE.VMAs through hstatus.VTVM ' +
  'and runs it on shadow GVA->HPA tables it fills from them; rvhsim only, QEMU 7.2 does not trap satp)';

/**
 * The virtualized-mode parameters (rvh_params version 2, runtime/hv.h; workloads/README.md
 * "Virtualized modes"): they act in modes 3 and 4 only; 0 selects the documented default.
 */
const HV_PARAMETERS: WorkloadParameter[] = [
  { name: 'gstage_levels', field: 'gstage_levels', meaning: 'G-stage mode: 3 = Sv39x4, 4 = Sv48x4 (0 = 3)', default: 0, min: 0, max: 4, unit: '' },
  { name: 'gstage_page_size', field: 'gstage_page_size', meaning: 'G-stage leaf size (0 = 4 KiB; at most 2 MiB with several guests)', default: 0, min: 0, max: GIB, unit: 'bytes', values: [0, 4 * KIB, 2 * MIB, GIB] },
  { name: 'vs_levels', field: 'vs_levels', meaning: "the guest kernel's VS-stage mode: 3 = Sv39, 4 = Sv48 (0 = 3; unused with memvirt 1: vsatp Bare)", default: 0, min: 0, max: 4, unit: '' },
  { name: 'memvirt', field: 'memvirt', meaning: `memory virtualization: ${MEMVIRT_MEANING}`, default: 0, min: 0, max: 2, unit: '' },
  { name: 'lazy', field: 'lazy', meaning: 'map the G-stage on demand from guest-page faults (1) instead of up front (0)', default: 0, min: 0, max: 1, unit: '' },
  { name: 'vmid', field: 'vmid', meaning: 'VMID of guest 0; guest k uses vmid + k', default: 0, min: 0, max: 16383, unit: '' },
  { name: 'untagged', field: 'untagged', meaning: 'all guests share one VMID and the hv fences (HFENCE.GVMA/VVMA) at every switch', default: 0, min: 0, max: 1, unit: '' },
  { name: 'mmio_decode', field: 'mmio_decode', meaning: "how the hv decodes the guest's UART access: 0 htinst (HLVX where htinst is zero), 1 HLVX, 2 both compared", default: 0, min: 0, max: 2, unit: '' },
  { name: 'slice_ticks', field: 'slice_ticks', meaning: 'time slice with several guests, in 10 MHz timer ticks (0 = the default: 2000, h-hv-demo 200)', default: 0, min: 0, max: MAX_PARAM, unit: 'ticks' },
];

/** The parameters every bench-* kernel has (bench.h `struct rvh_params`), with its defaults. */
function kernelParameters(k: KernelDefaults, args: WorkloadParameter[] = []): WorkloadParameter[] {
  return [
    { name: 'seed', field: 'seed', meaning: "seed of the kernel's input (splitmix64)", default: 1, min: 0, max: MAX_PARAM, unit: '' },
    {
      name: 'footprint_bytes',
      field: 'footprint_bytes',
      meaning: k.footprintMeaning,
      default: k.footprint,
      min: k.footprintMin,
      max: MAX_FOOTPRINT,
      unit: 'bytes',
      ...(k.footprintMultipleOf === undefined ? {} : { multipleOf: k.footprintMultipleOf }),
    },
    { name: 'iterations', field: 'iterations', meaning: k.iterationsMeaning, default: k.iterations, min: k.iterationsMin, max: MAX_PARAM, unit: 'count' },
    {
      name: 'mode',
      field: 'mode',
      meaning: 'privilege mode of the kernel: 0 = M (bare), 1 = S with Sv39, 2 = U under an S kernel with Sv39, 3 = VS under the hypervisor hv, 4 = VU under the guest kernel under hv',
      default: k.mode,
      min: k.modeMin ?? 0,
      max: 4,
      unit: '',
    },
    {
      name: 'page_size',
      field: 'page_size',
      meaning: "leaf size of the arena's mapping in modes 1 and 2, and of the guest kernel's VS-stage mapping in modes 3 and 4 (unused with memvirt 1: vsatp Bare)",
      default: k.pageSize,
      min: 4 * KIB,
      max: GIB,
      unit: 'bytes',
      values: [4 * KIB, 2 * MIB, GIB],
    },
    {
      name: 'arena_pa',
      field: 'arena_pa',
      meaning: 'physical address of the arena, above the image; 0 = 0x8040_0000 (it must end in the first 1 GiB of DRAM)',
      default: 0,
      min: 0,
      max: 0x80000000 + GIB - 4 * KIB,
      unit: 'address',
      multipleOf: 4 * KIB,
    },
    {
      name: 'guests',
      field: 'guests',
      meaning: 'guests running the kernel in modes 3 and 4, time-sliced by the hv (0 = 1)',
      default: 0,
      min: 0,
      max: 4,
      unit: 'count',
    },
    ...HV_PARAMETERS,
    ...args,
  ];
}

/** The vmk microbenchmarks (runtime/vmk.h): modes S..VU, a working set of tagged 4 KiB pages, and memvirt 3 (direct), which needs vmk's guest kernel. */
function vmkParameters(k: KernelDefaults, args: WorkloadParameter[] = []): WorkloadParameter[] {
  return kernelParameters(k, args).map((p) =>
    p.name === 'memvirt'
      ? { ...p, max: 3, meaning: `memory virtualization: ${MEMVIRT_MEANING}, 3 direct (paravirtual: hgatp Bare, the guest kernel maps host frames from RVHS frame itself; page_size 4096, working sets within 32 MiB of DRAM)` }
      : p,
  );
}
const VMK_MODES: WorkloadMode[] = ['S', 'U', 'VS', 'VU'];
const VMK_WORKING_SET = {
  footprint: 64 * KIB,
  footprintMin: 4 * KIB,
  footprintMultipleOf: 4 * KIB,
  footprintMeaning: 'the working set: 4 KiB pages, each holding a tag and a touch counter',
} as const;
const VMK_SELF_CHECK =
  'every touch read its own page\'s tag and every page\'s counter equals the touches it got (a stale translation reads another page, ' +
  'another address space or a poisoned frame; a store through it is lost); the checksum depends only on seed, footprint, iterations and rates';
const FENCE_RATE: WorkloadParameter = {
  name: 'fence_rate',
  field: 'fence_rate',
  meaning: 'touches of the working set after each fence or remap (0 = one per page: the whole working set refilled)',
  default: 0,
  min: 0,
  max: MAX_PARAM,
  unit: 'count',
};

const BENCH_SELF_CHECK_TAIL = '; at the default seed, footprint, iterations and args the checksum also equals the host reference (reference.py beside the source)';

interface BenchKernel {
  name: string;
  description: string;
  /** The kernel's own check of its result, for any parameters. */
  selfCheck: string;
  defaults: KernelDefaults;
  /** Its arg0..arg3, under the names it prints. */
  args?: WorkloadParameter[];
}

/** A kernel under bench_run() (runtime/bench.h): every mode, the common parameters, and the host reference at the defaults. */
function benchKernel(k: BenchKernel): WorkloadEntry {
  return {
    name: k.name,
    kind: 'benchmark',
    description: k.description,
    modes: ALL_MODES,
    selfCheck: k.selfCheck + BENCH_SELF_CHECK_TAIL,
    parameters: kernelParameters(k.defaults, k.args),
  };
}
const UBENCH_NOTES =
  'Its parameters are 64-bit .data variables (ubench_*) that pipeline/timing/test-support/ubench.ts writes after loading; ' +
  '`rvhsim run --param` writes only rvh_params blocks, so a run from the command line uses the compiled values.';

const ENTRIES: WorkloadEntry[] = [
  // ---- benchmark kernels (workloads/README.md "Benchmark kernels")
  benchKernel({
    name: 'bench-bitcount',
    description: 'popcount of seeded words by shift loop, Kernighan, byte table and SWAR (MiBench bitcount)',
    selfCheck: 'the four methods agree on every pass',
    defaults: {
      footprint: 4 * KIB, footprintMin: 8, footprintMultipleOf: 8, footprintMeaning: 'the words counted (footprint/8 of them)',
      iterations: 2, iterationsMin: 0, iterationsMeaning: 'passes, each XORing the words with its own mask', mode: 1, pageSize: 2 * MIB,
    },
  }),
  benchKernel({
    name: 'bench-chase',
    description: 'dependent pointer chase around one random cycle (Sattolo) over the footprint',
    selfCheck: 'one more lap from node 0 returns to node 0 after exactly `nodes` links and the indices sum to nodes(nodes-1)/2',
    defaults: {
      footprint: 64 * KIB, footprintMin: 32, footprintMeaning: 'the nodes (footprint/stride of them, at least 2)',
      iterations: 100000, iterationsMin: 0, iterationsMeaning: 'links followed from node 0', mode: 2, pageSize: 4 * KIB,
    },
    args: [{ name: 'stride', field: 'arg0', meaning: 'bytes between nodes', default: 64, min: 16, max: MAX_FOOTPRINT, unit: 'bytes', multipleOf: 16 }],
  }),
  benchKernel({
    name: 'bench-crc32',
    description: 'table-driven CRC-32 (IEEE 802.3) of seeded data (MiBench CRC32)',
    selfCheck: 'a bitwise CRC of "123456789" is 0xCBF43926 and the data with its CRC appended leaves the residue 0x2144DF1C',
    defaults: {
      footprint: 8 * KIB, footprintMin: 16, footprintMultipleOf: 8, footprintMeaning: 'the data (footprint - 4 bytes) and its CRC',
      iterations: 4, iterationsMin: 1, iterationsMeaning: 'times the data is repeated under one CRC', mode: 0, pageSize: 4 * KIB,
    },
  }),
  benchKernel({
    name: 'bench-dijkstra',
    description: 'O(n^2) Dijkstra shortest paths on a dense seeded graph (MiBench dijkstra)',
    selfCheck: 'a shortest-path certificate per source: no relaxable edge, a tight edge into every reached node',
    defaults: {
      footprint: 32 * KIB, footprintMin: 34, footprintMeaning: 'the n x n weight matrix, distances and flags (at least 4n^2 + 9n)',
      iterations: 6, iterationsMin: 0, iterationsMeaning: 'sources (source k is k mod n)', mode: 1, pageSize: 4 * KIB,
    },
    args: [{ name: 'n', field: 'arg0', meaning: 'nodes of the graph', default: 64, min: 2, max: 4096, unit: 'count' }],
  }),
  benchKernel({
    name: 'bench-gups',
    description: 'HPCC RandomAccess: random XOR updates of a table',
    selfCheck: 'replaying the updates restores T[i] = i everywhere',
    defaults: {
      footprint: 64 * KIB, footprintMin: 64, footprintMeaning: 'the table of 64-bit words (a power of two)',
      iterations: 32768, iterationsMin: 0, iterationsMeaning: 'updates', mode: 1, pageSize: 4 * KIB,
    },
  }),
  {
    name: 'bench-intloop',
    kind: 'benchmark',
    description: '~198 M instructions of a shift/xor/add loop, for the simulator speed (MIPS) figure',
    modes: ['M'],
    selfCheck: 'the final sum equals the value computed on the host',
    parameters: [],
  },
  benchKernel({
    name: 'bench-matmul',
    description: 'n x n 64-bit integer matrix multiplication, i-k-j order',
    selfCheck: "Freivalds' test with the all-ones and a seeded vector: C x = A (B x)",
    defaults: {
      footprint: 24 * KIB, footprintMin: 24, footprintMeaning: 'A, B and C (at least 24 n^2)',
      iterations: 2, iterationsMin: 1, iterationsMeaning: 'multiplications', mode: 0, pageSize: 4 * KIB,
    },
    args: [{ name: 'n', field: 'arg0', meaning: 'matrix dimension', default: 32, min: 1, max: 4096, unit: 'count' }],
  }),
  benchKernel({
    name: 'bench-memcpy',
    description: 'word-at-a-time memcpy of seeded sizes and alignments',
    selfCheck: 'every copy equals its source byte for byte and the guard bytes around it are untouched',
    defaults: {
      footprint: 8 * KIB, footprintMin: 256, footprintMultipleOf: 16, footprintMeaning: 'source half and destination half',
      iterations: 32, iterationsMin: 0, iterationsMeaning: 'copies', mode: 2, pageSize: GIB,
    },
    args: [{ name: 'full', field: 'arg0', meaning: '1: every copy is half - 128 bytes long', default: 0, min: 0, max: 1, unit: '' }],
  }),
  benchKernel({
    name: 'bench-qsort',
    description: 'quicksort of seeded 64-bit keys (MiBench qsort)',
    selfCheck: 'each result is sorted and a permutation of its input (multiset hash)',
    defaults: {
      footprint: 16 * KIB, footprintMin: 64, footprintMeaning: 'the array (footprint/8 keys)',
      iterations: 2, iterationsMin: 0, iterationsMeaning: 'arrays sorted, array k from seed + k', mode: 0, pageSize: 4 * KIB,
    },
  }),
  benchKernel({
    name: 'bench-sha',
    description: 'SHA-256 of a seeded message (MiBench sha)',
    selfCheck: 'SHA-256("abc") is the FIPS 180-4 digest and hashing in pieces equals hashing at once',
    defaults: {
      footprint: 4 * KIB, footprintMin: 64, footprintMeaning: 'the message',
      iterations: 2, iterationsMin: 1, iterationsMeaning: 'hashes, the digest replacing the first 32 bytes each time', mode: 2, pageSize: 4 * KIB,
    },
  }),
  benchKernel({
    name: 'bench-stride',
    description: 'strided read sweeps over an array (cache-line and TLB reach probe)',
    selfCheck: 'the sum equals its closed form',
    defaults: {
      footprint: 256 * KIB, footprintMin: 8, footprintMultipleOf: 8, footprintMeaning: 'the array of 64-bit words',
      iterations: 48, iterationsMin: 0, iterationsMeaning: 'sweeps', mode: 2, pageSize: 2 * MIB,
    },
    args: [{ name: 'stride', field: 'arg0', meaning: 'bytes between the words read', default: 64, min: 8, max: MAX_FOOTPRINT, unit: 'bytes', multipleOf: 8 }],
  }),
  benchKernel({
    name: 'bench-stringsearch',
    description: 'Boyer-Moore-Horspool search for every occurrence of seeded patterns (MiBench stringsearch)',
    selfCheck: 'a naive search finds the same count and first position for every pattern',
    defaults: {
      footprint: 8 * KIB, footprintMin: 64, footprintMeaning: 'the text (16 letters a..p)',
      iterations: 8, iterationsMin: 0, iterationsMeaning: 'patterns, of lengths 4..12', mode: 2, pageSize: 2 * MIB,
    },
  }),
  benchKernel({
    name: 'bench-susan',
    description: 'SUSAN-style brightness-similarity smoothing of a seeded grey image (MiBench susan -s)',
    selfCheck:
      'a second, separately written smoothing (clamped coordinates everywhere, its own weight tables) reproduces the last pass pixel for pixel, ' +
      'and a flat image stays flat',
    defaults: {
      footprint: 3 * KIB, footprintMin: 32, footprintMeaning: 'two s x s images of one byte per pixel, s = floor(sqrt(footprint/2))',
      iterations: 2, iterationsMin: 1, iterationsMeaning: 'smoothing passes, each over the previous result', mode: 1, pageSize: 4 * KIB,
    },
    args: [
      { name: 'radius', field: 'arg0', meaning: 'mask radius: (2r+1)^2 - 1 neighbours, spatial Gaussian sigma = r', default: 1, min: 1, max: 8, unit: 'pixels' },
      { name: 'threshold', field: 'arg1', meaning: 'brightness threshold t: weight exp(-(dI/t)^2)', default: 20, min: 1, max: 255, unit: 'grey levels' },
    ],
  }),

  // ---- timing microbenchmarks (pipeline/timing/ubench.test.ts)
  ...(
    [
      ['ubench-alu', 'dependent ADDI chain (forwarding, ALU latency)', 'the chain sums to 16 per iteration'],
      ['ubench-branch', 'always-taken, alternating and seeded random branch patterns (predictors)', 'the fall-through count of the pattern (exact at the defaults, at most the iterations otherwise)'],
      ['ubench-chase', 'pointer chase over a configurable working set (cache hierarchy)', 'the parameters are consistent and the chase ends on a node'],
      ['ubench-div', 'dependent and independent DIVs, dependent MULs (long-latency units)', 'dividing or multiplying by 1 leaves the seed unchanged'],
      ['ubench-loaduse', 'dependent loads hitting in the L1D (load-use bubble)', 'the chain of self-pointing loads ends where it started'],
    ] as const
  ).map(([name, description, selfCheck]): WorkloadEntry => ({
    name,
    kind: 'microbenchmark',
    description,
    modes: ['M'],
    selfCheck,
    parameters: [],
    notes: UBENCH_NOTES,
  })),

  // ---- fence and storm microbenchmarks on the vmk kernel (workloads/README.md "Fence and storm microbenchmarks")
  {
    name: 'fence-hfence',
    kind: 'microbenchmark',
    description: 'one TLB fence (HFENCE.VVMA/GVMA by address, ASID/VMID or all) every fence_rate touches',
    modes: VMK_MODES,
    selfCheck: VMK_SELF_CHECK,
    parameters: vmkParameters(
      { ...VMK_WORKING_SET, iterations: 64, iterationsMin: 0, iterationsMeaning: 'fences, each followed by fence_rate touches', mode: 1, modeMin: 1, pageSize: 4 * KIB },
      [
        FENCE_RATE,
        {
          name: 'fence', field: 'arg0', unit: '', default: 1, min: 0, max: 6,
          meaning: 'the fence: 0 none (the call alone), 1 vvma-addr, 2 vvma-asid, 3 vvma-all (natively SFENCE.VMA by address, ASID, all), 4 gvma-addr, 5 gvma-vmid, 6 gvma-all (modes 3/4 only)',
        },
        { name: 'span', field: 'arg1', meaning: 'pages per by-address fence (one fence instruction per page)', default: 1, min: 1, max: 64, unit: 'pages' },
        {
          name: 'via', field: 'arg2', unit: '', default: 0, min: 0, max: 2,
          meaning: "modes 3/4: 0 the hv's RVHS fence service (exactly the HFENCE named), 1 SBI RFENCE (the hv keeps GVMA to the guest's VMID), 2 the guest kernel's own SFENCE.VMA (VVMA kinds)",
        },
      ],
    ),
    notes:
      'HFENCE.GVMA (fence 4..6) needs a guest: natively it is rejected with exit 2. Cost of a fence = run(fence) - run(fence=0), which makes the same ' +
      'service call without the fence; the mmu.fence.<kind> statistics count each fence (hfence-vvma, hfence-gvma, sfence-vma natively, sfence-vma-v1 with via=2).',
  },
  {
    name: 'storm-remap',
    kind: 'microbenchmark',
    description: 'page remap storm: a seeded page moves to another frame every fence_rate touches',
    modes: VMK_MODES,
    selfCheck: VMK_SELF_CHECK + '; the moved page reads its own tag right after each move (a stale translation reads the poisoned old frame)',
    parameters: vmkParameters(
      { ...VMK_WORKING_SET, iterations: 64, iterationsMin: 0, iterationsMeaning: 'remaps, each followed by fence_rate touches', mode: 1, modeMin: 1, pageSize: 4 * KIB },
      [
        FENCE_RATE,
        {
          name: 'by', field: 'arg0', unit: '', default: 0, min: 0, max: 1,
          meaning: "who moves the page: 0 the kernel in its page table (SFENCE.VMA by address; the guest kernel's VS-stage in modes 3/4), 1 the hv in the G-stage (RVHS remap, HFENCE.GVMA; modes 3/4)",
        },
      ],
    ),
    notes: 'by=0 needs page_size 4096 (and VS-stage tables: not memvirt 1); by=1 needs a guest (mode 3 or 4), gstage_page_size 4096 and a guest-physical map the hv owns (not memvirt 3).',
  },
  {
    name: 'storm-process',
    kind: 'microbenchmark',
    description: 'address-space switch storm: N processes with their own ASIDs, a switch every K touches',
    modes: VMK_MODES,
    selfCheck: VMK_SELF_CHECK + ' in every address space; the checksum folds the processes\' identical results',
    parameters: vmkParameters(
      {
        footprint: 16 * KIB, footprintMin: 4 * KIB, footprintMultipleOf: 4 * KIB, footprintMeaning: "each process's working set (tagged 4 KiB pages, same virtual address, own frames)",
        iterations: 32, iterationsMin: 0, iterationsMeaning: 'rounds: every process makes switch_every touches, then the next runs', mode: 2, modeMin: 1, pageSize: 4 * KIB,
      },
      [
        { name: 'processes', field: 'arg0', meaning: 'address spaces (processes in modes 2/4, kernel walks in modes 1/3)', default: 4, min: 1, max: 8, unit: 'count' },
        { name: 'switch_every', field: 'arg1', meaning: 'touches between two switches', default: 8, min: 1, max: MAX_PARAM, unit: 'count' },
        {
          name: 'switch_fence', field: 'arg2', unit: '', default: 0, min: 0, max: 2,
          meaning: 'at a switch: 0 distinct ASIDs, no fence; 1 distinct ASIDs, SFENCE.VMA by the incoming ASID; 2 one shared ASID 0, SFENCE.VMA all',
        },
      ],
    ),
    notes: 'Modes 2/4: processes in U/VU yield through a system call; modes 1/3: the kernel itself switches satp (vsatp) and touches each address space. memvirt 1 (no VS-stage tables) is rejected.',
  },
  {
    name: 'storm-vm',
    kind: 'microbenchmark',
    description: 'VM switch storm: the hv time-slices N guests sweeping their working sets',
    modes: ['VS', 'VU'],
    selfCheck: VMK_SELF_CHECK + ' in every guest (all guests use the same guest addresses on their own host pages); every guest prints the same line',
    parameters: vmkParameters(
      { ...VMK_WORKING_SET, iterations: 64, iterationsMin: 0, iterationsMeaning: 'sweeps over the working set', mode: 3, modeMin: 3, pageSize: 4 * KIB },
    ).map((p) => (p.name === 'guests' ? { ...p, default: 2, meaning: 'guests time-sliced by the hv every slice_ticks (0 = 1)' } : p)),
    notes: 'No native mode: without the hypervisor there is no VM to switch. QEMU needs -cpu rv64,h=true even at the defaults. untagged=1 shares one VMID and fences at every switch.',
  },

  // ---- ISA tests (one line per check, exit code = failed checks)
  ...(
    [
      ['isa-rv64i', 'RV64I base integer instructions, 32-bit encodings'],
      ['isa-rv64m', 'M extension: products, high halves, division corner cases'],
      ['isa-rv64a', 'A extension: every AMO, LR/SC, misaligned atomics'],
      ['isa-rv64c', 'compressed instructions (Zca), each as its explicit c.* mnemonic'],
      ['isa-zicsr', 'CSR instruction semantics and the illegal-instruction cases'],
    ] as const
  ).map(([name, description]): WorkloadEntry => ({
    name,
    kind: 'test',
    description,
    modes: ['M'],
    selfCheck: 'every result against the spec value, one line per check; exit code = failed checks',
    parameters: [],
  })),

  // ---- privileged-architecture tests
  {
    name: 'priv-traps',
    kind: 'test',
    description: 'synchronous traps, xRET, trap vectors, delegation, TSR/TW/TVM, counter enables',
    modes: ALL_MODES,
    selfCheck: 'every trap cause, epc, tval and status update against machine.adoc/supervisor.adoc; exit code = failed checks',
    parameters: [],
  },
  {
    name: 'priv-interrupts',
    kind: 'test',
    description: 'CLINT, Sstc, PLIC and UART interrupts: enables, delegation, priority, WFI',
    modes: ALL_MODES,
    selfCheck: 'the order and causes of the interrupts taken; exit code = failed checks',
    parameters: [],
  },
  ...([39, 48, 57] as const).map(
    (bits): WorkloadEntry => ({
      name: `priv-sv${bits}`,
      kind: 'test',
      description: `Sv${bits} paging: leaf sizes, page faults, U/SUM/MXR, A/D, SFENCE.VMA, MPRV`,
      modes: NATIVE,
      selfCheck: 'every translation and page fault against supervisor.adoc; exit code = failed checks',
      parameters: [],
    }),
  ),

  // ---- hypervisor-extension tests (QEMU needs -cpu rv64,h=true)
  ...(
    [
      ['h-csrs', 'H CSRs: hstatus, delegation, interrupt aliasing, VS CSR substitution, hgatp WARL'],
      ['h-traps', 'trap routing with V=1 and what every trap CSR receives'],
      ['h-virtinst', 'every virtual-instruction case and its illegal-instruction neighbours'],
      ['h-translation', 'two-stage translation Sv39/48/57 over Sv39x4/48x4/57x4, HFENCE, VMIDs'],
      ['h-hlv', 'HLV/HLVX/HSV from HS, M and U'],
    ] as const
  ).map(([name, description]): WorkloadEntry => ({
    name,
    kind: 'test',
    description,
    modes: ['M', 'S', 'U', 'VS', 'VU'],
    selfCheck: 'every check against hypervisor.adoc (all permitted values where the spec leaves a choice); exit code = failed checks',
    parameters: [],
  })),

  // ---- demos
  {
    name: 'h-hv-demo',
    kind: 'demo',
    description: 'hypervisor hv with two time-sliced guests: emulated UART, lazy mapping, page remap + HFENCE.GVMA',
    modes: ['M', 'S', 'VS'],
    selfCheck: 'each service checked from inside the guests; exit code = failed checks',
    parameters: [
      ...HV_PARAMETERS.filter((p) => ['gstage_levels', 'vmid', 'untagged', 'mmio_decode', 'slice_ticks'].includes(p.name)),
      { name: 'remap_nofence', field: 'arg0', meaning: "1: the hv's page remap skips its HFENCE.GVMA (a hypervisor bug the fence sanitizer reports and strict TLB mode exposes when a TLB still holds the old translation: with mmu.tlb.vmidTagging=true, since untagged TLBs flush at every guest switch)", default: 0, min: 0, max: 1, unit: '' },
    ],
  },
  {
    name: 'hello',
    kind: 'demo',
    description: 'prints one line and exits 0',
    modes: ['M'],
    selfCheck: 'none: it always exits 0',
    parameters: [],
  },
  {
    name: 'default',
    kind: 'demo',
    description: 'CRC-32 + heapsort, ~42 M instructions: what `rvhsim run` runs when given no workload',
    modes: ['M'],
    selfCheck: 'every round is sorted and the final CRC equals the value computed on the host (Python zlib)',
    parameters: [],
  },
];

/** The catalog, validated at load: a malformed entry is a bug here, so it throws at import. */
export const WORKLOADS: readonly WorkloadEntry[] = Object.freeze(
  z
    .array(entrySchema)
    .refine((es) => new Set(es.map((e) => e.name)).size === es.length, { message: 'duplicate workload name' })
    .parse(ENTRIES)
    .sort((a, b) => a.name.localeCompare(b.name)),
);

// ------------------------------------------------------------------------------------------------

/** The directory of the committed ELFs. */
export function workloadBinDir(): string {
  return join(packageRoot(), 'workloads', 'bin');
}

export function findWorkload(name: string): WorkloadEntry | undefined {
  return WORKLOADS.find((w) => w.name === name);
}

/** The catalog entry of `name`; an unknown name is a UserError naming the closest names. */
export function requireWorkload(name: string): WorkloadEntry {
  const entry = findWorkload(name);
  if (entry === undefined) throw unknownWorkload(name, 'not a catalog name');
  return entry;
}

/**
 * A catalog name → its committed ELF workloads/bin/NAME.elf; a path to an existing file → that file
 * (its name is the file's base name without .elf). Anything else is a UserError naming the closest
 * catalog names.
 */
export function resolveWorkload(nameOrPath: string): { name: string; elf: string } {
  const entry = findWorkload(nameOrPath);
  if (entry !== undefined) {
    const elf = join(workloadBinDir(), `${entry.name}.elf`);
    if (!existsSync(elf)) throw new UserError(`workload ${entry.name}: its ELF ${elf} is missing; rebuild with \`npm run build:workloads\``);
    return { name: entry.name, elf };
  }
  if (existsSync(nameOrPath) && statSync(nameOrPath).isFile()) return { name: basename(nameOrPath, '.elf'), elf: nameOrPath };
  throw unknownWorkload(nameOrPath, 'neither a catalog name nor an existing file');
}

function unknownWorkload(query: string, what: string): UserError {
  const close = closestNames(query);
  return new UserError(
    `unknown workload "${query}": ${what}` + (close.length > 0 ? `; did you mean ${close.join(', ')}?` : '') + ' (`rvhsim workloads` lists them)',
  );
}

/** Up to three catalog names nearest to `query`: containing it, or within a small edit distance. */
export function closestNames(query: string): string[] {
  const q = query.toLowerCase().replace(/\.elf$/, '');
  const scored = WORKLOADS.map((w) => ({ name: w.name, d: w.name.includes(q) && q.length >= 3 ? 0 : editDistance(q, w.name) }));
  const limit = Math.max(2, Math.floor(q.length / 3));
  return scored
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((s) => s.name);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * `--param` values for a catalog workload, checked against its parameters and keyed by the
 * rvh_params field they write (what workloads/params.ts applyParams takes). A key may be the
 * parameter's name or its field. An unknown key, a value out of range, not among the allowed
 * values or not a required multiple is a UserError naming the key, the workload and what is allowed.
 */
export function checkParams(entry: WorkloadEntry, params: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(params)) {
    const p = entry.parameters.find((q) => q.name === key || q.field === key);
    if (p === undefined) {
      const known = entry.parameters.map((q) => q.name);
      throw new UserError(
        `--param ${key}: ${entry.name} has no parameter "${key}"` +
          (known.length > 0 ? `; its parameters: ${known.join(', ')}` : '; it takes no parameters') +
          (entry.notes === undefined ? '' : ` (${entry.notes})`),
      );
    }
    const label = p.name === p.field ? p.name : `${p.name} (${p.field})`;
    if (value < p.min || value > p.max) {
      throw new UserError(`--param ${key}=${value}: ${entry.name}'s ${label} must be in ${p.min}..${p.max}`);
    }
    if (p.values !== undefined && !p.values.includes(value)) {
      throw new UserError(`--param ${key}=${value}: ${entry.name}'s ${label} must be one of ${p.values.join(', ')}`);
    }
    if (p.multipleOf !== undefined && value % p.multipleOf !== 0) {
      throw new UserError(`--param ${key}=${value}: ${entry.name}'s ${label} must be a multiple of ${p.multipleOf} (range ${p.min}..${p.max})`);
    }
    out[p.field] = value;
  }
  return out;
}
