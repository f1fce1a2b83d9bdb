/**
 * Branch target buffer: set-associative, indexed by pc bits [n:1] of the low 32 bits of the pc
 * (pcLo; bit 0 is always zero with IALIGN = 16). A tagged entry holds the whole 64-bit pc as its
 * tag (lo and hi), so two branches never alias; real BTBs keep a partial tag (Rocket: 14 bits
 * plus a page number), which only matters for code spread wider than its reach. An untagged
 * table (CVA6 btb.sv) hits for every pc with the same index and then predicts that entry's
 * target, right or wrong. Allocation-free after construction, except reset().
 */
import type { StatScope } from '../../common/stats.js';
import { makeReplacement, type ReplacementPolicy } from '../../caches/replacement.js';
import type { PredictorConfig } from './predictor-config.js';

const HINT_SIZE = 1024;

export class Btb {
  readonly sets: number;
  readonly ways: number;
  private readonly tagged: boolean;
  private readonly valid: Uint8Array;
  private readonly tagLo: Int32Array;
  private readonly tagHi: Int32Array;
  private readonly targetLo: Int32Array;
  private readonly targetHi: Int32Array;
  private policy: ReplacementPolicy;
  /**
   * Search acceleration only: the slot where a pc (hashed) was last found. A fully associative
   * BTB (Rocket's 28 entries) would otherwise compare every way twice per branch (lookup, then
   * train); the hint is checked first and the full search runs when it is wrong, so results
   * never depend on it.
   */
  private readonly hint = new Int32Array(HINT_SIZE);

  /** Target of the entry the last lookup() hit (int32 halves). */
  hitLo = 0;
  hitHi = 0;

  hits = 0;
  misses = 0;
  evictions = 0;
  /** The last train() allocated an entry or changed a target (touching the entry aside). */
  lastTrainChanged = true;

  constructor(
    private readonly cfg: PredictorConfig['btb'],
    stats: StatScope | null,
  ) {
    this.ways = cfg.ways;
    this.sets = cfg.entries / cfg.ways;
    this.tagged = cfg.tagged;
    this.valid = new Uint8Array(cfg.entries);
    this.tagLo = new Int32Array(cfg.entries);
    this.tagHi = new Int32Array(cfg.entries);
    this.targetLo = new Int32Array(cfg.entries);
    this.targetHi = new Int32Array(cfg.entries);
    this.policy = makeReplacement(cfg.replacement, this.sets, this.ways, cfg.seed);
    if (stats !== null) {
      stats.register('hits', 'count', 'BTB lookups that found an entry for the pc (its target may still be stale)', () => this.hits);
      stats.register('misses', 'count', 'BTB lookups that found no entry for the pc', () => this.misses);
      stats.register('evictions', 'count', 'Valid BTB entries replaced to make room for another branch', () => this.evictions);
    }
  }

  /** Every entry invalid and the replacement state as built (cold: it allocates). */
  reset(): void {
    this.lastTrainChanged = true;
    this.valid.fill(0);
    this.policy = makeReplacement(this.cfg.replacement, this.sets, this.ways, this.cfg.seed);
  }

  private setOf(pcLo: number): number {
    return (pcLo >>> 1) & (this.sets - 1);
  }

  /** The slot holding pc, or -1. */
  private find(pcLo: number, pcHi: number): number {
    const base = this.setOf(pcLo) * this.ways;
    if (!this.tagged) return this.valid[base] === 1 ? base : -1;
    const h = (pcLo >>> 1) & (HINT_SIZE - 1);
    const guess = this.hint[h]!;
    if (guess >= base && guess < base + this.ways && this.valid[guess] === 1 && this.tagLo[guess] === pcLo && this.tagHi[guess] === pcHi) return guess;
    for (let w = 0; w < this.ways; w++) {
      const s = base + w;
      if (this.valid[s] === 1 && this.tagLo[s] === pcLo && this.tagHi[s] === pcHi) {
        this.hint[h] = s;
        return s;
      }
    }
    return -1;
  }

  /** Count a lookup whose outcome is known (the predictor's repeat path): statistics only. */
  countLookup(hit: boolean): void {
    if (hit) this.hits++;
    else this.misses++;
  }

  /** Fetch-stage lookup (pc halves as int32): true on a hit, with the target in hitLo/hitHi. */
  lookup(pcLo: number, pcHi: number): boolean {
    const s = this.find(pcLo, pcHi);
    if (s < 0) {
      this.misses++;
      return false;
    }
    this.hits++;
    this.hitLo = this.targetLo[s]!;
    this.hitHi = this.targetHi[s]!;
    return true;
  }

  /**
   * A taken transfer at pc went to target: write or confirm its entry, allocating one (an
   * invalid way first, else the policy's victim) on a miss. The entry becomes most recently used.
   */
  train(pcLo: number, pcHi: number, targetLo: number, targetHi: number): void {
    let s = this.find(pcLo, pcHi);
    const set = this.setOf(pcLo);
    this.lastTrainChanged = s < 0 || this.targetLo[s] !== targetLo || this.targetHi[s] !== targetHi;
    if (s < 0) {
      const base = set * this.ways;
      let way = -1;
      for (let w = 0; w < this.ways; w++) {
        if (this.valid[base + w] === 0) {
          way = w;
          break;
        }
      }
      if (way < 0) {
        way = this.policy.victim(set);
        this.evictions++;
      }
      s = base + way;
      this.hint[(pcLo >>> 1) & (HINT_SIZE - 1)] = s;
      this.valid[s] = 1;
      this.tagLo[s] = pcLo;
      this.tagHi[s] = pcHi;
    }
    this.targetLo[s] = targetLo;
    this.targetHi[s] = targetHi;
    this.policy.touch(set, s - set * this.ways);
  }
}
