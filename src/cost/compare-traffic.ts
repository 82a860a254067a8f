// Traffic for `xdplab compare`: the frames of a pcap/pcapng file, or frames generated from a
// traffic profile (programs/traffic/profiles/*.yaml: flows in the packet notation with weights,
// a frame-size mix, a packet count and a seed; see the README there). Generation is seeded,
// so a profile always gives the same frames.
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';
import { fail, locate } from '../diag/index.js';
import { PcapReader, parsePacket, LINKTYPE_ETHERNET } from '../packet/index.js';

export interface Frame {
  /** The frame as the program sees it (no FCS). */
  data: Uint8Array;
  /** Size on the wire with the 4-byte FCS, at least 64 (what line rate counts). */
  wireBytes: number;
}

export interface Traffic {
  /** The pcap or profile file. */
  source: string;
  name: string;
  description: string;
  frames: Frame[];
  /** Mean of `wireBytes`. */
  meanFrameBytes: number;
  /** Frame sizes on the wire and how many frames have each, smallest first. */
  sizes: { bytes: number; count: number }[];
}

const FCS = 4;
const MAX_FRAMES = 200_000;

export function wireBytesOf(dataLen: number): number {
  return Math.max(64, dataLen + FCS);
}

/** A pcap/pcapng file or a traffic profile (.yaml, .yml, .json), by extension. */
export function loadTraffic(file: string, maxFrames = MAX_FRAMES): Traffic {
  if (/\.(ya?ml|json)$/i.test(file)) return trafficFromProfile(readFileSyncOrFail(file), file, maxFrames);
  if (/\.(pcap|pcapng|cap)$/i.test(file)) return trafficFromPcap(file, maxFrames);
  return fail('usage', `--traffic wants a capture (.pcap, .pcapng) or a traffic profile (.yaml, .json), not '${file}'`);
}

