import { closeSync, rmSync } from 'node:fs';
import { openForWriting, writeFully } from './write-fully.js';

/**
 * An output file written through a 64 KiB buffer with writeSync: run outputs (statistics, a
 * commit log of perhaps billions of lines) and trace exports are streamed in bounded memory, one
 * write call per buffer. close() flushes and is idempotent, so a failed run still leaves
 * everything written before it; abandon() removes the file instead (a failed export).
 */
export class BufferedFile {
  private readonly buf = Buffer.allocUnsafe(64 * 1024);
  private used = 0;
  private fd: number | null;

  /** what: named in the error when the file cannot be opened ("the export"). */
  constructor(
    readonly path: string,
    what?: string,
  ) {
    this.fd = openForWriting(path, what);
  }

  write(chunk: Uint8Array | string): void {
    if (this.fd === null) throw new Error(`${this.path}: written after close`);
    const length = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (this.used + length > this.buf.length) this.flush();
    if (length > this.buf.length) {
      writeFully(this.fd, typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      return;
    }
    if (typeof chunk === 'string') this.buf.write(chunk, this.used);
    else this.buf.set(chunk, this.used);
    this.used += length;
  }

  writeLine(line: string): void {
    this.write(line);
    this.write('\n');
  }

  close(): void {
    if (this.fd === null) return;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
      this.fd = null;
    }
  }

  /** Closes and deletes the file (after an error). */
  abandon(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(this.path, { force: true });
  }

  private flush(): void {
    if (this.used === 0) return;
    writeFully(this.fd!, this.buf.subarray(0, this.used));
    this.used = 0;
  }
}
