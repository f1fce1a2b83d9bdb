/**
 * Sparse DRAM: chunks are allocated on first touch, so a 2 GiB default costs nothing until the
 * guest uses it. A chunk is a DataView so that loads of every width, aligned or not, are single
 * calls that V8 compiles to plain memory accesses.
 */
export const CHUNK_SHIFT = 20;
export const CHUNK_SIZE = 1 << CHUNK_SHIFT;
export const CHUNK_MASK = CHUNK_SIZE - 1;

export class SparseMemory {
  private readonly chunks: (DataView | undefined)[];

  constructor(
    readonly base: number,
    readonly size: number,
  ) {
    if (base % CHUNK_SIZE !== 0) throw new Error(`DRAM base 0x${base.toString(16)} is not ${CHUNK_SIZE}-aligned`);
    this.chunks = new Array<DataView | undefined>(Math.ceil(size / CHUNK_SIZE)).fill(undefined);
  }

  contains(pa: number, len: number): boolean {
    return pa >= this.base && pa + len <= this.base + this.size;
  }

  /** The chunk that holds pa (which must be inside DRAM), allocated on demand. */
  chunk(pa: number): DataView {
    const i = Math.floor((pa - this.base) / CHUNK_SIZE);
    let c = this.chunks[i];
    if (c === undefined) {
      c = new DataView(new ArrayBuffer(CHUNK_SIZE));
      this.chunks[i] = c;
    }
    return c;
  }

  /** Bytes of DRAM actually allocated (touched chunks). */
  get residentBytes(): number {
    let n = 0;
    for (const c of this.chunks) if (c !== undefined) n += CHUNK_SIZE;
    return n;
  }

  /** Copy bytes in (ELF loading); crosses chunk boundaries. */
  writeBytes(pa: number, bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) {
      const at = pa + done;
      const c = this.chunk(at);
      const off = (at - this.base) & CHUNK_MASK;
      const n = Math.min(bytes.length - done, CHUNK_SIZE - off);
      new Uint8Array(c.buffer, off, n).set(bytes.subarray(done, done + n));
      done += n;
    }
  }

  readBytes(pa: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    let done = 0;
    while (done < len) {
      const at = pa + done;
      const c = this.chunk(at);
      const off = (at - this.base) & CHUNK_MASK;
      const n = Math.min(len - done, CHUNK_SIZE - off);
      out.set(new Uint8Array(c.buffer, off, n), done);
      done += n;
    }
    return out;
  }
}
