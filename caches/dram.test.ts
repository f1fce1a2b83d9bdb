import { describe, expect, it } from 'vitest';
import { StatRegistry } from '../common/stats.js';
import { Dram, type DramParams } from './dram.js';
import { Requester } from './hierarchy.js';

function makeDram(p: Partial<DramParams>): { d: Dram; reg: StatRegistry } {
  const reg = new StatRegistry();
  const d = new Dram({ latency: 40, rowBuffer: null, transferCycles: 0, ...p }, reg.scope('caches').scope('dram'));
  return { d, reg };
}

const read = (d: Dram, pa: number, now = 0) => d.access(pa, Requester.Load, false, now);

describe('Dram: latency models', () => {
  it('fixed latency without a row buffer, whatever the address', () => {
    const { d, reg } = makeDram({ latency: 40 });
    expect(read(d, 0x8000_0000)).toBe(40);
    expect(read(d, 0x8765_4320)).toBe(40);
    expect(reg.snapshot()['caches.dram.accesses']).toBe(2);
    expect(reg.snapshot()['caches.dram.rowHits']).toBe(0);
  });

  it('open-row model: same row of a bank hits, another row of that bank misses', () => {
    // 2 banks of 1 KiB rows: bank = (pa / 1024) mod 2, row = pa / 2048.
    const { d, reg } = makeDram({ rowBuffer: { banks: 2, rowBytes: 1024, rowHitLatency: 10, rowMissLatency: 30 } });
    const lat = [0, 64, 1024, 128, 2048, 0, 1536].map((pa) => read(d, pa));
    // bank0 row0 opened; hit; bank1 row0 opened; bank0 row0 hit; bank0 row1; bank0 row0; bank1 row0 hit
    expect(lat).toEqual([30, 10, 30, 10, 30, 30, 10]);
    const s = reg.snapshot();
    expect(s['caches.dram.rowHits']).toBe(3);
    expect(s['caches.dram.rowMisses']).toBe(4);
  });

  it('bandwidth: an access finding the channel busy waits for it, and the wait is counted', () => {
    const { d, reg } = makeDram({ latency: 50, transferCycles: 10 });
    expect(read(d, 0, 0)).toBe(50); // channel busy [0, 10)
    expect(read(d, 64, 0)).toBe(60); // starts at 10
    expect(read(d, 128, 5)).toBe(65); // starts at 20: waited 15
    expect(read(d, 192, 100)).toBe(50); // channel idle again; busy [100, 110)
    d.writeback(256, 100); // nobody waits for it, but it takes [110, 120)
    expect(read(d, 320, 105)).toBe(65); // starts at 120
    const s = reg.snapshot();
    expect(s['caches.dram.queueCycles']).toBe(10 + 15 + 15);
    expect(s['caches.dram.accesses']).toBe(6);
    expect(s['caches.dram.writes']).toBe(1);
  });

  it('unlimited bandwidth (transferCycles 0) never queues', () => {
    const { d, reg } = makeDram({ latency: 7 });
    for (let i = 0; i < 10; i++) expect(read(d, i * 64, 0)).toBe(7);
    expect(reg.snapshot()['caches.dram.queueCycles']).toBe(0);
  });
});
