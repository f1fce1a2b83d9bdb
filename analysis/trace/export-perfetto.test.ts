import { describe, expect, it } from 'vitest';
import { PERFETTO_TRACKS, PerfettoExporter, exportPerfetto } from './export-perfetto.js';
import type { TraceHeader, TraceRecord } from './format.js';
import {
  decodeMessage,
  doubleField,
  int64Field,
  messageField,
  messageFields,
  safeNumber,
  stringField,
  stringFields,
  varintField,
  type ProtoMessage,
} from './protobuf.js';
import { HS, M, VS, referenceTrace, ret, sample, trap, traceHeader } from './test-support/records.js';

// Field numbers as the Perfetto protos define them (see export-perfetto.ts for the sources),
// repeated here so that a wrong number in the exporter cannot agree with itself.
const TRACE = { packet: 1 };
const PACKET = { timestamp: 8, sequenceId: 10, trackEvent: 11, sequenceFlags: 13, trackDescriptor: 60 };
const DESCRIPTOR = { uuid: 1, name: 2, process: 3, parentUuid: 5, counter: 8 };
const EVENT = { debugAnnotations: 4, type: 9, trackUuid: 11, categories: 22, name: 23, counterValue: 30, doubleCounterValue: 44 };
const TYPE = { sliceBegin: 1, sliceEnd: 2, instant: 3, counter: 4 };
const ANNOTATION = { uint: 3, string: 6, pointer: 7, name: 10 };

interface Track {
  uuid: number;
  name: string | undefined;
  parent: number | undefined;
  counter: boolean;
  process: ProtoMessage | undefined;
}

interface Event {
  ts: number;
  sequence: number;
  type: number;
  track: number;
  name: string | undefined;
  categories: string[];
  value: number | undefined;
  args: Map<string, bigint | string>;
}

/** A small Perfetto reader: the tracks and events of a trace, and each packet's sequence. */
function readPerfetto(bytes: Uint8Array): { tracks: Track[]; events: Event[]; packets: ProtoMessage[] } {
  const packets = messageFields(decodeMessage(bytes), TRACE.packet);
  const tracks: Track[] = [];
  const events: Event[] = [];
  for (const p of packets) {
    const sequence = safeNumber(varintField(p, PACKET.sequenceId) ?? 0n);
    const d = messageField(p, PACKET.trackDescriptor);
    if (d !== undefined) {
      const parent = varintField(d, DESCRIPTOR.parentUuid);
      tracks.push({
        uuid: safeNumber(varintField(d, DESCRIPTOR.uuid)!),
        name: stringField(d, DESCRIPTOR.name),
        parent: parent === undefined ? undefined : safeNumber(parent),
        counter: d.has(DESCRIPTOR.counter),
        process: messageField(d, DESCRIPTOR.process),
      });
      continue;
    }
    const e = messageField(p, PACKET.trackEvent);
    if (e === undefined) throw new Error('packet with neither a track descriptor nor a track event');
    const int = int64Field(e, EVENT.counterValue);
    const args = new Map<string, bigint | string>();
    for (const a of messageFields(e, EVENT.debugAnnotations)) {
      const key = stringField(a, ANNOTATION.name)!;
      args.set(key, stringField(a, ANNOTATION.string) ?? varintField(a, ANNOTATION.uint) ?? varintField(a, ANNOTATION.pointer) ?? varintField(a, 2) ?? 0n);
    }
    events.push({
      ts: safeNumber(varintField(p, PACKET.timestamp)!),
      sequence,
      type: safeNumber(varintField(e, EVENT.type)!),
      track: safeNumber(varintField(e, EVENT.trackUuid)!),
      name: stringField(e, EVENT.name),
      categories: stringFields(e, EVENT.categories),
      value: int !== undefined ? Number(int) : doubleField(e, EVENT.doubleCounterValue),
      args,
    });
  }
  return { tracks, events, packets };
}

function exportToBytes(header: TraceHeader, records: TraceRecord[]): Uint8Array {
  const chunks: Buffer[] = [];
  exportPerfetto(header, records, (b) => chunks.push(Buffer.from(b)));
  return new Uint8Array(Buffer.concat(chunks));
}

