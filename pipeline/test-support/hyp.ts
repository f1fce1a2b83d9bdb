/**
 * Test-only support for the hypervisor behaviour tests (pipeline/hart-h-*.test.ts): a VS-level
 * halt handler, entering VS/VU-mode, and a two-stage guest (G-stage tables in host memory,
 * VS-stage tables in guest-physical memory reached through the G-stage) built in a TestHart's
 * DRAM. BigInt throughout: cold code.
 *
 * Guest layout (G-stage, when a Guest is built):
 *   GPA [0, 1 GiB)                       -> HPA the same (devices: finisher, UART, CLINT), one gigapage
 *   GPA [0x8000_0000, 0x8080_0000)       -> HPA the same (CODE, the halt handlers, DATA), 2 MiB pages
 *   GPA VS_TABLE_GPA + 64 pages          -> HPA VS_TABLE_HPA ... (the VS-stage tables), 4 KiB pages
 *   GPA GUEST_DATA_GPA + k pages         -> whatever a test maps with gmap (GUEST_DATA_HPA by default)
 * VS-stage (when vsLevels > 0): GVA [0, 1 GiB) and [2 GiB, 3 GiB) -> GPA the same (gigapages,
 * supervisor-only; RW for the devices, RWX for DRAM), so the guest runs its code and the halt
 * handlers at their physical addresses; tests add their own pages with vmap.
 */
import { Priv } from '../../mmu/access.js';
import { PageTables, RWX_AD, URWX_AD } from '../../mmu/test-support/page-tables.js';
import { exitSeq, j } from './asm.js';
import { PTE, TestHart, type DeepPartial } from './harness.js';
import { runSchema, type MachineConfig } from '../config.js';

/** Default vstvec: stops the run through the finisher (clobbers t5/t6), run in VS-mode. */
export const V_HANDLER = 0x8001_2000n;
/** Host memory of the G-stage tables (outside everything the guest can reach). */
export const G_TABLES = 0x8080_0000n;
export const VS_TABLE_GPA = 0xc040_0000n;
export const VS_TABLE_HPA = 0x8140_0000n;
/** A guest-physical region for test data, and its default host backing (4 KiB pages, mapped by gmap). */
export const GUEST_DATA_GPA = 0xc000_0000n;
export const GUEST_DATA_HPA = 0x8100_0000n;

/** Flag sets: G-stage leaves must have U=1 (hypervisor.adoc norm:H_vm_gpapriv). */
export const G_URWX = URWX_AD;
export const G_URW = G_URWX & ~PTE.X;
export const VS_RWX = RWX_AD;

/** mstatus / hstatus / mip bits the H tests use (machine.adoc, hypervisor.adoc). */
export const MS = {
  SIE: 1n << 1n, MIE: 1n << 3n, SPIE: 1n << 5n, MPIE: 1n << 7n, SPP: 1n << 8n, MPP: 3n << 11n, MPRV: 1n << 17n,
  SUM: 1n << 18n, MXR: 1n << 19n, TVM: 1n << 20n, TW: 1n << 21n, TSR: 1n << 22n, GVA: 1n << 38n, MPV: 1n << 39n,
} as const;
export const HS = {
  VSBE: 1n << 5n, GVA: 1n << 6n, SPV: 1n << 7n, SPVP: 1n << 8n, HU: 1n << 9n, VGEIN_SHIFT: 12n, VTVM: 1n << 20n, VTW: 1n << 21n,
  VTSR: 1n << 22n,
} as const;
export const IP = {
  SSIP: 1n << 1n, VSSIP: 1n << 2n, MSIP: 1n << 3n, STIP: 1n << 5n, VSTIP: 1n << 6n, MTIP: 1n << 7n, SEIP: 1n << 9n,
  VSEIP: 1n << 10n, MEIP: 1n << 11n, SGEIP: 1n << 12n,
} as const;
/** menvcfg / henvcfg bits (machine.adoc, hypervisor.adoc "henvcfg"). */
export const ENVCFG = { STCE: 1n << 63n, ADUE: 1n << 61n } as const;

type Overrides = DeepPartial<{ platform: MachineConfig['platform']; hart: MachineConfig['hart']; run: MachineConfig['run'] }>;

/**
 * These are architectural tests: when the configuration has a run mode (the timing model's
 * 'detailed' mode), they ask for the functional one, so that hart.blockTranslation means what
 * it says.
 */
const FUNCTIONAL = ('mode' in runSchema.shape ? { mode: 'functional' } : {}) as Overrides['run'];

/** A TestHart with the VS-level halt handler installed and vstvec pointing at it. */
export function hypHart(overrides: Overrides = {}): TestHart {
  const t = new TestHart({ ...overrides, run: { ...FUNCTIONAL, ...overrides.run } });
  t.code(V_HANDLER, (a) => a.emit(exitSeq(0), j(0)));
  t.setCsr('vstvec', V_HANDLER);
  return t;
}

