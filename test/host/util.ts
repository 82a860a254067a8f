// Shared set-up for the host model tests: timings from the default profile, a pool, and a
// traffic loop that offers frames at a fixed interval and frees what the model hands back.
import { hostTimings, readCostProfile } from '../../src/cost/index.js';
import { EV_DROP, type EventLog, type HostTimings } from '../../src/host/index.js';
import { Mempool } from '../../src/packet/index.js';

export const timings: HostTimings = hostTimings(readCostProfile());

export interface Model {
  offer(handles: Int32Array, n: number, nowNs: number, port?: number): void;
  poll(nowNs: number): EventLog;
  counters(): { offered: number; transmitted: number; redirected: number; delivered: number; dropped: number; queued: number; drops: Record<string, number | undefined> };
}

export function frame(pool: Mempool, len = 64): number {
  const h = pool.alloc();
  if (h < 0) return -1;
  pool.dataLen[h] = len;
  pool.bytes[pool.slotBase(h) + pool.dataOff[h]!] = 0x02;
  return h;
}

export interface Traffic {
  /** Returns the events seen, by kind name. */
  seen: { tx: number; redirect: number; deliver: number; drop: number };
  offered: number;
  lastNs: number;
}

/** Offer `count` frames, one every `intervalNs`, in bursts of `burst`; poll after each burst, then until `drainNs` later. */
export function run(model: Model, pool: Mempool, count: number, intervalNs: number, opts: { port?: number; burst?: number; len?: number; drainNs?: number } = {}): Traffic {
  const burst = opts.burst ?? 32;
  const hs = new Int32Array(burst);
  const seen = { tx: 0, redirect: 0, deliver: 0, drop: 0 };
  const take = (ev: EventLog): void => {
    for (let i = 0; i < ev.count; i++) {
      const k = ev.kind[i]!;
      if (k === EV_DROP) seen.drop++;
      else {
        if (k === 0) seen.tx++; else if (k === 1) seen.redirect++; else seen.deliver++;
        pool.free(ev.handle[i]!);
      }
    }
  };
  let offered = 0;
  let t = 0;
  while (offered < count) {
    const n = Math.min(burst, count - offered);
    let got = 0;
    for (let i = 0; i < n; i++) {
      const h = frame(pool, opts.len);
      if (h < 0) break;
      hs[got++] = h;
    }
    if (got === 0) throw new Error('test pool exhausted');
    t = offered * intervalNs;
    model.offer(hs, got, t, opts.port ?? 0);
    offered += got;
    take(model.poll(t + got * intervalNs));
  }
  const end = t + (opts.drainNs ?? 1e6);
  take(model.poll(end));
  return { seen, offered, lastNs: end };
}

export function balanced(c: ReturnType<Model['counters']>): boolean {
  return c.offered === c.transmitted + c.redirected + c.delivered + c.dropped + c.queued;
}
