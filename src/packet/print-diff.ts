// Field-level difference between two packets, for test reports:
//   ipv4.ttl: expected 63, got 64
//   udp.checksum: expected 0x1c46, got 0x0000
// Layers are matched by position; a repeated layer name gets its occurrence (`ipv4[1]` is the
// inner header of a tunnel). After two layers of different kinds the rest is not compared.
import { sameValue, type FieldValue, type Layer } from './headers.js';
import { toHex } from './headers-addr.js';
import { dissect } from './headers-dissect.js';
import { layerSpec } from './headers-table.js';
import { formatValue } from './print.js';

export function diffPackets(expected: Uint8Array, actual: Uint8Array): string[] {
  const out: string[] = [];
  if (expected.length !== actual.length) out.push(`length: expected ${expected.length}, got ${actual.length}`);
  const a = dissect(expected);
  const b = dissect(actual);
  const count = new Map<string, number>();
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const e = a[i];
    const g = b[i];
    if (!e || !g || e.name !== g.name) {
      out.push(`layer ${i}: expected ${e?.name ?? 'nothing'}, got ${g?.name ?? 'nothing'}`);
      break;
    }
    const seen = count.get(e.name) ?? 0;
    count.set(e.name, seen + 1);
    out.push(...diffLayer(seen ? `${e.name}[${seen}]` : e.name, e, g));
  }
  return out;
}

function diffLayer(label: string, e: Layer, g: Layer): string[] {
  const out: string[] = [];
  if (Boolean(e.truncated) !== Boolean(g.truncated)) out.push(`${label}: expected ${e.truncated ? 'a truncated' : 'a whole'} header, got ${g.truncated ? 'a truncated' : 'a whole'} one`);
  for (const f of layerSpec(e.name)!.fields) {
    const ev = e.fields[f.name];
    const gv = g.fields[f.name];
    if (sameValue(ev, gv)) continue;
    if (f.kind === 'bytes') { out.push(diffBytes(`${label}.${f.name}`, ev as Uint8Array | undefined, gv as Uint8Array | undefined)); continue; }
    const show = (v: FieldValue | undefined) => (v === undefined ? 'nothing' : formatValue(f, v));
    out.push(`${label}.${f.name}: expected ${show(ev)}, got ${show(gv)}`);
  }
  return out;
}

function diffBytes(what: string, e: Uint8Array | undefined, g: Uint8Array | undefined): string {
  const ee = e ?? new Uint8Array(0);
  const gg = g ?? new Uint8Array(0);
  if (ee.length <= 16 && gg.length <= 16) return `${what}: expected ${toHex(ee) || '(none)'}, got ${toHex(gg) || '(none)'}`;
  let i = 0;
  while (i < ee.length && i < gg.length && ee[i] === gg[i]) i++;
  const at = (b: Uint8Array) => (i < b.length ? `0x${toHex(b.subarray(i, i + 1))}` : 'the end');
  return `${what}: expected ${ee.length} bytes, got ${gg.length}; first difference at byte ${i} (expected ${at(ee)}, got ${at(gg)})`;
}
