// The DPDK poll-mode model: ports with descriptor rings, a shared mempool with per-lcore
// caches, rte_rings between lcores, lcores that poll forever (empty polls counted: a PMD core is
// 100% busy whatever the load). Virtual time: every burst costs its service time from the
// timings, lcores advance in step (the one furthest behind runs next), and the NIC fills RX
// descriptors as frames arrive and sends TX descriptors at line rate. Deterministic; nothing is
// allocated per packet.
import { fail } from '../../diag/index.js';
import type { Mempool } from '../../packet/index.js';
import { EV_DROP, EV_TX, EventLog, REASON, Tally, type Accounting } from '../events.js';
import { MempoolCache } from '../mempool-cache.js';
import { Ring } from '../ring.js';
import type { HostTimings } from '../timings.js';
import type { DpdkConfig, LcoreConfig } from './config.js';
import { Port, wireNs, type PortStats } from './port.js';

interface Lcore {
  cfg: LcoreConfig;
  name: string;
  burst: number;
  cache: MempoolCache;
  ring?: Ring;
  clock: number;
  busyNs: number;
  pollNs: number;
  emptyPolls: number;
  bursts: number;
  packets: number;
  buf: Int32Array;
  keep: Int32Array;
}

export interface LcoreStats {
  name: string;
  role: LcoreConfig['role'];
  busyNs: number;
  /** Time spent in empty polls: still 100% CPU. */
  pollNs: number;
  emptyPolls: number;
  bursts: number;
  packets: number;
  clockNs: number;
}

export interface DpdkCounters extends Accounting {
  ports: PortStats[];
  lcores: LcoreStats[];
  rings: { name: string; count: number; capacity: number }[];
  mempool: { available: number; cached: number; refills: number; flushes: number };
  latency: { avgNs: number; maxNs: number };
}

export class DpdkModel {
  readonly ports: Port[];
  readonly rings = new Map<string, Ring>();
  readonly events = new EventLog();
  private readonly lcores: Lcore[];
  private readonly t: HostTimings;
  private readonly pool: Mempool;
  private readonly arrival: Float64Array;
  private readonly tally = new Tally();
  private readonly txFreeThresh: number;
  private polled = false;

  constructor(cfg: DpdkConfig) {
    this.t = cfg.timings;
    this.pool = cfg.pool;
    this.arrival = new Float64Array(cfg.pool.capacity);
    this.txFreeThresh = cfg.txFreeThresh ?? 32;
    this.ports = cfg.ports.map((p, i) => new Port(i, p));
    for (const r of cfg.rings ?? []) this.rings.set(r.name, new Ring(r.name, r.size, { sp: r.sp, sc: r.sc }));
    this.lcores = cfg.lcores.map((lc, i) => this.makeLcore(lc, i, cfg.cacheSize ?? 256));
    // rte_eth_rx_queue_setup: post a buffer in every RX descriptor.
    for (const port of this.ports) {
      while (port.rx.postable > 0 && this.pool.available > 0) port.rx.post(this.pool.alloc());
    }
  }

  private makeLcore(cfg: LcoreConfig, i: number, cacheSize: number): Lcore {
    const name = cfg.name ?? `lcore ${i}`;
    const port = (p: number | null | undefined, what: string): void => {
      if (p !== undefined && p !== null && !this.ports[p]) fail('usage', `${name}: ${what} ${p} does not exist (${this.ports.length} ports)`);
    };
    if (cfg.role !== 'worker') {
      if (cfg.rxPort === undefined) fail('usage', `${name}: role ${cfg.role} needs rxPort`);
      port(cfg.rxPort, 'rxPort');
    }
    port(cfg.txPort, 'txPort');
    let ring: Ring | undefined;
    if (cfg.role !== 'rtc') {
      ring = this.rings.get(cfg.ring ?? '');
      if (!ring) fail('usage', `${name}: role ${cfg.role} needs an existing ring (got '${cfg.ring ?? ''}')`);
    }
    const burst = cfg.burst ?? 32;
    if (!Number.isInteger(burst) || burst < 1 || burst > 512) fail('usage', `${name}: burst must be 1..512, got ${burst}`);
    return {
      cfg, name, burst, ring, cache: new MempoolCache(this.pool, cacheSize),
      clock: 0, busyNs: 0, pollNs: 0, emptyPolls: 0, bursts: 0, packets: 0,
      buf: new Int32Array(burst), keep: new Int32Array(burst),
    };
  }

