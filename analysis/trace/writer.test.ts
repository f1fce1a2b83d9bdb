import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TRACE_FORMAT, TRACE_VERSION, type TraceHeader, type TraceRecord } from './format.js';
import { readTrace } from './reader.js';
import { BLOCK_TARGET_BYTES, PREFIX_BYTES, TraceWriter } from './writer.js';

const dir = mkdtempSync(join(tmpdir(), 'rvhsim-trace-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const header: TraceHeader = {
  format: TRACE_FORMAT,
  version: TRACE_VERSION,
  simulator: { name: 'rvhsim', version: '9.9.9' },
  workload: { name: 'w', path: '/x/w.elf', sha256: 'cd'.repeat(32) },
  config: { run: { mode: 'detailed', maxInsns: 1e9 }, mmu: { tlb: { shadowWindow: 10000 } } },
  intervalCycles: 10000,
  counters: [{ name: 'mmu.dtlb.misses', unit: 'count', description: 'D-TLB misses' }],
  window: { startInsn: 5, endInsn: 7 },
  modes: ['M', 'HS', 'U', 'VS', 'VU'],
};

const TOP = 0xffff_ffff_ffff_ffffn;

/** One record of every kind, with 64-bit values at the edges (0, 2^63, 2^64 - 1). */
const everyKind: TraceRecord[] = [
  { t: 'sample', cycle: 10_000, instret: 7_000, cycles: 10_000, insns: 7_000, modeCycles: [1, 2, 3, 4, 9_990], deltas: [17] },
  { t: 'trap', cycle: 2 ** 40 + 3, instret: 12, pc: TOP, cause: 23, interrupt: false, tval: 1n << 63n, from: 3, to: 1 },
  { t: 'trap', cycle: 5, instret: 1, pc: 0n, cause: 5, interrupt: true, tval: 0n, from: 4, to: 1 },
  { t: 'return', cycle: 6, instret: 2, pc: 0x8000_0000n, insn: 'sret', from: 1, to: 3 },
  { t: 'world', cycle: 6, instret: 2, virt: true, from: 1, to: 3 },
  {
    t: 'fence', cycle: 100, seq: 0, kind: 'hfence-gvma', pc: 0xffff_ffff_8000_1000n, rs1: TOP, rs2: 7, cycles: 12,
    dropped: [1, 2, 3, 4], stale: [0, 1, 2, 3], pwcFirst: 5, pwcG: 6, nestedTlb: 7, shadowWalks: 8, shadowCycles: 900,
  },
  {
    t: 'fence', cycle: 101, seq: 1, kind: 'satp-write', pc: 0n, rs1: null, rs2: null, cycles: 1,
    dropped: [0, 0, 0, 0], stale: [0, 0, 0, 0], pwcFirst: 0, pwcG: 0, nestedTlb: 0, shadowWalks: 0, shadowCycles: 0,
  },
  { t: 'flush', cycle: 100, structure: 'gtlb', entries: 64, reason: 'hfence-gvma' },
  { t: 'insn', seq: 5, pc: 0x8000_0002n, bits: 0x4505, text: 'addi a0, zero, 1', mode: 0, stages: [10, 11, 12, 13, 14] },
  { t: 'insn', seq: 6, pc: 0x8000_0004n, bits: 0xfff5_0513, text: 'addi a0, a0, -1', mode: 0, stages: [11, 12, 13, 14, 15] },
  { t: 'end', cycle: 20_000, instret: 14_000, reason: 'exit', exitCode: 0, records: 10 },
];

function writeTrace(name: string, records: readonly TraceRecord[]): string {
  const path = join(dir, name);
  const w = new TraceWriter(path, header);
  for (const r of records) w.write(r);
  w.close();
  return path;
}

describe('the trace writer and reader', () => {
  it('round-trips the header and every record kind exactly, 64-bit pcs and tvals as bigint', () => {
    const t = readTrace(writeTrace('every.rvtrace', everyKind));
    expect(t.header).toEqual(header);
    expect(t.records).toEqual(everyKind);
    expect(typeof (t.records[1] as { pc: unknown }).pc).toBe('bigint');
    expect(t.complete).toBe(true);
    expect(t.damage).toBeNull();
  });

  it('counts records and file bytes, and starts the file with the format name and version', () => {
    const path = join(dir, 'count.rvtrace');
    const w = new TraceWriter(path, header);
    for (const r of everyKind) w.write(r);
    w.close();
    expect(w.records).toBe(everyKind.length);
    expect(w.bytesWritten).toBe(statSync(path).size);
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 12).toString('latin1')).toBe('rvhsim-trace');
    expect(bytes.readUInt32LE(12)).toBe(TRACE_VERSION);
  });

  it('writes full blocks while recording, so memory stays bounded and a killed run keeps them', () => {
    const path = join(dir, 'stream.rvtrace');
    const w = new TraceWriter(path, header);
    const afterHeader = w.bytesWritten;
    expect(statSync(path).size).toBe(afterHeader); // the header is on disk at once
    let n = 0;
    while (w.bytesWritten === afterHeader) {
      w.write({ t: 'insn', seq: n++, pc: 0x8000_0000n + BigInt(4 * n), bits: 0x13, text: 'addi zero, zero, 0', mode: 0, stages: [n, n + 1, n + 2, n + 3, n + 4] });
    }
    // The first block went out once it reached the target size, before close().
    expect(statSync(path).size).toBe(w.bytesWritten);
    expect(w.bytesWritten - afterHeader).toBeGreaterThanOrEqual(BLOCK_TARGET_BYTES);
    expect(w.bytesWritten - afterHeader).toBeLessThan(BLOCK_TARGET_BYTES + 200);
    // Not closed: a reader sees every record of the written block, and that the trace has no end.
    const partial = readTrace(path);
    expect(partial.records.length).toBe(n);
    expect(partial.complete).toBe(false);
    expect(partial.damage).toEqual({ offset: w.bytesWritten, reason: expect.stringMatching(/without an end record/) });
    w.close();
  });

  it('writes a trace closed without an end record as cut short', () => {
    const t = readTrace(writeTrace('noend.rvtrace', everyKind.slice(0, 3)));
    expect(t.records).toEqual(everyKind.slice(0, 3));
    expect(t.complete).toBe(false);
    expect(t.damage?.offset).toBe(statSync(join(dir, 'noend.rvtrace')).size);
  });

  it('writes a sample through its fast path as the same record, for integers of every width and non-integers', () => {
    const values = [0, 1, 127, 128, 255, 256, 65_535, 65_536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -1, -32, -33, -128, -129, -32_768, -32_769, -(2 ** 31), -(2 ** 31) - 1, 0.5, -2.25];
    const modes = [10_000, 0, 3, 2 ** 40, 7];
    const path = join(dir, 'fast.rvtrace');
    const w = new TraceWriter(path, header);
    w.writeSample(2 ** 40 + 1, 123_456, 10_000, 7_000, Float64Array.from(modes), Float64Array.from(values));
    w.writeSample(5, 1, 5, 1, [1, 1, 1, 1, 1], []);
    w.close();
    expect(w.records).toBe(2);
    const t = readTrace(path);
    expect(t.records).toEqual([
      { t: 'sample', cycle: 2 ** 40 + 1, instret: 123_456, cycles: 10_000, insns: 7_000, modeCycles: modes, deltas: values },
      { t: 'sample', cycle: 5, instret: 1, cycles: 5, insns: 1, modeCycles: [1, 1, 1, 1, 1], deltas: [] },
    ]);
    for (const v of (t.records[0] as { deltas: unknown[] }).deltas) expect(typeof v).toBe('number');
  });

  it('gives the same bytes for the same records', () => {
    const a = readFileSync(writeTrace('a.rvtrace', everyKind));
    const b = readFileSync(writeTrace('b.rvtrace', everyKind));
    expect(a.equals(b)).toBe(true);
    expect(a.length).toBeGreaterThan(PREFIX_BYTES);
  });

  it('names the file when it cannot be opened for writing', () => {
    expect(() => new TraceWriter(join(dir, 'no-such-dir', 'x.rvtrace'), header)).toThrow(/no-such-dir\/x\.rvtrace: cannot open the trace for writing/);
  });
});
