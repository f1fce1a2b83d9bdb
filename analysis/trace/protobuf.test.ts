import { describe, expect, it } from 'vitest';
import {
  ProtoEncoder,
  WireType,
  decodeMessage,
  doubleField,
  fixed64Field,
  int64Field,
  messageField,
  messageFields,
  stringField,
  stringFields,
  varintField,
  zigzagDecode,
  zigzagEncode,
} from './protobuf.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('protobuf wire format', () => {
  it('encodes the examples of protobuf.dev "Encoding" byte for byte', () => {
    // "A Simple Message": field 1 = 150 is 08 96 01.
    expect(hex(new ProtoEncoder().uint(1, 150).finish())).toBe('089601');
    // "Length-Delimited Records": field 2 = "testing" is 12 07 74 65 73 74 69 6e 67.
    expect(hex(new ProtoEncoder().string(2, 'testing').finish())).toBe('120774657374696e67');
    // "Submessages": field 3 holding the 150 message is 1a 03 08 96 01.
    expect(hex(new ProtoEncoder().message(3, (m) => m.uint(1, 150)).finish())).toBe('1a03089601');
  });

  it('writes an int64 -1 as ten bytes of two\'s complement, and a sint64 -1 as the ZigZag 1', () => {
    expect(hex(new ProtoEncoder().int(1, -1).finish())).toBe('08ffffffffffffffffff01');
    expect(hex(new ProtoEncoder().sint(1, -1).finish())).toBe('0801');
    expect([0n, -1n, 1n, -2n, 2147483647n, -2147483648n].map(zigzagEncode)).toEqual([0n, 1n, 2n, 3n, 4294967294n, 4294967295n]);
  });

  it('round-trips varints at the edges of the 7-bit groups, 2^53 and 2^64', () => {
    const values = [0, 1, 127, 128, 16383, 16384, 2 ** 32 - 1, 2 ** 32, 2 ** 35 + 5, Number.MAX_SAFE_INTEGER];
    const e = new ProtoEncoder();
    values.forEach((v, i) => e.uint(i + 1, v));
    e.uint(20, (1n << 64n) - 1n);
    const m = decodeMessage(e.finish());
    values.forEach((v, i) => expect(varintField(m, i + 1)).toBe(BigInt(v)));
    expect(varintField(m, 20)).toBe((1n << 64n) - 1n);
  });

  it('round-trips every kind of field, keeping repeated fields in order', () => {
    const bytes = new ProtoEncoder()
      .int(1, -123456789)
      .sint(2, -5)
      .double(3, 0.1)
      .fixed64(4, 0xdead_beef_0123_4567n)
      .bool(5, true)
      .string(6, 'mode')
      .string(6, 'världen')
      .message(7, (m) => m.uint(1, 7).message(2, (n) => n.string(1, 'deep')))
      .message(7, (m) => m.uint(1, 8))
      .finish();
    const m = decodeMessage(bytes);
    expect(int64Field(m, 1)).toBe(-123456789n);
    expect(zigzagDecode(varintField(m, 2)!)).toBe(-5n);
    expect(doubleField(m, 3)).toBe(0.1);
    expect(fixed64Field(m, 4)).toBe(0xdead_beef_0123_4567n);
    expect(varintField(m, 5)).toBe(1n);
    expect(stringFields(m, 6)).toEqual(['mode', 'världen']);
    const nested = messageFields(m, 7);
    expect(nested.map((n) => varintField(n, 1))).toEqual([7n, 8n]);
    expect(stringField(messageField(nested[0]!, 2)!, 1)).toBe('deep');
    expect(m.get(3)![0]!.wire).toBe(WireType.I64);
  });

  it('grows its buffer for long values and can be reused after reset', () => {
    const e = new ProtoEncoder();
    const long = 'x'.repeat(100_000);
    e.string(1, long);
    expect(stringField(decodeMessage(e.finish()), 1)).toBe(long);
    e.reset();
    e.uint(2, 3);
    expect(hex(e.finish())).toBe('1003');
  });

  it('rejects truncated input, field number 0 and unsupported wire types', () => {
    expect(() => decodeMessage(Uint8Array.of(0x08))).toThrow(/varint runs past the end/);
    expect(() => decodeMessage(Uint8Array.of(0x12, 0x05, 0x61))).toThrow(/runs past the end/);
    expect(() => decodeMessage(Uint8Array.of(0x00, 0x00))).toThrow(/field number 0/);
    expect(() => decodeMessage(Uint8Array.of(0x0b))).toThrow(/wire type 3/);
  });

  it('refuses values it cannot encode exactly', () => {
    expect(() => new ProtoEncoder().uint(1, -1)).toThrow(RangeError);
    expect(() => new ProtoEncoder().uint(1, 1.5)).toThrow(RangeError);
    expect(() => new ProtoEncoder().uint(1, 1n << 64n)).toThrow(RangeError);
    expect(() => new ProtoEncoder().uint(0, 1)).toThrow(RangeError);
  });
});
