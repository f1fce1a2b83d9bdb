/**
 * 64-bit integer arithmetic on (lo, hi) int32 halves, the hart's register representation.
 * Results go to the module-level pair R (R.lo, R.hi) so that nothing allocates: BigInt would
 * allocate on every operation (measured: 26 MIPS with BigInt64Array registers against 62 MIPS
 * with halves, docs/design.md).
 */
export const R = { lo: 0, hi: 0 };

const TWO32 = 4294967296;

export function add64(alo: number, ahi: number, blo: number, bhi: number): void {
  const lo = (alo >>> 0) + (blo >>> 0);
  R.lo = lo | 0;
  R.hi = (ahi + bhi + (lo > 0xffffffff ? 1 : 0)) | 0;
}

export function sub64(alo: number, ahi: number, blo: number, bhi: number): void {
  R.lo = (alo - blo) | 0;
  R.hi = (ahi - bhi - ((alo >>> 0) < (blo >>> 0) ? 1 : 0)) | 0;
}

/** Shift left by s in 0..63. */
export function sll64(lo: number, hi: number, s: number): void {
  if (s === 0) {
    R.lo = lo;
    R.hi = hi;
  } else if (s < 32) {
    R.hi = (hi << s) | (lo >>> (32 - s));
    R.lo = lo << s;
  } else {
    R.hi = lo << (s - 32);
    R.lo = 0;
  }
}

export function srl64(lo: number, hi: number, s: number): void {
  if (s === 0) {
    R.lo = lo;
    R.hi = hi;
  } else if (s < 32) {
    R.lo = (lo >>> s) | (hi << (32 - s));
    R.hi = hi >>> s;
  } else {
    R.lo = hi >>> (s - 32);
    R.hi = 0;
  }
  R.lo |= 0;
  R.hi |= 0;
}

export function sra64(lo: number, hi: number, s: number): void {
  if (s === 0) {
    R.lo = lo;
    R.hi = hi;
  } else if (s < 32) {
    R.lo = (lo >>> s) | (hi << (32 - s));
    R.hi = hi >> s;
  } else {
    R.lo = hi >> (s - 32);
    R.hi = hi >> 31;
  }
}

export function lt64(alo: number, ahi: number, blo: number, bhi: number): boolean {
  return ahi < bhi || (ahi === bhi && alo >>> 0 < blo >>> 0);
}

export function ltu64(alo: number, ahi: number, blo: number, bhi: number): boolean {
  const ah = ahi >>> 0;
  const bh = bhi >>> 0;
  return ah < bh || (ah === bh && alo >>> 0 < blo >>> 0);
}

/** Unsigned 32x32 -> 64 product into R. */
function mulu32(a: number, b: number): void {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p0 = a0 * b0;
  const mid = a1 * b0 + a0 * b1; // < 2^33, exact
  const t = p0 + (mid % 65536) * 65536; // < 2^33, exact
  R.lo = t | 0; // ToInt32 wraps modulo 2^32
  R.hi = (a1 * b1 + Math.floor(mid / 65536) + Math.floor(t / TWO32)) | 0;
}

