import type { MmioDevice } from './device.js';
import type { Word } from './word.js';

/**
 * The platform-level interrupt controller as QEMU virt configures SiFive's PLIC (RISC-V PLIC
 * spec, "Memory Map"): one hart with two contexts, context 0 = hart 0 M-mode (drives mip.MEIP)
 * and context 1 = hart 0 S-mode (drives mip.SEIP).
 *
 *   0x000000 + 4*src               priority[src]  (3 bits: QEMU virt has 7 priority levels)
 *   0x001000 + 4*word              pending bits   (read-only)
 *   0x002000 + 0x80*ctx + 4*word   enable bits of a context
 *   0x200000 + 0x1000*ctx          priority threshold of a context
 *   0x200004 + 0x1000*ctx          claim (read) / complete (write)
 *
 * `sources` counts interrupt identifiers including the reserved 0 ("no interrupt"), as QEMU's
 * num-sources does: with 96, sources 1..95 exist. All registers are 32-bit; other access sizes
 * are rejected (access fault), as on QEMU. Offsets that name no register read as zero and
 * ignore writes.
 *
 * Sources are level-triggered and pass through a gateway (PLIC spec "Interrupt Gateways"): a
 * high level raises one request, which sets the pending bit; no further request is forwarded
 * until the handler completes the interrupt. A pending bit stays set if the level drops before
 * the claim (the handler then finds nothing to do, as the spec describes).
 */
/** QEMU virt: VIRT_PLIC_SIZE(VIRT_CPUS_MAX * 2) = 0x20_0000 + 1024 * 0x1000. */
export const PLIC_SIZE = 0x60_0000;
const PRIORITY_MASK = 7;
const PENDING_BASE = 0x1000;
const ENABLE_BASE = 0x2000;
const ENABLE_STRIDE = 0x80;
const CONTEXT_BASE = 0x20_0000;
const CONTEXT_STRIDE = 0x1000;

export class Plic implements MmioDevice {
  readonly name = 'plic';
  /** Called whenever meip()/seip() may have changed (writes, claims, source level changes). */
  onChange: (() => void) | null = null;
  /** Statistic: successful claims (a non-zero ID returned). */
  claims = 0;
  private readonly priority: Uint8Array;
  private readonly level: Uint8Array;
  private readonly pending: Uint8Array;
  /** Claimed and not yet completed: the gateway holds further requests back. */
  private readonly inService: Uint8Array;
  /** enabled[ctx * sources + src] */
  private readonly enabled: Uint8Array;
  private readonly threshold: Uint8Array;
  /** Cached: does context c currently have an interrupt to notify (eip)? */
  private readonly eip: Uint8Array;

  constructor(
    private readonly sources = 96,
    private readonly contexts = 2,
  ) {
    this.priority = new Uint8Array(sources);
    this.level = new Uint8Array(sources);
    this.pending = new Uint8Array(sources);
    this.inService = new Uint8Array(sources);
    this.enabled = new Uint8Array(contexts * sources);
    this.threshold = new Uint8Array(contexts);
    this.eip = new Uint8Array(contexts);
  }

  /** Context 0 (hart 0, M-mode) has a pending, enabled source with priority above its threshold. */
  meip(): boolean {
    return this.eip[0] === 1;
  }

  /** Context 1 (hart 0, S-mode). */
  seip(): boolean {
    return this.contexts > 1 && this.eip[1] === 1;
  }

  /** Drive a source's interrupt line (level-triggered). Source 0 and unknown sources are ignored. */
  setSource(src: number, level: boolean): void {
    if (src <= 0 || src >= this.sources) return;
    this.level[src] = level ? 1 : 0;
    this.gateway(src);
    this.update();
  }

  read(offset: number, size: number, out: Word): boolean {
    if (size !== 4) return false;
    out.lo = 0;
    out.hi = 0;
    if (offset < PENDING_BASE) {
      const src = offset >>> 2;
      if (src < this.sources) out.lo = this.priority[src]!;
    } else if (offset < ENABLE_BASE) {
      out.lo = this.packBits(this.pending, 0, (offset - PENDING_BASE) >>> 2);
    } else if (offset < CONTEXT_BASE) {
      const ctx = Math.floor((offset - ENABLE_BASE) / ENABLE_STRIDE);
      if (ctx < this.contexts) out.lo = this.packBits(this.enabled, ctx * this.sources, ((offset - ENABLE_BASE) % ENABLE_STRIDE) >>> 2);
    } else {
      const ctx = Math.floor((offset - CONTEXT_BASE) / CONTEXT_STRIDE);
      const reg = (offset - CONTEXT_BASE) % CONTEXT_STRIDE;
      if (ctx >= this.contexts) return true;
      if (reg === 0) out.lo = this.threshold[ctx]!;
      else if (reg === 4) out.lo = this.claim(ctx);
    }
    return true;
  }

