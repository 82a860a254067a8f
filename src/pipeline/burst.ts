// What flows through the pipeline: a burst of mbuf handles (an rx burst, default 32) with the
// virtual time each frame arrived at its port. The ingress port of each mbuf is pool.port[h].
// Bursts are reused by the source after downstream stages return (everything is synchronous),
// so a stage must finish with a burst before handing control back.
import type { Mempool } from '../packet/index.js';

export const DEFAULT_BURST = 32;

export interface Burst {
  pool: Mempool;
  handles: Int32Array;
  /** Arrival time per packet, virtual ns (same index as handles). */
  time: Float64Array;
  n: number;
}

export function makeBurst(pool: Mempool, size = DEFAULT_BURST): Burst {
  return { pool, handles: new Int32Array(size), time: new Float64Array(size), n: 0 };
}

/** Keep the packets where keep[i] is true, in order (in place). */
export function compact(b: Burst, keep: Uint8Array): void {
  let k = 0;
  for (let i = 0; i < b.n; i++) {
    if (!keep[i]) continue;
    b.handles[k] = b.handles[i]!;
    b.time[k] = b.time[i]!;
    k++;
  }
  b.n = k;
}
