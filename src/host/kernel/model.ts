// The Linux receive path on one CPU: a coalesced interrupt schedules NAPI; each poll takes up to
// napiWeight packets per port and a softirq run up to netdevBudget; per packet the driver, XDP
// in native mode (before any skb), skb allocation and GRO, XDP in generic mode, then netfilter
// and routing (drop / forward / local), and local packets queue on a socket drained by a
// user-space receiver on its own CPU. Service times come from the timings; virtual time;
// deterministic; nothing allocated per packet.
import { fail } from '../../diag/index.js';
import type { Mempool } from '../../packet/index.js';
import { EV_DELIVER, EV_DROP, EV_REDIRECT, EV_TX, EventLog, REASON, Tally, type Accounting } from '../events.js';
import { Port, wireNs, type PortStats } from '../dpdk/port.js';
import type { HostTimings } from '../timings.js';
import type { KernelConfig, StackDecision, XdpHook } from './config.js';
import { Receiver } from './receiver.js';

const XDP_ABORTED = 0, XDP_DROP = 1, XDP_PASS = 2, XDP_TX = 3, XDP_REDIRECT = 4;

export interface KernelCounters extends Accounting {
  ports: PortStats[];
  cpu: { busyNs: number; clockNs: number; irqs: number; polls: number; softirqRuns: number; squeezed: number };
  receiver: { busyNs: number; clockNs: number; syscalls: number; wakeups: number; queued: number };
  latency: { avgNs: number; maxNs: number };
}

export class KernelModel {
  readonly ports: Port[];
  readonly events = new EventLog();
  readonly receiver: Receiver;
  private readonly t: HostTimings;
  private readonly pool: Mempool;
  private readonly native?: XdpHook;
  private readonly generic?: XdpHook;
  private readonly decide: (h: number) => StackDecision;
  private readonly conntrack: boolean;
  private readonly forwardPort: number;
  private readonly arrival: Float64Array;
  private readonly tally = new Tally();
  private readonly deliverFn = (h: number, at: number): void => this.delivered(h, at);
  private polled = false;
  // CPU state
  private clock = 0;
  private busyNs = 0;
  private irqArmed = true;
  private irqAt = Infinity;
  private polling = false;
  private budget = 0;
  private irqs = 0;
  private polls = 0;
  private softirqRuns = 0;
  private squeezed = 0;

  constructor(cfg: KernelConfig) {
    this.t = cfg.timings;
    this.pool = cfg.pool;
    this.ports = (cfg.ports ?? [{}]).map((p, i) => new Port(i, p));
    this.native = cfg.native;
    this.generic = cfg.generic;
    this.decide = cfg.stack ?? (() => 'local');
    this.conntrack = cfg.conntrack ?? false;
    this.forwardPort = cfg.forwardPort ?? 0;
    if (!this.ports[this.forwardPort]) fail('usage', `forwardPort ${this.forwardPort} does not exist (${this.ports.length} ports)`);
    const batch = cfg.socket?.batch ?? 1;
    if (!Number.isInteger(batch) || batch < 1 || batch > 1024) fail('usage', `socket batch must be 1..1024, got ${batch}`);
    this.receiver = new Receiver(this.t, cfg.socket?.rcvbufBytes ?? 212992, batch, cfg.pool.capacity);
    this.arrival = new Float64Array(cfg.pool.capacity);
    // The driver keeps every RX descriptor posted with a page (refilled inside the poll).
    for (const p of this.ports) p.rx.tail = p.rx.size;
  }

  /** Frames arrive on `port` back to back from `nowNs`; the model owns the handles from now on. */
  offer(handles: Int32Array | readonly number[], n: number, nowNs: number, portId = 0): void {
    const port = this.ports[portId] ?? fail('usage', `port ${portId} does not exist`);
    this.clearIfPolled();
    for (let i = 0; i < n; i++) {
      const h = handles[i]!;
      const at = Math.max(nowNs, port.rxWire) + wireNs(this.pool.dataLen[h]!, port.linkGbps);
      port.rxWire = at;
      this.advance(at);
      this.tally.offered++;
      this.arrival[h] = at;
      const slot = port.rx.nicTake();
      if (slot < 0) {
        port.stats.imissed++;
        this.pool.free(h);
        this.drop(REASON['rx ring full'], portId, at, 0);
        continue;
      }
      port.rx.slots[slot] = h;
      port.rx.times[slot] = at;
      port.stats.ipackets++;
      // The coalescing timer starts with the first frame after the interrupt is re-armed.
      if (this.irqArmed && this.irqAt === Infinity) this.irqAt = at + this.t.irqCoalesce;
    }
  }

