/**
 * A trace as the timeline views draw it, for every consumer (the Perfetto and Chrome exports,
 * the dashboard's trace summary): the records they draw as they come (samples as counters,
 * traps, fences and flushes as instants, world switches as markers), and the mode and world
 * slices derived from the traps, returns and world switches: which privilege mode the hart was
 * in, and whether it ran a guest (V=1) or the host, as runs of time with a start and an end.
 *
 * A trace records changes, not states, so the state before the first change is inferred: the
 * mode from the first trap's or return's `from`, the world as the opposite of the first switch,
 * both from cycle 0. A run without any trap or return stayed in one mode; the mode its samples
 * saw most is taken. Slices still open when the trace ends close at the last cycle it covers.
 */
import type { FenceTraceRecord, FlushRecord, SampleRecord, TraceHeader, TraceRecord, TrapRecord, WorldSwitchRecord } from './format.js';
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

/** What a consumer receives, each in record order; a record's own event comes before the slices it changes. */
export interface TimelineSink {
  sample?(r: SampleRecord): void;
  trap?(r: TrapRecord): void;
  world?(r: WorldSwitchRecord): void;
  fence?(r: FenceTraceRecord): void;
  flush?(r: FlushRecord): void;
  /** On each track one slice is open at a time, and it ends where the next begins. */
  begin?(slice: Slice): void;
  end?(slice: Slice, end: number): void;
}

function worldName(virt: boolean): string {
  return virt ? 'guest' : 'host';
}

/** The last cycle a record covers (an instruction's: the one it entered WB). */
function recordCycle(r: TraceRecord): number {
  return r.t === 'insn' ? r.stages[4] : r.cycle;
}

export class TimelineEvents {
  private readonly mode: Track;
  private readonly world: Track;
  private last = 0;
  private readonly sampledModeCycles: number[];
  private ended = false;

  constructor(
    header: TraceHeader,
    private readonly sink: TimelineSink,
  ) {
    this.mode = new Track('mode', (m) => modeName(header, m), sink);
    this.world = new Track('world', (v) => worldName(v === 1), sink);
    this.sampledModeCycles = header.modes.map(() => 0);
  }

  /** The last cycle any record seen so far covers. */
  get lastCycle(): number {
    return this.last;
  }

  /** The timeline was finished: its last slices are closed. */
  get finished(): boolean {
    return this.ended;
  }

  record(r: TraceRecord): void {
    if (this.ended) throw new Error('trace record after the end of the timeline');
    this.last = Math.max(this.last, recordCycle(r));
    switch (r.t) {
      case 'sample':
        this.sink.sample?.(r);
        r.modeCycles.forEach((c, m) => (this.sampledModeCycles[m] = (this.sampledModeCycles[m] ?? 0) + c));
        break;
      case 'trap':
        this.sink.trap?.(r);
        this.changeMode(r.cycle, r.from, r.to);
        break;
      case 'return':
        this.changeMode(r.cycle, r.from, r.to);
        break;
      case 'world':
        this.sink.world?.(r);
        if (!this.world.started) this.world.start(r.virt ? 0 : 1);
        this.world.change(r.cycle, r.virt ? 1 : 0);
        break;
      case 'fence':
        this.sink.fence?.(r);
        break;
      case 'flush':
        this.sink.flush?.(r);
        break;
      case 'insn':
      case 'end':
        // The pipeline window is the Kanata export's; here it only extends the time span.
        break;
    }
  }

  /** Closes the open slices at the last cycle seen; idempotent. */
  finish(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.mode.started) {
      // No trap or return: the run stayed in the one mode its samples saw it in.
      const best = this.sampledModeCycles.reduce((b, c, m) => (c > 0 && (b < 0 || c > this.sampledModeCycles[b]!) ? m : b), -1);
      if (best >= 0) this.mode.start(best);
    }
    this.mode.close(this.last);
    this.world.close(this.last);
  }

  private changeMode(cycle: number, from: number, to: number): void {
    if (!this.mode.started) this.mode.start(from);
    this.mode.change(cycle, to);
  }
}

/** One track's open slice: each change of state closes it and opens the next. */
class Track {
  private open: Slice | null = null;

  constructor(
    private readonly track: SliceTrack,
    private readonly name: (value: number) => string,
    private readonly sink: TimelineSink,
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
