/**
 * A trace as Chrome trace-event JSON (chrome://tracing, ui.perfetto.dev, speedscope): the same
 * tracks as the Perfetto export, for small traces. The format's `ts` is in microseconds, so a
 * cycle (1 ns) is 0.001; "displayTimeUnit": "ns" makes viewers label the axis in ns.
 *
 * Written event by event; a viewer loads the whole file into memory, so a trace that would give
 * more than `limit` events is refused with a pointer to the Perfetto export instead.
 *
 * Events ("Trace Event Format", Google's spec document): 'M' metadata naming the process and one
 * thread per track; 'C' counters (process-wide, one series per args key); 'X' complete events
 * for mode and world slices (written when the slice ends, with its duration); 'i' instants with
 * thread scope (s: 't') for traps, fences and TLB flushes.
 */
import { trapName } from '../../common/causes.js';
import { UserError } from '../../common/errors.js';
import { TLB_NAMES } from '../../mmu/tlb/fence-records.js';
import type { FenceTraceRecord, FlushRecord, SampleRecord, TraceHeader, TraceRecord, TrapRecord } from './format.js';
import { modeName } from './info.js';
import { TimelineEvents } from './timeline-events.js';

export const CHROME_EVENT_LIMIT = 1_000_000;

/** The pid of the hart's process and the tid of each track. */
const PID = 1;
export const CHROME_THREADS = { mode: 1, world: 2, traps: 3, fences: 4, flushes: 5 } as const;
const THREAD_NAMES: Record<keyof typeof CHROME_THREADS, string> = { mode: 'mode', world: 'world', traps: 'traps', fences: 'fences', flushes: 'tlb flushes' };

type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ChromeEvent {
  ph: 'M' | 'C' | 'X' | 'i';
  name: string;
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  s?: 't';
  cat?: string;
  args?: Record<string, JsonValue>;
}

export interface ChromeExportSummary {
  events: number;
}

export class ChromeExporter {
  private events = 0;
  private readonly timeline: TimelineEvents;

  constructor(
    private readonly header: TraceHeader,
    private readonly write: (text: string) => void,
    private readonly limit = CHROME_EVENT_LIMIT,
  ) {
    this.timeline = new TimelineEvents(header, {
      sample: (r) => this.sample(r),
      trap: (r) => this.trap(r),
      fence: (r) => this.fence(r),
      flush: (r) => this.flush(r),
      // A complete event is written when its slice ends, with its duration.
      end: (s, end) => this.event({ ph: 'X', name: s.name, cat: s.track, pid: PID, tid: CHROME_THREADS[s.track], ts: us(s.start), dur: us(end - s.start) }),
    });
    write('{"displayTimeUnit":"ns","otherData":');
    write(JSON.stringify({ simulator: `${header.simulator.name} ${header.simulator.version}`, workload: header.workload.name, sha256: header.workload.sha256, cycleNs: 1 }));
    write(',"traceEvents":[\n');
    this.event({ ph: 'M', name: 'process_name', pid: PID, tid: 0, args: { name: `rvhsim ${header.workload.name}` } });
    for (const [key, tid] of Object.entries(CHROME_THREADS)) {
      this.event({ ph: 'M', name: 'thread_name', pid: PID, tid, args: { name: THREAD_NAMES[key as keyof typeof CHROME_THREADS] } });
      this.event({ ph: 'M', name: 'thread_sort_index', pid: PID, tid, args: { sort_index: tid } });
    }
  }

  record(r: TraceRecord): void {
    this.timeline.record(r);
  }

  /** Ends the open slices at the last cycle seen and closes the JSON document. */
  end(): ChromeExportSummary {
    if (!this.timeline.finished) {
      this.timeline.finish();
      this.write('\n]}\n');
    }
    return { events: this.events };
  }

  private sample(r: SampleRecord): void {
    // At the interval's start, so that the value holds over the interval it describes.
    const ts = us(Math.max(r.cycle - r.cycles, 0));
    this.event({ ph: 'C', name: 'instructions per interval', pid: PID, tid: 0, ts, args: { insns: r.insns } });
    if (r.cycles > 0) {
      this.event({ ph: 'C', name: 'IPC', pid: PID, tid: 0, ts, args: { ipc: r.insns / r.cycles } });
      const residency: Record<string, number> = {};
      this.header.modes.forEach((m, i) => (residency[m] = (100 * (r.modeCycles[i] ?? 0)) / r.cycles));
      this.event({ ph: 'C', name: 'mode residency (%)', pid: PID, tid: 0, ts, args: residency });
    }
    this.header.counters.forEach((c, i) => this.event({ ph: 'C', name: c.name, pid: PID, tid: 0, ts, args: { [c.unit]: r.deltas[i] ?? 0 } }));
  }

  private trap(r: TrapRecord): void {
    this.instant(CHROME_THREADS.traps, r.cycle, trapName(r.cause, r.interrupt), 'trap', {
      cause: r.cause,
      interrupt: r.interrupt,
      pc: hex(r.pc),
      tval: hex(r.tval),
      from: modeName(this.header, r.from),
      to: modeName(this.header, r.to),
      instret: r.instret,
    });
  }

  private fence(r: FenceTraceRecord): void {
    const args: Record<string, JsonValue> = { seq: r.seq, pc: hex(r.pc), rs1: r.rs1 === null ? null : hex(r.rs1), rs2: r.rs2, cycles: r.cycles };
    TLB_NAMES.forEach((tlb, i) => {
      args[`dropped.${tlb}`] = r.dropped[i] ?? 0;
      args[`stale.${tlb}`] = r.stale[i] ?? 0;
    });
    Object.assign(args, { pwcFirst: r.pwcFirst, pwcG: r.pwcG, nestedTlb: r.nestedTlb, shadowWalks: r.shadowWalks, shadowCycles: r.shadowCycles });
    this.instant(CHROME_THREADS.fences, r.cycle, r.kind, 'fence', args);
  }

  private flush(r: FlushRecord): void {
    this.instant(CHROME_THREADS.flushes, r.cycle, `${r.structure} flush`, 'tlb', { entries: r.entries, reason: r.reason });
  }

  private instant(tid: number, cycle: number, name: string, cat: string, args: Record<string, JsonValue>): void {
    this.event({ ph: 'i', s: 't', name, cat, pid: PID, tid, ts: us(cycle), args });
  }

  private event(e: ChromeEvent): void {
    if (this.events >= this.limit) {
      throw new UserError(
        `the trace gives more than ${this.limit.toLocaleString('en-US')} Chrome trace events, more than a JSON trace viewer loads comfortably; export it with --format perfetto instead`,
      );
    }
    this.write((this.events === 0 ? '' : ',\n') + JSON.stringify(e));
    this.events++;
  }
}

/** Cycles (1 cycle = 1 ns) to the format's microseconds. */
function us(cycles: number): number {
  return cycles / 1000;
}

function hex(v: bigint): string {
  return `0x${BigInt.asUintN(64, v).toString(16)}`;
}

/** Converts a whole trace; `write` receives the JSON text in pieces. */
export function exportChrome(header: TraceHeader, records: Iterable<TraceRecord>, write: (text: string) => void, limit = CHROME_EVENT_LIMIT): ChromeExportSummary {
  const exporter = new ChromeExporter(header, write, limit);
  for (const r of records) exporter.record(r);
  return exporter.end();
}
