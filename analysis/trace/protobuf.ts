/**
 * The protobuf wire format, as much of it as the Perfetto exporter writes and its tests read back
 * (protobuf.dev "Encoding": varints, ZigZag, length-delimited records, fixed 64-bit). Hand-written
 * so that rvhsim needs no protobuf library and no .proto compilation step; it knows field numbers
 * and wire types, never message schemas.
 */

/** protobuf.dev "Encoding", "Message Structure": the wire types rvhsim uses. */
export const enum WireType {
  Varint = 0,
  I64 = 1,
  Len = 2,
  I32 = 5,
}

/**
 * Builds one message. Values are appended in call order; a nested message is built by a callback
 * into its own encoder because its length prefix has to precede it.
 */
export class ProtoEncoder {
  private buf = new Uint8Array(64);
  private len = 0;

  get length(): number {
    return this.len;
  }

  /** A uint32/uint64/enum field. Numbers must be non-negative safe integers. */
  uint(field: number, value: number | bigint): this {
    this.tag(field, WireType.Varint);
    this.rawVarint(value);
    return this;
  }

  /**
   * An int32/int64 field: negative values are their 64-bit two's complement, ten bytes long
   * (protobuf.dev "Encoding", "Signed Integers": intN is not ZigZag-encoded).
   */
  int(field: number, value: number | bigint): this {
    this.tag(field, WireType.Varint);
    this.rawVarint(value < 0 ? BigInt.asUintN(64, BigInt(value)) : value);
    return this;
  }

  /** A sint32/sint64 field: ZigZag, so small negative values stay short. */
  sint(field: number, value: number | bigint): this {
    this.tag(field, WireType.Varint);
    this.rawVarint(zigzagEncode(BigInt(value)));
    return this;
  }

  bool(field: number, value: boolean): this {
    return this.uint(field, value ? 1 : 0);
  }

  /** A double field: little-endian IEEE 754 binary64. */
  double(field: number, value: number): this {
    this.tag(field, WireType.I64);
    this.reserve(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 8).setFloat64(0, value, true);
    this.len += 8;
    return this;
  }

  /** A fixed64 field: little-endian, eight bytes. */
  fixed64(field: number, value: bigint): this {
    this.tag(field, WireType.I64);
    this.reserve(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 8).setBigUint64(0, BigInt.asUintN(64, value), true);
    this.len += 8;
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value));
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WireType.Len);
    this.rawVarint(value.length);
    this.rawBytes(value);
    return this;
  }

  /** A nested message field, built by `build` on a fresh encoder. */
  message(field: number, build: (m: ProtoEncoder) => void): this {
    const nested = new ProtoEncoder();
    build(nested);
    return this.bytes(field, nested.finish());
  }

  /** The encoded bytes (a view: valid until the next write). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  reset(): void {
    this.len = 0;
  }

  private tag(field: number, wire: WireType): void {
    if (!Number.isInteger(field) || field < 1 || field > 0x1fff_ffff) throw new RangeError(`protobuf field number ${field} out of range`);
    this.rawVarint(field * 8 + wire);
  }

  private rawVarint(value: number | bigint): void {
    this.reserve(10);
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`protobuf varint ${value} is not a non-negative safe integer`);
      // Division rather than shifts: JS shifts work on 32 bits and values reach 2^53.
      while (value >= 0x80) {
        this.buf[this.len++] = (value % 0x80) | 0x80;
        value = Math.floor(value / 0x80);
      }
      this.buf[this.len++] = value;
      return;
    }
    if (value < 0n || value >= 1n << 64n) throw new RangeError(`protobuf varint ${value} is outside 0..2^64-1`);
    while (value >= 0x80n) {
      this.buf[this.len++] = Number(value & 0x7fn) | 0x80;
      value >>= 7n;
    }
    this.buf[this.len++] = Number(value);
  }

  private rawBytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true });

export function zigzagEncode(value: bigint): bigint {
  return BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
}

export function zigzagDecode(value: bigint): bigint {
  return (value >> 1n) ^ -(value & 1n);
}

/** One decoded field: a varint's value, or the raw bytes of the other wire types. */
export type ProtoField = { wire: WireType.Varint; value: bigint } | { wire: WireType.I64 | WireType.Len | WireType.I32; bytes: Uint8Array };

/** A decoded message: every occurrence of each field number, in order. */
export type ProtoMessage = Map<number, ProtoField[]>;

