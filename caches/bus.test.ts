import { describe, expect, it } from 'vitest';
import { Bus, PAGE_CODE, PAGE_WATCHED } from './bus.js';
import type { MmioDevice } from './device.js';
import { CHUNK_SIZE } from './sparse-memory.js';
import { Word } from './word.js';

const DRAM = 0x8000_0000;

/** A device that records accesses and answers reads with offset * 16 + size. */
class Recorder implements MmioDevice {
  readonly log: string[] = [];
  constructor(readonly name: string, private readonly refuse8 = false) {}
  read(offset: number, size: number, out: Word): boolean {
    if (this.refuse8 && size === 8) return false;
    this.log.push(`r ${offset} ${size}`);
    out.lo = offset * 16 + size;
    out.hi = 0;
    return true;
  }
  write(offset: number, size: number, lo: number, hi: number): boolean {
    this.log.push(`w ${offset} ${size} ${lo >>> 0} ${hi >>> 0}`);
    return true;
  }
}

const u64 = (w: Word) => (BigInt(w.hi >>> 0) << 32n) | BigInt(w.lo >>> 0);

describe('Bus: DRAM', () => {
  it('stores and loads every width little-endian', () => {
    const bus = new Bus(DRAM, 4 * CHUNK_SIZE);
    const w = new Word();
    expect(bus.store(DRAM + 8, 8, 0x8877_6655 | 0, 0x4433_2211)).toBe(true);
    expect(bus.load(DRAM + 8, 8, w)).toBe(true);
    expect(u64(w)).toBe(0x4433_2211_8877_6655n);
    bus.load(DRAM + 8, 1, w);
    expect([w.lo, w.hi]).toEqual([0x55, 0]);
    bus.load(DRAM + 8, 2, w);
    expect(w.lo).toBe(0x6655);
    bus.load(DRAM + 12, 4, w);
    expect(w.lo >>> 0).toBe(0x4433_2211);
  });

  it('loads and stores a doubleword that crosses a chunk boundary', () => {
    const bus = new Bus(DRAM, 4 * CHUNK_SIZE);
    const at = DRAM + CHUNK_SIZE - 4;
    const w = new Word();
    expect(bus.store(at, 8, 0x0403_0201, 0x0807_0605)).toBe(true);
    expect([...bus.dram.readBytes(at, 8)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(bus.load(at, 8, w)).toBe(true);
    expect(u64(w)).toBe(0x0807_0605_0403_0201n);
    expect(bus.load(at + 2, 4, w)).toBe(true);
    expect(w.lo >>> 0).toBe(0x0605_0403);
  });

  it('allocates DRAM sparsely: only touched chunks are resident', () => {
    const bus = new Bus(DRAM, 2048 * 2 ** 20);
    expect(bus.dram.residentBytes).toBe(0);
    bus.store(DRAM + 1000 * CHUNK_SIZE, 4, 1, 0);
    expect(bus.dram.residentBytes).toBe(CHUNK_SIZE);
  });

  it('hands out the chunk for fast-path accesses, or null for non-RAM', () => {
    const bus = new Bus(DRAM, CHUNK_SIZE);
    expect(bus.ramChunk(DRAM + 16, 8)).toBeInstanceOf(DataView);
    expect(bus.ramChunk(DRAM - 8, 8)).toBeNull();
    expect(bus.ramChunk(DRAM + CHUNK_SIZE - 4, 8)).toBeNull();
  });
});

describe('Bus: unmapped addresses', () => {
  it('returns false for addresses with nothing behind them, including a range running off DRAM', () => {
    const bus = new Bus(DRAM, CHUNK_SIZE);
    const w = new Word();
    expect(bus.load(0x1000, 4, w)).toBe(false);
    expect(bus.store(0x1000, 4, 0, 0)).toBe(false);
    expect(bus.load(DRAM + CHUNK_SIZE - 4, 8, w)).toBe(false);
    expect(bus.load(2 ** 52, 8, w)).toBe(false);
  });
});

describe('Bus: MMIO devices', () => {
  it('dispatches to the device with the offset from its base', () => {
    const bus = new Bus(DRAM, CHUNK_SIZE);
    const dev = new Recorder('dev');
    bus.addDevice(0x1000_0000, 0x100, dev);
    const w = new Word();
    expect(bus.load(0x1000_0010, 4, w)).toBe(true);
    expect(w.lo).toBe(0x10 * 16 + 4);
    expect(bus.store(0x1000_0008, 8, 1, 2)).toBe(true);
    expect(dev.log).toEqual(['r 16 4', 'w 8 8 1 2']);
  });

  it('returns false past the end of a device and for misaligned device accesses', () => {
    const bus = new Bus(DRAM, CHUNK_SIZE);
    const dev = new Recorder('dev');
    bus.addDevice(0x1000_0000, 0x100, dev);
    const w = new Word();
    expect(bus.load(0x1000_0100, 1, w)).toBe(false);
    expect(bus.load(0x1000_00fc, 8, w)).toBe(false);
    expect(bus.load(0x1000_0002, 4, w)).toBe(false);
    expect(dev.log).toEqual([]);
  });

  it('passes a device refusal through as false', () => {
    const bus = new Bus(DRAM, CHUNK_SIZE);
    bus.addDevice(0x2000, 0x100, new Recorder('picky', true));
    expect(bus.load(0x2000, 8, new Word())).toBe(false);
    expect(bus.load(0x2000, 4, new Word())).toBe(true);
  });

  it('rejects a device overlapping another device or DRAM, naming both', () => {
    const bus = new Bus(DRAM, CHUNK_SIZE);
    bus.addDevice(0x1000, 0x1000, new Recorder('a'));
    expect(() => bus.addDevice(0x1800, 0x1000, new Recorder('b'))).toThrow(/b at 0x1800 overlaps a/);
    expect(() => bus.addDevice(0x0, 0x1001, new Recorder('c'))).toThrow(/overlaps a/);
    expect(() => bus.addDevice(DRAM - 0x10, 0x20, new Recorder('d'))).toThrow(/overlaps DRAM/);
    bus.addDevice(0x2000, 0x1000, new Recorder('adjacent'));
  });
});

describe('Bus: page flags and store hooks', () => {
  it('runs store hooks only for stores to flagged pages', () => {
    const bus = new Bus(DRAM, CHUNK_SIZE);
    const seen: [number, number][] = [];
    bus.onStore((pa, size) => seen.push([pa - DRAM, size]));
    bus.setPageFlag(DRAM + 0x3000, PAGE_WATCHED);
    bus.store(DRAM + 0x2ff8, 8, 1, 0);
    bus.store(DRAM + 0x3010, 4, 1, 0);
    bus.store(DRAM + 0x4000, 1, 1, 0);
    expect(seen).toEqual([[0x3010, 4]]);
    expect(bus.pageFlagsAt(DRAM + 0x3fff)).toBe(PAGE_WATCHED);
  });

  it('sees the stored data when the hook runs', () => {
    const bus = new Bus(DRAM, CHUNK_SIZE);
    const w = new Word();
    let value = -1;
    bus.onStore((pa) => {
      bus.load(pa, 4, w);
      value = w.lo;
    });
    bus.setPageFlag(DRAM, PAGE_CODE);
    bus.store(DRAM + 4, 4, 0x1234, 0);
    expect(value).toBe(0x1234);
  });

  it('runs hooks for a misaligned store whose last byte lands on a flagged page', () => {
    const bus = new Bus(DRAM, CHUNK_SIZE);
    let calls = 0;
    bus.onStore(() => calls++);
    bus.setPageFlag(DRAM + 0x1000, PAGE_CODE);
    bus.store(DRAM + 0xffe, 4, 0, 0);
    expect(calls).toBe(1);
  });

  it('keeps flags independent and clears them one at a time', () => {
    const bus = new Bus(DRAM, CHUNK_SIZE);
    bus.setPageFlag(DRAM, PAGE_WATCHED);
    bus.setPageFlag(DRAM, PAGE_CODE);
    bus.clearPageFlag(DRAM, PAGE_CODE);
    expect(bus.pageFlagsAt(DRAM)).toBe(PAGE_WATCHED);
    bus.setPageFlag(0x1000, PAGE_WATCHED); // outside DRAM: ignored
    expect(bus.pageFlagsAt(0x1000)).toBe(0);
  });
});
