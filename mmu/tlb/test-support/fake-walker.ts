/**
 * A WalkerPort for the TLB tests: translations come from leaf mappings the test declares (no page
 * tables), every walk costs a fixed number of cycles, and every call is recorded. Like a real
 * walker it consults the G-stage TLB it is given for the final GPA and fills it after a G-stage
 * walk. Page numbers are VA/GPA bits 58:12; tests use small addresses, where that is va >> 12.
 */
import { LEVEL_SPAN } from '../../pte.js';
import { Cause } from '../../../common/causes.js';
import { Access, type Priv } from '../../access.js';
import { FenceScope, type GStageTlbPort, type WalkCacheInvalidation, type WalkerPort, WalkResult } from '../../ports.js';
import type { TranslationContext } from '../mmu-model.js';

/** Leaf flags the fake walks report: V R W X A D for a first-stage (supervisor) leaf, with U for a G-stage leaf. */
export const FAKE_FLAGS = 0xcf;
export const FAKE_G_FLAGS = 0xdf;

/** A mutable translation context (Translator's fields the TLB model reads). */
export class FakeContext implements TranslationContext {
  satpMode = 8; // Sv39
  satpAsid = 0;
  vsatpMode = 8;
  vsatpAsid = 0;
  hgatpMode = 8; // Sv39x4
  hgatpVmid = 0;
}

/** One leaf: input pages [base, base + 512^level) map to output pages from `out`. */
interface Leaf {
  id: number; // ASID (native), VMID * 65536 + ASID (VS), VMID (G)
  base: number;
  level: number;
  out: number;
  global: boolean;
}


function find(leaves: Leaf[], id: number, page: number, anyIdIfGlobal: boolean): Leaf | undefined {
  return leaves.find((l) => (l.id === id || (anyIdIfGlobal && l.global)) && page >= l.base && page < l.base + LEVEL_SPAN[l.level]);
}

function leaf(id: number, page: number, level: number, out: number, global: boolean): Leaf {
  const span = LEVEL_SPAN[level];
  if (page % span !== 0 || out % span !== 0) throw new Error(`fake walker: level-${level} leaf at page ${page} -> ${out} is misaligned`);
  return { id, base: page, level, out, global };
}

export interface WalkCall {
  page: number;
  virt: boolean;
  priv: Priv;
  now: number;
  withG: boolean;
}

export class FakeWalker implements WalkerPort {
  readonly out = new WalkResult();
  /** Cycles of a full walk (first stage, with the G-stage of the final GPA when it misses the G-TLB). */
  firstCycles = 100;
  /** Cycles of a G-stage walk (walkG, or the final-GPA part of walk()). */
  gCycles = 40;
  /** What invalidate() reports the walk caches dropped. */
  walkCacheDrops: WalkCacheInvalidation = { pwcFirst: 0, pwcG: 0, nestedTlb: 0 };

  readonly walks: WalkCall[] = [];
  readonly gWalks: number[] = [];
  /** Copies of every scope invalidate() received. */
  readonly scopes: FenceScope[] = [];

  private readonly native: Leaf[] = [];
  private readonly vs: Leaf[] = [];
  private readonly g: Leaf[] = [];

  constructor(private readonly ctx: TranslationContext) {}

  mapNative(asid: number, vaPage: number, level: number, paPage: number, global = false): this {
    this.native.push(leaf(asid, vaPage, level, paPage, global));
    return this;
  }

  mapVs(vmid: number, asid: number, gvaPage: number, level: number, gpaPage: number, global = false): this {
    this.vs.push(leaf(vmid * 65536 + asid, gvaPage, level, gpaPage, global));
    return this;
  }

  mapG(vmid: number, gpaPage: number, level: number, hpaPage: number): this {
    this.g.push(leaf(vmid, gpaPage, level, hpaPage, false));
    return this;
  }

