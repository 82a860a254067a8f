// Traffic sources: synchronous Observables of bursts. The next burst is filled only after the
// previous one has gone through every stage (RxJS delivers synchronously), so a source reuses
// one burst and its pool stays small: constant memory for any pcap size.
import { Observable } from 'rxjs';
import { HEADROOM, MAX_FRAME, MIN_FRAME, Mempool, PcapReader } from '../packet/index.js';
import { DEFAULT_BURST, makeBurst, type Burst } from './burst.js';
import { writeFrame, type FlowSpec } from './frames.js';
import { Rng } from './rng.js';
import type { StreamSpec, TrafficProfile } from './traffic.js';

export interface SourceOptions {
  burst?: number;
  /** Stop after this many packets (replays and generators repeat until then). */
  limit?: number;
  /** Called for a frame the NIC could not take (shorter than 14 or longer than one page). */
  reject?: (len: number) => void;
  /** Pool the bursts come from (default: a small one of its own). */
  pool?: Mempool;
}

function poolFor(opts: SourceOptions): Mempool {
  return opts.pool ?? new Mempool(4 * (opts.burst ?? DEFAULT_BURST));
}

function alloc(pool: Mempool): number {
  const h = pool.alloc();
  if (h < 0) throw new Error(`pipeline: source pool of ${pool.capacity} mbufs exhausted (a stage kept handles)`);
  return h;
}

/** A pcap or pcapng file, streamed. Times are relative to the first record; `port` is fixed or maps the pcapng interface. */
export function pcapSource(path: string, opts: SourceOptions & { port?: number | ((iface: number) => number) } = {}): Observable<Burst> {
  return new Observable<Burst>((sub) => {
    const reader = new PcapReader(path);
    const pool = poolFor(opts);
    const b = makeBurst(pool, opts.burst);
    const limit = opts.limit ?? Infinity;
    let first = NaN;
    let count = 0;
    let eof = false;
    try {
      while (!sub.closed && !eof && count < limit) {
        b.n = 0;
        while (b.n < b.handles.length && count < limit) {
          const r = reader.next();
          if (!r) { eof = true; break; }
          count++;
          if (Number.isNaN(first)) first = r.timeNs;
          if (r.data.length < MIN_FRAME || r.data.length > MAX_FRAME) { opts.reject?.(r.data.length); continue; }
          const h = alloc(pool);
          pool.bytes.set(r.data, pool.slotBase(h) + HEADROOM);
          pool.dataLen[h] = r.data.length;
          pool.port[h] = typeof opts.port === 'function' ? opts.port(r.iface) : opts.port ?? r.iface;
          b.handles[b.n] = h;
          b.time[b.n++] = Math.max(0, r.timeNs - first);
        }
        if (b.n > 0) sub.next(b);
      }
      sub.complete();
    } catch (e) {
      sub.error(e);
    } finally {
      reader.close();
    }
  });
}

/** Nanoseconds between frame starts for a rate (frame size with FCS; 20 bytes more on the wire). */
export function gapNs(profile: TrafficProfile, frameBytes: number, linkGbps: number): number {
  const r = profile.rate;
  if (r.kind === 'pps') return 1e9 / r.value;
  const gbps = r.kind === 'gbps' ? r.value : (linkGbps * r.value) / 100;
  return ((frameBytes + 20) * 8) / gbps;
}

/** Generated traffic (or a notation replay) from a profile, seeded. */
export function generatorSource(profile: TrafficProfile, opts: SourceOptions & { seed?: number; linkGbps?: (port: number) => number } = {}): Observable<Burst> {
  return new Observable<Burst>((sub) => {
    const pool = poolFor(opts);
    const b = makeBurst(pool, opts.burst);
    const rng = new Rng(opts.seed ?? 1);
    const limit = Math.min(opts.limit ?? profile.packets, Number.MAX_SAFE_INTEGER);
    const link = opts.linkGbps ?? (() => 10);
    const flow: FlowSpec = { dstMac: new Uint8Array(6), srcMac: new Uint8Array(6), srcIp: 0, dstIp: 0, proto: 17, sport: 0, dport: 0 };
    const streamCum: number[] = [];
    let c = 0;
    for (const s of profile.streams) streamCum.push((c += s.weight));
    let t = 0;
    let i = 0;
    const seed = opts.seed ?? 1;
    try {
      while (!sub.closed && i < limit) {
        b.n = 0;
        while (b.n < b.handles.length && i < limit) {
          const h = alloc(pool);
          const at = pool.slotBase(h) + HEADROOM;
          let len: number, port: number;
          if (profile.notation) {
            const f = profile.notation.frames[i % profile.notation.frames.length]!;
            pool.bytes.set(f.subarray(0, MAX_FRAME), at);
            len = Math.max(MIN_FRAME, Math.min(f.length, MAX_FRAME));
            port = profile.notation.port;
          } else {
            const s = profile.streams[profile.streams.length === 1 ? 0 : rng.pick(streamCum)]!;
            flowOf(s, rng.below(s.flows), seed, flow);
            len = writeFrame(pool.bytes, at, flow, frameSize(profile, rng, i) - 4, i & 0xffff);
            port = s.port;
          }
          pool.dataLen[h] = len;
          pool.port[h] = port;
          b.handles[b.n] = h;
          b.time[b.n++] = t;
          t += gapNs(profile, Math.max(len, 60) + 4, link(port));
          i++;
        }
        sub.next(b);
      }
      sub.complete();
    } catch (e) {
      sub.error(e);
    }
  });
}

function frameSize(p: TrafficProfile, rng: Rng, i: number): number {
  if (p.uniform) return p.uniform[0] + rng.below(p.uniform[1] - p.uniform[0] + 1);
  if (p.cycle) return p.sizes[i % p.sizes.length]!;
  return p.sizes.length === 1 ? p.sizes[0]! : p.sizes[rng.pick(p.sizeCum)]!;
}

/** Flow j of a stream: its fields come from a hash of (seed, j), so no per-flow table is kept. */
function flowOf(s: StreamSpec, j: number, seed: number, f: FlowSpec): void {
  const h1 = mix(j * 2 + 1, seed), h2 = mix(j * 2 + 2, seed);
  f.srcMac = s.srcMac; f.dstMac = s.dstMac;
  f.srcIp = (s.src.base + (h1 % s.src.count)) >>> 0;
  f.dstIp = (s.dst.base + (h2 % s.dst.count)) >>> 0;
  f.sport = s.sport[0] + ((h1 >>> 7) % (s.sport[1] - s.sport[0] + 1));
  f.dport = s.dport[0] + ((h2 >>> 9) % (s.dport[1] - s.dport[0] + 1));
  f.proto = s.protoList.length === 1 ? s.protoList[0]! : s.protoList[pickBy(s.protoCum, mix(j, seed ^ 0x9e3779b9))]!;
}

function pickBy(cum: readonly number[], h: number): number {
  const r = h % cum[cum.length - 1]!;
  let i = 0;
  while (r >= cum[i]!) i++;
  return i;
}

function mix(x: number, seed: number): number {
  let h = Math.imul(x ^ seed, 0x85ebca6b) ^ 0x27d4eb2f;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
