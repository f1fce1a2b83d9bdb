import { describe, expect, it, vi } from 'vitest';
import { writeFully } from './write-fully.js';

// A file descriptor that takes at most three bytes per writeSync, as a pipe may.
const written = vi.hoisted(() => [] as number[]);
vi.mock('node:fs', () => ({
  writeSync: (_fd: number, bytes: Uint8Array, offset: number, length: number): number => {
    const n = Math.min(3, length);
    written.push(...bytes.subarray(offset, offset + n));
    return n;
  },
}));

describe('writeFully', () => {
  it('calls writeSync again until every byte is out when it writes less than asked', () => {
    written.length = 0;
    writeFully(7, Uint8Array.from({ length: 10 }, (_, i) => i));
    expect(written).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('writes only the first `length` bytes when given a length', () => {
    written.length = 0;
    writeFully(7, Uint8Array.of(9, 8, 7, 6, 5), 4);
    expect(written).toEqual([9, 8, 7, 6]);
  });
});
