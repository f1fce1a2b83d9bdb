/**
 * Main-memory timing: a fixed access latency, or an open-row model (a row buffer per bank: an
 * access to the open row pays rowHitLatency, any other pays rowMissLatency and leaves its row
 * open), plus an optional bandwidth limit (one line transfer per transferCycles on a single
 * channel, so an access issued while the channel is busy waits; the wait is its queuing delay).
 *
 * Simplifications, all deliberate: the channel is reserved when an access is issued, for
 * transferCycles, whatever the line size; bank conflicts cost only the row-miss latency (no
 * per-bank busy time); a closed bank (before its first access) counts as a row miss; writes
 * (write-backs, write-through stores) use the channel and the row buffers like reads but nobody
 * waits for them, so their queuing is not counted in queueCycles.
 */
import type { StatScope } from '../common/stats.js';
import type { Requester } from './hierarchy.js';
import { doubleFields } from '../common/double-fields.js';

export interface RowBufferParams {
  banks: number;
  rowBytes: number;
  rowHitLatency: number;
  rowMissLatency: number;
}

export interface DramParams {
  /** Access latency in cycles when there is no row-buffer model. */
  latency: number;
  rowBuffer: RowBufferParams | null;
  /** Minimum cycles between two line transfers; 0 means unlimited bandwidth. */
  transferCycles: number;
}

export class Dram {
  private readonly latency: number;
  private readonly transferCycles: number;
  private readonly rowModel: boolean;
  private readonly banks: number;
  private readonly rowBytes: number;
  private readonly rowHitLatency: number;
  private readonly rowMissLatency: number;
  /** Row open in each bank; -1: none yet. */
  private readonly openRow: Float64Array;
  /** First cycle at which the channel can start another transfer. */
  private channelFree = 0;

  accesses = 0;
  writes = 0;
  rowHits = 0;
  rowMisses = 0;
  queueCycles = 0;

  constructor(p: DramParams, stats: StatScope | null) {
    this.latency = p.latency;
    this.transferCycles = p.transferCycles;
    const rb = p.rowBuffer;
    this.rowModel = rb !== null;
    this.banks = rb?.banks ?? 1;
    this.rowBytes = rb?.rowBytes ?? 1;
    this.rowHitLatency = rb?.rowHitLatency ?? 0;
    this.rowMissLatency = rb?.rowMissLatency ?? 0;
    this.openRow = new Float64Array(this.banks).fill(-1);
    if (stats !== null) this.registerStats(stats);
    doubleFields(this, 'channelFree', 'queueCycles');
  }

  /**
   * Latency of an access issued at cycle `now`. Write traffic (write-through stores) also comes
   * here with write=true; its latency is returned but callers treat it as hidden.
   */
  access(pa: number, _who: Requester, write: boolean, now: number): number {
    this.accesses++;
    let queue = 0;
    if (this.transferCycles > 0) {
      const start = now > this.channelFree ? now : this.channelFree;
      queue = start - now;
      this.channelFree = start + this.transferCycles;
    }
    if (write) this.writes++;
    else this.queueCycles += queue;
    return queue + this.arrayLatency(pa);
  }

  /** A dirty line written back from the last cache level at cycle `when` (off the critical path). */
  writeback(pa: number, when: number): void {
    this.access(pa, 0 as Requester, true, when);
  }

  /** Row-buffer outcome: bank-interleaved rows (bank = row-sized chunk mod banks). */
  private arrayLatency(pa: number): number {
    if (!this.rowModel) return this.latency;
    const chunk = Math.floor(pa / this.rowBytes);
    const bank = chunk % this.banks;
    const row = Math.floor(chunk / this.banks);
    if (this.openRow[bank] === row) {
      this.rowHits++;
      return this.rowHitLatency;
    }
    this.openRow[bank] = row;
    this.rowMisses++;
    return this.rowMissLatency;
  }

  private registerStats(s: StatScope): void {
    s.register('accesses', 'count', 'DRAM accesses: line fills, write-backs and write-through stores', () => this.accesses);
    s.register('writes', 'count', 'DRAM accesses that were writes (write-backs and write-through stores); included in accesses', () => this.writes);
    s.register('rowHits', 'count', 'DRAM accesses to the open row of their bank (0 without the row-buffer model)', () => this.rowHits);
    s.register('rowMisses', 'count', 'DRAM accesses that opened a new row (0 without the row-buffer model)', () => this.rowMisses);
    s.register('queueCycles', 'cycles', 'Cycles reads waited for the DRAM channel (bandwidth limit)', () => this.queueCycles);
  }
}
