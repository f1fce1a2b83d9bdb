/**
 * A 64-bit value as two int32 halves. Used as an out-parameter on hot paths so that a 64-bit
 * load never allocates (a BigInt would, on every access).
 */
export class Word {
  lo = 0;
  hi = 0;
}
