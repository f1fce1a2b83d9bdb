/**
 * A trace as a Perfetto protobuf trace (ui.perfetto.dev, trace_processor), written packet by
 * packet as the records arrive so that a trace of any length converts in constant memory.
 *
 * Layout: a process track "rvhsim <workload>" holding
 *   - counter tracks: instructions and IPC per interval, each mode's share of the interval, and
 *     one per sampled statistic (its change over the interval);
 *   - slice tracks "mode" (M/HS/U/VS/VU between traps and returns) and "world" (host/guest);
 *   - instant tracks "traps" (named by cause), "fences" (named by kind, costs as arguments) and
 *     "tlb flushes".
 * 1 cycle = 1 ns. A counter's value is stamped at the start of the interval it describes, so it
 * holds over exactly that interval in the UI.
 *
 * Every track writes on its own packet sequence (trusted_packet_sequence_id) so that timestamps
 * never go backwards within a sequence: a mode slice is begun only once the first trap or return
 * says which mode the run started in, at cycle 0, after later instants may have been written.
 */
import { trapName } from '../../common/causes.js';
import { TLB_NAMES } from '../../mmu/tlb/fence-records.js';
import type { FenceTraceRecord, FlushRecord, SampleRecord, TraceHeader, TraceRecord, TrapRecord } from './format.js';
import { modeName } from './info.js';
import { ProtoEncoder } from './protobuf.js';
import { TimelineEvents } from './timeline-events.js';

// Field numbers, from the Perfetto protos (github.com/google/perfetto, protos/perfetto/trace/):
/** trace.proto: `message Trace { repeated TracePacket packet = 1; }` */
const TRACE_PACKET = 1;
/** trace_packet.proto, message TracePacket. */
const PACKET_TIMESTAMP = 8; // optional uint64 timestamp = 8
const PACKET_SEQUENCE_ID = 10; // uint32 trusted_packet_sequence_id = 10
const PACKET_TRACK_EVENT = 11; // TrackEvent track_event = 11
const PACKET_SEQUENCE_FLAGS = 13; // optional uint32 sequence_flags = 13
const PACKET_TRACK_DESCRIPTOR = 60; // TrackDescriptor track_descriptor = 60
/** TracePacket.SequenceFlags.SEQ_INCREMENTAL_STATE_CLEARED: the first packet of a sequence. */
const SEQ_INCREMENTAL_STATE_CLEARED = 1;
/** track_event/track_descriptor.proto, message TrackDescriptor. */
const TRACK_UUID = 1; // optional uint64 uuid = 1
const TRACK_NAME = 2; // optional string name = 2
const TRACK_PROCESS = 3; // optional ProcessDescriptor process = 3
const TRACK_PARENT_UUID = 5; // optional uint64 parent_uuid = 5
const TRACK_COUNTER = 8; // optional CounterDescriptor counter = 8
/** track_event/process_descriptor.proto, message ProcessDescriptor. */
const PROCESS_PID = 1; // optional int32 pid = 1
const PROCESS_NAME = 6; // optional string process_name = 6
/** track_event/counter_descriptor.proto, message CounterDescriptor and its enum Unit. */
const COUNTER_UNIT = 3; // optional Unit unit = 3
const UNIT_TIME_NS = 1;
const UNIT_COUNT = 2;
const UNIT_SIZE_BYTES = 3;
/** track_event/track_event.proto, message TrackEvent and its enum Type. */
const EVENT_DEBUG_ANNOTATIONS = 4; // repeated DebugAnnotation debug_annotations = 4
const EVENT_TYPE = 9; // optional Type type = 9
const EVENT_TRACK_UUID = 11; // optional uint64 track_uuid = 11
const EVENT_CATEGORIES = 22; // repeated string categories = 22
const EVENT_NAME = 23; // string name = 23 (oneof name_field)
const EVENT_COUNTER_VALUE = 30; // int64 counter_value = 30 (oneof counter_value_field)
const EVENT_DOUBLE_COUNTER_VALUE = 44; // double double_counter_value = 44 (same oneof)
const TYPE_SLICE_BEGIN = 1;
const TYPE_SLICE_END = 2;
const TYPE_INSTANT = 3;
const TYPE_COUNTER = 4;
/** track_event/debug_annotation.proto, message DebugAnnotation. */
const ANNOTATION_BOOL = 2; // bool bool_value = 2
const ANNOTATION_UINT = 3; // uint64 uint_value = 3
const ANNOTATION_INT = 4; // int64 int_value = 4
const ANNOTATION_DOUBLE = 5; // double double_value = 5
const ANNOTATION_STRING = 6; // string string_value = 6
const ANNOTATION_POINTER = 7; // uint64 pointer_value = 7 (shown in hex)
const ANNOTATION_NAME = 10; // string name = 10

/** The fixed tracks' uuids; counter tracks follow from FIRST_COUNTER_UUID. uuid 0 is Perfetto's implicit global track. */
export const PERFETTO_TRACKS = { process: 1, mode: 2, world: 3, traps: 4, fences: 5, flushes: 6 } as const;
const FIRST_COUNTER_UUID = 16;
/** The pid shown for the one simulated hart's process track. */
const PID = 1;

