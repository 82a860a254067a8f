// What the host models report: events (a packet left, was redirected, was delivered to a
// socket, was dropped) in a reusable struct-of-arrays log, and the accounting every model keeps:
// offered = transmitted + redirected + delivered + dropped + queued.

export const EV_TX = 0;
export const EV_REDIRECT = 1;
export const EV_DELIVER = 2;
export const EV_DROP = 3;
export const EVENT_NAMES = ['tx', 'redirect', 'deliver', 'drop'] as const;
export type EventName = typeof EVENT_NAMES[number];

/** Every drop reason a host model counts (index = reason code). */
export const DROP_REASONS = [
  'rx ring full', // the NIC found no free RX descriptor: software too slow (imissed)
  'mempool empty', // the NIC found no posted buffer because refills failed (rx_nombuf)
  'tx ring full',
  'worker ring full', // pipeline mode: the rte_ring between lcores
  'program drop', // the eBPF program returned 0 (librte_bpf) in a PMD application
  'rxonly', // a PMD application that only receives (testpmd rxonly)
  'xdp drop',
  'xdp aborted',
  'netfilter drop',
  'socket rcvbuf full',
] as const;
export type DropReason = typeof DROP_REASONS[number];
export const REASON = Object.fromEntries(DROP_REASONS.map((r, i) => [r, i])) as Record<DropReason, number>;

/**
 * Events of one poll, valid until the next offer/poll call. For tx, redirect and deliver the
 * handle is handed over: the caller owns the mbuf and frees it to the pool. Dropped handles
 * were already freed by the model (handle = -1).
 */
export class EventLog {
  count = 0;
  kind = new Uint8Array(64);
  handle = new Int32Array(64);
  port = new Int32Array(64);
  reason = new Uint8Array(64);
  time = new Float64Array(64);
  /** Latency from arrival at the NIC to this event, ns. */
  latency = new Float64Array(64);

  push(kind: number, handle: number, port: number, reason: number, time: number, latency: number): void {
    if (this.count === this.kind.length) this.grow();
    const i = this.count++;
    this.kind[i] = kind; this.handle[i] = handle; this.port[i] = port;
    this.reason[i] = reason; this.time[i] = time; this.latency[i] = latency;
  }

  clear(): void {
    this.count = 0;
  }

  private grow(): void {
    const n = this.kind.length * 2;
    const g = <T extends Uint8Array | Int32Array | Float64Array>(a: T, make: (n: number) => T): T => { const b = make(n); b.set(a as never); return b; };
    this.kind = g(this.kind, (k) => new Uint8Array(k));
    this.handle = g(this.handle, (k) => new Int32Array(k));
    this.port = g(this.port, (k) => new Int32Array(k));
    this.reason = g(this.reason, (k) => new Uint8Array(k));
    this.time = g(this.time, (k) => new Float64Array(k));
    this.latency = g(this.latency, (k) => new Float64Array(k));
  }
}

export interface Accounting {
  offered: number;
  transmitted: number;
  redirected: number;
  delivered: number;
  dropped: number;
  /** Drops by reason (only reasons seen). */
  drops: Partial<Record<DropReason, number>>;
  /** Still inside the model (rings, sockets). */
  queued: number;
}

/** Counting shared by both models (one path, like the VM's counters). */
export class Tally {
  offered = 0;
  transmitted = 0;
  redirected = 0;
  delivered = 0;
  readonly drops = new Float64Array(DROP_REASONS.length);
  latencySum = 0;
  latencyMax = 0;
  latencyCount = 0;

  drop(reason: number): void {
    this.drops[reason]!++;
  }

  out(latency: number): void {
    this.latencySum += latency;
    this.latencyCount++;
    if (latency > this.latencyMax) this.latencyMax = latency;
  }

  accounting(queued: number): Accounting {
    const drops: Partial<Record<DropReason, number>> = {};
    let dropped = 0;
    DROP_REASONS.forEach((r, i) => { if (this.drops[i]! > 0) { drops[r] = this.drops[i]!; dropped += this.drops[i]!; } });
    return { offered: this.offered, transmitted: this.transmitted, redirected: this.redirected, delivered: this.delivered, dropped, drops, queued };
  }
}
