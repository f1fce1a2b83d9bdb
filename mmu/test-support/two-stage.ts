/**
 * Test support (used only by mmu/*.test.ts): a two-stage setup on one host Bus. G-stage tables
 * live in host memory; VS-stage tables live in guest-physical memory (a region the G-stage maps),
 * so every VS table access really goes through the G-stage. BigInt throughout: cold code.
 */
import { Bus } from '../../caches/bus.js';
import type { Access, Priv } from '../access.js';
import { HgatpMode, SatpMode, Translator } from '../translate.js';
import { BusPteMemory, DRAM_BASE, DRAM_SIZE, PageTables, RWX_AD, URWX_AD, halves } from './page-tables.js';

/** Guest-physical home of the VS-stage tables, and the host memory behind it. */
export const VS_TABLE_GPA = 0x4040_0000n;
export const VS_TABLE_HPA = BigInt(DRAM_BASE) + 0x40_0000n;
/** 4 KiB pages of the VS table region (enough for a root and a few paths at every depth). */
const VS_TABLE_PAGES = 64n;

export interface TwoStageOptions {
  /** G-stage leaf level that maps the VS table region: 0 (4 KiB pages, the default), 1 or 2. */
  tableLevel?: number;
  /** G-stage leaf flags for the VS table region (default URWX_AD). */
  tableFlags?: number;
  /** hgatp Bare: VS tables then sit at GPA = HPA = VS_TABLE_HPA. */
  gBare?: boolean;
  /** vsatp Bare. */
  vsBare?: boolean;
}

const MODE = [0, 0, 0, 8, 9, 10] as const; // levels → (v)satp / hgatp MODE

export class TwoStage {
  readonly bus = new Bus(DRAM_BASE, DRAM_SIZE);
  /** Host memory as the Translator reads it; logs every PTE read and update. */
  readonly mem = new BusPteMemory(this.bus);
  readonly gpt: PageTables;
  readonly vpt: PageTables;
  readonly t: Translator;
  readonly tableLevel: number;

  constructor(
    readonly vsLevels: number,
    readonly gLevels: number,
    opts: TwoStageOptions = {},
  ) {
    this.gpt = new PageTables(gLevels, true, this.bus);
    this.tableLevel = opts.tableLevel ?? 0;
    if (opts.gBare) {
      this.vpt = new PageTables(vsLevels, false, this.bus, VS_TABLE_HPA);
    } else {
      this.mapTableRegion(opts.tableFlags ?? URWX_AD);
      this.vpt = new PageTables(vsLevels, false, this.bus, VS_TABLE_GPA, (gpa) => this.hostOf(gpa));
    }
    const t = new Translator(this.mem);
    t.vsatpMode = opts.vsBare ? SatpMode.Bare : MODE[vsLevels]!;
    t.vsatpPpn = this.vpt.rootPpn;
    t.hgatpMode = opts.gBare ? HgatpMode.Bare : MODE[gLevels]!;
    t.hgatpPpn = this.gpt.rootPpn;
    this.t = t;
  }

  private mapTableRegion(flags: number): void {
    if (this.tableLevel === 0) {
      for (let k = 0n; k < VS_TABLE_PAGES; k++) this.gpt.map(VS_TABLE_GPA + k * 0x1000n, VS_TABLE_HPA + k * 0x1000n, 0, flags);
      return;
    }
    const span = 1n << (12n + 9n * BigInt(this.tableLevel));
    this.gpt.map(VS_TABLE_GPA & ~(span - 1n), VS_TABLE_HPA & ~(span - 1n), this.tableLevel, flags);
  }

  /** Host address of a guest-physical address, by the G-stage tables (reference walk). */
  hostOf(gpa: bigint): bigint {
    const h = this.gpt.lookup(gpa);
    if (h === null) throw new Error(`GPA ${gpa.toString(16)} is not mapped by the G-stage`);
    return h;
  }

  /** The G-stage leaf PTE (host address) of the page holding the VS table entry at `gpa`. */
  tableGLeaf(gpa: bigint): bigint {
    return this.gpt.pteAddr(gpa, this.tableLevel);
  }

  /** GVA → GPA at VS level vsLevel, and GPA → HPA at G level gLevel. */
  map(gva: bigint, gpa: bigint, hpa: bigint, vsLevel: number, gLevel: number, vsFlags = RWX_AD, gFlags = URWX_AD): void {
    this.vpt.map(gva, gpa, vsLevel, vsFlags);
    this.gpt.map(gpa, hpa, gLevel, gFlags);
  }

  translate(gva: bigint, access: Access, priv: Priv, hlvx = false): number {
    const [lo, hi] = halves(gva);
    return this.t.translate(lo, hi, access, priv, true, hlvx);
  }

  /** The GPA the last translate produced (or faulted on), exactly. */
  get gpa(): bigint {
    return joinHalves(this.t.out.gpaLo, this.t.out.gpaHi);
  }

  get faultGpa(): bigint {
    return joinHalves(this.t.out.faultGpaLo, this.t.out.faultGpaHi);
  }
}

export function joinHalves(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}
