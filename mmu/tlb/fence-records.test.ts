import { describe, expect, it } from 'vitest';
import { StatRegistry } from '../../common/stats.js';
import { FENCE_KIND_NAMES, FenceKind, FenceLog, TlbId } from './fence-records.js';
import { FenceShadow } from './fence-shadow.js';
import { EntryKind, TAG_V } from './tlb-array.js';

describe('fence log', () => {
  it('aggregates each completed fence by kind: count, cycles, drops per structure, stale and collateral', () => {
    const reg = new StatRegistry();
    const log = new FenceLog(10, reg.scope('mmu.fence'));
    const r = log.begin(FenceKind.HfenceGvma, 7, 0x100, 0, 0x40, 0, true, 3, true);
    r.dropped[TlbId.DTlb] = 4;
    r.stale[TlbId.DTlb] = 1;
    r.dropped[TlbId.GTlb] = 2;
    r.stale[TlbId.GTlb] = 2;
    log.addWalkCaches(r, { pwcFirst: 0, pwcG: 5, nestedTlb: 1 });
    log.end(r, 9);
    const s = reg.snapshot();
    expect([s['mmu.fence.hfence-gvma.count'], s['mmu.fence.hfence-gvma.cycles']]).toEqual([1, 9]);
    expect([s['mmu.fence.hfence-gvma.dropped.dtlb'], s['mmu.fence.hfence-gvma.dropped.gtlb'], s['mmu.fence.hfence-gvma.dropped.pwcG']]).toEqual([4, 2, 5]);
    expect([s['mmu.fence.hfence-gvma.stale'], s['mmu.fence.hfence-gvma.collateral']]).toEqual([3, 3]);
    expect([r.kindName, r.rs1, r.rs2, r.collateral]).toEqual(['hfence-gvma', 0x40n, 3, 3]);
  });

  it('registers the same statistics for every fence kind', () => {
    const reg = new StatRegistry();
    new FenceLog(0, reg.scope('mmu.fence'));
    const names = reg.descriptors().map((d) => d.name);
    expect(names.filter((n) => n.endsWith('.count'))).toHaveLength(FENCE_KIND_NAMES.length);
    expect(reg.descriptors().every((d) => d.unit !== '' && d.description !== '')).toBe(true);
  });

  it('with a limit of 0 keeps no record but still aggregates', () => {
    const log = new FenceLog(0, null);
    log.end(log.begin(FenceKind.SfenceVma, 0, 0, 0, 0, 0, false, 0, false), 1);
    expect([log.records.length, log.count[FenceKind.SfenceVma]]).toEqual([0, 1]);
  });
});

describe('fence shadow', () => {
  const log = new FenceLog(10, null);
  const rec = (kind: FenceKind) => log.begin(kind, 0, 0, 0, 0, 0, false, 0, false);

  it('finds a collaterally dropped translation by tag and page range until the window closes', () => {
    const sh = new FenceShadow(8, 100);
    const r = rec(FenceKind.SatpWrite);
    sh.begin(r, 50);
    sh.collateral(EntryKind.Native, 2, -1, 512, 1024); // a 2 MiB entry of ASID 2
    expect(sh.match(false, 3, 600, 60)).toBeNull(); // other ASID
    expect(sh.match(true, 2, 600, 60)).toBeNull(); // a G-stage walk is another translation
    expect(sh.match(false, 2, 600, 151)).toBeNull(); // window closed (50 + 100 < 151)
    sh.begin(r, 200);
    sh.collateral(EntryKind.Native, 2, -1, 512, 1024);
    expect(sh.match(false, 2, 600, 210)).toBe(r);
    expect(sh.match(false, 2, 600, 220)).toBeNull(); // charged once
  });

  it('charges the newest fence when two dropped the same translation', () => {
    const sh = new FenceShadow(8, 1000);
    const a = rec(FenceKind.HfenceGvma);
    const b = rec(FenceKind.HgatpWrite);
    sh.begin(a, 10);
    sh.collateral(EntryKind.Combined, TAG_V, -1, 5, 6);
    sh.begin(b, 10);
    sh.collateral(EntryKind.Combined, TAG_V, -1, 5, 6);
    expect(sh.match(false, TAG_V, 5, 20)).toBe(b);
  });
});
