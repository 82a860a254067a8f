// Header codec types. Every layer is described once, as data (src/packet/headers-table.ts):
// its fields in wire order with widths, defaults and which ones are filled in automatically.
// The dissector, the encoder, the notation and the printers all read that one table.

/** A field's value: unsigned integers up to 32 bits are numbers; addresses and byte strings are bytes. */
export type FieldValue = number | Uint8Array;

export type FieldKind = 'uint' | 'mac' | 'ipv4' | 'ipv6' | 'bytes';

/** Values of one layer by field name (only fields present on the wire). */
export type Values = Record<string, FieldValue>;

export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  /** Width in bits for `uint` (1..32); addresses have fixed widths; `bytes` use `size`. */
  readonly bits?: number;
  /** Value when not given and not automatic. */
  readonly def?: FieldValue;
  /** Filled in by the encoder (length, next protocol, checksum, ...) unless given. */
  readonly auto?: boolean;
  /** Printed in hex (checksums, ethertypes). */
  readonly hex?: boolean;
  /** Other spellings accepted by the notation. */
  readonly aliases?: readonly string[];
  /** Names for well-known values (`ethertype=ipv4`). */
  readonly names?: Readonly<Record<string, number>>;
  /** Present only when this holds of the fields decoded before it (GRE's optional words). */
  readonly when?: (v: Values) => boolean;
  /** Length in bytes of a `bytes` field, from the fields before it (`undefined`: to the end of the layer's data). */
  readonly size?: (v: Values) => number | undefined;
  /** Custom text form (TCP flags): parse returns a number or an error sentence. */
  readonly parse?: (text: string) => number | string;
  readonly show?: (v: number) => string;
}

/** What a layer's contents are, after decoding its header: the next layer and where its data ends. */
export interface LayerContext {
  /** Byte offset of this layer's header. */
  off: number;
  /** Header length in bytes. */
  hdrLen: number;
  /** End of the bytes this layer may use (the enclosing layer's limit). */
  parentLimit: number;
}

export interface LayerSpec {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** One line for the notation's help. */
  readonly summary: string;
  readonly fields: readonly FieldSpec[];
  /** Set size-dependent automatic fields (ihl, data offset, GRE presence bits) from the given ones. */
  readonly prepare?: (v: Values, given: Values) => void;
  /** End of this layer's contents (IPv4 total length, UDP length); default: the parent's limit. */
  readonly limit?: (v: Values, c: LayerContext) => number;
  /** Fill length fields from the end of the contents. */
  readonly lengths?: (v: Values, given: Values, c: LayerContext, end: number) => void;
  /** A sanity problem that stops dissection here (IPv4 ihl < 5); the sentence. */
  readonly malformed?: (v: Values) => string | undefined;
}

/** A decoded layer. Offsets are absolute byte offsets in the packet. */
export interface Layer {
  name: string;
  offset: number;
  /** Header length in bytes (for payload and pad: the data length). */
  length: number;
  fields: Values;
  /** Absolute byte offset of each field (bit fields: the byte holding their first bit). */
  offsets: Record<string, number>;
  /** The header did not fit in the bytes captured; `fields` holds only what fitted. */
  truncated?: boolean;
  /** The contents are shorter than the header's length fields say. */
  short?: boolean;
  checksum?: { field: string; verdict: ChecksumVerdict; expected?: number };
  notes?: string[];
}

/** `none`: a UDP-over-IPv4 checksum of 0 (not computed); `unknown`: the covered bytes were not all captured. */
export type ChecksumVerdict = 'ok' | 'bad' | 'none' | 'unknown';

/** A layer as the encoder takes it: the name and the fields given explicitly. */
export interface LayerInput {
  name: string;
  given: Values;
}

/** Width in bits of a field as it appears on the wire (bytes fields: their current length). */
export function fieldBits(f: FieldSpec, v?: FieldValue): number {
  switch (f.kind) {
    case 'uint': return f.bits!;
    case 'mac': return 48;
    case 'ipv4': return 32;
    case 'ipv6': return 128;
    case 'bytes': return v instanceof Uint8Array ? v.length * 8 : 0;
  }
}

/** Read `bits` (<= 32) bits big-endian starting at bit `bitOff` of `b`. */
export function readBits(b: Uint8Array, bitOff: number, bits: number): number {
  if ((bitOff & 7) === 0 && (bits & 7) === 0) {
    let v = 0;
    for (let i = bitOff >> 3, n = bits >> 3; n > 0; i++, n--) v = v * 256 + b[i]!;
    return v;
  }
  let v = 0;
  for (let i = 0; i < bits; i++) {
    const p = bitOff + i;
    v = v * 2 + ((b[p >> 3]! >> (7 - (p & 7))) & 1);
  }
  return v;
}

/** Write the low `bits` bits of `value` big-endian at bit `bitOff` of `b`. */
export function writeBits(b: Uint8Array, bitOff: number, bits: number, value: number): void {
  for (let i = bits - 1, p = bitOff; i >= 0; i--, p++) {
    const bit = Math.floor(value / 2 ** i) & 1;
    const mask = 0x80 >> (p & 7);
    b[p >> 3] = bit ? b[p >> 3]! | mask : b[p >> 3]! & ~mask;
  }
}

export function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (typeof a === 'number' || typeof b === 'number' || a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
