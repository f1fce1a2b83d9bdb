/**
 * Random Sv39/Sv48 page tables for the differential programs (supervisor.adoc "Sv39: Page-Based
 * 39-bit Virtual-Memory System", "Sv48"). Text and scratch are mapped at their physical addresses
 * (so the M-mode handler and the S/U-mode body agree on addresses), each mapping with seeded
 * random permissions, A/D states and occasionally a malformed PTE, so S- and U-mode accesses
 * exercise the walk, the permission checks, hardware A/D updates and the page-fault causes:
 *
 *   text       4 KiB leaves, R+X, U set for the whole text or not (a U-mode body in an S page,
 *              or an S-mode body in a U page, takes an instruction page fault per instruction);
 *              the S-mode trap stub's page always R+X without U
 *   scratch    one of: 4 KiB leaves with a random kind each; one 2 MiB leaf (aligned, or
 *              misaligned, which faults); one 1 GiB leaf covering text and scratch alike
 *
 * The tables live outside everything the body can store to; only hardware A/D updates change
 * them, and the epilogue prints any PTE that changed.
 */
import type { Prng } from './prng.js';

export type PagingMode = 'sv39' | 'sv48';

export const PT_BASE = 0x8030_0000n;
export const PT_SIZE = 0xc000;
/** Where the S-stage tables start in the page-table area (the G-stage ones come first). */
export const S_STAGE_OFFSET = 0x7000;

const V = 1n, R = 2n, W = 4n, X = 8n, U = 16n, G = 32n, A = 64n, D = 128n;
const RESERVED_BIT54 = 1n << 54n; // supervisor.adoc: bits 60:54 reserved, must be zero
const PBMT_NC = 1n << 61n; // svpbmt.adoc; reserved without Svpbmt
const NAPOT = 1n << 63n; // svnapot.adoc; reserved without Svnapot

/** Leaf kinds for scratch pages: [weight, name, flags]. */
const SCRATCH_KINDS: readonly (readonly [number, string, bigint])[] = [
  [8, 'rw', V | R | W | A | D],
  [3, 'r', V | R | A],
  [3, 'rw-A0', V | R | W], // first access sets A (and a store D): hardware A/D update
  [3, 'rw-D0', V | R | W | A], // first store sets D
  [2, 'x', V | X | A], // execute-only: loads fault unless sstatus.MXR
  [2, 'rx', V | R | X | A | D],
  [2, 'invalid', 0n],
  [1, 'w-only', V | W | A | D], // W without R is reserved: page fault
  [1, 'reserved-bit', V | R | W | A | D | RESERVED_BIT54],
  [1, 'pbmt', V | R | W | A | D | PBMT_NC],
  [1, 'napot', V | R | W | A | D | NAPOT],
];

const pte = (ppn: bigint, flags: bigint): bigint => (ppn << 10n) | flags;

/**
 * The page-table area: G-stage tables from its start (the G-stage root is 16 KiB and 16 KiB
 * aligned, hypervisor.adoc "Guest Physical Address Translation"; PT_BASE is), S-mode tables from
 * S_STAGE_OFFSET.
 */
export class PageTableArea {
  readonly data = new Uint8Array(PT_SIZE);
  private readonly dv = new DataView(this.data.buffer);
  private nextS = S_STAGE_OFFSET;
  private nextG = 0;

  /** A zeroed table of `pages` pages for the S-stage (first region) or the G-stage (second). */
  alloc(stage: 'S' | 'G', pages = 1): bigint {
    const at = stage === 'S' ? this.nextS : this.nextG;
    const end = at + pages * 0x1000;
    if (end > (stage === 'S' ? PT_SIZE : S_STAGE_OFFSET)) throw new Error(`${stage}-stage page-table area full`);
    if (stage === 'S') this.nextS = end;
    else this.nextG = end;
    return PT_BASE + BigInt(at);
  }

  set(table: bigint, index: bigint, value: bigint): void {
    this.dv.setBigUint64(Number(table - PT_BASE) + Number(index) * 8, value, true);
  }
}

