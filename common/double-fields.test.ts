import { describe, expect, it } from 'vitest';
import { doubleFields } from './double-fields.js';

class Sample {
  pa = 0;
  cycles = 7;
  name = 'x';
  constructor(names: readonly string[]) {
    doubleFields(this, ...names);
  }
}

describe('doubleFields', () => {
  it('keeps every value it touches', () => {
    const s = new Sample(['pa', 'cycles']);
    expect(s.pa).toBe(0);
    expect(Object.is(s.pa, 0)).toBe(true);
    expect(s.cycles).toBe(7);
  });

  it('rejects a name that is not an own number field (a typo would silently do nothing)', () => {
    expect(() => new Sample(['pa', 'cylces'])).toThrow(/Sample\.cylces is not a number field/);
    expect(() => new Sample(['name'])).toThrow(/Sample\.name is not a number field/);
  });
});
