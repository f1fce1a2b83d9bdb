import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE, SparseMemory } from './sparse-memory.js';

const BASE = 0x8000_0000;

describe('SparseMemory', () => {
  it('allocates nothing until a chunk is touched, then one chunk at a time', () => {
    const m = new SparseMemory(BASE, 2048 * 2 ** 20);
    expect(m.residentBytes).toBe(0);
    m.writeBytes(BASE + 5 * CHUNK_SIZE + 10, new Uint8Array([1]));
    expect(m.residentBytes).toBe(CHUNK_SIZE);
    m.writeBytes(BASE + 5 * CHUNK_SIZE + 20, new Uint8Array([2]));
    expect(m.residentBytes).toBe(CHUNK_SIZE);
  });

  it('reads untouched memory as zero', () => {
    const m = new SparseMemory(BASE, 4 * CHUNK_SIZE);
    expect([...m.readBytes(BASE + 3 * CHUNK_SIZE, 4)]).toEqual([0, 0, 0, 0]);
  });

  it('copies bytes across a chunk boundary in both directions', () => {
    const m = new SparseMemory(BASE, 4 * CHUNK_SIZE);
    const at = BASE + CHUNK_SIZE - 3;
    m.writeBytes(at, new Uint8Array([1, 2, 3, 4, 5, 6]));
    expect([...m.readBytes(at, 6)]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(m.chunk(BASE + CHUNK_SIZE).getUint8(0)).toBe(4);
    expect(m.residentBytes).toBe(2 * CHUNK_SIZE);
  });

  it('copies a range spanning more than two chunks', () => {
    const m = new SparseMemory(BASE, 4 * CHUNK_SIZE);
    const data = new Uint8Array(2 * CHUNK_SIZE + 10).map((_, i) => i & 0xff);
    m.writeBytes(BASE + 7, data);
    // Buffer.equals: vitest's deep equality is far too slow on 2 MiB.
    expect(Buffer.from(m.readBytes(BASE + 7, data.length)).equals(data)).toBe(true);
  });

  it('knows which ranges lie inside DRAM', () => {
    const m = new SparseMemory(BASE, CHUNK_SIZE);
    expect(m.contains(BASE, 8)).toBe(true);
    expect(m.contains(BASE + CHUNK_SIZE - 8, 8)).toBe(true);
    expect(m.contains(BASE + CHUNK_SIZE - 4, 8)).toBe(false);
    expect(m.contains(BASE - 1, 1)).toBe(false);
  });

  it('rejects a base that is not chunk-aligned', () => {
    expect(() => new SparseMemory(BASE + 0x1000, CHUNK_SIZE)).toThrow(/not .*aligned/);
  });
});
