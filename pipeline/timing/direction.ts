/**
 * Direction predictors for conditional branches: static not-taken, BTFN, bimodal and gshare.
 * Indexing uses pc bits [n:1] of the low 32 bits of the pc (pcLo): bit 0 is always zero and
 * bit 1 distinguishes compressed instructions (IALIGN = 16 with the C extension). Bits above 31
 * never reach an index of at most 2^20 entries anyway.
 * Training happens at resolution in program order with the true outcome (no wrong-path
 * pollution, no speculative history repair to model).
 */
import type { PredictorConfig } from './predictor-config.js';

const enum Mode {
  NotTaken = 0,
  Btfn = 1,
  Bimodal = 2,
  Gshare = 3,
}

const MODES = { 'static-not-taken': Mode.NotTaken, btfn: Mode.Btfn, bimodal: Mode.Bimodal, gshare: Mode.Gshare } as const;

/** Reset value of an n-bit counter; it predicts taken from 2^(n-1) up. */
export function counterReset(bits: number, init: PredictorConfig['bht']['counterInit']): number {
  const half = 1 << (bits - 1);
  switch (init) {
    case 'strongly-not-taken':
      return 0;
    case 'weakly-not-taken':
      return half - 1;
    case 'weakly-taken':
      return half;
    case 'strongly-taken':
      return (1 << bits) - 1;
  }
}

export class DirectionPredictor {
  private readonly mode: Mode;
  private readonly counters: Uint8Array;
  /** Per entry: trained by at least one branch (only kept for coldFallback 'btfn'). */
  private readonly trained: Uint8Array;
  private readonly indexMask: number;
  private readonly historyMask: number;
  private readonly max: number;
  private readonly threshold: number;
  private readonly init: number;
  private readonly coldBtfn: boolean;
  /** Outcomes of the most recent conditional branches, newest in bit 0 (1 = taken). */
  private history = 0;
  /** The last train() changed the predictor's state (a counter, the trained bit or the history). */
  lastTrainChanged = true;

  constructor(direction: PredictorConfig['direction'], bht: PredictorConfig['bht']) {
    this.mode = MODES[direction];
    const tabled = this.mode === Mode.Bimodal || this.mode === Mode.Gshare;
    const size = tabled ? bht.entries : 1;
    this.counters = new Uint8Array(size);
    this.trained = new Uint8Array(size);
    this.indexMask = size - 1;
    this.historyMask = this.mode === Mode.Gshare ? (1 << bht.historyBits) - 1 : 0;
    this.max = (1 << bht.counterBits) - 1;
    this.threshold = 1 << (bht.counterBits - 1);
    this.init = counterReset(bht.counterBits, bht.counterInit);
    this.coldBtfn = bht.coldFallback === 'btfn';
    this.reset();
  }

  reset(): void {
    this.lastTrainChanged = true;
    this.counters.fill(this.init);
    this.trained.fill(0);
    this.history = 0;
  }

  /** Table index: pc bits [n:1], XOR the global history for gshare (McFarling's combining). */
  private index(pcLo: number): number {
    return ((pcLo >>> 1) ^ this.history) & this.indexMask;
  }

  /**
   * The predicted direction. `backward` is the sign of the decoded branch offset, which a BTFN
   * front end reads from the instruction (rv32.adoc "Conditional Branches": "software should
   * also assume that backward branches will be predicted taken and forward branches as not
   * taken").
   */
  predict(pcLo: number, backward: boolean): boolean {
    switch (this.mode) {
      case Mode.NotTaken:
        return false;
      case Mode.Btfn:
        return backward;
      default: {
        const i = this.index(pcLo);
        if (this.coldBtfn && this.trained[i] === 0) return backward;
        return this.counters[i]! >= this.threshold;
      }
    }
  }

  /** Train with the real outcome; call after predict() for the same branch. */
  train(pcLo: number, taken: boolean): void {
    if (this.mode !== Mode.Bimodal && this.mode !== Mode.Gshare) {
      this.lastTrainChanged = false;
      return;
    }
    const i = this.index(pcLo);
    const c = this.counters[i]!;
    let changed = this.trained[i] === 0;
    if (taken) {
      if (c < this.max) {
        this.counters[i] = c + 1;
        changed = true;
      }
    } else if (c > 0) {
      this.counters[i] = c - 1;
      changed = true;
    }
    this.trained[i] = 1;
    const h = ((this.history << 1) | (taken ? 1 : 0)) & this.historyMask;
    if (h !== this.history) changed = true;
    this.history = h;
    this.lastTrainChanged = changed;
  }
}