  /**
   * Frames arrive on `port` back to back from `nowNs` (serialised at the link speed). Each handle
   * is an mbuf of the shared pool holding the frame; the model owns it from now on.
   */
  offer(handles: Int32Array | readonly number[], n: number, nowNs: number, portId = 0): void {
    const port = this.ports[portId] ?? fail('usage', `port ${portId} does not exist`);
    this.clearIfPolled();
    for (let i = 0; i < n; i++) {
      const h = handles[i]!;
      const start = Math.max(nowNs, port.rxWire);
      const at = start + wireNs(this.pool.dataLen[h]!, port.linkGbps);
      port.rxWire = at;
      this.advance(at);
      this.tally.offered++;
      this.arrival[h] = at;
      const slot = port.rx.nicTake();
      if (slot < 0) {
        // No posted buffer: either software has not read the ring (too slow) or refills failed.
        const reason = port.rx.done < port.rx.size ? REASON['mempool empty'] : REASON['rx ring full'];
        port.stats.imissed++;
        this.pool.free(h);
        this.dropEvent(reason, portId, at, 0);
        continue;
      }
      // The NIC DMAs the frame into the posted buffer; we swap identities instead of copying.
      this.pool.free(port.rx.slots[slot]!);
      port.rx.slots[slot] = h;
      port.rx.times[slot] = at;
      port.stats.ipackets++;
    }
  }

  /** Run every lcore and the NICs up to `nowNs`; the events since the last poll. */
  poll(nowNs: number): EventLog {
    this.clearIfPolled();
    this.advance(nowNs);
    for (let p = 0; p < this.ports.length; p++) this.nicTransmit(this.ports[p]!, p, nowNs);
    this.polled = true;
    return this.events;
  }

  private clearIfPolled(): void {
    if (this.polled) { this.events.clear(); this.polled = false; }
  }

  private advance(t: number): void {
    for (;;) {
      let L: Lcore | undefined;
      for (const lc of this.lcores) if (lc.clock < t && (!L || lc.clock < L.clock)) L = lc;
      if (!L) return;
      this.step(L, t);
    }
  }

  /** One loop iteration of an lcore starting at its clock. */
  private step(L: Lcore, t: number): void {
    const T = this.t;
    const cfg = L.cfg;
    let n = 0;
    let cost = 0;
    if (cfg.role === 'worker') {
      n = L.ring!.dequeueBurst(L.buf, L.burst);
      if (n > 0) cost += this.ringCost(L.ring!.sc, n);
    } else {
      n = this.rxBurst(L, cfg.rxPort!);
      if (n > 0) cost += T.dpdkRxPerBurst + n * (T.dpdkRxPerPacket + T.mbufAlloc);
    }
    if (n === 0) {
      this.idle(L, t);
      return;
    }
    L.bursts++;
    L.packets += n;
    if (cfg.role === 'rx') {
      const k = cfg.bulk ? L.ring!.enqueueBulk(L.buf, n) : L.ring!.enqueueBurst(L.buf, n);
      cost += this.ringCost(L.ring!.sp, n);
      for (let i = k; i < n; i++) this.free(L, L.buf[i]!, REASON['worker ring full'], L.clock + cost);
      cost += (n - k) * T.mbufFree;
    } else {
      let kept = 0;
      const prog = cfg.program;
      for (let i = 0; i < n; i++) {
        const h = L.buf[i]!;
        if (prog) {
          const v = prog.run(h);
          cost += T.bpfPerPacket + (prog.costNs?.(h) ?? 0);
          if (v === 0) { this.free(L, h, REASON['program drop'], L.clock + cost); cost += T.mbufFree; continue; }
        }
        L.keep[kept++] = h;
      }
      if (cfg.txPort === undefined || cfg.txPort === null) {
        for (let i = 0; i < kept; i++) this.free(L, L.keep[i]!, REASON.rxonly, L.clock + cost);
        cost += kept * T.mbufFree;
      } else if (kept > 0) {
        cost += this.txBurst(L, cfg.txPort, kept, L.clock + cost);
      }
    }
    L.clock += cost;
    L.busyNs += cost;
  }

  /** Nothing to do: poll empty until `t` or until a producer lcore may have fed our ring. */
  private idle(L: Lcore, t: number): void {
    let until = t;
    if (L.cfg.role === 'worker') {
      for (const o of this.lcores) if (o !== L && o.cfg.role === 'rx' && o.cfg.ring === L.cfg.ring) until = Math.min(until, o.clock);
    }
    const e = this.t.emptyPoll;
    const k = Math.max(1, Math.ceil((until - L.clock) / e));
    L.clock += k * e;
    L.pollNs += k * e;
    L.emptyPolls += k;
  }