  write(offset: number, size: number, lo: number, _hi: number): boolean {
    if (size !== 4) return false;
    if (offset < PENDING_BASE) {
      const src = offset >>> 2;
      // PLIC spec "Interrupt Priorities": source 0 does not exist; priority is WARL.
      if (src > 0 && src < this.sources) this.priority[src] = lo & PRIORITY_MASK;
    } else if (offset < ENABLE_BASE) {
      // Pending bits are read-only (PLIC spec "Interrupt Pending Bits"; QEMU ignores writes).
    } else if (offset < CONTEXT_BASE) {
      const ctx = Math.floor((offset - ENABLE_BASE) / ENABLE_STRIDE);
      if (ctx < this.contexts) this.unpackEnables(ctx, ((offset - ENABLE_BASE) % ENABLE_STRIDE) >>> 2, lo);
    } else {
      const ctx = Math.floor((offset - CONTEXT_BASE) / CONTEXT_STRIDE);
      const reg = (offset - CONTEXT_BASE) % CONTEXT_STRIDE;
      if (ctx < this.contexts) {
        if (reg === 0) this.threshold[ctx] = lo & PRIORITY_MASK;
        else if (reg === 4) this.complete(ctx, lo >>> 0);
      }
    }
    this.update();
    return true;
  }

  /**
   * PLIC spec "Interrupt Claim Process": the ID of the highest-priority pending interrupt enabled
   * for the context (ties go to the lowest ID), or 0; the claim clears its pending bit. As on
   * QEMU, only interrupts above the context's threshold can be claimed.
   */
  private claim(ctx: number): number {
    const src = this.best(ctx);
    if (src === 0) return 0;
    this.pending[src] = 0;
    this.inService[src] = 1;
    this.claims++;
    this.update();
    return src;
  }

  /**
   * PLIC spec "Interrupt Completion": writing the ID tells the gateway it may forward the next
   * request; an ID not enabled for the context is silently ignored.
   */
  private complete(ctx: number, src: number): void {
    if (src === 0 || src >= this.sources || this.enabled[ctx * this.sources + src] === 0) return;
    this.inService[src] = 0;
    this.gateway(src);
  }

  /** PLIC spec "Interrupt Gateways": a high level with no request outstanding raises one. */
  private gateway(src: number): void {
    if (this.level[src] === 1 && this.inService[src] === 0) this.pending[src] = 1;
  }

  private best(ctx: number): number {
    let best = 0;
    let bestPriority = this.threshold[ctx]!;
    const base = ctx * this.sources;
    for (let src = 1; src < this.sources; src++) {
      if (this.pending[src] === 1 && this.enabled[base + src] === 1 && this.priority[src]! > bestPriority) {
        best = src;
        bestPriority = this.priority[src]!;
      }
    }
    return best;
  }

  private update(): void {
    for (let ctx = 0; ctx < this.contexts; ctx++) this.eip[ctx] = this.best(ctx) !== 0 ? 1 : 0;
    this.onChange?.();
  }

  /** 32 one-per-source flags starting at source 32*word, packed LSB first. */
  private packBits(flags: Uint8Array, base: number, word: number): number {
    let v = 0;
    for (let bit = 0; bit < 32; bit++) {
      const src = word * 32 + bit;
      if (src < this.sources && flags[base + src] === 1) v |= 1 << bit;
    }
    return v;
  }

  private unpackEnables(ctx: number, word: number, value: number): void {
    for (let bit = 0; bit < 32; bit++) {
      const src = word * 32 + bit;
      // Source 0 does not exist: its enable bit is hardwired to zero.
      if (src > 0 && src < this.sources) this.enabled[ctx * this.sources + src] = (value >>> bit) & 1;
    }
  }
}
