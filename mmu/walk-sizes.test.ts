import { describe, expect, it } from 'vitest';
import { Cause } from '../common/causes.js';
import { Access, Priv } from './access.js';
import { PageTables, RWX_AD, halves } from './test-support/page-tables.js';
import { type PteObserver, type StageKind, WalkOut, walk } from './walk.js';

const MODES = [
  { name: 'Sv39', levels: 3, vaBits: 39, pages: ['4 KiB', '2 MiB', '1 GiB'] },
  { name: 'Sv48', levels: 4, vaBits: 48, pages: ['4 KiB', '2 MiB', '1 GiB', '512 GiB'] },
  { name: 'Sv57', levels: 5, vaBits: 57, pages: ['4 KiB', '2 MiB', '1 GiB', '512 GiB', '256 TiB'] },
] as const;

const PATTERN = 0x0123_4567_89ab_cdefn;
const PERM = { priv: Priv.S, sum: false, mxr: false, adue: false, hlvx: false };

function signExtend(v: bigint, bits: number): bigint {
  return BigInt.asUintN(64, BigInt.asIntN(bits, v));
}

function run(pt: PageTables, va: bigint, access: Access, observer: PteObserver | null = null) {
  const out = new WalkOut();
  const [lo, hi] = halves(va);
  const stage = { levels: pt.levels, rootPpn: pt.rootPpn, kind: 'native' as const };
  return { cause: walk(lo, hi, access, stage, PERM, pt.mem, out, null, observer), out };
}

for (const mode of MODES) {
  const w = BigInt(mode.vaBits);
  const low = PATTERN & ((1n << (w - 1n)) - 1n); // bit w-1 clear: the lower half
  const high = signExtend(PATTERN | (1n << (w - 1n)), mode.vaBits); // bit w-1 set, sign-extended
  const sec = `supervisor.adoc "${mode.name}: Addressing and Memory Protection"`;

  describe(`${mode.name} walk`, () => {
    mode.pages.forEach((size, level) => {
      const shift = 12n + 9n * BigInt(level);
      const base = 0x13n << shift; // aligned to the page size; below 2^53 for every level
      for (const [half, va] of [['lower', low], ['upper', high]] as const) {
        it(`maps a ${size} leaf (level ${level}) in the ${half} half with pa.ppn[i-1:0] = va.vpn[i-1:0] (${sec}; supervisor.adoc "Virtual Address Translation Process" step 10)`, () => {
          const pt = new PageTables(mode.levels);
          pt.map(va, base, level, RWX_AD);
          const { cause, out } = run(pt, va, Access.Load);
          expect(cause).toBe(0);
          expect(BigInt(out.pa)).toBe(base + (va & ((1n << shift) - 1n)));
          expect(out.level).toBe(level);
          expect(out.pageShift).toBe(Number(shift));
          expect(BigInt(out.pageBase)).toBe(base);
          expect(pt.mem.reads).toHaveLength(mode.levels - level);
        });
      }

      it(`reports exactly ${mode.levels - level} PTE reads to the observer for a ${size} leaf, root first`, () => {
        const pt = new PageTables(mode.levels);
        pt.map(high, base, level, RWX_AD);
        const seen: [number, StageKind, number][] = [];
        expect(run(pt, high, Access.Fetch, (pa, stage, l) => seen.push([pa, stage, l])).cause).toBe(0);
        expect(seen.map((s) => s[2])).toEqual(
          Array.from({ length: mode.levels - level }, (_, k) => mode.levels - 1 - k),
        );
        expect(seen.every((s) => s[1] === 'native')).toBe(true);
        expect(seen.map((s) => s[0])).toEqual(pt.mem.reads);
        expect(BigInt(seen[0]![0])).toBe(pt.root + ((high >> (12n + 9n * BigInt(mode.levels - 1))) & 0x1ffn) * 8n);
      });
    });

    it(`uses the root index from VA bits ${mode.vaBits - 1}:${mode.vaBits - 9} only (${sec})`, () => {
      const pt = new PageTables(mode.levels);
      pt.map(low, 0x8000_0000n, 0, RWX_AD);
      pt.map(high, 0x9000_0000n, 0, RWX_AD);
      expect(run(pt, low, Access.Load).out.pa).toBe(0x8000_0000 + Number(low & 0xfffn));
      expect(run(pt, high, Access.Load).out.pa).toBe(0x9000_0000 + Number(high & 0xfffn));
    });

    const nonCanonical: [string, bigint][] = [
      [`bit ${mode.vaBits} set above a clear bit ${mode.vaBits - 1}`, low | (1n << w)],
      [`bit 63 clear above a set bit ${mode.vaBits - 1}`, high & ~(1n << 63n)],
      [`bit ${mode.vaBits - 1} set with the upper bits clear`, low | (1n << (w - 1n))],
    ];
    for (const [what, va] of nonCanonical) {
      for (const [access, name, pf] of [
        [Access.Fetch, 'fetch', Cause.InstructionPageFault],
        [Access.Load, 'load', Cause.LoadPageFault],
        [Access.Store, 'store', Cause.StorePageFault],
      ] as const) {
        it(`raises a ${name} page fault without reading a PTE for a non-canonical VA (${what}) (supervisor.adoc norm:${mode.name}_va_signext)`, () => {
          const pt = new PageTables(mode.levels);
          pt.map(va, 0x8000_0000n, 0, RWX_AD); // mapped as far as the VPN bits go: still must fault
          expect(run(pt, va, access).cause).toBe(pf);
          expect(pt.mem.reads).toHaveLength(0);
        });
      }
    }

    it(`accepts the extreme canonical VAs 0 and 2^64-1 (${sec})`, () => {
      const pt = new PageTables(mode.levels);
      pt.map(0n, 0x8000_0000n, 0, RWX_AD);
      pt.map((1n << 64n) - 1n, 0x8000_1000n, 0, RWX_AD);
      expect(run(pt, 0n, Access.Load).out.pa).toBe(0x8000_0000);
      expect(run(pt, (1n << 64n) - 1n, Access.Load).out.pa).toBe(0x8000_1fff);
    });
  });
}