  /** Run the CPU, the receiver and the NICs up to `nowNs`; the events since the last poll. */
  poll(nowNs: number): EventLog {
    this.clearIfPolled();
    this.advance(nowNs);
    for (let p = 0; p < this.ports.length; p++) this.nicTransmit(p, nowNs);
    this.polled = true;
    return this.events;
  }

  private clearIfPolled(): void {
    if (this.polled) { this.events.clear(); this.polled = false; }
  }

  /** Softirq CPU and receiver CPU in step: whichever is behind runs next. */
  private advance(t: number): void {
    const r = this.receiver;
    for (;;) {
      const cpuDue = this.clock < t;
      const recvDue = r.clock < t;
      if (!cpuDue && !recvDue) return;
      if (cpuDue && (!recvDue || this.clock <= r.clock)) this.cpuStep(t);
      else r.step(Math.min(t, Math.max(this.clock, r.clock + this.t.syscall)), this.deliverFn);
    }
  }

  private cpuStep(t: number): void {
    if (this.polling) { this.napiPoll(); return; }
    if (this.irqAt <= t) {
      this.clock = Math.max(this.clock, this.irqAt) + this.t.irq;
      this.busyNs += this.t.irq;
      this.irqs++;
      this.irqAt = Infinity;
      this.irqArmed = false;
      this.polling = true;
      this.budget = this.t.netdevBudget;
      this.softirqRuns++;
      return;
    }
    this.clock = t;
  }

  /** One round of NAPI polls over the ports (weight packets each at most). */
  private napiPoll(): void {
    let cost = 0;
    let full = false;
    for (let p = 0; p < this.ports.length; p++) {
      const port = this.ports[p]!;
      const k = Math.min(this.t.napiWeight, port.rx.done, this.budget);
      cost += this.t.napiPoll;
      this.polls++;
      for (let i = 0; i < k; i++) {
        const slot = port.rx.clean();
        port.rx.tail++; // refill the descriptor with a fresh page
        cost += this.packet(port.rx.slots[slot]!, p, this.clock + cost);
      }
      this.budget -= k;
      if (k === this.t.napiWeight) full = true;
      while (port.tx.clean() >= 0) { /* TX completions */ }
    }
    this.clock += cost;
    this.busyNs += cost;
    if (this.budget <= 0) {
      // net_rx_action ran out of budget: time_squeeze, softirq re-raised.
      this.squeezed++;
      this.softirqRuns++;
      this.budget = this.t.netdevBudget;
    } else if (!full) {
      // napi_complete_done: re-arm the interrupt; frames already waiting raise it at once.
      this.polling = false;
      this.irqArmed = true;
      let waiting = false;
      for (const port of this.ports) if (port.rx.done > 0) waiting = true;
      this.irqAt = waiting ? this.clock : Infinity;
    }
  }

