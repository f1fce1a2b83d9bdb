/**
 * Seeded random RV64IMAC + Zicsr programs for differential testing against QEMU.
 *
 * A program is the harness (harness.ts: prologue, trap handler, epilogue that prints the final
 * state over the UART) around a body of `length` random instruction groups. A group is one
 * instruction or a short sequence that must run as a unit (address formation + AMO, LR ... SC,
 * AUIPC + JALR, a store over a later instruction + FENCE.I, MEPC/MSTATUS.MPP set-up + MRET);
 * control flow only goes forward, to the start of a later group or to the epilogue, so every
 * program terminates. The body starts in M-mode; MRET groups move it to U-, S- or M-mode (in
 * U/S their CSR accesses and MRET trap and are skipped, so the mode stays). The same seed and
 * options always give the same bytes.
 */
import { CodeBuilder } from './code-builder.js';
import { writeElf, PF_R, PF_W, PF_X } from './elf-writer.js';
import { BodyGenerator, gLabel } from './body-generator.js';
import {
  BASES, CTL_BASE, SHANDLER_BASE, sHandlerCode, PT_PRISTINE, SCRATCH_BASE, SCRATCH_PRISTINE, SCRATCH_SIZE, TEXT_BASE,
  controlBlock, emitEpilogue, emitHandler, emitPrologue,
} from './harness.js';
import { buildGStageTables, buildPageTables, PageTableArea, PT_BASE, type PagingMode } from './paging.js';
import { Prng } from './prng.js';

export interface ProgramOptions {
  /** Number of random instruction groups in the body. */
  length: number;
  /** Fraction of groups that are an illegal or reserved encoding. Default 0.05. */
  illegalRate?: number;
  /** Fraction of memory accesses with a misaligned address. Default 0.15. */
  misalignedRate?: number;
  /** Emit misaligned AMOs (must raise store/AMO address-misaligned, machine.adoc "Misaligned Atomicity Granule PMA"). Default true. */
  misalignedAmo?: boolean;
  /**
   * Emit misaligned SC without a reservation. Default false: the spec requires an exception
   * (machine.adoc: "LR/SC instructions ... always raise an exception when misaligned"), but QEMU
   * 7.2 fails such an SC (rd = 1) without checking the address.
   */
  misalignedSc?: boolean;
  /** Emit loads/stores/AMOs to unmapped physical addresses near 0 (access faults). Default true. */
  accessFaults?: boolean;
  /** Trap log capacity (entries printed by the epilogue). Default 1024. */
  trapLogCapacity?: number;
  /** Both sides implement H: emit HFENCE (legal in M-mode); otherwise H encodings are among the illegal ones. Default false. */
  hypervisor?: boolean;
  /** Emit MRET groups that move the body to U-, S- or M-mode. Default true. */
  privilegeChanges?: boolean;
  /** Emit self-modifying code: a store over a later instruction, then FENCE.I. Default true. */
  selfModifyingCode?: boolean;
  /**
   * Translation for the S/U-mode body (paging.ts: random page tables; with it, groups that set
   * sstatus.SUM/MXR). Default 'bare'. Only has an effect with privilegeChanges.
   */
  paging?: 'bare' | PagingMode;
}

export interface GeneratedProgram {
  elf: Uint8Array;
  /** Addresses of interest (for lockstep stop points and failure reports). */
  symbols: Map<string, bigint>;
  /** How many groups of each kind the body holds. */
  mix: Map<string, number>;
  /** The page-table mappings (empty for 'bare'), for failure reports. */
  pageTables: string[];
  /** Exceptions delegated to the S-mode stub. */
  medeleg: bigint;
}

/**
 * A random set of delegated exceptions (machine.adoc "Machine Trap Delegation Registers"): any of
 * the synchronous causes the body can raise except ECALL from S-mode, which the S-mode stub uses
 * to reach M-mode (and ECALL from M-mode, which cannot be delegated). The load and store/AMO
 * versions of a cause are delegated together: QEMU 7.2 raises the load cause for AMOs
 * (compare.ts), and the trap must still go to the same handler on both sides.
 */
function randomMedeleg(rng: Prng, hypervisor: boolean): bigint {
  let m = 0n;
  const groups = [[1], [2], [3], [4, 6], [5, 7], [8], [12], [13, 15]];
  if (hypervisor) groups.push([21, 23]); // load / store guest-page faults (hypervisor.adoc "medeleg")
  for (const causes of groups) {
    if (rng.chance(0.5)) for (const c of causes) m |= 1n << BigInt(c);
  }
  return m;
}

/** Edge values the registers start from (rv64.adoc / m-st-ext.adoc corner cases). */
const EDGE_VALUES: readonly bigint[] = [
  0n, 1n, 2n, 31n, 32n, 63n, 64n, -1n, -2n, -(1n << 63n), (1n << 63n) - 1n, 0x8000_0000n, 0x7fff_ffffn, 0xffff_ffffn,
  -(1n << 31n), 0x1_0000_0000n, -0x8000_0001n, 0x8000_0000_0000_0001n, 0x5555_5555_5555_5555n, 0xaaaa_aaaa_aaaa_aaaan,
];

const EPILOGUE = 'epilogue';

/** Generates the complete ELF for a seed. */
export function generateProgram(seed: number, opts: ProgramOptions): Uint8Array {
  return generateProgramDetailed(seed, opts).elf;
}

