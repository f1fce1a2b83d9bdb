import { describe, expect, it } from 'vitest';
import { R, add64, div64, divu64, lt64, ltu64, mul64, mulh64, mulhsu64, mulhu64, sll64, sra64, srl64, sub64, toBigInt } from './int64.js';

// A seeded xorshift so the property tests are reproducible.
function rng(seed: number): () => bigint {
  let s = BigInt(seed) | 1n;
  return () => {
    s ^= (s << 13n) & 0xffffffffffffffffn;
    s ^= s >> 7n;
    s ^= (s << 17n) & 0xffffffffffffffffn;
    return s;
  };
}
const EDGES = [0n, 1n, -1n, 2n, -2n, 3n, 7n, -(1n << 63n), (1n << 63n) - 1n, 1n << 31n, -(1n << 31n), (1n << 32n) - 1n, 1n << 32n, 1n << 52n, (1n << 53n) + 1n, -(1n << 52n) - 3n, 0x123456789abcdefn];
function values(n: number): bigint[] {
  const r = rng(12345);
  const out = [...EDGES];
  for (let i = 0; i < n; i++) {
    const v = r();
    const shift = BigInt(Number(v & 63n));
    out.push(BigInt.asIntN(64, v >> shift));
  }
  return out;
}
const lo = (v: bigint) => Number(BigInt.asIntN(32, v));
const hi = (v: bigint) => Number(BigInt.asIntN(32, v >> 32n));
const res = () => toBigInt(R.lo, R.hi);
const s64 = (v: bigint) => BigInt.asIntN(64, v);
const u64 = (v: bigint) => BigInt.asUintN(64, v);

describe('64-bit arithmetic on int32 halves agrees with BigInt', () => {
  const vs = values(60);
  it('add, sub, compare', () => {
    for (const a of vs)
      for (const b of vs) {
        add64(lo(a), hi(a), lo(b), hi(b));
        expect(res()).toBe(s64(a + b));
        sub64(lo(a), hi(a), lo(b), hi(b));
        expect(res()).toBe(s64(a - b));
        expect(lt64(lo(a), hi(a), lo(b), hi(b))).toBe(a < b);
        expect(ltu64(lo(a), hi(a), lo(b), hi(b))).toBe(u64(a) < u64(b));
      }
  });
  it('shifts by every amount 0..63', () => {
    for (const a of vs)
      for (let s = 0; s < 64; s++) {
        sll64(lo(a), hi(a), s);
        expect(res()).toBe(s64(a << BigInt(s)));
        srl64(lo(a), hi(a), s);
        expect(res()).toBe(s64(u64(a) >> BigInt(s)));
        sra64(lo(a), hi(a), s);
        expect(res()).toBe(a >> BigInt(s));
      }
  });
  it('MUL, MULH, MULHU, MULHSU (m-st-ext.adoc "Multiplication Operations")', () => {
    for (const a of vs)
      for (const b of vs) {
        mul64(lo(a), hi(a), lo(b), hi(b));
        expect(res()).toBe(s64(a * b));
        mulh64(lo(a), hi(a), lo(b), hi(b));
        expect(res()).toBe(s64((a * b) >> 64n));
        mulhu64(lo(a), hi(a), lo(b), hi(b));
        expect(res()).toBe(s64((u64(a) * u64(b)) >> 64n));
        mulhsu64(lo(a), hi(a), lo(b), hi(b));
        expect(res()).toBe(s64((a * u64(b)) >> 64n));
      }
  });
  it('DIV, DIVU, REM, REMU including divide-by-zero and overflow (m-st-ext.adoc "Division Operations")', () => {
    for (const a of vs)
      for (const b of vs) {
        const ov = a === -(1n << 63n) && b === -1n;
        div64(lo(a), hi(a), lo(b), hi(b), false);
        expect(res()).toBe(b === 0n ? -1n : ov ? a : s64(a / b));
        div64(lo(a), hi(a), lo(b), hi(b), true);
        expect(res()).toBe(b === 0n ? a : ov ? 0n : s64(a % b));
        divu64(lo(a), hi(a), lo(b), hi(b), false);
        expect(res()).toBe(b === 0n ? -1n : s64(u64(a) / u64(b)));
        divu64(lo(a), hi(a), lo(b), hi(b), true);
        expect(res()).toBe(b === 0n ? a : s64(u64(a) % u64(b)));
      }
  });
});
