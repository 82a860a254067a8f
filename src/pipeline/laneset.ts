// Lanes driven through byte buffers, so the same code runs in-process and on worker threads
// over SharedArrayBuffers (identical results by construction).
//
// Input (written by the host stage):  u32 count, u32 flags (1 = final), f64 untilNs, then per frame
//   u16 lane, u16 port, u32 len, f64 time, bytes (padded to 8).
// Output (written by the lanes):      u32 events, u32 bytesUsed, u32 countersLen, u32 pad, then per event
//   u16 lane, u8 kind, u8 reason, i32 port, i32 target, u32 len, f64 time, f64 latency, bytes if captured
//   (tx and redirect to a port; padded to 8); after a final round, the lanes' counters as JSON.
import type { ProgramTally } from '../cost/index.js';
import { EV_DROP, EV_REDIRECT, EV_TX } from '../host/index.js';
import { Lane } from './lane.js';
import type { Topology } from './topology.js';

export const IN_HEADER = 16, IN_RECORD = 16, OUT_HEADER = 16, OUT_RECORD = 32;
export const FLAG_FINAL = 1;

export const pad8 = (n: number): number => (n + 7) & ~7;

export interface LaneReport {
  lane: number;
  offered: number;
  nombuf: number;
  counters: Record<string, unknown> & { queued: number };
  /** What the VM measured for the lane's program (xdplab compare prices it). */
  program?: ProgramTally;
}

export class LaneSet {
  private readonly lanes = new Map<number, Lane>();
  private o!: DataView;
  private ob!: Uint8Array;
  private pos = 0;
  private events = 0;
  private readonly dropFn = (lane: number) => (reason: number, at: number): void => this.put(lane, EV_DROP, reason, -1, -1, at, 0, -1);

  constructor(topo: Topology, ids: readonly number[], private readonly capture: boolean) {
    for (const id of ids) this.lanes.set(id, new Lane(id, topo));
  }

  /** One round: offer the frames, poll every lane to untilNs, write the events. */
  process(input: Uint8Array, output: Uint8Array): void {
    const iv = new DataView(input.buffer, input.byteOffset, input.byteLength);
    this.ob = output;
    this.o = new DataView(output.buffer, output.byteOffset, output.byteLength);
    this.pos = OUT_HEADER;
    this.events = 0;
    const count = iv.getUint32(0, true);
    const final = (iv.getUint32(4, true) & FLAG_FINAL) !== 0;
    const until = iv.getFloat64(8, true);
    let p = IN_HEADER;
    const drops = new Map<number, (reason: number, at: number) => void>();
    for (let i = 0; i < count; i++) {
      const lane = iv.getUint16(p, true), port = iv.getUint16(p + 2, true), len = iv.getUint32(p + 4, true);
      const time = iv.getFloat64(p + 8, true);
      const L = this.lanes.get(lane) ?? missing(lane);
      let d = drops.get(lane);
      if (!d) { d = this.dropFn(lane); drops.set(lane, d); }
      L.offer(input, p + IN_RECORD, len, port, time, d);
      p += IN_RECORD + pad8(len);
    }
    for (const [id, L] of this.lanes) {
      const ev = L.poll(until);
      for (let i = 0; i < ev.count; i++) {
        const kind = ev.kind[i]!, h = ev.handle[i]!;
        const target = kind === EV_REDIRECT ? L.target[h]! : -1;
        const bytes = h >= 0 && this.capture && (kind === EV_TX || (kind === EV_REDIRECT && target >= 0 && target < 0x10000)) ? h : -1;
        this.put(id, kind, ev.reason[i]!, ev.port[i]!, target, ev.time[i]!, ev.latency[i]!, bytes, L);
        if (h >= 0) L.pool.free(h);
      }
    }
    let countersLen = 0;
    if (final) {
      const reports: LaneReport[] = [...this.lanes].map(([lane, L]) => ({
        lane, offered: L.offered, nombuf: L.nombuf, counters: L.model.counters() as LaneReport['counters'],
        ...(L.program ? { program: L.program.prog.tally(`host q${lane}`, L.program.mode) } : {}),
      }));
      const json = new TextEncoder().encode(JSON.stringify(reports));
      this.room(json.length);
      output.set(json, this.pos);
      countersLen = json.length;
    }
    this.o.setUint32(0, this.events, true);
    this.o.setUint32(4, this.pos, true);
    this.o.setUint32(8, countersLen, true);
  }

  private put(lane: number, kind: number, reason: number, port: number, target: number, time: number, latency: number, h: number, L?: Lane): void {
    const len = h >= 0 && L ? L.pool.dataLen[h]! : 0;
    this.room(OUT_RECORD + pad8(len));
    const o = this.o, p = this.pos;
    o.setUint16(p, lane, true); o.setUint8(p + 2, kind); o.setUint8(p + 3, reason);
    o.setInt32(p + 4, port, true); o.setInt32(p + 8, target, true); o.setUint32(p + 12, len, true);
    o.setFloat64(p + 16, time, true); o.setFloat64(p + 24, latency, true);
    if (len > 0) this.ob.set(L!.pool.data(h), p + OUT_RECORD);
    this.pos = p + OUT_RECORD + pad8(len);
    this.events++;
  }

  private room(n: number): void {
    if (this.pos + n > this.ob.length) throw new Error(`pipeline: lane output buffer of ${this.ob.length} bytes is full`);
  }
}

function missing(lane: number): never {
  throw new Error(`pipeline: lane ${lane} is not in this set`);
}

/** One output event, read back. */
export interface OutEvent {
  lane: number; kind: number; reason: number; port: number; target: number; len: number; time: number; latency: number; at: number;
}

/** Walk the events of an output buffer. */
export function* readEvents(output: Uint8Array): Generator<OutEvent> {
  const o = new DataView(output.buffer, output.byteOffset, output.byteLength);
  const n = o.getUint32(0, true);
  let p = OUT_HEADER;
  const e: OutEvent = { lane: 0, kind: 0, reason: 0, port: 0, target: 0, len: 0, time: 0, latency: 0, at: 0 };
  for (let i = 0; i < n; i++) {
    e.lane = o.getUint16(p, true); e.kind = o.getUint8(p + 2); e.reason = o.getUint8(p + 3);
    e.port = o.getInt32(p + 4, true); e.target = o.getInt32(p + 8, true); e.len = o.getUint32(p + 12, true);
    e.time = o.getFloat64(p + 16, true); e.latency = o.getFloat64(p + 24, true); e.at = p + OUT_RECORD;
    yield e;
    p += OUT_RECORD + pad8(e.len);
  }
}

export function readReports(output: Uint8Array): LaneReport[] {
  const o = new DataView(output.buffer, output.byteOffset, output.byteLength);
  const len = o.getUint32(8, true);
  if (len === 0) return [];
  const at = o.getUint32(4, true);
  return JSON.parse(new TextDecoder().decode(output.slice(at, at + len))) as LaneReport[];
}
