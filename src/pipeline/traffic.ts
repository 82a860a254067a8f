// Traffic profiles (programs/traffic/*.yaml): generated streams with a rate, a frame-size mix,
// flows and a protocol mix, seeded; or a replay of packet-notation lines. Pcap/pcapng files
// and notation files (.pkt) are taken as they are (see sources.ts).
//
//   rate: { gbps: 10 } | { pps: 1000000 } | { percent: 100 }   # of the ingress port's line rate
//   packets: 100000
//   size: 64 | imix | { mix: [[64, 7], [570, 4], [1518, 1]] } | { uniform: [64, 1518] } | { file: sizes.txt }
//   streams:
//     - { weight: 3, port: 0, flows: 1000, protocols: { udp: 3, tcp: 1 },
//         eth: { src: 02:00:00:00:00:01, dst: 02:00:00:00:00:02 },
//         src: 10.0.0.0/16, dst: 192.168.1.1, sport: 1024-65535, dport: 53 }
//   notation: |            # instead of streams: these packets in turn
//     eth/ipv4(dst=10.0.0.1)/udp(dport=53)
//
// Sizes are Ethernet frame sizes with the 4-byte FCS (64 = the minimum frame); the rate counts
// 20 more bytes per frame on the wire (preamble, SFD, inter-frame gap), so 64-byte frames at
// 10 Gbit/s are 14.88 Mpps. Captured data is the frame without its FCS.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Node } from 'yaml';
import { fail } from '../diag/index.js';
import { parseIpv4, parseMac, parsePackets } from '../packet/index.js';
import { PROTO, type ProtoName } from './frames.js';
import { Yaml, type YMap } from './yaml.js';

export type Rate = { kind: 'gbps' | 'pps' | 'percent'; value: number };

export interface StreamSpec {
  weight: number;
  port: number;
  flows: number;
  /** Cumulative weights over `protoList`. */
  protoList: number[];
  protoCum: number[];
  srcMac: Uint8Array;
  dstMac: Uint8Array;
  src: { base: number; count: number };
  dst: { base: number; count: number };
  sport: [number, number];
  dport: [number, number];
}

export interface TrafficProfile {
  file: string;
  description: string;
  rate: Rate;
  packets: number;
  /** Frame sizes (with FCS) and cumulative weights; `cycle` walks sizes in order instead of drawing. */
  sizes: number[];
  sizeCum: number[];
  cycle: boolean;
  uniform?: [number, number];
  streams: StreamSpec[];
  /** Replayed frames (notation), one after the other, on `port`. */
  notation?: { frames: Uint8Array[]; port: number };
}

export const IMIX: [number, number][] = [[64, 7], [570, 4], [1518, 1]];

const KEYS = ['description', 'rate', 'packets', 'size', 'streams', 'notation', 'port'];
const STREAM_KEYS = ['weight', 'port', 'flows', 'protocols', 'eth', 'src', 'dst', 'sport', 'dport'];

