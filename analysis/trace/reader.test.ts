import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Unpackr } from 'msgpackr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../common/errors.js';
import { TRACE_FORMAT, TRACE_VERSION, type TraceHeader, type TraceRecord } from './format.js';
import { forEachRecord, readTrace, readTraceHeader } from './reader.js';
import { TraceWriter } from './writer.js';

const dir = mkdtempSync(join(tmpdir(), 'rvhsim-trace-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const header: TraceHeader = {
  format: TRACE_FORMAT,
  version: TRACE_VERSION,
  simulator: { name: 'rvhsim', version: '0.1.0' },
  workload: { name: 'w', path: 'w.elf', sha256: '00'.repeat(32) },
  config: {},
  intervalCycles: 1000,
  counters: [],
  window: null,
  modes: ['M', 'HS', 'U', 'VS', 'VU'],
};

const N = 3000;
/** Enough records for several ~64 KiB blocks, then the end record. */
const records: TraceRecord[] = [
  ...Array.from({ length: N }, (_, i): TraceRecord => ({
    t: 'insn', seq: i, pc: 0xffff_ffc0_0000_0000n + BigInt(2 * i), bits: i, text: `addi a0, a0, ${i} (padding so that blocks fill)`, mode: 3, stages: [i, i + 1, i + 2, i + 3, i + 4],
  })),
  { t: 'end', cycle: N + 4, instret: N, reason: 'exit', exitCode: 0, records: N },
];

let path = '';
let bytes: Buffer;
/** Every block of the file: where it starts, where it ends, and how many values it holds. */
let blocks: { start: number; end: number; values: number }[] = [];

/** The test's own reading of the layout (writer.ts): 16-byte prefix, then u32 length, u32 CRC, payload. */
function scanBlocks(b: Buffer): { start: number; end: number; values: number }[] {
  const out = [];
  const unpackr = new Unpackr({ useRecords: false });
  for (let at = 16; at < b.length; ) {
    const len = b.readUInt32LE(at);
    const end = at + 8 + len;
    out.push({ start: at, end, values: unpackr.unpackMultiple(b.subarray(at + 8, end)).length });
    at = end;
  }
  return out;
}

beforeAll(() => {
  path = join(dir, 'full.rvtrace');
  const w = new TraceWriter(path, header);
  for (const r of records) w.write(r);
  w.close();
  bytes = readFileSync(path);
  blocks = scanBlocks(bytes);
});

function variant(name: string, content: Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Records in the blocks that end at or before `offset` (block 0 is the header). */
function recordsBefore(offset: number): TraceRecord[] {
  const n = blocks.slice(1).filter((b) => b.end <= offset).reduce((s, b) => s + b.values, 0);
  return records.slice(0, n);
}

describe('reading a trace cut short or damaged', () => {
  it('spans several record blocks after the header block (the premise of the tests below)', () => {
    expect(blocks[0]!.values).toBe(1);
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    expect(blocks.at(-1)!.end).toBe(bytes.length);
    expect(readTrace(path).records).toEqual(records);
  });

  it('returns exactly the records of whole blocks before a cut, and where the damage starts', () => {
    const firstRecordBlock = blocks[1]!.start;
    const cuts: number[] = [firstRecordBlock];
    for (const b of blocks.slice(1, -1)) cuts.push(b.start + 3, b.start + 8, b.start + 100, b.end - 1, b.end);
    cuts.push(bytes.length - 1);
    for (const cut of cuts) {
      const t = readTrace(variant(`cut-${cut}.rvtrace`, bytes.subarray(0, cut)));
      const whole = blocks.find((b) => b.end === cut) !== undefined || cut === firstRecordBlock;
      const damagedBlock = blocks.find((b) => b.start <= cut && cut < b.end);
      expect(t.records, `cut at ${cut}`).toEqual(recordsBefore(cut));
      expect(t.complete).toBe(false);
      if (whole) {
        expect(t.damage, `cut at ${cut}`).toEqual({ offset: cut, reason: expect.stringMatching(/without an end record/) });
      } else {
        expect(t.damage?.offset, `cut at ${cut}`).toBe(damagedBlock!.start);
        expect(t.damage?.reason).toMatch(/cut short/);
      }
    }
  });

  it('reports a corrupt byte inside a block as a CRC mismatch at that block, keeping the blocks before it', () => {
    const victim = blocks[2]!;
    const bad = Buffer.from(bytes);
    bad[victim.start + 8 + 1000]! ^= 0x40;
    const t = readTrace(variant('crc.rvtrace', bad));
    expect(t.damage).toEqual({ offset: victim.start, reason: expect.stringMatching(/CRC mismatch/) });
    expect(t.records).toEqual(recordsBefore(victim.start));
    expect(t.records.length).toBe(blocks[1]!.values);
  });

  it('reports a corrupted block length without reading past the file', () => {
    const bad = Buffer.from(bytes);
    bad.writeUInt32LE(0xffff_fff0, blocks[1]!.start);
    const t = readTrace(variant('len.rvtrace', bad));
    expect(t.records).toEqual([]);
    expect(t.damage).toEqual({ offset: blocks[1]!.start, reason: expect.stringMatching(/implausible block length/) });
  });

  it('reports data after the end record as damage', () => {
    const t = readTrace(variant('after-end.rvtrace', Buffer.concat([bytes, bytes.subarray(blocks[1]!.start, blocks[1]!.end)])));
    expect(t.records).toEqual(records);
    expect(t.complete).toBe(false);
    expect(t.damage).toEqual({ offset: bytes.length, reason: 'data after the end record' });
  });

  it('streams the same records as readTrace, passing the header along', () => {
    const seen: TraceRecord[] = [];
    const scan = forEachRecord(path, (r, h) => {
      expect(h.workload.name).toBe('w');
      seen.push(r);
    });
    expect(seen).toEqual(records);
    expect(scan).toEqual({ header, complete: true, damage: null });
  });
});

describe('files that are not a readable trace', () => {
  const userError = (p: string, message: RegExp) => {
    expect(() => readTrace(p)).toThrow(UserError);
    expect(() => readTrace(p)).toThrow(message);
  };

  it('rejects a file that is not a trace, naming it', () => {
    const p = variant('elf.rvtrace', Buffer.from('\x7fELF\x02\x01\x01\x00 and so on', 'latin1'));
    userError(p, new RegExp(`${p.replaceAll('.', '\\.')}: not an rvhsim trace`));
    userError(variant('empty.rvtrace', Buffer.alloc(0)), /empty\.rvtrace: not an rvhsim trace/);
  });

  it('rejects a trace of a newer format version', () => {
    const newer = Buffer.from(bytes);
    newer.writeUInt32LE(TRACE_VERSION + 1, 12);
    userError(variant('newer.rvtrace', newer), new RegExp(`version ${TRACE_VERSION + 1} is newer than this rvhsim reads`));
  });

  it('rejects a trace cut inside its prefix or its header block, saying so', () => {
    userError(variant('prefix.rvtrace', bytes.subarray(0, 14)), /cut short inside its 16-byte prefix/);
    for (const cut of [16, 20, blocks[0]!.end - 1]) userError(variant(`header-${cut}.rvtrace`, bytes.subarray(0, cut)), /unreadable trace header at byte 16/);
    const bad = Buffer.from(bytes);
    bad[blocks[0]!.start + 9]! ^= 1;
    userError(variant('header-crc.rvtrace', bad), /unreadable trace header at byte 16: CRC mismatch/);
  });

  it('names a missing file', () => {
    userError(join(dir, 'missing.rvtrace'), /missing\.rvtrace: cannot read the trace: no such file/);
    expect(() => readTraceHeader(join(dir, 'missing.rvtrace'))).toThrow(UserError);
  });

  it('reads the header alone', () => {
    expect(readTraceHeader(path)).toEqual(header);
  });
});