/** A debug annotation value: bigint guest values are shown as pointers (hex). */
type AnnotationValue = number | bigint | string | boolean;

export interface PerfettoExportSummary {
  packets: number;
  tracks: number;
  bytes: number;
}

/**
 * Converts records to Perfetto packets as they come. `sink` receives each encoded packet (a Trace
 * message fragment; their concatenation is the file) and must consume it before returning: the
 * bytes are reused.
 */
export class PerfettoExporter {
  private readonly packet = new ProtoEncoder();
  private readonly frame = new ProtoEncoder();
  private readonly startedSequences = new Set<number>();
  private packets = 0;
  private bytes = 0;
  private tracks = 0;
  private readonly counterUuids: { insns: number; ipc: number; modes: number[]; stats: number[] } | null;
  private readonly timeline: TimelineEvents;
  private lastCounterTs = 0;

  constructor(
    private readonly header: TraceHeader,
    private readonly sink: (bytes: Uint8Array) => void,
  ) {
    this.timeline = new TimelineEvents(header, {
      sample: (r) => this.sample(r),
      trap: (r) => this.trap(r),
      fence: (r) => this.fence(r),
      flush: (r) => this.flush(r),
      begin: (s) => this.slice(PERFETTO_TRACKS[s.track], s.start, TYPE_SLICE_BEGIN, s.name),
      end: (s, end) => this.slice(PERFETTO_TRACKS[s.track], end, TYPE_SLICE_END),
    });
    this.describe(PERFETTO_TRACKS.process, (t) => {
      t.message(TRACK_PROCESS, (p) => p.int(PROCESS_PID, PID).string(PROCESS_NAME, `rvhsim ${header.workload.name}`));
    });
    this.describe(PERFETTO_TRACKS.mode, (t) => t.string(TRACK_NAME, 'mode').uint(TRACK_PARENT_UUID, PERFETTO_TRACKS.process));
    this.describe(PERFETTO_TRACKS.world, (t) => t.string(TRACK_NAME, 'world').uint(TRACK_PARENT_UUID, PERFETTO_TRACKS.process));
    this.describe(PERFETTO_TRACKS.traps, (t) => t.string(TRACK_NAME, 'traps').uint(TRACK_PARENT_UUID, PERFETTO_TRACKS.process));
    this.describe(PERFETTO_TRACKS.fences, (t) => t.string(TRACK_NAME, 'fences').uint(TRACK_PARENT_UUID, PERFETTO_TRACKS.process));
    this.describe(PERFETTO_TRACKS.flushes, (t) => t.string(TRACK_NAME, 'tlb flushes').uint(TRACK_PARENT_UUID, PERFETTO_TRACKS.process));
    if (header.intervalCycles <= 0) {
      this.counterUuids = null;
      return;
    }
    let uuid = FIRST_COUNTER_UUID;
    const counter = (name: string, unit: number): number => {
      const id = uuid++;
      this.describe(id, (t) => t.string(TRACK_NAME, name).uint(TRACK_PARENT_UUID, PERFETTO_TRACKS.process).message(TRACK_COUNTER, (c) => c.uint(COUNTER_UNIT, unit)));
      return id;
    };
    this.counterUuids = {
      insns: counter('instructions per interval', UNIT_COUNT),
      ipc: counter('IPC', UNIT_COUNT),
      modes: header.modes.map((m) => counter(`${m} residency (%)`, UNIT_COUNT)),
      stats: header.counters.map((c) => counter(c.name, c.unit === 'bytes' ? UNIT_SIZE_BYTES : c.unit === 'cycles' ? UNIT_TIME_NS : UNIT_COUNT)),
    };
  }

  record(r: TraceRecord): void {
    this.timeline.record(r);
  }

  /** Closes the open slices at the last cycle seen and returns what was written. */
  end(): PerfettoExportSummary {
    this.timeline.finish();
    return { packets: this.packets, tracks: this.tracks, bytes: this.bytes };
  }

  private sample(r: SampleRecord): void {
    const ids = this.counterUuids;
    if (ids === null) return;
    // Stamped at the interval's start; never before an earlier interval's stamp.
    const ts = Math.max(this.lastCounterTs, r.cycle - r.cycles, 0);
    this.lastCounterTs = ts;
    this.counter(ids.insns, ts, r.insns);
    if (r.cycles > 0) this.counter(ids.ipc, ts, r.insns / r.cycles);
    ids.modes.forEach((uuid, m) => {
      if (r.cycles > 0) this.counter(uuid, ts, (100 * (r.modeCycles[m] ?? 0)) / r.cycles);
    });
    ids.stats.forEach((uuid, i) => this.counter(uuid, ts, r.deltas[i] ?? 0));
  }

  private trap(r: TrapRecord): void {
    this.instant(PERFETTO_TRACKS.traps, r.cycle, trapName(r.cause, r.interrupt), 'trap', [
      ['cause', r.cause],
      ['interrupt', r.interrupt],
      ['pc', r.pc],
      ['tval', r.tval],
      ['from', modeName(this.header, r.from)],
      ['to', modeName(this.header, r.to)],
      ['instret', r.instret],
    ]);
  }

