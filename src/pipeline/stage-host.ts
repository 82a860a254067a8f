// The host path as a stage: RSS spreads frames over the queues (lanes), each a kernel CPU or a
// DPDK lcore with its own rings and service times, so an overloaded queue drops at the ring
// that overflows. Frames are staged per round (runner.ts) and the lanes run up to the last
// staged arrival; at the end they run `drainNs` longer, and what is left is counted as queued.
// Outgoing frames are written in time order per round (ties: lower queue first).
import { Observable, type OperatorFunction } from 'rxjs';
import { DROP_REASONS, EV_DELIVER, EV_DROP, EV_REDIRECT, EV_TX } from '../host/index.js';
import type { Burst } from './burst.js';
import type { RunContext } from './context.js';
import { readEvents, readReports, type LaneReport } from './laneset.js';
import type { PathCounters } from './ledger.js';
import { TARGET_CPU, TARGET_UNKNOWN, targetName } from './program.js';
import type { Rss } from './rss.js';
import { IN_RECORD_BYTES, ROUND_BYTES, ROUND_PACKETS, type LaneRunner } from './runner.js';

export interface HostStageOptions {
  rss: Rss;
  /** Created when the stage is subscribed to; closed when it ends. */
  runner: () => LaneRunner;
  drainNs: number;
  /** Receives the lanes' final counters. */
  reports: (r: LaneReport[]) => void;
}

interface Captured { time: number; lane: number; port: number; buf: Uint8Array; at: number; len: number }

export function hostStage(run: RunContext, opts: HostStageOptions): OperatorFunction<Burst, Burst> {
  return (source) => new Observable<Burst>((sub) => {
    const runner = opts.runner();
    const paths: PathCounters[] = [];
    for (let q = 0; q < runner.lanes; q++) paths.push(run.ledger.path(`host q${q}`));
    let packets = 0, bytes = 0, last = 0;
    // Rounds come back in order (perhaps later than they were flushed: see workers.ts).
    const consume = (outs: Uint8Array[], final: boolean): void => {
      const caps: Captured[] = [];
      const reports: LaneReport[] = [];
      for (const out of outs) {
        for (const e of readEvents(out)) {
          const path = paths[e.lane]!;
          if (e.kind === EV_DROP) path.drop(DROP_REASONS[e.reason] ?? `reason ${e.reason}`);
          else if (e.kind === EV_DELIVER) path.delivered++;
          else if (e.kind === EV_TX) path.transmit(run.portName(e.port));
          else if (e.kind === EV_REDIRECT) {
            if (e.target >= TARGET_UNKNOWN || e.target < 0) path.redirect(e.target < 0 ? 'unknown' : targetName(e.target, (p) => run.portName(p)));
            else path.redirect(targetName(e.target, (p) => run.portName(p)));
          }
          if (e.len > 0) {
            const port = e.kind === EV_TX ? e.port : e.target;
            if (port >= 0 && port < TARGET_CPU) caps.push({ time: e.time, lane: e.lane, port, buf: out, at: e.at, len: e.len });
          }
        }
        if (final) reports.push(...readReports(out));
      }
      caps.sort((a, b) => a.time - b.time || a.lane - b.lane);
      for (const c of caps) run.capture(c.port, c.buf.subarray(c.at, c.at + c.len), c.time);
      if (final) {
        reports.sort((a, b) => a.lane - b.lane);
        for (const r of reports) paths[r.lane]!.queued = r.counters.queued;
        opts.reports(reports);
      }
    };
    const flush = (until: number, final: boolean): void => {
      runner.flush(until, final, consume);
      packets = 0; bytes = 0;
    };
    const subscription = source.subscribe({
      next(b) {
        const pool = b.pool;
        for (let i = 0; i < b.n; i++) {
          const h = b.handles[i]!;
          const len = pool.dataLen[h]!;
          const off = pool.slotBase(h) + pool.dataOff[h]!;
          const need = IN_RECORD_BYTES(len);
          if (packets === ROUND_PACKETS || bytes + need > ROUND_BYTES) flush(last, false);
          const q = opts.rss.queue(pool.bytes, off, len);
          paths[q]!.in++;
          last = b.time[i]!;
          runner.stage(q, pool.port[h]!, last, pool.bytes, off, len);
          packets++; bytes += need;
          pool.free(h);
        }
        b.n = 0;
      },
      error: (e) => sub.error(e),
      complete: () => {
        try {
          flush(Math.max(last, run.lastNs) + opts.drainNs, true);
          sub.complete();
        } catch (e) {
          sub.error(e);
        }
      },
    });
    return () => { subscription.unsubscribe(); runner.close(); };
  });
}
