/**
 * Reads a trace written by trace/writer.ts (the byte layout is described there). Errors a user
 * can cause (no such file, not a trace, a newer version, an unreadable header) throw UserError
 * naming the file. A damaged or cut tail is not an error: the reader returns everything before
 * the first bad block and reports the byte offset where that block starts and why it is bad.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { UserError } from '../../common/errors.js';
import { TRACE_FORMAT, TRACE_VERSION, type TraceHeader, type TraceRecord } from './format.js';
import { BLOCK_HEADER_BYTES, MAX_BLOCK_BYTES, PREFIX_BYTES, TRACE_MAGIC, traceUnpackr } from './writer.js';

/** Where a trace stops being readable: the offset of the first bad block (or the file size when it just stops). */
export interface TraceDamage {
  offset: number;
  reason: string;
}

export interface TraceReadResult {
  header: TraceHeader;
  records: TraceRecord[];
  /** The trace ended with an EndRecord and has no damage. */
  complete: boolean;
  /** Null exactly when complete. A trace cut at a block boundary reports the file size and "no end record". */
  damage: TraceDamage | null;
}

export type TraceScan = Omit<TraceReadResult, 'records'>;

const RECORD_KINDS: ReadonlySet<string> = new Set(['sample', 'trap', 'return', 'world', 'fence', 'flush', 'insn', 'end']);

/** The whole trace in memory. For large traces use forEachRecord. */
export function readTrace(path: string): TraceReadResult {
  const records: TraceRecord[] = [];
  const scan = forEachRecord(path, (r) => records.push(r));
  return { ...scan, records };
}

/** Just the header (a UserError if the file is not a readable trace). */
export function readTraceHeader(path: string): TraceHeader {
  const file = TraceFile.open(path);
  try {
    return file.header();
  } finally {
    file.close();
  }
}

/**
 * Calls fn with every record before the first damage, in file order, one block in memory at a
 * time; the header is passed along so a caller can act on it before the first record.
 */
export function forEachRecord(path: string, fn: (r: TraceRecord, header: TraceHeader) => void): TraceScan {
  const file = TraceFile.open(path);
  try {
    const header = file.header();
    let offset = file.firstBlock;
    let ended = false;
    let damage: TraceDamage | null = null;
    while (offset < file.size) {
      const block = file.block(offset);
      if (typeof block === 'string') {
        damage = { offset, reason: block };
        break;
      }
      const bad = ended ? 'data after the end record' : checkRecords(block.values);
      if (bad !== null) {
        damage = { offset, reason: bad };
        break;
      }
      // The whole block is good: only now are its records passed on.
      for (const r of block.values as TraceRecord[]) fn(r, header);
      ended = (block.values[block.values.length - 1] as TraceRecord).t === 'end';
      offset = block.next;
    }
    if (damage === null && !ended) damage = { offset: file.size, reason: 'the trace ends without an end record (the run was cut short)' };
    return { header, complete: damage === null, damage };
  } finally {
    file.close();
  }
}

/** Null if every value is a trace record and only the last may be the end record; else what is wrong. */
function checkRecords(values: readonly unknown[]): string | null {
  if (values.length === 0) return 'an empty block';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const t = typeof v === 'object' && v !== null ? (v as { t?: unknown }).t : undefined;
    if (typeof t !== 'string' || !RECORD_KINDS.has(t)) return `value ${i} of the block is not a trace record`;
    if (t === 'end' && i !== values.length - 1) return 'data after the end record';
  }
  return null;
}

/** An open trace file read block by block. */
class TraceFile {
  private readonly unpackr = traceUnpackr();
  private readonly blockHeader = Buffer.alloc(BLOCK_HEADER_BYTES);
  /** Where the first record block starts (after the prefix and the header block). */
  firstBlock = 0;

  private constructor(
    readonly path: string,
    private fd: number | null,
    readonly size: number,
  ) {}

  static open(path: string): TraceFile {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(`${path}: cannot read the trace: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new UserError(`${path}: not a trace file (not a regular file)`);
      return new TraceFile(path, fd, st.size);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** Check the prefix and read the header block. */
  header(): TraceHeader {
    const path = this.path;
    const prefix = this.read(0, Math.min(PREFIX_BYTES, this.size));
    const magicPart = prefix.subarray(0, TRACE_MAGIC.length);
    if (!magicPart.equals(TRACE_MAGIC.subarray(0, magicPart.length)) || this.size === 0) {
      throw new UserError(`${path}: not an rvhsim trace (it does not start with "${TRACE_FORMAT}")`);
    }
    if (this.size < PREFIX_BYTES) throw new UserError(`${path}: the trace is cut short inside its ${PREFIX_BYTES}-byte prefix (${this.size} bytes)`);
    const version = prefix.readUInt32LE(TRACE_MAGIC.length);
    if (version > TRACE_VERSION) {
      throw new UserError(`${path}: trace format version ${version} is newer than this rvhsim reads (version ${TRACE_VERSION}); use a newer rvhsim`);
    }
    if (version !== TRACE_VERSION) throw new UserError(`${path}: unknown trace format version ${version} (this rvhsim reads version ${TRACE_VERSION})`);
    const block = this.block(PREFIX_BYTES);
    if (typeof block === 'string') throw new UserError(`${path}: unreadable trace header at byte ${PREFIX_BYTES}: ${block}`);
    const h = block.values[0] as Partial<TraceHeader> | undefined;
    if (block.values.length !== 1 || typeof h !== 'object' || h === null || h.format !== TRACE_FORMAT || h.version !== version) {
      throw new UserError(`${path}: unreadable trace header at byte ${PREFIX_BYTES}: the header block does not hold one ${TRACE_FORMAT} version ${version} header`);
    }
    this.firstBlock = block.next;
    return h as TraceHeader;
  }

  /** The decoded values of the block at offset and where the next starts, or why it cannot be read. */
  block(offset: number): { values: unknown[]; next: number } | string {
    const left = this.size - offset;
    if (left < BLOCK_HEADER_BYTES) return `cut short inside a block header (${left} of ${BLOCK_HEADER_BYTES} bytes)`;
    this.readInto(this.blockHeader, offset);
    const length = this.blockHeader.readUInt32LE(0);
    const crc = this.blockHeader.readUInt32LE(4);
    if (length === 0 || length > MAX_BLOCK_BYTES) return `implausible block length ${length}`;
    if (length > left - BLOCK_HEADER_BYTES) return `block of ${length} bytes cut short (${left - BLOCK_HEADER_BYTES} present)`;
    const payload = this.read(offset + BLOCK_HEADER_BYTES, length);
    if (crc32(payload) !== crc) return 'CRC mismatch: the block is corrupt';
    let values: unknown[];
    try {
      values = this.unpackr.unpackMultiple(payload) as unknown[];
    } catch (e) {
      return `undecodable block: ${(e as Error).message}`;
    }
    return { values, next: offset + BLOCK_HEADER_BYTES + length };
  }

  private read(offset: number, length: number): Buffer {
    const buf = Buffer.alloc(length);
    this.readInto(buf, offset);
    return buf;
  }

  private readInto(buf: Buffer, offset: number): void {
    for (let done = 0; done < buf.length; ) {
      const n = readSync(this.fd!, buf, done, buf.length - done, offset + done);
      if (n === 0) throw new UserError(`${this.path}: the trace changed size while being read`);
      done += n;
    }
  }
}
