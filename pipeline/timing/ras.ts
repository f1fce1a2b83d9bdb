/**
 * Return-address stack: a circular buffer of `depth` return addresses. A push onto a full stack
 * overwrites the oldest entry (Rocket BTB.scala RAS.push wraps its pointer; CVA6 ras.sv shifts
 * the oldest out), so after n > depth nested calls the innermost depth returns are predicted
 * and the outer n - depth find the stack empty. Pushes and pops happen at resolution in program
 * order, so wrong-path calls never corrupt it. Allocation-free.
 */
import type { StatScope } from '../../common/stats.js';

export class ReturnAddressStack {
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;
  /** Slot of the top entry, and how many entries are valid (at most depth). */
  private top = 0;
  private count = 0;

  /** The address the last successful pop() returned (int32 halves). */
  poppedLo = 0;
  poppedHi = 0;

  pushes = 0;
  pops = 0;
  overflows = 0;
  underflows = 0;

  constructor(
    readonly depth: number,
    stats: StatScope | null,
  ) {
    this.lo = new Int32Array(depth);
    this.hi = new Int32Array(depth);
    if (stats !== null) {
      stats.register('pushes', 'count', 'Return addresses pushed by calls', () => this.pushes);
      stats.register('pops', 'count', 'Return addresses popped by returns (an empty stack pops nothing)', () => this.pops);
      stats.register('overflows', 'count', 'Pushes onto a full stack, overwriting the oldest return address', () => this.overflows);
      stats.register('underflows', 'count', 'Returns that found the stack empty (predicted wrong)', () => this.underflows);
    }
  }

  get size(): number {
    return this.count;
  }

  reset(): void {
    this.top = 0;
    this.count = 0;
  }

  push(lo: number, hi: number): void {
    this.pushes++;
    this.top = this.top + 1 === this.depth ? 0 : this.top + 1;
    this.lo[this.top] = lo;
    this.hi[this.top] = hi;
    if (this.count === this.depth) this.overflows++;
    else this.count++;
  }

  /** Pop the top entry into poppedLo/poppedHi; false (and nothing popped) when empty. */
  pop(): boolean {
    if (this.count === 0) {
      this.underflows++;
      return false;
    }
    this.pops++;
    this.poppedLo = this.lo[this.top]!;
    this.poppedHi = this.hi[this.top]!;
    this.top = this.top === 0 ? this.depth - 1 : this.top - 1;
    this.count--;
    return true;
  }
}