/** Low 64 bits of the product (MUL). */
export function mul64(alo: number, ahi: number, blo: number, bhi: number): void {
  mulu32(alo, blo);
  R.hi = (R.hi + Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0;
}

/** High 64 bits of the unsigned 128-bit product (MULHU). */
export function mulhu64(alo: number, ahi: number, blo: number, bhi: number): void {
  mulu32(alo, blo);
  const p00hi = R.hi >>> 0;
  mulu32(alo, bhi);
  const p01lo = R.lo >>> 0;
  const p01hi = R.hi >>> 0;
  mulu32(ahi, blo);
  const p10lo = R.lo >>> 0;
  const p10hi = R.hi >>> 0;
  mulu32(ahi, bhi);
  const mid = p00hi + p01lo + p10lo; // < 3 * 2^32
  const add = p01hi + p10hi + Math.floor(mid / TWO32); // < 3 * 2^32
  const lo = (R.lo >>> 0) + (add % TWO32);
  R.lo = lo | 0;
  R.hi = (R.hi + Math.floor(add / TWO32) + (lo >= TWO32 ? 1 : 0)) | 0;
}

/** High 64 bits of the signed x signed product (MULH). */
export function mulh64(alo: number, ahi: number, blo: number, bhi: number): void {
  mulhu64(alo, ahi, blo, bhi);
  // Signed correction: hi(a*b) = hiu(a*b) - (a<0 ? b : 0) - (b<0 ? a : 0)  (mod 2^64)
  let lo = R.lo;
  let hi = R.hi;
  if (ahi < 0) {
    sub64(lo, hi, blo, bhi);
    lo = R.lo;
    hi = R.hi;
  }
  if (bhi < 0) {
    sub64(lo, hi, alo, ahi);
    lo = R.lo;
    hi = R.hi;
  }
  R.lo = lo;
  R.hi = hi;
}

/** High 64 bits of signed a x unsigned b (MULHSU). */
export function mulhsu64(alo: number, ahi: number, blo: number, bhi: number): void {
  mulhu64(alo, ahi, blo, bhi);
  if (ahi < 0) sub64(R.lo, R.hi, blo, bhi);
}

const SAFE = 2 ** 52;

function toNumberSigned(lo: number, hi: number): number {
  return hi * TWO32 + (lo >>> 0);
}
function toNumberUnsigned(lo: number, hi: number): number {
  return (hi >>> 0) * TWO32 + (lo >>> 0);
}
function fromNumber(v: number): void {
  // v is an integer with |v| <= 2^53
  const hi = Math.floor(v / TWO32);
  R.lo = (v - hi * TWO32) | 0;
  R.hi = hi | 0;
}
function fromBig(v: bigint): void {
  R.lo = Number(BigInt.asIntN(32, v));
  R.hi = Number(BigInt.asIntN(32, v >> 32n));
}
function bigS(lo: number, hi: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
}
function bigU(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/**
 * Signed division (DIV/REM) with the M extension's special cases: divide by zero gives
 * quotient -1 and remainder = dividend; overflow (-2^63 / -1) gives quotient -2^63, remainder 0
 * (m-st-ext.adoc, "Division Operations" table). Operands within 2^52 use exact double arithmetic;
 * larger ones take a BigInt slow path (rare in practice).
 */
export function div64(alo: number, ahi: number, blo: number, bhi: number, rem: boolean): void {
  if (blo === 0 && bhi === 0) {
    if (rem) {
      R.lo = alo;
      R.hi = ahi;
    } else {
      R.lo = -1;
      R.hi = -1;
    }
    return;
  }
  const a = toNumberSigned(alo, ahi);
  const b = toNumberSigned(blo, bhi);
  if (Math.abs(a) < SAFE && Math.abs(b) < SAFE) {
    const q = Math.trunc(a / b);
    let r = a - q * b;
    let qq = q;
    // Correct a possible rounding of the quotient (|a| < 2^52 keeps q*b exact).
    if (r !== 0 && Math.sign(r) !== Math.sign(a)) {
      qq += Math.sign(a) === Math.sign(b) ? -1 : 1;
      r = a - qq * b;
    } else if (Math.abs(r) >= Math.abs(b)) {
      qq += Math.sign(a) === Math.sign(b) ? 1 : -1;
      r = a - qq * b;
    }
    fromNumber(rem ? r : qq);
    return;
  }
  const A = bigS(alo, ahi);
  const B = bigS(blo, bhi);
  if (A === -(1n << 63n) && B === -1n) {
    if (rem) {
      R.lo = 0;
      R.hi = 0;
    } else {
      R.lo = alo;
      R.hi = ahi;
    }
    return;
  }
  fromBig(rem ? A % B : A / B);
}

/** Unsigned division (DIVU/REMU): divide by zero gives all ones / the dividend. */
export function divu64(alo: number, ahi: number, blo: number, bhi: number, rem: boolean): void {
  if (blo === 0 && bhi === 0) {
    if (rem) {
      R.lo = alo;
      R.hi = ahi;
    } else {
      R.lo = -1;
      R.hi = -1;
    }
    return;
  }
  const a = toNumberUnsigned(alo, ahi);
  const b = toNumberUnsigned(blo, bhi);
  if (a < SAFE && b < SAFE) {
    let q = Math.floor(a / b);
    let r = a - q * b;
    if (r < 0) {
      q -= 1;
      r += b;
    } else if (r >= b) {
      q += 1;
      r -= b;
    }
    fromNumber(rem ? r : q);
    return;
  }
  const A = bigU(alo, ahi);
  const B = bigU(blo, bhi);
  fromBig(rem ? A % B : A / B);
}

/** Convert halves to a BigInt (cold paths: debug, tests). */
export function toBigInt(lo: number, hi: number): bigint {
  return bigS(lo, hi);
}
export function toBigUint(lo: number, hi: number): bigint {
  return bigU(lo, hi);
}

/** DIVW/REMW (m-st-ext.adoc): /0 gives -1 / the dividend; -2^31 / -1 overflows to -2^31 / 0. */
export function divw(a: number, b: number, rem: boolean): number {
  if (b === 0) return rem ? a : -1;
  if (a === -2147483648 && b === -1) return rem ? 0 : a;
  return rem ? a % b | 0 : (a / b) | 0;
}

/** DIVUW/REMUW: unsigned 32-bit; /0 gives all ones / the dividend (sign-extended by the caller). */
export function divuw(a: number, b: number, rem: boolean): number {
  const ua = a >>> 0;
  const ub = b >>> 0;
  if (ub === 0) return rem ? a : -1;
  return rem ? ua % ub | 0 : Math.floor(ua / ub) | 0;
}