export interface PageTables {
  /** satp (or hgatp) value. */
  atp: bigint;
  /** One line per mapping, for failure reports. */
  description: string[];
}

const vpn = (va: bigint, level: number): bigint => (va >> (12n + 9n * BigInt(level))) & 0x1ffn;
const pointer = (table: bigint): bigint => pte(table >> 12n, V); // non-leaf: R=W=X=0

/**
 * `textUser`: whether the body mostly runs in U-mode, so the text pages usually carry U (one
 * program in six gets the other setting, where every body fetch takes a page fault).
 */
export function buildPageTables(rng: Prng, area: PageTableArea, mode: PagingMode, textBase: bigint, textPages: number, sHandler: bigint, scratchBase: bigint, scratchPages: number, textUser: boolean): PageTables {
  const alloc = (): bigint => area.alloc('S');
  const setPte = (table: bigint, index: bigint, value: bigint): void => area.set(table, index, value);
  const description: string[] = [];
  const scratchLayout = rng.weighted<string>([[6, '4k'], [2, 'mega'], [1, 'mega-misaligned'], [1, 'giga']]);
  // A 1 GiB leaf also maps the S-mode trap stub, which must stay executable in S-mode.
  const uText = scratchLayout !== 'giga' && textUser !== rng.chance(1 / 6) ? U : 0n;
  const global = rng.chance(0.3) ? G : 0n;

  const root = alloc();
  const levels = mode === 'sv39' ? 3 : 4;
  // Walk down to the level-1 table that covers text and scratch (both below 0x80400000, same
  // level-2 index): one table per level above.
  let table = root;
  for (let level = levels - 1; level > 1; level--) {
    const next = alloc();
    setPte(table, vpn(textBase, level), pointer(next));
    table = next;
  }
  const l1 = table;
  if (vpn(textBase, 2) !== vpn(scratchBase, 2)) throw new Error('text and scratch must share a level-2 entry');

  if (scratchLayout === 'giga') {
    // One 1 GiB leaf at level 2 for text and scratch (supervisor.adoc: superpages); replaces the table below it.
    const [, name, flags] = rng.pick(SCRATCH_KINDS.filter(([, n]) => n === 'rw' || n === 'rw-A0' || n === 'rw-D0'));
    const parent = levels === 3 ? root : root + 0x1000n;
    setPte(parent, vpn(textBase, 2), pte((textBase >> 30n) << 18n, flags | X | uText | global));
    description.push(`1 GiB leaf at ${hex(textBase & ~0x3fff_ffffn)}: ${name}+X${uText ? '+U' : ''}`);
    return { atp: satpFor(mode, root), description };
  }

  const l0Text = alloc();
  setPte(l1, vpn(textBase, 1), pointer(l0Text));
  // Sometimes the second text page (where the body continues) has the other U setting, so
  // fetches fault from a page boundary on, including 4-byte instructions straddling it.
  const flipped = rng.chance(0.3) ? 1 : -1;
  for (let p = 0; p < textPages; p++) {
    const va = textBase + BigInt(p * 0x1000);
    setPte(l0Text, vpn(va, 0), pte(va >> 12n, V | R | X | A | (p === flipped ? uText ^ U : uText) | global));
  }
  description.push(`text ${hex(textBase)} x${textPages} pages: R+X${uText ? '+U' : ''}${flipped > 0 ? `, page ${hex(textBase + 0x1000n)} ${uText ? 'without' : 'with'} U` : ''}`);
  // The S-mode trap stub: always S-mode executable, or a delegated fetch fault would loop.
  setPte(l0Text, vpn(sHandler, 0), pte(sHandler >> 12n, V | R | X | A | global));

  if (scratchLayout === '4k') {
    const l0 = alloc();
    setPte(l1, vpn(scratchBase, 1), pointer(l0));
    for (let p = 0; p < scratchPages; p++) {
      const va = scratchBase + BigInt(p * 0x1000);
      const [, name, flags] = rng.weighted(SCRATCH_KINDS.map((k) => [k[0], k] as const));
      const u = rng.chance(0.5) ? U : 0n;
      setPte(l0, vpn(va, 0), flags === 0n ? 0n : pte(va >> 12n, flags | u | global));
      description.push(`scratch page ${hex(va)}: ${name}${u ? '+U' : ''}`);
    }
  } else {
    // 2 MiB leaf at level 1; a misaligned one (PPN[0] != 0) faults on every access (supervisor.adoc
    // "Virtual Address Translation Process" step 6).
    const [, name, flags] = rng.weighted(SCRATCH_KINDS.filter(([, n]) => n !== 'invalid').map((k) => [k[0], k] as const));
    const u = rng.chance(0.5) ? U : 0n;
    const ppn = (scratchBase >> 12n) + (scratchLayout === 'mega-misaligned' ? 1n : 0n);
    setPte(l1, vpn(scratchBase, 1), pte(ppn, flags | u | global));
    description.push(`scratch 2 MiB leaf ${hex(scratchBase)}${scratchLayout === 'mega-misaligned' ? ' (misaligned PPN)' : ''}: ${name}${u ? '+U' : ''}`);
  }
  return { atp: satpFor(mode, root), description };
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;

/** supervisor.adoc "satp": MODE 8 = Sv39, 9 = Sv48; ASID 0; PPN of the root table. */
function satpFor(mode: PagingMode, root: bigint): bigint {
  return ((mode === 'sv39' ? 8n : 9n) << 60n) | (root >> 12n);
}

export type GStageMode = 'sv39x4' | 'sv48x4';

/**
 * G-stage tables (hypervisor.adoc "Guest Physical Address Translation") for the HLV/HSV accesses
 * the body makes with vsatp = Bare: scratch guest-physical pages map to the same host-physical
 * pages with random kinds. G-stage accesses count as U-mode accesses, so a leaf needs U=1
 * (most have it); the root is 16 KiB (two more VPN[top] bits).
 */
export function buildGStageTables(rng: Prng, area: PageTableArea, mode: GStageMode, scratchBase: bigint, scratchPages: number): PageTables {
  const levels = mode === 'sv39x4' ? 3 : 4;
  const root = area.alloc('G', 4);
  const topIndex = (gpa: bigint): bigint => (gpa >> (12n + 9n * BigInt(levels - 1))) & 0x7ffn;
  let table = root;
  for (let level = levels - 1; level > 1; level--) {
    const next = area.alloc('G');
    area.set(table, level === levels - 1 ? topIndex(scratchBase) : vpn(scratchBase, level), pointer(next));
    table = next;
  }
  const description: string[] = [];
  const uBit = (): bigint => (rng.chance(0.85) ? U : 0n);
  // No execute-only leaves: QEMU 7.2 ignores sstatus.MXR for the G-stage of HLV, which
  // hypervisor.adoc (norm:hlsv_sstatus_mxr) says makes them readable.
  const kinds = SCRATCH_KINDS.filter(([, n]) => n !== 'x');
  if (rng.chance(0.2)) {
    const [, name, flags] = rng.weighted(kinds.filter(([, n]) => n !== 'invalid').map((k) => [k[0], k] as const));
    const u = uBit();
    area.set(table, vpn(scratchBase, 1), pte(scratchBase >> 12n, flags | u));
    description.push(`G-stage 2 MiB leaf ${hex(scratchBase)}: ${name}${u ? '+U' : ''}`);
  } else {
    const l0 = area.alloc('G');
    area.set(table, vpn(scratchBase, 1), pointer(l0));
    for (let p = 0; p < scratchPages; p++) {
      const gpa = scratchBase + BigInt(p * 0x1000);
      const [, name, flags] = rng.weighted(kinds.map((k) => [k[0], k] as const));
      const u = uBit();
      area.set(l0, vpn(gpa, 0), flags === 0n ? 0n : pte(gpa >> 12n, flags | u));
      description.push(`G-stage page ${hex(gpa)}: ${name}${u ? '+U' : ''}`);
    }
  }
  // hypervisor.adoc "hgatp": MODE 8 = Sv39x4, 9 = Sv48x4; VMID 0.
  return { atp: ((mode === 'sv39x4' ? 8n : 9n) << 60n) | (root >> 12n), description };
}
