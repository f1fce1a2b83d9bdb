/**
 * The mode and world slices of a trace, derived once for every consumer (the Perfetto and Chrome
 * exports, the dashboard's residency bands): which privilege mode the hart was in, and whether
 * it ran a guest (V=1) or the host, as runs of time with a start and an end.
 *
 * A trace records changes, not states, so the state before the first change is inferred: the
 * mode from the first trap's or return's `from`, the world as the opposite of the first switch,
 * both from cycle 0. A run without any trap or return stayed in one mode; the mode its samples
 * saw most is taken. Slices still open when the trace ends close at the last cycle it covers.
 */
import type { TraceHeader, TraceRecord } from './format.js';
import { modeName } from './info.js';

export type SliceTrack = 'mode' | 'world';

/** A run of one state on one track. */
export interface Slice {
  track: SliceTrack;
  /** The mode (an index into header.modes), or V (1: guest, 0: host). */
  value: number;
  name: string;
  /** The cycle it began at. */
  start: number;
}

/** What a consumer receives: on each track one slice is open at a time, and ends where the next begins. */
export interface SliceSink {
  begin?(slice: Slice): void;
  end?(slice: Slice, end: number): void;
}

export function worldName(virt: boolean): string {
  return virt ? 'guest' : 'host';
}

/** The last cycle a record covers (an instruction's: the one it entered WB). */
export function recordCycle(r: TraceRecord): number {
  return r.t === 'insn' ? r.stages[4] : r.cycle;
}

export class TimelineSlices {
  private readonly mode: Track;
  private readonly world: Track;
  private last = 0;
  private readonly sampledModeCycles: number[];
  private finished = false;

  constructor(header: TraceHeader, sink: SliceSink) {
    this.mode = new Track('mode', (m) => modeName(header, m), sink);
    this.world = new Track('world', (v) => worldName(v === 1), sink);
    this.sampledModeCycles = header.modes.map(() => 0);
  }

  /** The last cycle any record seen so far covers. */
  get lastCycle(): number {
    return this.last;
  }

  /** Call after the consumer has written its own events for `r` (a trap's instant precedes its mode change). */
  record(r: TraceRecord): void {
    this.last = Math.max(this.last, recordCycle(r));
    switch (r.t) {
      case 'sample':
        r.modeCycles.forEach((c, m) => (this.sampledModeCycles[m] = (this.sampledModeCycles[m] ?? 0) + c));
        break;
      case 'trap':
      case 'return':
        if (!this.mode.started) this.mode.start(r.from);
        this.mode.change(r.cycle, r.to);
        break;
      case 'world':
        if (!this.world.started) this.world.start(r.virt ? 0 : 1);
        this.world.change(r.cycle, r.virt ? 1 : 0);
        break;
      default:
        break;
    }
  }

  /** Closes the open slices at the last cycle seen; idempotent. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (!this.mode.started) {
      // No trap or return: the run stayed in the one mode its samples saw it in.
      const best = this.sampledModeCycles.reduce((b, c, m) => (c > 0 && (b < 0 || c > this.sampledModeCycles[b]!) ? m : b), -1);
      if (best >= 0) this.mode.start(best);
    }
    this.mode.close(this.last);
    this.world.close(this.last);
  }
}

/** One track's open slice: each change of state closes it and opens the next. */
class Track {
  private open: Slice | null = null;

  constructor(
    private readonly track: SliceTrack,
    private readonly name: (value: number) => string,
    private readonly sink: SliceSink,
  ) {}

  get started(): boolean {
    return this.open !== null;
  }

  /** The state before the first change, from cycle 0. */
  start(value: number): void {
    this.begin(value, 0);
  }

  change(cycle: number, value: number): void {
    if (this.open === null || value === this.open.value) return;
    this.close(cycle);
    this.begin(value, cycle);
  }

  close(cycle: number): void {
    if (this.open !== null) this.sink.end?.(this.open, cycle);
  }

  private begin(value: number, start: number): void {
    this.open = { track: this.track, value, name: this.name(value), start };
    this.sink.begin?.(this.open);
  }
}
