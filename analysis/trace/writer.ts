/**
 * Streams a trace to a file (issue 7, "Traces"). The byte layout, which the reader
 * (trace/reader.ts) shares:
 *
 *   prefix   "rvhsim-trace" (TRACE_FORMAT, 12 bytes), u32 LE TRACE_VERSION
 *   block*   u32 LE payload length, u32 LE CRC-32 of the payload, payload
 *
 * The first block holds the header alone; each later block holds records, ~64 KiB of them. A
 * payload is a sequence of MessagePack values, plain maps (no msgpackr record extension, so any
 * MessagePack decoder reads them); 64-bit guest values are bigint, written as MessagePack
 * uint64/int64 and read back as bigint. Blocks are written with one writeSync each as they fill,
 * so memory stays bounded and a killed run loses at most the block being filled; the reader
 * finds a cut or damaged block by its length or CRC and keeps everything before it.
 *
 * The writer writes only what it is given: a complete trace ends with an EndRecord, which the
 * caller (trace/recorder.ts) writes before close(). A trace closed without one reads as cut short.
 */
import { closeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { Packr, Unpackr } from 'msgpackr';
import { openForWriting, writeFully } from '../../common/write-fully.js';
import { TRACE_FORMAT, TRACE_VERSION, type TraceHeader, type TraceRecord } from './format.js';

export const TRACE_MAGIC = Buffer.from(TRACE_FORMAT, 'latin1');
export const PREFIX_BYTES = TRACE_MAGIC.length + 4;
export const BLOCK_HEADER_BYTES = 8;
/** A block is written once its payload reaches this size. */
export const BLOCK_TARGET_BYTES = 64 * 1024;
/** No writer makes a block this large: a reader treats a larger length as damage. */
export const MAX_BLOCK_BYTES = 64 * 1024 * 1024;

/** int64AsType 'bigint': MessagePack uint64/int64 read back as bigint, so pcs and tvals round-trip exactly. */
export function tracePackr(): Packr {
  return new Packr({ useRecords: false, int64AsType: 'bigint' });
}

export function traceUnpackr(): Unpackr {
  return new Unpackr({ useRecords: false, int64AsType: 'bigint' });
}

export class TraceWriter {
  private fd: number | null;
  private readonly packr = tracePackr();
  /** The block being filled: BLOCK_HEADER_BYTES reserved for its header, then the payload. */
  private block = Buffer.alloc(BLOCK_HEADER_BYTES + 2 * BLOCK_TARGET_BYTES);
  private pending = 0;
  private written = 0;
  private count = 0;

  constructor(
    readonly path: string,
    header: TraceHeader,
  ) {
    this.fd = openForWriting(path, 'the trace');
    try {
      const prefix = Buffer.alloc(PREFIX_BYTES);
      TRACE_MAGIC.copy(prefix, 0);
      prefix.writeUInt32LE(TRACE_VERSION, TRACE_MAGIC.length);
      this.out(prefix, prefix.length);
      this.append(header);
      this.flush();
    } catch (e) {
      closeSync(this.fd);
      this.fd = null;
      throw e;
    }
  }

  /** File bytes written so far (a block still being filled is not counted until it is written). */
  get bytesWritten(): number {
    return this.written;
  }

  /** Records written (the header is not one). */
  get records(): number {
    return this.count;
  }

  write(r: TraceRecord): void {
    if (this.fd === null) throw new Error(`${this.path}: trace written after close`);
    this.append(r);
    this.count++;
    if (this.pending >= BLOCK_TARGET_BYTES) this.flush();
  }

  /**
   * A SampleRecord, encoded straight into the block without building the object: the interval
   * sampler's path, once per interval, kept cheap so that sampling costs little simulation speed.
   * The bytes decode to the record write() would write (MessagePack map, same keys and order).
   */
  writeSample(cycle: number, instret: number, cycles: number, insns: number, modeCycles: ArrayLike<number>, deltas: ArrayLike<number>): void {
    if (this.fd === null) throw new Error(`${this.path}: trace written after close`);
    this.reserve(1 + SAMPLE_KEY_BYTES + 9 * (4 + modeCycles.length + deltas.length) + 10);
    const b = this.block;
    let at = BLOCK_HEADER_BYTES + this.pending;
    b[at++] = 0x80 | 7; // fixmap, 7 entries
    at = putBytes(b, at, SAMPLE_KEYS.t);
    at = putBytes(b, at, SAMPLE_KEYS.sample);
    at = putBytes(b, at, SAMPLE_KEYS.cycle);
    at = putNumber(b, at, cycle);
    at = putBytes(b, at, SAMPLE_KEYS.instret);
    at = putNumber(b, at, instret);
    at = putBytes(b, at, SAMPLE_KEYS.cycles);
    at = putNumber(b, at, cycles);
    at = putBytes(b, at, SAMPLE_KEYS.insns);
    at = putNumber(b, at, insns);
    at = putBytes(b, at, SAMPLE_KEYS.modeCycles);
    at = putArray(b, at, modeCycles);
    at = putBytes(b, at, SAMPLE_KEYS.deltas);
    at = putArray(b, at, deltas);
    this.pending = at - BLOCK_HEADER_BYTES;
    this.count++;
    if (this.pending >= BLOCK_TARGET_BYTES) this.flush();
  }

  /** Write the last block and close the file; idempotent. */
  close(): void {
    if (this.fd === null) return;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
      this.fd = null;
    }
  }

  private append(value: unknown): void {
    const bytes = this.packr.pack(value);
    this.reserve(bytes.length);
    bytes.copy(this.block, BLOCK_HEADER_BYTES + this.pending);
    this.pending += bytes.length;
  }

  /** Room for `bytes` more payload bytes in the block. */
  private reserve(bytes: number): void {
    const need = BLOCK_HEADER_BYTES + this.pending + bytes;
    if (need <= this.block.length) return;
    const bigger = Buffer.alloc(Math.max(need, 2 * this.block.length));
    this.block.copy(bigger, 0, 0, BLOCK_HEADER_BYTES + this.pending);
    this.block = bigger;
  }

  private flush(): void {
    if (this.pending === 0) return;
    const b = this.block;
    b.writeUInt32LE(this.pending, 0);
    b.writeUInt32LE(crc32(b.subarray(BLOCK_HEADER_BYTES, BLOCK_HEADER_BYTES + this.pending)), 4);
    this.out(b, BLOCK_HEADER_BYTES + this.pending);
    this.pending = 0;
  }

  private out(bytes: Buffer, length: number): void {
    writeFully(this.fd!, bytes, length);
    this.written += length;
  }
}