  /** One packet through the receive path; returns its CPU cost (ns). */
  private packet(h: number, portId: number, now: number): number {
    const T = this.t;
    let cost = T.driverRxPerPacket;
    if (this.native) {
      const v = this.native.run(h);
      cost += T.xdpHookNative + (this.native.costNs?.(h) ?? 0);
      if (v !== XDP_PASS) {
        if (v === XDP_TX) { cost += T.xdpTx; this.xmit(h, portId, now + cost); }
        else if (v === XDP_REDIRECT) { cost += T.xdpRedirect; this.redirect(h, now + cost); }
        else { cost += T.xdpDrop; this.free(h, v === XDP_DROP ? REASON['xdp drop'] : REASON['xdp aborted'], now + cost); }
        return cost;
      }
    }
    cost += T.skbAlloc + T.gro;
    if (this.generic) {
      const v = this.generic.run(h);
      cost += T.xdpHookGeneric + (this.generic.costNs?.(h) ?? 0);
      if (v !== XDP_PASS) {
        if (v === XDP_TX || v === XDP_REDIRECT) {
          cost += T.devQueueXmit + T.driverXmit + T.kfreeSkb;
          if (v === XDP_TX) this.xmit(h, portId, now + cost); else this.redirect(h, now + cost);
        } else {
          cost += T.kfreeSkb;
          this.free(h, v === XDP_ABORTED || v > XDP_REDIRECT ? REASON['xdp aborted'] : REASON['xdp drop'], now + cost);
        }
        return cost;
      }
    }
    cost += T.netifReceive + T.ipRcv + (this.conntrack ? T.conntrack : 0);
    switch (this.decide(h)) {
      case 'drop':
        cost += T.nfDrop + T.kfreeSkb;
        this.free(h, REASON['netfilter drop'], now + cost);
        break;
      case 'forward':
        cost += T.fibLookup + T.ipForward + T.devQueueXmit + T.driverXmit + T.kfreeSkb;
        this.xmit(h, this.forwardPort, now + cost);
        break;
      case 'local':
        cost += T.udpDeliver;
        if (!this.receiver.enqueue(h, now + cost)) {
          cost += T.kfreeSkb;
          this.free(h, REASON['socket rcvbuf full'], now + cost);
        }
        break;
    }
    return cost;
  }

  private xmit(h: number, portId: number, at: number): void {
    const port = this.ports[portId]!;
    if (port.tx.postable === 0) while (port.tx.clean() >= 0) { /* reclaim */ }
    if (port.tx.postable === 0) {
      port.stats.oerrors++;
      this.free(h, REASON['tx ring full'], at);
      return;
    }
    port.txWire = Math.max(port.txWire, at) + wireNs(this.pool.dataLen[h]!, port.linkGbps);
    port.tx.post(h, port.txWire);
    this.nicTransmit(portId, at);
  }

  private nicTransmit(portId: number, now: number): void {
    const port = this.ports[portId]!;
    const tx = port.tx;
    while (tx.owned > 0) {
      const i = tx.head & tx.mask;
      const at = tx.times[i]!;
      if (at > now) break;
      tx.nicTake();
      const h = tx.slots[i]!;
      port.stats.opackets++;
      this.tally.transmitted++;
      this.out(EV_TX, h, portId, at);
    }
  }

  private redirect(h: number, at: number): void {
    this.tally.redirected++;
    this.out(EV_REDIRECT, h, -1, at);
  }

  private delivered(h: number, at: number): void {
    this.tally.delivered++;
    this.out(EV_DELIVER, h, -1, at);
  }

  private out(kind: number, h: number, port: number, at: number): void {
    const lat = at - this.arrival[h]!;
    this.tally.out(lat);
    this.events.push(kind, h, port, 0, at, lat);
  }

  private free(h: number, reason: number, at: number): void {
    this.pool.free(h);
    this.drop(reason, -1, at, at - this.arrival[h]!);
  }

  private drop(reason: number, port: number, at: number, lat: number): void {
    this.tally.drop(reason);
    this.events.push(EV_DROP, -1, port, reason, at, lat);
  }

  counters(): KernelCounters {
    let queued = this.receiver.queue.count;
    for (const p of this.ports) queued += p.rx.done + p.tx.owned;
    const r = this.receiver;
    const tl = this.tally;
    return {
      ...tl.accounting(queued),
      ports: this.ports.map((p) => ({ ...p.stats })),
      cpu: { busyNs: this.busyNs, clockNs: this.clock, irqs: this.irqs, polls: this.polls, softirqRuns: this.softirqRuns, squeezed: this.squeezed },
      receiver: { busyNs: r.busyNs, clockNs: r.clock, syscalls: r.syscalls, wakeups: r.wakeups, queued: r.queue.count },
      latency: { avgNs: tl.latencyCount ? tl.latencySum / tl.latencyCount : 0, maxNs: tl.latencyMax },
    };
  }
}