  walk(vaLo: number, vaHi: number, access: Access, priv: Priv, virt: boolean, now: number, g: GStageTlbPort | null): number {
    const page = (vaHi & 0x07ff_ffff) * 2 ** 20 + (vaLo >>> 12);
    this.walks.push({ page, virt, priv, now, withG: g !== null });
    const o = this.out;
    const c = this.ctx;
    o.cycles = this.firstCycles;
    o.refs = 0;
    if (!virt) {
      const l = find(this.native, c.satpAsid, page, true);
      if (l === undefined) return pageFault(access);
      const outPage = l.out + (page - l.base);
      o.pa = outPage * 4096 + (vaLo & 0xfff);
      o.gpaPage = outPage;
      o.vsLevel = l.level;
      o.gLevel = -1;
      o.level = l.level;
      o.global = l.global;
      o.pteFlags = FAKE_FLAGS | (l.global ? 0x20 : 0);
      o.gPteFlags = 0;
      return 0;
    }
    let gpaPage = page;
    let vsLevel = -1;
    o.global = false;
    if (c.vsatpMode !== 0) {
      const l = find(this.vs, c.hgatpVmid * 65536 + c.vsatpAsid, page, false) ?? this.vs.find((x) => x.global && Math.floor(x.id / 65536) === c.hgatpVmid && page >= x.base && page < x.base + LEVEL_SPAN[x.level]);
      if (l === undefined) return pageFault(access);
      gpaPage = l.out + (page - l.base);
      vsLevel = l.level;
      o.global = l.global;
    }
    let hpaPage = gpaPage;
    let gLevel = -1;
    if (c.hgatpMode !== 0) {
      const hit = g === null ? -1 : g.lookupG(c.hgatpVmid, gpaPage, now);
      if (g !== null) o.cycles += g.latency;
      if (hit >= 0 && g !== null) {
        hpaPage = hit;
        gLevel = g.level;
      } else {
        const l = find(this.g, c.hgatpVmid, gpaPage, false);
        if (l === undefined) return guestPageFault(access);
        hpaPage = l.out + (gpaPage - l.base);
        gLevel = l.level;
        o.cycles += this.gCycles;
        if (g !== null) g.insertG(c.hgatpVmid, gpaPage, hpaPage, gLevel, FAKE_G_FLAGS);
      }
    }
    o.pa = hpaPage * 4096 + (vaLo & 0xfff);
    o.gpaPage = gpaPage;
    o.vsLevel = vsLevel;
    o.gLevel = gLevel;
    o.level = vsLevel < 0 ? Math.max(gLevel, 0) : gLevel < 0 ? vsLevel : Math.min(vsLevel, gLevel);
    o.pteFlags = vsLevel < 0 ? 0 : FAKE_FLAGS;
    o.gPteFlags = gLevel < 0 ? 0 : FAKE_G_FLAGS;
    return 0;
  }

  walkG(gpaPage: number, access: Access, _now: number): number {
    this.gWalks.push(gpaPage);
    const l = find(this.g, this.ctx.hgatpVmid, gpaPage, false);
    if (l === undefined) return guestPageFault(access);
    const o = this.out;
    o.pa = (l.out + (gpaPage - l.base)) * 4096;
    o.gpaPage = gpaPage;
    o.vsLevel = -1;
    o.gLevel = l.level;
    o.level = l.level;
    o.global = false;
    o.pteFlags = 0;
    o.gPteFlags = FAKE_G_FLAGS;
    o.cycles = this.gCycles;
    return 0;
  }

  invalidate(scope: FenceScope): WalkCacheInvalidation {
    const copy = new FenceScope();
    Object.assign(copy, scope);
    this.scopes.push(copy);
    return { ...this.walkCacheDrops };
  }
}

function pageFault(access: Access): number {
  return access === Access.Fetch ? Cause.InstructionPageFault : access === Access.Load ? Cause.LoadPageFault : Cause.StorePageFault;
}

function guestPageFault(access: Access): number {
  return access === Access.Fetch ? Cause.InstructionGuestPageFault : access === Access.Load ? Cause.LoadGuestPageFault : Cause.StoreGuestPageFault;
}