// MessagePack encodings (msgpack spec "Formats") for writeSample.

/** A key or short string as a fixstr. */
function fixstr(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.of(0xa0 | bytes.length), bytes]);
}

const SAMPLE_KEYS = {
  t: fixstr('t'),
  sample: fixstr('sample'),
  cycle: fixstr('cycle'),
  instret: fixstr('instret'),
  cycles: fixstr('cycles'),
  insns: fixstr('insns'),
  modeCycles: fixstr('modeCycles'),
  deltas: fixstr('deltas'),
};
const SAMPLE_KEY_BYTES = Object.values(SAMPLE_KEYS).reduce((n, k) => n + k.length, 0);

function putBytes(b: Buffer, at: number, bytes: Buffer): number {
  bytes.copy(b, at);
  return at + bytes.length;
}

/**
 * A number as the smallest MessagePack integer that holds it, or float64. Integers of 2^32 and
 * more are float64 (exact below 2^53), as msgpackr writes them: a uint64 would read back as bigint.
 */
function putNumber(b: Buffer, at: number, v: number): number {
  if (Number.isInteger(v) && v >= -0x8000_0000 && v <= 0xffff_ffff) {
    if (v >= 0) {
      if (v < 0x80) b[at++] = v;
      else if (v < 0x100) {
        b[at++] = 0xcc;
        b[at++] = v;
      } else if (v < 0x1_0000) {
        b[at++] = 0xcd;
        b.writeUInt16BE(v, at);
        at += 2;
      } else {
        b[at++] = 0xce;
        b.writeUInt32BE(v, at);
        at += 4;
      }
    } else if (v >= -32) b[at++] = v & 0xff;
    else if (v >= -0x80) {
      b[at++] = 0xd0;
      b.writeInt8(v, at++);
    } else if (v >= -0x8000) {
      b[at++] = 0xd1;
      b.writeInt16BE(v, at);
      at += 2;
    } else {
      b[at++] = 0xd2;
      b.writeInt32BE(v, at);
      at += 4;
    }
    return at;
  }
  b[at++] = 0xcb;
  b.writeDoubleBE(v, at);
  return at + 8;
}

function putArray(b: Buffer, at: number, values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 16) b[at++] = 0x90 | n;
  else if (n < 0x1_0000) {
    b[at++] = 0xdc;
    b.writeUInt16BE(n, at);
    at += 2;
  } else {
    b[at++] = 0xdd;
    b.writeUInt32BE(n, at);
    at += 4;
  }
  for (let i = 0; i < n; i++) at = putNumber(b, at, values[i]!);
  return at;
}
