// The dissector: bytes -> layers, walking by ethertype, IP protocol, UDP port and GRE protocol.
// Never throws on bad bytes: a header cut short is reported `truncated` (with the fields that
// fitted), a length field that claims more than was captured makes the layer `short`, and
// whatever no header claims ends as `payload` (inside the innermost length) or `pad` (after it).
import { fieldBits, type Layer, type Values } from './headers.js';
import { contentEnd, layerSpec } from './headers-table.js';
import { nextLayer } from './headers-links.js';
import { expectedChecksum, hasChecksum, type IpContext } from './headers-checksum.js';
import { readField } from './headers-encode.js';

export function dissect(bytes: Uint8Array, first = 'eth'): Layer[] {
  const layers: Layer[] = [];
  const ends: number[] = [];
  const ips: (IpContext | undefined)[] = [];
  const unsure: boolean[] = []; // contents not all there (short or fragmented): L4 checksums unknown
  let pos = 0;
  let limit = bytes.length;
  let name: string | undefined = first;
  let ip: IpContext | undefined;
  let clipped = false;

  while (name !== undefined && pos < limit) {
    const spec = layerSpec(name)!;
    const v: Values = {};
    const offsets: Record<string, number> = {};
    let bit = pos * 8;
    let truncated = false;
    for (const f of spec.fields) {
      if (f.when && !f.when(v)) continue;
      const size = f.kind === 'bytes' ? f.size?.(v) ?? limit - bit / 8 : undefined;
      const n = size !== undefined ? size * 8 : fieldBits(f);
      if (bit + n > limit * 8) { truncated = true; break; }
      offsets[f.name] = bit >> 3;
      v[f.name] = readField(bytes, bit, f, n);
      bit += n;
    }
    if (truncated) {
      layers.push({ name: spec.name, offset: pos, length: limit - pos, fields: v, offsets, truncated: true,
        notes: [`${spec.name} header needs more than the ${limit - pos} bytes left`] });
      pos = limit;
      break;
    }
    const hdrLen = bit / 8 - pos;
    const layer: Layer = { name: spec.name, offset: pos, length: hdrLen, fields: v, offsets };
    layers.push(layer);
    ips.push(ip);
    const problem = spec.malformed?.(v);
    if (problem) {
      layer.notes = [problem];
      ends.push(limit);
      unsure.push(true);
      pos += hdrLen;
      break;
    }
    const { end, short } = contentEnd(spec, v, { off: pos, hdrLen, parentLimit: limit });
    if (short) { layer.short = true; layer.notes = [`${spec.name} says its contents end at byte ${spec.limit!(v, { off: pos, hdrLen, parentLimit: limit })}, the data ends at ${limit}`]; }
    clipped ||= short || isFragment(spec.name, v);
    ends.push(end);
    unsure.push(clipped);
    if (spec.name === 'ipv4' || spec.name === 'ipv6') ip = { kind: spec.name, off: pos };
    name = nextLayer(spec.name, v, end > pos + hdrLen ? bytes[pos + hdrLen] : undefined);
    pos += hdrLen;
    limit = end;
  }
  if (pos < limit) layers.push(raw('payload', bytes, pos, limit));
  if (limit < bytes.length) layers.push(raw('pad', bytes, limit, bytes.length));

  layers.forEach((l, i) => {
    if (l.truncated || !hasChecksum(l.name) || l.fields.checksum === undefined) return;
    const actual = l.fields.checksum as number;
    const field = 'checksum';
    if (l.name !== 'ipv4' && unsure[i]) { l.checksum = { field, verdict: 'unknown' }; return; }
    const { value } = expectedChecksum(l.name, bytes, l.offset, l.length, ends[i]!, ips[i]);
    const verdict = actual === value ? 'ok' : l.name === 'udp' && actual === 0 && ips[i]?.kind !== 'ipv6' ? 'none' : 'bad';
    l.checksum = { field, verdict, expected: value };
  });
  return layers;
}

function isFragment(name: string, v: Values): boolean {
  if (name === 'ipv4') return v.mf === 1 || v.frag !== 0;
  if (name === 'ipv6frag') {
    const d = v.data as Uint8Array;
    return d.length >= 2 && (((d[0]! << 8) | d[1]!) >> 3 !== 0 || (d[1]! & 1) === 1);
  }
  return false;
}

function raw(name: 'payload' | 'pad', bytes: Uint8Array, from: number, to: number): Layer {
  return { name, offset: from, length: to - from, fields: { data: bytes.slice(from, to) }, offsets: { data: from } };
}
