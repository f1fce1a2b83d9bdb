/**
 * One small set-associative store of tagged keys, shared by the page-walk cache organisations
 * and the nested TLB. A key is (tag, space, kind): tag a page number or page-number prefix
 * (exact below 2^53), space the address-space context (ASID / VMID / V, packed by the owner),
 * kind whatever else the owner matches on (a level, a paging mode). An entry may ignore some
 * bits of the space (its spaceMask clears them: a global walk-cache entry ignores the ASID). Each
 * entry carries a payload the lookup does not match on: `value` (a number) and `aux` (a small
 * integer).
 *
 * Allocation-free: every field lives in a typed array sized once; a slot is set * ways + way.
 * Victims come from caches/replacement.ts, which is asked only when the set has no invalid way.
 */
import { type ReplacementKind, type ReplacementPolicy, makeReplacement } from '../../caches/replacement.js';
import { ConfigError } from '../../common/errors.js';

export class KeyStore {
  readonly sets: number;
  /** Ways per set (the entries, when fully associative). */
  readonly ways: number;
  readonly valid: Uint8Array;
  readonly tag: Float64Array;
  readonly space: Int32Array;
  /** The space bits an entry compares: -1 (all) unless it was inserted with fewer. */
  readonly spaceMask: Int32Array;
  readonly kind: Int8Array;
  readonly value: Float64Array;
  readonly aux: Int8Array;
  /** The last insert replaced a valid entry. */
  lastEvicted = false;
  private readonly policy: ReplacementPolicy;

  /** ways = 0: fully associative (one set). */
  constructor(
    readonly entries: number,
    ways: number,
    replacement: ReplacementKind,
    seed: number,
  ) {
    const assoc = ways === 0 ? entries : ways;
    if (entries < 1 || entries % assoc !== 0) throw new ConfigError(`a walk cache of ${entries} entries cannot have ${ways} ways`);
    this.ways = assoc;
    this.sets = entries / assoc;
    this.valid = new Uint8Array(entries);
    this.tag = new Float64Array(entries);
    this.space = new Int32Array(entries);
    this.spaceMask = new Int32Array(entries);
    this.kind = new Int8Array(entries);
    this.value = new Float64Array(entries);
    this.aux = new Int8Array(entries);
    this.policy = makeReplacement(replacement, this.sets, assoc, seed);
  }

  /** The set a key lives in: its tag's low bits, offset by kind so that levels spread out. */
  setOf(tag: number, kind: number): number {
    return (tag + kind) % this.sets;
  }

  /** The slot holding the key, or -1; a hit becomes the most recently used of its set. */
  find(tag: number, space: number, kind: number): number {
    const slot = this.probe(tag, space, kind);
    if (slot >= 0) this.touch(slot);
    return slot;
  }

  /** The slot holding the key (space compared under each entry's spaceMask), or -1, leaving the replacement state alone. */
  probe(tag: number, space: number, kind: number): number {
    const base = this.setOf(tag, kind) * this.ways;
    for (let s = base; s < base + this.ways; s++) {
      if (this.valid[s] === 1 && this.tag[s] === tag && ((this.space[s]! ^ space) & this.spaceMask[s]!) === 0 && this.kind[s] === kind) return s;
    }
    return -1;
  }

  /** The slot was used (hit or fill): most recently used of its set. */
  touch(slot: number): void {
    const set = Math.floor(slot / this.ways);
    this.policy.touch(set, slot - set * this.ways);
  }

  /**
   * Puts the key in (its payload, space and spaceMask overwritten if probe finds it already
   * there): into an invalid way of its set, else over the policy's victim (then lastEvicted is
   * true). Returns the slot.
   */
  insert(tag: number, space: number, kind: number, value: number, aux: number, spaceMask = -1): number {
    let slot = this.probe(tag, space, kind);
    this.lastEvicted = false;
    if (slot < 0) {
      const set = this.setOf(tag, kind);
      const base = set * this.ways;
      for (let s = base; s < base + this.ways; s++) {
        if (this.valid[s] === 0) {
          slot = s;
          break;
        }
      }
      if (slot < 0) {
        slot = base + this.policy.victim(set);
        this.lastEvicted = true;
      }
      this.valid[slot] = 1;
      this.tag[slot] = tag;
      this.kind[slot] = kind;
    }
    this.space[slot] = space;
    this.spaceMask[slot] = spaceMask;
    this.value[slot] = value;
    this.aux[slot] = aux;
    this.touch(slot);
    return slot;
  }

  /** Drops the entry in one slot. */
  invalidateSlot(slot: number): void {
    this.valid[slot] = 0;
  }

  /** Drops every valid entry the predicate selects (fences: cold code); returns how many. */
  drop(selects: (slot: number) => boolean): number {
    let n = 0;
    for (let s = 0; s < this.entries; s++) {
      if (this.valid[s] === 1 && selects(s)) {
        this.valid[s] = 0;
        n++;
      }
    }
    return n;
  }

  /** Valid entries. */
  occupancy(): number {
    let n = 0;
    for (let s = 0; s < this.entries; s++) n += this.valid[s]!;
    return n;
  }
}