export function loadTrafficProfile(path: string): TrafficProfile {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) { return fail('io', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  return parseTrafficProfile(text, path);
}

export function parseTrafficProfile(source: string, file = '<traffic>'): TrafficProfile {
  const y = new Yaml(file, source);
  const root = y.map(y.root(), 'a traffic profile', KEYS);
  const out: TrafficProfile = {
    file, description: y.str(root, 'description', 'traffic profile', ''),
    rate: rate(y, root), packets: y.int(root, 'packets', 'traffic profile', 10_000, 1, Number.MAX_SAFE_INTEGER),
    sizes: [64], sizeCum: [1], cycle: false, streams: [],
  };
  sizes(y, root, out);
  const notation = y.get(root, 'notation');
  if (notation !== undefined) {
    if (y.has(root, 'streams')) y.error(notation, "a traffic profile has either 'streams' or 'notation', not both");
    const text = y.str(root, 'notation', 'traffic profile');
    // Offsets of the block in the file are not kept by the notation parser; name the profile.
    const frames = parsePackets(text, `${file} (notation)`);
    if (frames.length === 0) y.error(notation, 'notation lists no packets');
    out.notation = { frames, port: y.int(root, 'port', 'traffic profile', 0, 0, 4095) };
    return out;
  }
  const list = y.list(y.get(root, 'streams'), 'streams');
  if (list.length === 0) y.error(root as unknown as Node, "a traffic profile needs 'streams' (or 'notation')");
  for (const n of list) out.streams.push(stream(y, n));
  return out;
}

function rate(y: Yaml, root: YMap): Rate {
  const n = y.get(root, 'rate');
  if (n === undefined) return { kind: 'percent', value: 100 };
  const m = y.map(n, 'rate', ['gbps', 'pps', 'percent']);
  if (m.items.length !== 1) y.error(n, "rate takes one of 'gbps', 'pps' or 'percent'");
  const kind = String((m.items[0]!.key as { value: unknown }).value) as Rate['kind'];
  return { kind, value: y.num(m, kind, 'rate', undefined, Number.MIN_VALUE, kind === 'percent' ? 100 : 1e12) };
}

function sizes(y: Yaml, root: YMap, out: TrafficProfile): void {
  const n = y.get(root, 'size');
  if (n === undefined) return;
  const frame = (v: unknown, at: Node | undefined): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 64 || v > 3524) y.error(at, `frame size must be an integer from 64 to 3524, got '${String(v)}'`);
    return v;
  };
  const mix = (pairs: [number, number][]): void => {
    out.sizes = pairs.map((p) => p[0]);
    let c = 0;
    out.sizeCum = pairs.map((p) => (c += p[1]));
  };
  const scalar = (n as { value?: unknown }).value;
  if (scalar === 'imix') return mix(IMIX);
  if (typeof scalar === 'number') { out.sizes = [frame(scalar, n)]; out.sizeCum = [1]; return; }
  const m = y.map(n, 'size', ['mix', 'imix', 'uniform', 'file']);
  if (y.has(m, 'uniform')) {
    const u = y.list(y.get(m, 'uniform'), 'size.uniform');
    if (u.length !== 2) y.error(y.get(m, 'uniform'), 'size.uniform is [min, max]');
    const a = frame((u[0] as { value?: unknown }).value, u[0]), b = frame((u[1] as { value?: unknown }).value, u[1]);
    if (a > b) y.error(y.get(m, 'uniform'), 'size.uniform min is larger than max');
    out.uniform = [a, b];
    return;
  }
  if (y.has(m, 'file')) {
    const rel = y.str(m, 'file', 'size');
    const path = resolve(dirname(y.file), rel);
    let text: string;
    try { text = readFileSync(path, 'utf8'); } catch { return y.error(y.get(m, 'file'), `cannot read size file ${rel}`); }
    const list = text.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter((l) => l !== '').map((l) => frame(Number(l), y.get(m, 'file')));
    if (list.length === 0) y.error(y.get(m, 'file'), `size file ${rel} lists no sizes`);
    out.sizes = list; out.sizeCum = list.map((_, i) => i + 1); out.cycle = true;
    return;
  }
  const key = y.has(m, 'imix') ? 'imix' : 'mix';
  const pairs = y.list(y.get(m, key), `size.${key}`).map((p): [number, number] => {
    const l = y.list(p, `size.${key} entry`);
    const w = (l[1] as { value?: unknown } | undefined)?.value;
    if (l.length !== 2 || typeof w !== 'number' || !Number.isInteger(w) || w < 1) y.error(p, `size.${key} entries are [frame size, weight]`);
    return [frame((l[0] as { value?: unknown }).value, l[0]), w];
  });
  if (pairs.length === 0) y.error(y.get(m, key), `size.${key} is empty`);
  mix(pairs);
}

function stream(y: Yaml, n: Node): StreamSpec {
  const m = y.map(n, 'a stream', STREAM_KEYS);
  const protos: [number, number][] = [];
  const pn = y.get(m, 'protocols');
  if (pn === undefined) protos.push([PROTO.udp, 1]);
  else {
    const pm = y.map(pn, 'protocols', Object.keys(PROTO));
    for (const k of Object.keys(PROTO) as ProtoName[]) if (y.has(pm, k)) protos.push([PROTO[k], y.int(pm, k, 'protocols', undefined, 0)]);
    if (!protos.some((p) => p[1] > 0)) y.error(pn, 'protocols needs a positive weight');
  }
  let c = 0;
  const eth = y.get(m, 'eth');
  const em = eth === undefined ? undefined : y.map(eth, 'eth', ['src', 'dst']);
  const mac = (key: string, def: string): Uint8Array => {
    const v = em ? y.str(em, key, 'eth', def) : def;
    return parseMac(v) ?? y.error(em ? y.get(em, key) : n, `eth.${key}: '${v}' is not a MAC address`);
  };
  return {
    weight: y.int(m, 'weight', 'stream', 1, 1),
    port: y.int(m, 'port', 'stream', 0, 0, 4095),
    flows: y.int(m, 'flows', 'stream', 1, 1, 1 << 24),
    protoList: protos.map((p) => p[0]),
    protoCum: protos.map((p) => (c += p[1])),
    srcMac: mac('src', '02:00:00:00:00:01'), dstMac: mac('dst', '02:00:00:00:00:02'),
    src: prefix(y, m, 'src', '10.0.0.0/16'), dst: prefix(y, m, 'dst', '192.168.0.1'),
    sport: range(y, m, 'sport', '1024-65535'), dport: range(y, m, 'dport', '9'),
  };
}

function prefix(y: Yaml, m: YMap, key: string, def: string): { base: number; count: number } {
  const v = y.str(m, key, 'stream', def);
  const [a, l] = v.split('/');
  const b = parseIpv4(a ?? '');
  const len = l === undefined ? 32 : Number(l);
  if (!b || !Number.isInteger(len) || len < 8 || len > 32) y.error(y.get(m, key), `${key}: '${v}' is not an IPv4 address or prefix (/8 to /32)`);
  const base = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  const count = 2 ** (32 - len);
  return { base: (base - (base % count)) >>> 0, count };
}

function range(y: Yaml, m: YMap, key: string, def: string): [number, number] {
  const v = y.str(m, key, 'stream', def);
  const mm = /^(\d+)(?:-(\d+))?$/.exec(v);
  const a = Number(mm?.[1]), b = Number(mm?.[2] ?? mm?.[1]);
  if (!mm || a > b || b > 65535) y.error(y.get(m, key), `${key}: '${v}' is not a port or a range like 1024-65535`);
  return [a, b];
}
