/**
 * Makes number fields doubles from the object's construction on.
 *
 * V8 gives an object field the representation of the first value stored in it. A field that
 * starts as a small integer (`pa = 0`) and later receives a number outside int32 (a physical
 * address above 2^31, a PPN computed in doubles, a cycle count past 2^31) forces a new hidden
 * class in the middle of a run: every optimised function that had seen the old class (every
 * translated block, the timing model's retire path) deoptimises and is compiled again. In a
 * sweep worker that happened for each new kind of point, and on 2 cores that compile work comes
 * out of the simulations' own time. Storing a non-integer once, at construction, and then the
 * field's real value back, fixes the representation before any code is compiled against it;
 * the values themselves are unchanged.
 *
 * Call at the end of the constructor with every field that can hold such numbers (private ones
 * too, hence names as strings: a name that is not a number field of `o` throws).
 */
export function doubleFields(o: object, ...names: readonly string[]): void {
  const fields = o as Record<string, unknown>;
  for (const name of names) {
    const value = fields[name];
    if (typeof value !== 'number' || !Object.hasOwn(o, name)) throw new TypeError(`doubleFields: ${o.constructor.name}.${name} is not a number field`);
    fields[name] = 0.5;
    fields[name] = value;
  }
}
