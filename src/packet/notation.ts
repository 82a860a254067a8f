// The packet notation: `eth(dst=02:00:00:00:00:01)/ipv4(ttl=64)/udp(dport=53)/payload(hex=..)`
// -> bytes. Names resolve through the layer table; what is not given takes its default or is
// filled in (lengths, next-protocol fields, checksums) by the encoder. Payload takes one of
// hex=, text=, len= (with fill=0xNN); `pad` is a trailer outside every length field and also
// takes min=N to pad the frame to N bytes (min=60: the Ethernet minimum without FCS).
// When nothing known follows, next-protocol fields default to ethertype 0x88b5 (local
// experimental), IPv4 protocol 0, IPv6 next header 59 (none), UDP dport 53; a layer the table
// cannot link (eth/tcp) is an error unless the field is given. Field defaults: headers-table.ts.
// Every error names file:line:col with the line and a caret.
import { fail, locate } from '../diag/index.js';
import type { LayerInput, Values } from './headers.js';
import { fieldSpec, layerSpec, LAYERS } from './headers-table.js';
import { encodeLayers } from './headers-encode.js';
import { parseSyntax, type ArgNode, type LayerNode } from './notation-parse.js';
import { convert, convertCount, convertHex } from './notation-values.js';
import type { Token } from './notation-lexer.js';
import { unquote } from './notation-lexer.js';

/** Largest payload len= / pad min= accepted. */
const MAX_LEN = 65535;

interface Ctx { file: string; source: string; base: number }

function failAt(ctx: Ctx, tok: { offset: number; text: string }, message: string, notes?: string[]): never {
  fail('semantic', message, { where: locate(ctx.file, ctx.source, ctx.base + tok.offset, tok.text.length), notes });
}

/** Parse one packet (newlines are whitespace) into the layers with their given fields. */
export function parsePacketLayers(text: string, file = '<packet>'): LayerInput[] {
  return layersOf({ file, source: text, base: 0 }, text).inputs;
}

/** One packet in the notation to its bytes. */
export function parsePacket(text: string, file = '<packet>'): Uint8Array {
  return encodeAt({ file, source: text, base: 0 }, text);
}

/**
 * Several packets, one per line; blank lines and `#` comments are skipped, and a line ending in
 * `/`, `,` or `(` continues on the next.
 */
export function parsePackets(text: string, file = '<packets>'): Uint8Array[] {
  const out: Uint8Array[] = [];
  const lines = text.split('\n');
  let start = -1;
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineStart = offset;
    offset += line.length + 1;
    const code = line.replace(/#.*/, '').trim();
    if (code === '') continue;
    if (start < 0) start = lineStart;
    if (/[/,(]$/.test(code) && i < lines.length - 1) continue;
    out.push(encodeAt({ file, source: text, base: start }, text.slice(start, lineStart + line.length)));
    start = -1;
  }
  if (start >= 0) out.push(encodeAt({ file, source: text, base: start }, text.slice(start)));
  return out;
}

function encodeAt(ctx: Ctx, text: string): Uint8Array {
  const { inputs, names } = layersOf(ctx, text);
  return encodeLayers(inputs, (i, message) => failAt(ctx, names[Math.min(i, names.length - 1)]!, message)).bytes;
}

function layersOf(ctx: Ctx, text: string): { inputs: LayerInput[]; names: Token[] } {
  const r = parseSyntax(text);
  if (!r.ok) fail('grammar', r.error.message, { where: locate(ctx.file, ctx.source, ctx.base + r.error.offset, r.error.length) });
  return { inputs: r.layers.map((l) => resolveLayer(ctx, l)), names: r.layers.map((l) => l.name) };
}

function resolveLayer(ctx: Ctx, node: LayerNode): LayerInput {
  const spec = layerSpec(node.name.text);
  if (!spec) failAt(ctx, node.name, `unknown layer '${node.name.text}'`, [`layers: ${LAYERS.map((l) => l.name).join(', ')}`]);
  const given: Values = {};
  const seen = new Map<string, Token>();
  const once = (canonical: string, key: Token) => {
    if (seen.has(canonical)) failAt(ctx, key, `${spec.name}.${canonical} is given twice`);
    seen.set(canonical, key);
  };
  if (spec.name === 'payload' || spec.name === 'pad') {
    for (const a of node.args) once(a.key.text, a.key);
    return { name: spec.name, given: rawLayer(ctx, spec.name, node.args) };
  }
  for (const a of node.args) {
    const f = fieldSpec(spec, a.key.text);
    if (!f) failAt(ctx, a.key, `${spec.name} has no field '${a.key.text}'`, [`${spec.name} fields: ${spec.fields.map((x) => x.name).join(', ')}`]);
    once(f.name, a.key);
    const what = `${spec.name}.${f.name}`;
    const c = convert(f, text(a.value), what);
    if (!c.ok) failAt(ctx, a.value, c.message);
    given[f.name] = c.value;
  }
  return { name: spec.name, given };
}

const text = (t: Token): string => (t.type === 'string' ? unquote(t.text) : t.text);

/** payload/pad: exactly one of hex=, text=, len= (fill= only with len=); pad also min=. */
function rawLayer(ctx: Ctx, name: string, args: ArgNode[]): Values {
  const keys = name === 'pad' ? ['hex', 'text', 'len', 'fill', 'min'] : ['hex', 'text', 'len', 'fill'];
  const by: Record<string, ArgNode> = {};
  for (const a of args) {
    if (!keys.includes(a.key.text)) failAt(ctx, a.key, `${name} has no field '${a.key.text}'`, [`${name} fields: ${keys.join(', ')}`]);
    by[a.key.text] = a;
  }
  const sources = ['hex', 'text', 'len'].filter((k) => by[k]);
  if (sources.length > 1) failAt(ctx, by[sources[1]!]!.key, `${name} takes only one of hex=, text=, len=`);
  if (by.fill && !by.len) failAt(ctx, by.fill.key, `${name}.fill needs len= (how many bytes to fill)`);
  const get = (c: ReturnType<typeof convert>, tok: Token) => (c.ok ? c.value : failAt(ctx, tok, c.message));
  const out: Values = {};
  if (by.hex) out.data = get(convertHex(text(by.hex.value), `${name}.hex`), by.hex.value);
  if (by.text) out.data = new TextEncoder().encode(text(by.text.value));
  if (by.len) {
    const n = get(convertCount(text(by.len.value), MAX_LEN, `${name}.len`), by.len.value) as number;
    const fill = by.fill ? get(convertCount(text(by.fill.value), 255, `${name}.fill`), by.fill.value) as number : 0;
    out.data = new Uint8Array(n).fill(fill);
  }
  if (by.min) out.min = get(convertCount(text(by.min.value), MAX_LEN, `${name}.min`), by.min.value);
  return out;
}
