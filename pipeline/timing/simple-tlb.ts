/**
 * A fully associative LRU TLB of 4 KiB-page entries tagged by (virtual page, context), which
 * also remembers the physical page so the timing model learns physical addresses without
 * asking the functional side. It is the stand-in the timing issue asks for until the MMU
 * design-space issue replaces it with its organisations: a miss here costs the page walk's own
 * PTE accesses through the modelled caches.
 */
export class SimpleTlb {
  private readonly tags: Float64Array;
  private readonly pages: Float64Array;
  private readonly lastUse: Float64Array;
  private useClock = 0;
  private mru = 0;
  hits = 0;
  misses = 0;
  flushes = 0;

  constructor(readonly entries: number) {
    this.tags = new Float64Array(entries).fill(NaN);
    this.pages = new Float64Array(entries);
    this.lastUse = new Float64Array(entries);
  }

  /**
   * The key of a virtual page in a context (privilege | V << 2): exact, since a virtual page
   * number is below 2^45 in magnitude.
   */
  static key(vaLo: number, vaHi: number, ctx: number): number {
    return (vaHi * 1048576 + (vaLo >>> 12) + 2 ** 45) + ctx * 2 ** 47;
  }

  /** Physical page base (a multiple of 4096) on a hit, or -1 on a miss. */
  lookup(key: number): number {
    if (this.tags[this.mru] === key) {
      this.hits++;
      this.lastUse[this.mru] = ++this.useClock;
      return this.pages[this.mru]!;
    }
    for (let i = 0; i < this.entries; i++) {
      if (this.tags[i] === key) {
        this.hits++;
        this.mru = i;
        this.lastUse[i] = ++this.useClock;
        return this.pages[i]!;
      }
    }
    this.misses++;
    return -1;
  }

  /** Insert after a miss, replacing the least recently used entry. */
  insert(key: number, pagePa: number): void {
    let victim = 0;
    for (let i = 1; i < this.entries; i++) if (this.lastUse[i]! < this.lastUse[victim]!) victim = i;
    this.tags[victim] = key;
    this.pages[victim] = pagePa;
    this.lastUse[victim] = ++this.useClock;
    this.mru = victim;
  }

  flush(): void {
    this.tags.fill(NaN);
    this.flushes++;
  }
}