function readFileSyncOrFail(file: string): string {
  try { return readFileSync(file, 'utf8'); } catch (e) {
    return fail('io', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function trafficFromPcap(file: string, maxFrames = MAX_FRAMES): Traffic {
  const r = new PcapReader(file);
  if (r.linktype !== LINKTYPE_ETHERNET) { r.close(); fail('packet', `${file}: link type ${r.linktype} is not Ethernet (1); XDP sees Ethernet frames`); }
  const frames: Frame[] = [];
  for (const rec of r) {
    if (rec.data.length < 14) continue; // not a frame an XDP program can be given
    // The wire size comes from the original length; a snapped capture still occupied the link.
    frames.push({ data: rec.data, wireBytes: wireBytesOf(Math.max(rec.origLen, rec.data.length)) });
    if (frames.length >= maxFrames) { r.close(); break; }
  }
  if (frames.length === 0) fail('packet', `${file}: no Ethernet frames of 14 bytes or more`);
  return finish(file, file.replace(/^.*\//, ''), '', frames);
}

function finish(source: string, name: string, description: string, frames: Frame[]): Traffic {
  const counts = new Map<number, number>();
  let sum = 0;
  for (const f of frames) { sum += f.wireBytes; counts.set(f.wireBytes, (counts.get(f.wireBytes) ?? 0) + 1); }
  const sizes = [...counts].sort((a, b) => a[0] - b[0]).map(([bytes, count]) => ({ bytes, count }));
  return { source, name, description, frames, meanFrameBytes: sum / frames.length, sizes };
}

interface FlowDef { text: string; file: string; weight: number; from: number; to: number }

/** Frames from a traffic profile's text; `file` names the profile in every error. */
export function trafficFromProfile(source: string, file: string, maxFrames = MAX_FRAMES): Traffic {
  const doc = parseDocument(source, { prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) fail('grammar', `traffic profile: ${err.message.split('\n')[0]}`, { where: locate(file, source, err.pos[0], Math.max(1, err.pos[1] - err.pos[0])) });
  const at = (node: unknown, msg: string): never => {
    const r = (node as Node | null)?.range;
    return fail('semantic', `traffic profile: ${msg}`, { where: r ? locate(file, source, r[0], Math.max(1, Math.min(r[1], lineEnd(source, r[0])) - r[0])) : undefined,
      notes: ['see programs/traffic/profiles/README.md for the format'] });
  };
  const root = doc.contents;
  if (!isMap(root)) return at(root, 'the file must be a mapping with flows:, sizes:, packets:');
  const top = root as YAMLMap<unknown, Node>;
  for (const p of top.items) {
    const k = isScalar(p.key) ? String(p.key.value) : '';
    if (!['name', 'description', 'packets', 'seed', 'sizes', 'flows'].includes(k)) at(p.key, `unknown field '${k}'; expected name, description, packets, seed, sizes, flows`);
  }
  const scalar = (m: YAMLMap<unknown, Node>, key: string): { v: unknown; node: Node | undefined } => {
    const node = m.get(key, true) as Node | undefined;
    if (node !== undefined && node !== null && !isScalar(node)) at(node, `'${key}' must be a single value`);
    return { v: node && isScalar(node) ? node.value : undefined, node };
  };
  const int = (m: YAMLMap<unknown, Node>, key: string, def: number, min: number, max: number): number => {
    const { v, node } = scalar(m, key);
    if (v === undefined) return def;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) at(node, `'${key}' must be an integer from ${min} to ${max}`);
    return v as number;
  };
  const name = String(scalar(top, 'name').v ?? file.replace(/^.*\//, '').replace(/\.\w+$/, ''));
  const description = String(scalar(top, 'description').v ?? '');
  const packets = int(top, 'packets', 1000, 1, maxFrames);
  const seed = int(top, 'seed', 1, 0, 0xffffffff);

  // sizes: { 64: 7, 570: 4, 1518: 1 } (frame bytes with FCS: weight)
  const sizes: { bytes: number; weight: number }[] = [];
  const sizesNode = top.get('sizes', true) as Node | undefined;
  if (sizesNode === undefined) sizes.push({ bytes: 64, weight: 1 });
  else {
    if (!isMap(sizesNode)) at(sizesNode, "'sizes' must map a frame size in bytes (with FCS, 64 to 3524) to a weight, e.g. { 64: 7, 570: 4, 1518: 1 }");
    for (const p of (sizesNode as YAMLMap<unknown, Node>).items) {
      const b = isScalar(p.key) ? Number(p.key.value) : NaN;
      const w = isScalar(p.value) ? Number(p.value.value) : NaN;
      if (!Number.isInteger(b) || b < 64 || b > 3524) at(p.key, `frame size '${String(isScalar(p.key) ? p.key.value : '?')}' must be an integer from 64 to 3524 (bytes on the wire with FCS; the test run takes frames up to 3520 bytes)`);
      if (!(w > 0) || !Number.isFinite(w)) at(p.value, 'a size weight must be a positive number');
      sizes.push({ bytes: b, weight: w });
    }
    if (sizes.length === 0) at(sizesNode, "'sizes' is empty");
  }

  const flowsNode = top.get('flows', true) as Node | undefined;
  if (!isSeq(flowsNode) || flowsNode.items.length === 0) return at(flowsNode ?? root, "'flows' must be a non-empty list of { packet: NOTATION, weight: N }");
  const flows: FlowDef[] = (flowsNode.items as Node[]).map((item, i) => {
    if (!isMap(item)) return at(item, `flows[${i}] must be a mapping with packet: and weight:`);
    const m = item as YAMLMap<unknown, Node>;
    for (const p of m.items) {
      const k = isScalar(p.key) ? String(p.key.value) : '';
      if (!['packet', 'weight', 'n'].includes(k)) at(p.key, `unknown field '${k}' in flows[${i}]; expected packet, weight, n`);
    }
    const { v: text, node } = scalar(m, 'packet');
    if (typeof text !== 'string' || text.trim() === '') at(node ?? item, `flows[${i}] needs 'packet:' in the packet notation, e.g. eth()/ipv4()/udp(dport=53)`);
    const weightRaw = scalar(m, 'weight');
    const weight = weightRaw.v === undefined ? 1 : Number(weightRaw.v);
    if (!(weight > 0) || !Number.isFinite(weight)) at(weightRaw.node, `flows[${i}].weight must be a positive number`);
    let from = 0, to = 0;
    const nNode = m.get('n', true) as Node | undefined;
    if (nNode !== undefined) {
      const ok = isSeq(nNode) && nNode.items.length === 2 && nNode.items.every((x) => isScalar(x) && Number.isInteger(x.value));
      if (!ok) at(nNode, `flows[${i}].n must be a range [FIRST, LAST] of integers; {n} in the packet takes each value in turn`);
      [from, to] = (nNode as { items: { value: number }[] }).items.map((x) => x.value) as [number, number];
      if (to < from || to - from > 1_000_000) at(nNode, `flows[${i}].n must have FIRST <= LAST and at most 1000000 values`);
      if (!(text as string).includes('{n}')) at(nNode, `flows[${i}] has n: but its packet does not use {n}`);
    } else if ((text as string).includes('{n}')) at(node, `flows[${i}] uses {n} but has no n: [FIRST, LAST]`);
    return { text: text as string, file: `${file} flows[${i}].packet`, weight, from, to };
  });
  return finish(file, name, description, generate(flows, sizes, packets, seed));
}

function lineEnd(s: string, from: number): number {
  const e = s.indexOf('\n', from);
  return e < 0 ? s.length : e;
}

function cumulative(ws: number[]): number[] {
  let s = 0;
  return ws.map((w) => (s += w));
}

function generate(flows: FlowDef[], sizes: { bytes: number; weight: number }[], packets: number, seed: number): Frame[] {
  const flowCum = cumulative(flows.map((f) => f.weight));
  const sizeCum = cumulative(sizes.map((s) => s.weight));
  const next = rng(seed);
  const pick = (cum: number[]): number => {
    const r = next() * cum[cum.length - 1]!;
    let i = 0;
    while (i < cum.length - 1 && r >= cum[i]!) i++;
    return i;
  };
  const turn = new Array<number>(flows.length).fill(0);
  const cache = new Map<string, Frame>();
  const frames: Frame[] = [];
  for (let i = 0; i < packets; i++) {
    const fi = pick(flowCum);
    const size = sizes[pick(sizeCum)]!.bytes;
    const f = flows[fi]!;
    const n = f.from + (turn[fi]!++ % (f.to - f.from + 1)); // round robin: every value is used
    const key = `${fi}:${n}:${size}`;
    let frame = cache.get(key);
    if (!frame) {
      frame = encode(f, n, size);
      cache.set(key, frame);
    }
    frames.push(frame);
  }
  return frames;
}

/** One frame of the flow with {n} replaced, padded with payload to `size` bytes on the wire. */
function encode(f: FlowDef, n: number, size: number): Frame {
  const text = f.text.replaceAll('{n}', String(n));
  let data = parsePacket(text, f.file);
  const want = size - FCS;
  if (data.length < want) {
    // Extra bytes as payload so IP and UDP lengths cover them; after an explicit payload, as a trailer.
    const layer = /\b(payload|raw|pad)\s*\(/.test(text) ? 'pad' : 'payload';
    data = parsePacket(`${text}/${layer}(len=${want - data.length})`, f.file);
  }
  return { data, wireBytes: wireBytesOf(data.length) };
}

/** mulberry32 in [0, 1): small and seeded, so a profile always gives the same frames. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
