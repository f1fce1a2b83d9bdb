import type { Hart } from './hart.js';
import type { Decoded } from './ops.js';

/**
 * What the models tell a trace recorder (analysis/trace/recorder.ts). Models never import
 * analysis/, so the recorder implements these interfaces and attaches itself: traps and xRETs
 * through the hart's probe (reported from trap.ts), interval boundaries and the pipeline window
 * through Machine.tracer. Contexts are privilege | V << 2, as Hart.fetchCtx() returns them.
 */

export interface HartTraceProbe {
  /**
   * A trap was taken (after trap entry): the trapping pc (the value written to xepc), the cause
   * code as mcause would hold it (before VS renumbering), xtval, and the context before and after.
   */
  trap(cause: number, interrupt: boolean, pcLo: number, pcHi: number, tvalLo: number, tvalHi: number, fromCtx: number, toCtx: number): void;
  /** MRET or SRET at pc completed: the context before and after. */
  xret(insn: 'mret' | 'sret', pcLo: number, pcHi: number, fromCtx: number, toCtx: number): void;
}

/**
 * The probe of each hart. A hart field would make the check a plain null test, but trap entry
 * is a cold path (a WeakMap lookup beside the CSR writes it makes), and a WeakMap keeps the
 * hart's state free of analysis concerns.
 */
const probes = new WeakMap<Hart, HartTraceProbe>();

export function setHartTraceProbe(h: Hart, probe: HartTraceProbe | null): void {
  if (probe === null) probes.delete(h);
  else probes.set(h, probe);
}

export function hartTraceProbe(h: Hart): HartTraceProbe | undefined {
  return probes.get(h);
}

/**
 * A recorder driven by the detailed-mode run loop (Machine.runDetailed). Between timed blocks
 * and interpreter steps, once the hart's cycle count reaches nextBoundary, the machine calls
 * boundary(); a timed block leaves at nextBoundary as it leaves at an interrupt check. The
 * instructions of the pipeline window (retirement numbers [windowStart, windowEnd)) run one at
 * a time through the interpreter and the timing model, and each is reported through insn()
 * right after the timing model retired it (TimingModel.pipeline then holds its stage cycles).
 */
export interface RunTracer {
  readonly nextBoundary: number;
  boundary(): void;
  readonly windowStart: number;
  readonly windowEnd: number;
  insn(seq: number, pcLo: number, pcHi: number, d: Decoded, fetchCtx: number): void;
}