  private fence(r: FenceTraceRecord): void {
    const args: [string, AnnotationValue][] = [
      ['seq', r.seq],
      ['pc', r.pc],
    ];
    if (r.rs1 !== null) args.push(['rs1', r.rs1]);
    if (r.rs2 !== null) args.push(['rs2', r.rs2]);
    args.push(['cycles', r.cycles]);
    TLB_NAMES.forEach((tlb, i) => {
      args.push([`dropped.${tlb}`, r.dropped[i] ?? 0]);
      args.push([`stale.${tlb}`, r.stale[i] ?? 0]);
    });
    args.push(['pwcFirst', r.pwcFirst], ['pwcG', r.pwcG], ['nestedTlb', r.nestedTlb], ['shadowWalks', r.shadowWalks], ['shadowCycles', r.shadowCycles]);
    this.instant(PERFETTO_TRACKS.fences, r.cycle, r.kind, 'fence', args);
  }

  private flush(r: FlushRecord): void {
    this.instant(PERFETTO_TRACKS.flushes, r.cycle, `${r.structure} flush`, 'tlb', [
      ['entries', r.entries],
      ['reason', r.reason],
    ]);
  }

  private describe(uuid: number, build: (t: ProtoEncoder) => void): void {
    this.tracks++;
    this.packet.reset();
    this.packet.message(PACKET_TRACK_DESCRIPTOR, (t) => {
      t.uint(TRACK_UUID, uuid);
      build(t);
    });
    this.emit(PERFETTO_TRACKS.process);
  }

  private counter(uuid: number, ts: number, value: number): void {
    this.packet.reset();
    this.packet.uint(PACKET_TIMESTAMP, ts);
    this.packet.message(PACKET_TRACK_EVENT, (e) => {
      e.uint(EVENT_TYPE, TYPE_COUNTER).uint(EVENT_TRACK_UUID, uuid);
      if (Number.isSafeInteger(value)) e.int(EVENT_COUNTER_VALUE, value);
      else e.double(EVENT_DOUBLE_COUNTER_VALUE, value);
    });
    // All counters share one sequence: their stamps rise together, interval by interval.
    this.emit(FIRST_COUNTER_UUID);
  }

  private slice(uuid: number, ts: number, type: typeof TYPE_SLICE_BEGIN | typeof TYPE_SLICE_END, name?: string): void {
    this.packet.reset();
    this.packet.uint(PACKET_TIMESTAMP, ts);
    this.packet.message(PACKET_TRACK_EVENT, (e) => {
      e.uint(EVENT_TYPE, type).uint(EVENT_TRACK_UUID, uuid);
      if (name !== undefined) e.string(EVENT_NAME, name);
    });
    this.emit(uuid);
  }

  private instant(uuid: number, ts: number, name: string, category: string, args: readonly [string, AnnotationValue][]): void {
    this.packet.reset();
    this.packet.uint(PACKET_TIMESTAMP, ts);
    this.packet.message(PACKET_TRACK_EVENT, (e) => {
      e.uint(EVENT_TYPE, TYPE_INSTANT).uint(EVENT_TRACK_UUID, uuid).string(EVENT_CATEGORIES, category).string(EVENT_NAME, name);
      for (const [key, value] of args) e.message(EVENT_DEBUG_ANNOTATIONS, (a) => annotate(a.string(ANNOTATION_NAME, key), value));
    });
    this.emit(uuid);
  }

  /** Frames the packet as one `Trace.packet` field and hands it to the sink. */
  private emit(sequence: number): void {
    this.packet.uint(PACKET_SEQUENCE_ID, sequence);
    if (!this.startedSequences.has(sequence)) {
      this.startedSequences.add(sequence);
      this.packet.uint(PACKET_SEQUENCE_FLAGS, SEQ_INCREMENTAL_STATE_CLEARED);
    }
    this.frame.reset();
    this.frame.bytes(TRACE_PACKET, this.packet.finish());
    const bytes = this.frame.finish();
    this.packets++;
    this.bytes += bytes.length;
    this.sink(bytes);
  }
}

function annotate(a: ProtoEncoder, value: AnnotationValue): void {
  if (typeof value === 'bigint') a.uint(ANNOTATION_POINTER, BigInt.asUintN(64, value));
  else if (typeof value === 'string') a.string(ANNOTATION_STRING, value);
  else if (typeof value === 'boolean') a.bool(ANNOTATION_BOOL, value);
  else if (!Number.isSafeInteger(value)) a.double(ANNOTATION_DOUBLE, value);
  else if (value < 0) a.int(ANNOTATION_INT, value);
  else a.uint(ANNOTATION_UINT, value);
}

/** Converts a whole trace; see PerfettoExporter for what `sink` receives. */
export function exportPerfetto(header: TraceHeader, records: Iterable<TraceRecord>, sink: (bytes: Uint8Array) => void): PerfettoExportSummary {
  const exporter = new PerfettoExporter(header, sink);
  for (const r of records) exporter.record(r);
  return exporter.end();
}
