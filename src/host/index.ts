// Host fallback paths: a DPDK poll-mode model and a Linux receive-path model, both on virtual
// time and both with the same small synchronous API for the pipeline to wrap:
//
//   const model = new DpdkModel({ timings, pool, ports: [{}, {}], lcores: [{ role: 'rtc', rxPort: 0, txPort: 1, program }] });
//   const model = new KernelModel({ timings, pool, native: xdpHook, stack: (h) => 'local' });
//   model.offer(handles, n, nowNs, port?)   // frames arrive (back to back at link speed) from nowNs;
//                                           // the model owns the handles from now on
//   const ev = model.poll(nowNs)            // run everything up to nowNs; EventLog of what happened
//                                           // since the last poll (struct of arrays, reused):
//   for (let i = 0; i < ev.count; i++) ev.kind[i] /* EV_TX | EV_REDIRECT | EV_DELIVER | EV_DROP */,
//       ev.handle[i] /* handed to the caller for tx/redirect/deliver: free it; -1 for drops */,
//       ev.port[i], ev.reason[i] /* DROP_REASONS index */, ev.time[i], ev.latency[i]
//   model.counters()                        // offered = transmitted + redirected + delivered + dropped + queued,
//                                           // drops by reason, per port/lcore/CPU figures, latency
//
// `timings` are virtual ns per stage (cost/hostTimings(profile) builds them). Programs are
// callbacks: DPDK `{ run(h) -> 0 drop | kept, costNs?(h) }` (librte_bpf), kernel XDP hooks
// `{ run(h) -> XDP action, costNs?(h) }`. No allocation per packet on the hot path.
export type { HostTimings } from './timings.js';
export { Ring, pow2, type RingOptions } from './ring.js';
export { DescRing } from './desc-ring.js';
export { MempoolCache, CACHE_MAX } from './mempool-cache.js';
export {
  EventLog, Tally, DROP_REASONS, REASON, EVENT_NAMES, EV_TX, EV_REDIRECT, EV_DELIVER, EV_DROP,
  type DropReason, type EventName, type Accounting,
} from './events.js';
export * from './dpdk/index.js';
export * from './kernel/index.js';