export function generateProgramDetailed(seed: number, opts: ProgramOptions): GeneratedProgram {
  const o = {
    illegalRate: 0.05, misalignedRate: 0.15, misalignedAmo: true, misalignedSc: false, accessFaults: true, trapLogCapacity: 1024, hypervisor: false,
    privilegeChanges: true, selfModifyingCode: true, paging: 'bare' as 'bare' | PagingMode,
    ...opts,
  };
  if (!Number.isInteger(o.length) || o.length < 0) throw new RangeError(`length ${o.length} must be a non-negative integer`);
  const rng = new Prng(seed);

  // Initial register values; the bases point into the scratch area.
  const init: bigint[] = new Array<bigint>(32).fill(0n);
  for (let r = 1; r < 32; r++) init[r] = randomValue(rng);
  for (const { reg, offset } of BASES) init[reg] = SCRATCH_BASE + BigInt(offset);
  init[4] = CTL_BASE;
  // Page tables map every text page the body can reach (a generous bound on the text size).
  const textPages = Math.ceil((o.length * 40 + 0x2000) / 0x1000);
  // The body's usual lower privilege: MRET groups mostly go there or to M (see privilege()).
  const lowMode = rng.pick([0, 1]);
  const area = new PageTableArea();
  const tables = o.paging === 'bare' ? undefined : buildPageTables(rng, area, o.paging, TEXT_BASE, textPages, SHANDLER_BASE, SCRATCH_BASE, SCRATCH_SIZE / 0x1000, lowMode === 0);
  // HLV/HSV (hypervisor) go through G-stage tables in half the programs that have them.
  const gstage = o.hypervisor && rng.chance(0.5) ? buildGStageTables(rng, area, rng.pick(['sv39x4', 'sv48x4'] as const), SCRATCH_BASE, SCRATCH_SIZE / 0x1000) : undefined;
  const ptData = area.data;
  const medeleg = o.privilegeChanges && rng.chance(0.6) ? randomMedeleg(rng, o.hypervisor) : 0n;
  const ctl = controlBlock(init, randomValue(rng), randomValue(rng), tables?.atp ?? 0n, gstage?.atp ?? 0n, medeleg, o.trapLogCapacity);
  const scratch = new Uint8Array(SCRATCH_SIZE);
  for (let i = 0; i < SCRATCH_SIZE; i += 4) new DataView(scratch.buffer).setUint32(i, rng.u32(), true);

  const b = new CodeBuilder();
  emitPrologue(b, o.hypervisor);
  const bodyStart = b.here;
  const gen = new BodyGenerator(rng, b, o, lowMode, gstage !== undefined);
  for (let i = 0; i < o.length; i++) {
    b.label(gLabel(i));
    gen.group(i, o.length);
  }
  gen.flushSlots();
  b.label(gLabel(o.length));
  const bodyEnd = b.here;
  emitEpilogue(b, ctl.strings, o.hypervisor);
  emitHandler(b, o.hypervisor);
  const text = b.finish(TEXT_BASE);

  const symbols = new Map<string, bigint>([
    ['_start', TEXT_BASE],
    ['body', TEXT_BASE + BigInt(bodyStart)],
    ['body_end', TEXT_BASE + BigInt(bodyEnd)],
    ['epilogue', TEXT_BASE + BigInt(b.offsetOf(EPILOGUE))],
    ['hash_done', TEXT_BASE + BigInt(b.offsetOf('hash.done'))],
    ['handler', TEXT_BASE + BigInt(b.offsetOf('handler'))],
    ['shandler', SHANDLER_BASE],
    ['ctl', CTL_BASE],
    ['scratch', SCRATCH_BASE],
  ]);
  const elf = writeElf({
    entry: TEXT_BASE,
    segments: [
      { addr: TEXT_BASE, data: text, flags: PF_R | PF_X, name: '.text' },
      { addr: SHANDLER_BASE, data: sHandlerCode(), flags: PF_R | PF_X, name: '.shandler' },
      { addr: CTL_BASE, data: ctl.data, memsz: ctl.memsz, flags: PF_R | PF_W, name: '.ctl' },
      { addr: SCRATCH_BASE, data: scratch, flags: PF_R | PF_W, name: '.scratch' },
      { addr: SCRATCH_PRISTINE, data: scratch, flags: PF_R, name: '.scratch.pristine' },
      { addr: PT_BASE, data: ptData, flags: PF_R | PF_W, name: '.pagetables' },
      { addr: PT_PRISTINE, data: ptData, flags: PF_R, name: '.pagetables.pristine' },
    ],
    symbols: [...symbols].map(([name, value]) => ({ name, value, kind: value < CTL_BASE ? 'func' : 'object' })),
  });
  return { elf, symbols, mix: gen.mix, pageTables: [...(tables?.description ?? []), ...(gstage?.description ?? [])], medeleg };
}

function randomValue(rng: Prng): bigint {
  const v = rng.weighted<() => bigint>([
    [4, () => rng.pick(EDGE_VALUES)],
    [3, () => rng.u64()],
    [2, () => BigInt.asIntN(32, BigInt(rng.u32()))], // sign-extended 32-bit
    [2, () => BigInt(rng.below(64)) - 16n],
  ])();
  return BigInt.asIntN(64, v);
}