/** The [name, begin, end] slices of one track, checking that begins and ends pair up. */
function slices(events: Event[], track: number): [string, number, number][] {
  const out: [string, number, number][] = [];
  const open: { name: string; ts: number }[] = [];
  for (const e of events.filter((x) => x.track === track)) {
    if (e.type === TYPE.sliceBegin) open.push({ name: e.name!, ts: e.ts });
    else if (e.type === TYPE.sliceEnd) {
      const b = open.pop();
      expect(b, `slice end at ${e.ts} on track ${track} without a begin`).toBeDefined();
      out.push([b!.name, b!.ts, e.ts]);
    }
  }
  expect(open, `unbalanced slices on track ${track}`).toEqual([]);
  return out;
}

describe('Perfetto export', () => {
  const { header, records } = referenceTrace();
  const { tracks, events, packets } = readPerfetto(exportToBytes(header, records));
  const byName = (name: string): Track => {
    const t = tracks.find((x) => x.name === name);
    if (t === undefined) throw new Error(`no track ${name}`);
    return t;
  };
  const counterValues = (name: string): [number, number][] => events.filter((e) => e.track === byName(name).uuid).map((e) => [e.ts, e.value!]);

  it('describes one process track "rvhsim <workload>" and, under it, one track per counter and slice kind, with unique uuids', () => {
    const process = tracks.filter((t) => t.process !== undefined);
    expect(process).toHaveLength(1);
    expect(stringField(process[0]!.process!, 6)).toBe('rvhsim synthetic');
    const children = tracks.filter((t) => t.process === undefined);
    expect(children.every((t) => t.parent === process[0]!.uuid)).toBe(true);
    expect(new Set(tracks.map((t) => t.uuid)).size).toBe(tracks.length);
    expect(tracks.every((t) => t.uuid !== 0)).toBe(true);
    expect(children.filter((t) => !t.counter).map((t) => t.name)).toEqual(['mode', 'world', 'traps', 'fences', 'tlb flushes']);
    expect(children.filter((t) => t.counter).map((t) => t.name)).toEqual([
      'instructions per interval',
      'IPC',
      'M residency (%)',
      'HS residency (%)',
      'U residency (%)',
      'VS residency (%)',
      'VU residency (%)',
      'mmu.dtlb.miss',
      'caches.l1d.bytes',
      'walker.cycles',
    ]);
  });

  it('puts every event on a described track, counters only on counter tracks', () => {
    const described = new Map(tracks.map((t) => [t.uuid, t]));
    for (const e of events) {
      expect(described.has(e.track), `event at ${e.ts} on undescribed track ${e.track}`).toBe(true);
      expect(described.get(e.track)!.counter).toBe(e.type === TYPE.counter);
    }
  });

  it('writes the track descriptors before any event', () => {
    const firstEvent = packets.findIndex((p) => p.has(PACKET.trackEvent));
    expect(packets.slice(firstEvent).some((p) => p.has(PACKET.trackDescriptor))).toBe(false);
  });

  it('keeps timestamps non-decreasing within each packet sequence and flags each sequence\'s first packet', () => {
    const last = new Map<number, number>();
    for (const e of events) {
      expect(e.sequence).toBeGreaterThan(0);
      expect(e.ts).toBeGreaterThanOrEqual(last.get(e.sequence) ?? 0);
      last.set(e.sequence, e.ts);
    }
    const seen = new Set<number>();
    for (const p of packets) {
      const seq = safeNumber(varintField(p, PACKET.sequenceId)!);
      expect(varintField(p, PACKET.sequenceFlags), `sequence ${seq}`).toBe(seen.has(seq) ? undefined : 1n);
      seen.add(seq);
    }
  });

  it('gives each sampled statistic its delta per interval, stamped at the interval\'s start cycle (1 cycle = 1 ns)', () => {
    expect(counterValues('mmu.dtlb.miss')).toEqual([
      [0, 7],
      [1000, 3],
      [2000, 1],
    ]);
    expect(counterValues('caches.l1d.bytes')).toEqual([
      [0, 4096],
      [1000, 1024],
      [2000, 0],
    ]);
    expect(counterValues('instructions per interval')).toEqual([
      [0, 500],
      [1000, 500],
      [2000, 150],
    ]);
  });

  it('adds IPC and each mode\'s share of the interval as counters of their own', () => {
    expect(counterValues('IPC')).toEqual([
      [0, 0.5],
      [1000, 0.5],
      [2000, 0.5],
    ]);
    expect(counterValues('HS residency (%)')).toEqual([
      [0, 25],
      [1000, 50],
      [2000, 100],
    ]);
    expect(counterValues('VS residency (%)').map(([, v]) => v)).toEqual([60, 50, 0]);
  });

  it('draws the modes as slices between traps and returns, and the worlds between world switches', () => {
    expect(slices(events, PERFETTO_TRACKS.mode)).toEqual([
      ['M', 0, 150],
      ['HS', 150, 400],
      ['VS', 400, 1500],
      ['HS', 1500, 2300],
    ]);
    expect(slices(events, PERFETTO_TRACKS.world)).toEqual([
      ['host', 0, 400],
      ['guest', 400, 1500],
      ['host', 1500, 2300],
    ]);
  });

  it('marks traps by their spec cause names, fences by kind with their costs, and TLB flushes, as instants', () => {
    const instants = (track: number): Event[] => events.filter((e) => e.track === track);
    const traps = instants(PERFETTO_TRACKS.traps);
    expect(traps.map((e) => [e.ts, e.type, e.name])).toEqual([
      [1500, TYPE.instant, 'Environment call from VS-mode'],
      [1700, TYPE.instant, 'Supervisor timer interrupt'],
    ]);
    expect(traps[0]!.args.get('pc')).toBe(0x8000_0400n);
    expect(traps[0]!.args.get('from')).toBe('VS');
    expect(traps[0]!.categories).toEqual(['trap']);
    const [f] = instants(PERFETTO_TRACKS.fences);
    expect([f!.ts, f!.type, f!.name]).toEqual([1200, TYPE.instant, 'hfence-vvma']);
    expect(Object.fromEntries([...f!.args].filter(([k]) => ['cycles', 'dropped.l2tlb', 'stale.l2tlb', 'rs1', 'rs2', 'shadowWalks', 'shadowCycles'].includes(k)))).toEqual({
      rs1: 0x4000n,
      rs2: 3n,
      cycles: 12n,
      'dropped.l2tlb': 5n,
      'stale.l2tlb': 3n,
      shadowWalks: 4n,
      shadowCycles: 80n,
    });
    const [fl] = instants(PERFETTO_TRACKS.flushes);
    expect([fl!.ts, fl!.name, fl!.args.get('entries'), fl!.args.get('reason')]).toEqual([1200, 'l2tlb flush', 5n, 'hfence-vvma']);
  });

  it('writes packets as records arrive rather than at the end', () => {
    let written = 0;
    const exporter = new PerfettoExporter(header, (b) => (written += b.length));
    const afterDescriptors = written;
    expect(afterDescriptors).toBeGreaterThan(0);
    exporter.record(trap({ cycle: 10, cause: 8, from: 2, to: HS }));
    expect(written).toBeGreaterThan(afterDescriptors);
    const summary = exporter.end();
    expect(summary.bytes).toBe(written);
    expect(summary.tracks).toBe(16);
  });

  it('ends the open slices at the last cycle seen when the trace was cut short', () => {
    const cut = readPerfetto(exportToBytes(traceHeader(), [ret({ cycle: 50, from: M, to: HS }), trap({ cycle: 70, cause: 9, from: HS, to: M })]));
    expect(slices(cut.events, PERFETTO_TRACKS.mode)).toEqual([
      ['M', 0, 50],
      ['HS', 50, 70],
      ['M', 70, 70],
    ]);
  });

  it('without traps or returns, shows the one mode the samples saw for the whole run', () => {
    const quiet = readPerfetto(exportToBytes(traceHeader(), [sample({ cycle: 1000, instret: 900, insns: 900, modeCycles: [0, 0, 0, 1000, 0] })]));
    expect(slices(quiet.events, PERFETTO_TRACKS.mode)).toEqual([['VS', 0, 1000]]);
    expect(slices(quiet.events, PERFETTO_TRACKS.world)).toEqual([]);
  });

  it('describes no counter tracks for a trace without samples', () => {
    const none = readPerfetto(exportToBytes(traceHeader({ intervalCycles: 0, counters: [] }), [ret({ cycle: 5, from: M, to: VS })]));
    expect(none.tracks.filter((t) => t.counter)).toEqual([]);
    expect(slices(none.events, PERFETTO_TRACKS.mode)).toEqual([
      ['M', 0, 5],
      ['VS', 5, 5],
    ]);
  });
});