  /** rx_burst: read filled descriptors, refill each from the lcore cache. */
  private rxBurst(L: Lcore, portId: number): number {
    const port = this.ports[portId]!;
    const rx = port.rx;
    let n = 0;
    while (n < L.burst && rx.done > 0) {
      const slot = rx.clean();
      const h = rx.slots[slot]!;
      const fresh = L.cache.get();
      if (fresh < 0) {
        // No replacement: drop this packet and give its buffer back to the NIC.
        port.stats.rxNombuf++;
        this.dropEvent(REASON['mempool empty'], portId, L.clock, L.clock - this.arrival[h]!);
        rx.post(h);
        continue;
      }
      rx.post(fresh);
      L.buf[n++] = h;
    }
    return n;
  }

  /** tx_burst of L.keep[0..n); returns its cost. Unsent packets are freed (tx ring full). */
  private txBurst(L: Lcore, portId: number, n: number, now: number): number {
    const T = this.t;
    const port = this.ports[portId]!;
    const tx = port.tx;
    this.nicTransmit(port, portId, now);
    let cost = T.dpdkTxPerBurst;
    if (tx.postable < this.txFreeThresh) {
      let cleaned = 0;
      while (tx.clean() >= 0) cleaned++;
      cost += cleaned * T.mbufFree;
    }
    const m = Math.min(n, tx.postable);
    for (let i = 0; i < m; i++) {
      const h = L.keep[i]!;
      const start = Math.max(port.txWire, now + cost);
      port.txWire = start + wireNs(this.pool.dataLen[h]!, port.linkGbps);
      tx.post(h, port.txWire);
      cost += T.dpdkTxPerPacket;
    }
    for (let i = m; i < n; i++) {
      port.stats.oerrors++;
      this.free(L, L.keep[i]!, REASON['tx ring full'], now + cost);
      cost += T.mbufFree;
    }
    return cost;
  }

  /** The NIC sends the descriptors whose departure time has come; each is a tx event. */
  private nicTransmit(port: Port, portId: number, now: number): void {
    const tx = port.tx;
    while (tx.owned > 0) {
      const i = tx.head & tx.mask;
      const at = tx.times[i]!;
      if (at > now) break;
      tx.nicTake();
      const h = tx.slots[i]!;
      const lat = at - this.arrival[h]!;
      port.stats.opackets++;
      this.tally.transmitted++;
      this.tally.out(lat);
      this.events.push(EV_TX, h, portId, 0, at, lat);
    }
  }

  private free(L: Lcore, h: number, reason: number, at: number): void {
    L.cache.put(h);
    this.dropEvent(reason, -1, at, at - this.arrival[h]!);
  }

  private dropEvent(reason: number, port: number, at: number, lat: number): void {
    this.tally.drop(reason);
    this.events.push(EV_DROP, -1, port, reason, at, lat);
  }

  private ringCost(single: boolean, n: number): number {
    return this.t.ringPerBurst + n * this.t.ringPerPacket + (single ? 0 : this.t.ringMpExtra);
  }

  counters(): DpdkCounters {
    let queued = 0;
    for (const p of this.ports) queued += p.rx.done + p.tx.owned;
    for (const r of this.rings.values()) queued += r.count;
    let cached = 0;
    let refills = 0;
    let flushes = 0;
    for (const L of this.lcores) { cached += L.cache.len; refills += L.cache.refills; flushes += L.cache.flushes; }
    const tl = this.tally;
    return {
      ...tl.accounting(queued),
      ports: this.ports.map((p) => ({ ...p.stats })),
      lcores: this.lcores.map((L) => ({
        name: L.name, role: L.cfg.role, busyNs: L.busyNs, pollNs: L.pollNs, emptyPolls: L.emptyPolls,
        bursts: L.bursts, packets: L.packets, clockNs: L.clock,
      })),
      rings: [...this.rings.values()].map((r) => ({ name: r.name, count: r.count, capacity: r.capacity })),
      mempool: { available: this.pool.available, cached, refills, flushes },
      latency: { avgNs: tl.latencyCount ? tl.latencySum / tl.latencyCount : 0, maxNs: tl.latencyMax },
    };
  }
}
