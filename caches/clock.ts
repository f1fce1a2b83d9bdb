import { ConfigError } from '../common/errors.js';
import { doubleFields } from '../common/double-fields.js';

/**
 * The platform's notion of time. mtime is derived from the hart's cycle count only, never from
 * the wall clock, so a run is deterministic: mtime = floor(cycles * timebaseHz / cpuHz) + offset
 * (machine.adoc "Machine Timer Registers (mtime and mtimecmp)": mtime increments at a constant
 * frequency; the offset is what a write to mtime changes).
 *
 * The ratio is kept as a reduced fraction num/den and every conversion is exact integer
 * arithmetic for values below 2^53: cycles is split as q*den + r so that no intermediate product
 * exceeds 2^53. When num*den itself would exceed 2^53 (an unusual pair of frequencies) the same
 * formula runs in BigInt.
 */
const TWO_53 = 2 ** 53;

export class Clock {
  /** Cycles elapsed since reset; advanced by the hart. */
  cycles = 0;
  private offset = 0;
  private readonly num: number;
  private readonly den: number;
  private readonly exactInNumbers: boolean;

  constructor(cpuHz: number, timebaseHz: number) {
    if (!Number.isSafeInteger(cpuHz) || cpuHz <= 0) throw new ConfigError(`platform.cpuHz must be a positive integer (got ${cpuHz})`);
    if (!Number.isSafeInteger(timebaseHz) || timebaseHz <= 0) {
      throw new ConfigError(`platform.timebaseHz must be a positive integer (got ${timebaseHz})`);
    }
    const g = gcd(cpuHz, timebaseHz);
    this.num = timebaseHz / g;
    this.den = cpuHz / g;
    this.exactInNumbers = this.num * this.den <= TWO_53;
    doubleFields(this, 'cycles');
  }

  mtime(): number {
    return this.ticksAt(this.cycles) + this.offset;
  }

  /** machine.adoc: mtime is writable; later reads continue counting from the written value. */
  setMtime(v: number): void {
    this.offset = v - this.ticksAt(this.cycles);
  }

  /**
   * The smallest cycle count at which mtime() >= t, assuming no further setMtime: lets WFI skip
   * straight to the next timer interrupt. 0 when t has already been reached at cycle 0;
   * Infinity when t (or the cycle count it needs) is 2^53 or more.
   */
  cycleWhenMtimeReaches(t: number): number {
    if (!(t < TWO_53)) return Infinity;
    const ticks = t - this.offset;
    if (ticks <= 0) return 0;
    const c = this.exactInNumbers ? this.cyclesForSmall(ticks) : this.cyclesForBig(ticks);
    return c > Number.MAX_SAFE_INTEGER ? Infinity : c;
  }

  /** floor(c * num / den), with c = q*den + r so that r*num < num*den <= 2^53. */
  private ticksAt(c: number): number {
    if (!this.exactInNumbers) return Number((BigInt(c) * BigInt(this.num)) / BigInt(this.den));
    const q = floorDiv(c, this.den);
    return q * this.num + floorDiv((c - q * this.den) * this.num, this.den);
  }

  /** ceil(t * den / num), with t = q*num + r. */
  private cyclesForSmall(t: number): number {
    const q = floorDiv(t, this.num);
    return q * this.den + ceilDiv((t - q * this.num) * this.den, this.num);
  }

  private cyclesForBig(t: number): number {
    const n = BigInt(this.num);
    return Number((BigInt(t) * BigInt(this.den) + n - 1n) / n);
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * Exact floor(x / d) for non-negative safe integers: the float quotient is correctly rounded, so
 * it can land one above or below the true floor when x is large; one correction step fixes it.
 * Returns numbers only (no tuple), since mtime() is read on the hart's interrupt-check path.
 */
function floorDiv(x: number, d: number): number {
  const q = Math.floor(x / d);
  const r = x - q * d;
  return r < 0 ? q - 1 : r >= d ? q + 1 : q;
}

function ceilDiv(x: number, d: number): number {
  const q = floorDiv(x, d);
  return q * d === x ? q : q + 1;
}
