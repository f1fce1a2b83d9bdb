/**
 * The timed walker's statistics, registered under the `mmu` scope: mmu.walker.* (walks, references
 * by stage and level, references-per-walk histogram, cycles, reads each structure saved),
 * mmu.pwc.first.* / mmu.pwc.g.* (lookups, hits by level) and mmu.nestedTlb.*. All raw counts:
 * the caller divides (cycles per walk, walks per kilo-instruction).
 */
import type { StatScope } from '../../common/stats.js';
import type { PageWalkCache } from './pwc.js';
import type { TimedWalker } from './timed-walker.js';
import { MAX_NONLEAF_LEVEL } from './walker-config.js';

/** Levels 0..4 (Sv57's root is level 4). */
export const LEVELS_MAX = MAX_NONLEAF_LEVEL + 1;
/** The references-per-walk histogram has buckets 0..HIST_LAST-1 and one for HIST_LAST or more. */
export const HIST_LAST = 40;
/** Rows of TimedWalker.refsByLevel (walk-recorder.ts Rec order). */
const STAGE_NAMES = ['native', 'vs', 'g'] as const;

export function registerWalkerStats(stats: StatScope, w: TimedWalker): void {
  const s = stats.scope('walker');
  s.register('walks', 'walks', 'Timed walks of every kind (native, V=1, G-stage only)', () => w.walks);
  s.register('walksNative', 'walks', 'Timed walks of V=0 translations (satp)', () => w.walksNative);
  s.register('walksVirt', 'walks', 'Timed walks of V=1 translations (vsatp and hgatp)', () => w.walksVirt);
  s.register('walksG', 'walks', 'Timed G-stage-only walks (a VS-stage TLB hit whose G-stage translation missed)', () => w.walksG);
  s.register('faults', 'walks', 'Timed walks that ended in a fault (charged, nothing filled)', () => w.faults);
  s.register('cycles', 'cycles', 'Cycles spent in timed walks (PTE reads, walk-cache and TLB lookups); divide by walks for cycles per walk', () => w.cycles);
  s.register('refs', 'refs', 'PTE reads the timed walks charged through the cache hierarchy', () => w.refsFirst + w.refsG);
  s.register('refsFirst', 'refs', 'Charged first-stage (native and VS-stage) PTE reads', () => w.refsFirst);
  s.register('refsG', 'refs', 'Charged G-stage PTE reads', () => w.refsG);
  for (let st = 0; st < STAGE_NAMES.length; st++) {
    for (let l = 0; l < LEVELS_MAX; l++) {
      const at = st * LEVELS_MAX + l;
      s.register(`refs.${STAGE_NAMES[st]}.l${l}`, 'refs', `Charged ${STAGE_NAMES[st]} PTE reads at level ${l}`, () => w.refsByLevel[at]!);
    }
  }
  for (let b = 0; b <= HIST_LAST; b++) {
    const name = b < HIST_LAST ? `refsPerWalk.${b}` : `refsPerWalk.${HIST_LAST}plus`;
    const what = b < HIST_LAST ? `exactly ${b}` : `${HIST_LAST} or more`;
    s.register(name, 'walks', `Timed walks that charged ${what} PTE reads`, () => w.refsHistogram[b]!);
  }
  s.register('skipped.pwcFirst', 'refs', 'PTE reads (with their G-stage walks) the first-stage page-walk cache saved', () => w.skippedByPwcFirst);
  s.register('skipped.pwcG', 'refs', 'G-stage PTE reads the G-stage page-walk cache saved', () => w.skippedByPwcG);
  s.register('skipped.nestedTlb', 'refs', 'G-stage PTE reads the nested TLB saved', () => w.skippedByNestedTlb);
  s.register('skipped.gTlb', 'refs', "G-stage PTE reads the organisation's G-stage TLB saved", () => w.skippedByGTlb);
  registerPwcStats(stats.scope('pwc').scope('first'), w.pwcFirst, 'first-stage');
  registerPwcStats(stats.scope('pwc').scope('g'), w.pwcG, 'G-stage');
  const ntlb = w.nestedTlb;
  if (ntlb !== null) {
    const n = stats.scope('nestedTlb');
    n.register('hits', 'lookups', 'Nested-TLB hits (a guest page-table page whose G-stage walk was skipped)', () => ntlb.hits);
    n.register('misses', 'lookups', 'Nested-TLB misses', () => ntlb.misses);
    n.register('fills', 'entries', 'Nested-TLB entries written', () => ntlb.fills);
    n.register('evictions', 'entries', 'Valid nested-TLB entries replaced by fills', () => ntlb.evictions);
    n.register('invalidated', 'entries', 'Nested-TLB entries dropped by HFENCE.GVMA', () => ntlb.invalidated);
  }
}

function registerPwcStats(s: StatScope, pwc: PageWalkCache, what: string): void {
  s.register('lookups', 'lookups', `Lookups of the ${what} page-walk cache`, () => pwc.lookups);
  s.register('misses', 'lookups', `Lookups of the ${what} page-walk cache that found no level`, () => pwc.misses);
  for (let l = 1; l <= MAX_NONLEAF_LEVEL; l++) {
    s.register(`l${l}.hits`, 'lookups', `Lookups of the ${what} page-walk cache whose deepest hit was level ${l}`, () => pwc.hits[l]!);
  }
  s.register('fills', 'entries', `Entries written to the ${what} page-walk cache`, () => pwc.fills);
  s.register('globalFills', 'entries', `Of the fills, entries of the ${what} page-walk cache written global (a non-leaf PTE with G=1 on the path; they match every ASID and survive ASID-specific fences)`, () => pwc.globalFills);
  s.register('evictions', 'entries', `Valid entries of the ${what} page-walk cache replaced by fills`, () => pwc.evictions);
  s.register('invalidated', 'entries', `Entries of the ${what} page-walk cache dropped by fences`, () => pwc.invalidated);
}
