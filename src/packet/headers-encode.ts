// The encoder: a stack of layers with some fields given -> bytes. Fields not given take their
// default; automatic ones are filled in: next-protocol fields from the next layer, lengths from
// what follows, checksums last (innermost first, so an outer checksum covers final inner bytes).
// Given fields are written as given, so wrong lengths and checksums can be built on purpose.
import { fail } from '../diag/index.js';
import { fieldBits, readBits, writeBits, type FieldSpec, type LayerInput, type LayerSpec, type Values } from './headers.js';
import { contentEnd, layerSpec } from './headers-table.js';
import { LINKS } from './headers-links.js';
import { expectedChecksum, hasChecksum, type IpContext } from './headers-checksum.js';

export interface Encoded {
  bytes: Uint8Array;
  /** Every field of every layer as written, in stack order (payload and pad: `data`). */
  values: Values[];
  /** Byte offset of each layer. */
  offsets: number[];
}

/** Called for a stack that cannot be encoded; `layer` is the index of the offending layer. Must throw. */
export type EncodeErrorHandler = (layer: number, message: string, field?: string) => never;

const defaultError: EncodeErrorHandler = (_layer, message) => fail('packet', message);

/** The fields present on the wire, given the values decided so far (GRE's optional words). */
export function presentFields(spec: LayerSpec, v: Values): FieldSpec[] {
  return spec.fields.filter((f) => !f.when || f.when(v));
}

export function encodeLayers(inputs: readonly LayerInput[], onError: EncodeErrorHandler = defaultError): Encoded {
  const specs = inputs.map((l, i) => layerSpec(l.name) ?? onError(i, `unknown layer '${l.name}'`));
  specs.forEach((s, i) => { if (s.name === 'pad' && i !== specs.length - 1) onError(i, 'pad must be the last layer'); });
  const hasPad = specs.length > 0 && specs[specs.length - 1]!.name === 'pad';
  const body = hasPad ? specs.length - 1 : specs.length;

  // Values, header sizes and offsets.
  const values: Values[] = [];
  const lens: number[] = [];
  const offsets: number[] = [];
  let off = 0;
  for (let i = 0; i < body; i++) {
    const spec = specs[i]!;
    const given = inputs[i]!.given;
    const v: Values = {};
    for (const f of spec.fields) v[f.name] = given[f.name] ?? f.def ?? 0;
    spec.prepare?.(v, given);
    link(spec, specs[i + 1]?.name, v, given, i, onError);
    const fields = presentFields(spec, v);
    for (const f of spec.fields) if (!fields.includes(f)) delete v[f.name];
    const bits = fields.reduce((n, f) => n + fieldBits(f, v[f.name]), 0);
    values.push(v);
    offsets.push(off);
    lens.push(bits / 8);
    off += bits / 8;
  }
  const frameEnd = off;

  // Lengths, outside in: each layer's contents end where its parent's do unless a length says otherwise.
  const ends: number[] = [];
  let limit = frameEnd;
  for (let i = 0; i < body; i++) {
    const c = { off: offsets[i]!, hdrLen: lens[i]!, parentLimit: limit };
    specs[i]!.lengths?.(values[i]!, inputs[i]!.given, c, limit);
    limit = contentEnd(specs[i]!, values[i]!, c).end;
    ends.push(limit);
  }

  const padding = hasPad ? padBytes(inputs[body]!.given, frameEnd) : new Uint8Array(0);
  const bytes = new Uint8Array(frameEnd + padding.length);
  for (let i = 0; i < body; i++) writeLayer(bytes, offsets[i]!, presentFields(specs[i]!, values[i]!), values[i]!);
  bytes.set(padding, frameEnd);

  // Checksums, inside out.
  const ips: (IpContext | undefined)[] = [];
  let ip: IpContext | undefined;
  for (let i = 0; i < body; i++) {
    ips.push(ip);
    if (specs[i]!.name === 'ipv4' || specs[i]!.name === 'ipv6') ip = { kind: specs[i]!.name as 'ipv4' | 'ipv6', off: offsets[i]! };
  }
  for (let i = body - 1; i >= 0; i--) {
    const name = specs[i]!.name;
    const v = values[i]!;
    if (!hasChecksum(name) || inputs[i]!.given.checksum !== undefined || v.checksum === undefined) continue;
    const { at, value } = expectedChecksum(name, bytes, offsets[i]!, lens[i]!, ends[i]!, ips[i]);
    v.checksum = value;
    bytes[at] = value >> 8;
    bytes[at + 1] = value & 0xff;
  }
  if (hasPad) { values.push({ data: padding }); offsets.push(frameEnd); }
  return { bytes, values, offsets };
}

/** Fill the field naming the next layer (and MPLS's bottom-of-stack bit) unless given. */
function link(spec: LayerSpec, next: string | undefined, v: Values, given: Values, i: number, onError: EncodeErrorHandler): void {
  if (spec.name === 'mpls' && given.s === undefined) v.s = next === 'mpls' ? 0 : 1;
  const l = LINKS[spec.name];
  if (!l || given[l.field] !== undefined) return;
  if (next === undefined || next === 'payload' || next === 'pad') { v[l.field] = l.none; return; }
  const value = l.table[next];
  if (value === undefined) {
    onError(i + 1, `${next} cannot follow ${spec.name}; give ${spec.name}(${l.field}=...) to place it there anyway`, l.field);
  }
  v[l.field] = value;
}

function writeLayer(bytes: Uint8Array, off: number, fields: FieldSpec[], v: Values): void {
  let bit = off * 8;
  for (const f of fields) {
    const value = v[f.name]!;
    const n = fieldBits(f, value);
    if (typeof value === 'number') writeBits(bytes, bit, n, value);
    else bytes.set(value.subarray(0, n / 8), bit / 8);
    bit += n;
  }
}

/** The pad layer's bytes: `data`, then zeros up to `min` bytes of frame. */
function padBytes(given: Values, frameEnd: number): Uint8Array {
  const data = (given.data as Uint8Array | undefined) ?? new Uint8Array(0);
  const min = typeof given.min === 'number' ? given.min : 0;
  const total = Math.max(data.length, min - frameEnd);
  const out = new Uint8Array(total);
  out.set(data);
  return out;
}

/** Decode one field at bit `bit` (the caller checked it fits). */
export function readField(bytes: Uint8Array, bit: number, f: FieldSpec, nbits: number): number | Uint8Array {
  if (f.kind === 'uint') return readBits(bytes, bit, nbits);
  return bytes.slice(bit / 8, bit / 8 + nbits / 8);
}
