// Bytes -> the packet notation. Prints each field whose value the encoder would not produce by
// itself (defaults, lengths, next-protocol fields, checksums), so parsePacket(formatPacket(p))
// gives back p byte for byte, bad checksums and odd lengths included.
import { sameValue, type FieldSpec, type FieldValue, type Layer, type LayerInput } from './headers.js';
import { formatIpv4, formatIpv6, formatMac, toHex } from './headers-addr.js';
import { dissect } from './headers-dissect.js';
import { encodeLayers } from './headers-encode.js';
import { layerSpec } from './headers-table.js';

/** A field value as the notation writes it. */
export function formatValue(f: FieldSpec, v: FieldValue): string {
  if (typeof v === 'number') {
    if (f.show) return f.show(v);
    return f.hex ? `0x${v.toString(16).padStart(Math.ceil(f.bits! / 4), '0')}` : String(v);
  }
  switch (f.kind) {
    case 'mac': return formatMac(v);
    case 'ipv4': return formatIpv4(v);
    case 'ipv6': return formatIpv6(v);
    default: return v.length ? toHex(v) : '""';
  }
}

/** payload/pad contents: len=N for zeros (or one repeated byte), text= for printable ASCII, else hex=. */
export function formatRaw(data: Uint8Array): string {
  if (data.length === 0) return '';
  if (data.every((b) => b === data[0])) {
    return data[0] === 0 ? `len=${data.length}` : data.length >= 8 ? `len=${data.length}, fill=0x${toHex(data.subarray(0, 1))}` : `hex=${toHex(data)}`;
  }
  if (data.every((b) => b >= 0x20 && b < 0x7f)) {
    return `text="${String.fromCharCode(...data).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  }
  return `hex=${toHex(data)}`;
}

/** The layers of a packet as the encoder needs them to write it again, fields given only where needed. */
export function packetInputs(bytes: Uint8Array): LayerInput[] {
  const layers = writable(bytes, dissect(bytes));
  const inputs: LayerInput[] = layers.map((l): LayerInput => ({ name: l.name, given: l.name === 'payload' || l.name === 'pad' ? { data: l.fields.data! } : {} }));
  // Each round gives the fields the encoder got wrong, earliest phase first: plain fields, then
  // automatic ones (sizes, lengths, next protocols), then checksums, which depend on all the
  // rest. Given fields only move the encoder towards the bytes, so this ends.
  for (let round = 0; round < 64; round++) {
    let values;
    try {
      values = encodeLayers(inputs).values;
    } catch {
      // A next-protocol value the link table cannot produce: give every field.
      layers.forEach((l, i) => Object.assign(inputs[i]!.given, l.fields));
      continue;
    }
    const wrong: [number, number, string][] = [];
    layers.forEach((l, i) => {
      const spec = layerSpec(l.name)!;
      for (const f of spec.fields) {
        const v = l.fields[f.name];
        if (v !== undefined && !sameValue(values[i]?.[f.name], v)) wrong.push([phase(f), i, f.name]);
      }
    });
    if (wrong.length === 0) break;
    const first = Math.min(...wrong.map((w) => w[0]));
    for (const [p, i, name] of wrong) if (p === first) inputs[i]!.given[name] = layers[i]!.fields[name]!;
  }
  return inputs;
}

function phase(f: FieldSpec): number {
  return !f.auto ? 0 : f.name === 'checksum' ? 2 : 1;
}

/** One line in the notation that encodes to exactly these bytes. */
export function formatPacket(bytes: Uint8Array): string {
  const inputs = packetInputs(bytes);
  if (inputs.length === 0) return 'payload()';
  return inputs.map((l) => {
    if (l.name === 'payload' || l.name === 'pad') return `${l.name}(${formatRaw(l.given.data as Uint8Array)})`;
    const spec = layerSpec(l.name)!;
    const args = spec.fields.filter((f) => l.given[f.name] !== undefined).map((f) => `${f.name}=${formatValue(f, l.given[f.name]!)}`);
    return `${l.name}(${args.join(', ')})`;
  }).join('/');
}

/**
 * The notation cannot write a header cut short: from the first truncated layer on, the bytes
 * (up to any pad) become a payload.
 */
function writable(bytes: Uint8Array, layers: Layer[]): Layer[] {
  const cut = layers.findIndex((l) => l.truncated);
  if (cut < 0) return layers;
  const pad = layers.find((l) => l.name === 'pad');
  const from = layers[cut]!.offset;
  const to = pad ? pad.offset : bytes.length;
  const payload: Layer = { name: 'payload', offset: from, length: to - from, fields: { data: bytes.slice(from, to) }, offsets: { data: from } };
  return [...layers.slice(0, cut), payload, ...(pad ? [pad] : [])];
}