/** Start at `pc` with V=1 in VS-mode (Priv.S) or VU-mode (Priv.U), as an MRET with MPV=1 would. */
export function startVirt(t: TestHart, pc: bigint, priv: Priv.S | Priv.U): void {
  t.start(pc, priv);
  t.m.hart.virt = true;
}

/** The virtualization mode V. */
export function virt(t: TestHart): boolean {
  return t.m.hart.virt;
}

/** A 64-bit value as the int32 halves the hart keeps. */
export function halves(v: bigint): [number, number] {
  const u = BigInt.asUintN(64, v);
  return [Number(BigInt.asIntN(32, u & 0xffff_ffffn)), Number(BigInt.asIntN(32, u >> 32n))];
}

/** A two-stage guest in a TestHart's memory (see the layout above). */
export class Guest {
  readonly gpt: PageTables;
  readonly vpt: PageTables | null;

  constructor(
    readonly t: TestHart,
    readonly opts: { vsLevels?: 0 | 3 | 4 | 5; gLevels?: 3 | 4 | 5 } = {},
  ) {
    const bus = t.m.platform.bus;
    const gLevels = opts.gLevels ?? 3;
    this.gpt = new PageTables(gLevels, true, bus, G_TABLES);
    this.gpt.map(0n, 0n, 2, G_URW);
    for (let a = 0x8000_0000n; a < 0x8080_0000n; a += 0x20_0000n) this.gpt.map(a, a, 1, G_URWX);
    for (let k = 0n; k < 64n; k++) this.gpt.map(VS_TABLE_GPA + k * 0x1000n, VS_TABLE_HPA + k * 0x1000n, 0, G_URW);
    const vsLevels = opts.vsLevels ?? 3;
    if (vsLevels === 0) {
      this.vpt = null;
    } else {
      this.vpt = new PageTables(vsLevels, false, bus, VS_TABLE_GPA, (gpa) => this.hostOf(gpa));
      this.vpt.map(0n, 0n, 2, PTE.V | PTE.R | PTE.W | PTE.A | PTE.D);
      this.vpt.map(0x8000_0000n, 0x8000_0000n, 2, VS_RWX);
    }
  }

  /** Host address of a guest-physical address by the G-stage tables. */
  hostOf(gpa: bigint): bigint {
    const h = this.gpt.lookup(gpa);
    if (h === null) throw new Error(`GPA 0x${gpa.toString(16)} is not mapped by the G-stage`);
    return h;
  }

  /** G-stage: the level-`level` page at gpa -> hpa. Returns the PTE's host address. */
  gmap(gpa: bigint, hpa: bigint, level = 0, flags = G_URWX): bigint {
    return this.gpt.map(gpa, hpa, level, flags);
  }

  /** VS-stage: the level-`level` page at gva -> gpa. Returns the PTE's guest-physical address. */
  vmap(gva: bigint, gpa: bigint, level = 0, flags = VS_RWX): bigint {
    if (this.vpt === null) throw new Error('this guest has vsatp Bare');
    return this.vpt.map(gva, gpa, level, flags);
  }

  /** Both stages, 4 KiB pages: gva -> gpa -> hpa. */
  map(gva: bigint, gpa: bigint, hpa: bigint, vsFlags = VS_RWX, gFlags = G_URWX): void {
    this.gmap(gpa, hpa, 0, gFlags);
    this.vmap(gva, gpa, 0, vsFlags);
  }

  /** hgatp = MODE << 60 | VMID << 44 | PPN (hypervisor.adoc "hgatp"). */
  hgatp(vmid = 0n): bigint {
    return (BigInt(this.gpt.levels + 5) << 60n) | (vmid << 44n) | (this.gpt.root >> 12n);
  }

  /** vsatp (Bare when the guest has no VS-stage tables). */
  vsatp(asid = 0n): bigint {
    if (this.vpt === null) return 0n;
    return (BigInt(this.vpt.levels + 5) << 60n) | (asid << 44n) | (this.vpt.root >> 12n);
  }

  /** Write hgatp and vsatp (as M-mode software would). */
  enable(): this {
    this.t.setCsr('hgatp', this.hgatp());
    this.t.setCsr('vsatp', this.vsatp());
    return this;
  }

  /** Read / write a 64-bit word of guest-physical memory through the G-stage tables. */
  peekGpa(gpa: bigint): bigint {
    return this.t.peek(this.hostOf(gpa), 8);
  }

  pokeGpa(gpa: bigint, v: bigint): void {
    this.t.poke(this.hostOf(gpa), 8, v);
  }
}

export { RWX_AD, URWX_AD };
