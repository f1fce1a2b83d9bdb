/**
 * The fence shadow: entries a fence dropped collaterally (outside its architectural scope),
 * remembered for `window` cycles so that a page walk refilling one of them is charged to that
 * fence. A ring of typed arrays sized once; a walk scans it only while some fence's window is
 * still open.
 */
import { EntryKind, type CollateralSink } from './tlb-array.js';
import type { FenceRecord } from './fence-records.js';
import { doubleFields } from '../../common/double-fields.js';

export class FenceShadow implements CollateralSink {
  private readonly base: Float64Array;
  private readonly end: Float64Array;
  private readonly tag: Int32Array;
  private readonly mask: Int32Array;
  private readonly gStage: Uint8Array;
  private readonly time: Float64Array;
  private readonly owner: (FenceRecord | null)[];
  private next = 0;
  /** Slots ever written (the scan stops there) and slots still owned by a fence. */
  private used = 0;
  private live = 0;
  /** Cycle of the newest collateral drop; -Infinity: none. */
  private newest = -Infinity;
  private fence: FenceRecord | null = null;
  private fenceTime = 0;

  constructor(
    readonly capacity: number,
    readonly window: number,
  ) {
    this.base = new Float64Array(capacity);
    this.end = new Float64Array(capacity);
    this.tag = new Int32Array(capacity);
    this.mask = new Int32Array(capacity);
    this.gStage = new Uint8Array(capacity);
    this.time = new Float64Array(capacity);
    this.owner = new Array<FenceRecord | null>(capacity).fill(null);
    doubleFields(this, 'fenceTime');
  }

  /** Collateral drops from now on belong to fence r, executing at `now`. */
  begin(r: FenceRecord, now: number): void {
    this.fence = r;
    this.fenceTime = now;
  }

  collateral(kind: EntryKind, trueTag: number, mask: number, base: number, end: number): void {
    if (this.fence === null || this.capacity === 0 || this.window <= 0) return;
    const i = this.next;
    this.next = i + 1 === this.capacity ? 0 : i + 1;
    if (this.used < this.capacity) this.used++;
    if (this.owner[i] === null) this.live++;
    this.base[i] = base;
    this.end[i] = end;
    this.tag[i] = trueTag;
    this.mask[i] = mask;
    this.gStage[i] = kind === EntryKind.G ? 1 : 0;
    this.time[i] = this.fenceTime;
    this.owner[i] = this.fence;
    this.newest = this.fenceTime;
  }

  /**
   * The fence that collaterally dropped the translation of `page` under true tag `trueKey`
   * (gStage: a G-stage translation of a GPA page) within the window before `now`, or null.
   * Every remembered drop of that translation is forgotten: a refill is charged once, to the
   * newest fence.
   */
  match(gStage: boolean, trueKey: number, page: number, now: number): FenceRecord | null {
    if (this.live === 0 || now - this.newest > this.window) return null;
    const g = gStage ? 1 : 0;
    const oldest = now - this.window;
    let found: FenceRecord | null = null;
    for (let i = 0; i < this.used; i++) {
      const r = this.owner[i];
      if (r === null) continue;
      if (this.time[i] < oldest) {
        this.owner[i] = null;
        this.live--;
        continue;
      }
      if (this.gStage[i] !== g || page < this.base[i] || page >= this.end[i] || (trueKey & this.mask[i]) !== this.tag[i]) continue;
      if (found === null || r.seq > found.seq) found = r;
      this.owner[i] = null;
      this.live--;
    }
    return found;
  }
}
