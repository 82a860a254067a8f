// The long form: every layer with its offset and size, every field on its own line with
// constant names where one applies, and checksum verdicts.
import type { FieldSpec, FieldValue, Layer } from './headers.js';
import { dissect } from './headers-dissect.js';
import { layerSpec } from './headers-table.js';
import { formatValue } from './print.js';

export function formatPacketVerbose(bytes: Uint8Array): string {
  return formatLayersVerbose(dissect(bytes)).join('\n');
}

export function formatLayersVerbose(layers: Layer[]): string[] {
  const out: string[] = [];
  for (const l of layers) {
    const spec = layerSpec(l.name)!;
    out.push(`${l.name} @${l.offset}, ${l.truncated ? `truncated (${l.length} bytes left)` : `${l.length} bytes`}`);
    for (const f of spec.fields) {
      const v = l.fields[f.name];
      if (v === undefined) continue;
      let line = `  ${f.name.padEnd(9)} ${describe(f, v)}`;
      if (l.checksum && l.checksum.field === f.name) {
        const c = l.checksum;
        line += c.verdict === 'bad' ? ` (bad, expected ${formatValue(f, c.expected!)})` : ` (${c.verdict})`;
      }
      out.push(line);
    }
    for (const n of l.notes ?? []) out.push(`  note: ${n}`);
  }
  return out;
}

function describe(f: FieldSpec, v: FieldValue): string {
  if (f.kind === 'bytes') {
    const b = v as Uint8Array;
    return b.length === 0 ? '(none)' : `${formatValue(f, b)} (${b.length} bytes)`;
  }
  if (typeof v !== 'number') return formatValue(f, v);
  if (f.show) return `0x${v.toString(16).padStart(2, '0')} (${f.show(v)})`;
  const name = f.names ? Object.keys(f.names).find((k) => f.names![k] === v) : undefined;
  return name ? `${formatValue(f, v)} (${name})` : formatValue(f, v);
}