/** Splits one message into its fields. Throws on truncated input or an unknown wire type. */
export function decodeMessage(bytes: Uint8Array): ProtoMessage {
  const out: ProtoMessage = new Map();
  let pos = 0;
  const varint = (): bigint => {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (pos >= bytes.length) throw new Error(`protobuf: varint runs past the end at byte ${pos}`);
      if (shift > 63n) throw new Error(`protobuf: varint longer than 10 bytes at byte ${pos}`);
      const b = bytes[pos++]!;
      value |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return value;
    }
  };
  const take = (n: number): Uint8Array => {
    if (pos + n > bytes.length) throw new Error(`protobuf: ${n}-byte value at byte ${pos} runs past the end (${bytes.length})`);
    const view = bytes.subarray(pos, pos + n);
    pos += n;
    return view;
  };
  while (pos < bytes.length) {
    const key = varint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (field === 0) throw new Error(`protobuf: field number 0 at byte ${pos}`);
    let decoded: ProtoField;
    if (wire === WireType.Varint) decoded = { wire, value: varint() };
    else if (wire === WireType.I64) decoded = { wire, bytes: take(8) };
    else if (wire === WireType.Len) decoded = { wire, bytes: take(Number(varint())) };
    else if (wire === WireType.I32) decoded = { wire, bytes: take(4) };
    else throw new Error(`protobuf: unsupported wire type ${wire} (field ${field}) at byte ${pos}`);
    const list = out.get(field);
    if (list === undefined) out.set(field, [decoded]);
    else list.push(decoded);
  }
  return out;
}

/** The last occurrence of a field (protobuf's rule for a repeated scalar read as singular). */
function last(m: ProtoMessage, field: number): ProtoField | undefined {
  const list = m.get(field);
  return list === undefined ? undefined : list[list.length - 1];
}

/** A varint field as an unsigned 64-bit value. */
export function varintField(m: ProtoMessage, field: number): bigint | undefined {
  const f = last(m, field);
  if (f === undefined) return undefined;
  if (f.wire !== WireType.Varint) throw new Error(`protobuf: field ${field} is not a varint`);
  return f.value;
}

/** A varint int64 field (two's complement) as a signed value. */
export function int64Field(m: ProtoMessage, field: number): bigint | undefined {
  const v = varintField(m, field);
  return v === undefined ? undefined : BigInt.asIntN(64, v);
}

export function doubleField(m: ProtoMessage, field: number): number | undefined {
  const f = last(m, field);
  if (f === undefined) return undefined;
  if (f.wire !== WireType.I64) throw new Error(`protobuf: field ${field} is not 64-bit`);
  return new DataView(f.bytes.buffer, f.bytes.byteOffset, 8).getFloat64(0, true);
}

export function fixed64Field(m: ProtoMessage, field: number): bigint | undefined {
  const f = last(m, field);
  if (f === undefined) return undefined;
  if (f.wire !== WireType.I64) throw new Error(`protobuf: field ${field} is not 64-bit`);
  return new DataView(f.bytes.buffer, f.bytes.byteOffset, 8).getBigUint64(0, true);
}

export function bytesFields(m: ProtoMessage, field: number): Uint8Array[] {
  return (m.get(field) ?? []).map((f) => {
    if (f.wire !== WireType.Len) throw new Error(`protobuf: field ${field} is not length-delimited`);
    return f.bytes;
  });
}

export function stringField(m: ProtoMessage, field: number): string | undefined {
  const all = bytesFields(m, field);
  return all.length === 0 ? undefined : textDecoder.decode(all[all.length - 1]);
}

export function stringFields(m: ProtoMessage, field: number): string[] {
  return bytesFields(m, field).map((b) => textDecoder.decode(b));
}

/** Every occurrence of a nested-message field, decoded. */
export function messageFields(m: ProtoMessage, field: number): ProtoMessage[] {
  return bytesFields(m, field).map(decodeMessage);
}

export function messageField(m: ProtoMessage, field: number): ProtoMessage | undefined {
  const all = bytesFields(m, field);
  return all.length === 0 ? undefined : decodeMessage(all[all.length - 1]!);
}

/** Varints up to 2^53 as numbers, for code that reads back what it wrote from numbers. */
export function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) throw new RangeError(`protobuf: ${value} is not a safe integer`);
  return Number(value);
}

