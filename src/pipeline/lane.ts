// One host queue: the kernel receive path on one CPU (XDP native/generic, the stack, a socket)
// or a DPDK run-to-completion lcore per receiving port, on its own mbuf pool. A lane depends
// only on the frames offered to it and the poll times, so lanes run on any thread with the
// same results. The frame crosses PCIe into the lane's pool (the copy is the DMA).
import { hostTimings, readCostProfile, type CostProfile } from '../cost/index.js';
import {
  DpdkModel, EV_REDIRECT, EV_TX, KernelModel, REASON, type Accounting, type EventLog, type LcoreConfig, type PortConfig,
} from '../host/index.js';
import { HEADROOM, Mempool } from '../packet/index.js';
import { XDP_ABORTED, XDP_DROP, XDP_REDIRECT, XdpProgram } from './program.js';
import type { Topology } from './topology.js';

export interface LaneModel {
  offer(handles: Int32Array, n: number, nowNs: number, port?: number): void;
  poll(nowNs: number): EventLog;
  counters(): Accounting & Record<string, unknown>;
}

export class Lane {
  readonly pool: Mempool;
  readonly model: LaneModel;
  /** Redirect target per mbuf, set by the XDP hook. */
  readonly target: Int32Array;
  /** Offered to this lane (including frames refused for want of an mbuf). */
  offered = 0;
  nombuf = 0;
  /** The XDP program (kernel hook) or the DPDK application's eBPF program, if any. */
  readonly program?: { prog: XdpProgram; mode: 'native' | 'generic' | 'dpdk' };
  private readonly one = new Int32Array(1);

  constructor(readonly id: number, topo: Topology, cost: CostProfile = readCostProfile(topo.costProfile)) {
    const host = topo.host!;
    const nports = Math.max(...topo.ports.map((p) => p.index)) + 1;
    const ports: PortConfig[] = [];
    for (let i = 0; i < nports; i++) {
      const p = topo.ports.find((q) => q.index === i);
      ports.push({ rxDesc: host.rxDesc, txDesc: host.txDesc, linkGbps: p?.linkGbps ?? 10 });
    }
    const socketPackets = Math.ceil(host.socket.rcvbuf / 256) + 1;
    const capacity = nports * (host.rxDesc + host.txDesc) + nports * 1024 + socketPackets + 4096;
    this.pool = new Mempool(capacity);
    this.target = new Int32Array(capacity).fill(-1);
    const timings = hostTimings(cost);
    const ifindex = (i: number): number => topo.ports.find((p) => p.ifindex === i)?.index ?? -1;
    const pool = this.pool;
    if (host.path === 'kernel') {
      const x = host.xdp;
      const prog = x ? new XdpProgram(x, cost, ifindex, topo.tier) : undefined;
      if (prog) this.program = { prog, mode: x!.mode === 'generic' ? 'generic' : 'native' };
      const hook = prog && {
        run: (h: number): number => {
          const v = prog.run(pool, h);
          if (v === XDP_REDIRECT) this.target[h] = prog.target;
          return v;
        },
        costNs: (): number => prog.costNs(),
      };
      const decision = host.stack;
      this.model = new KernelModel({
        timings, pool, ports, native: x?.mode === 'native' ? hook : undefined, generic: x?.mode === 'generic' ? hook : undefined,
        stack: () => decision, conntrack: host.conntrack, forwardPort: host.forwardPort, socket: host.socket,
      }) as unknown as LaneModel;
    } else {
      const prog = host.program ? new XdpProgram(host.program, cost, ifindex, topo.tier) : undefined;
      if (prog) this.program = { prog, mode: 'dpdk' };
      // librte_bpf semantics: 0 drops the packet; an XDP program's DROP/ABORTED map to 0.
      const bpf = prog && {
        run: (h: number): number => { const v = prog.run(pool, h); return v === XDP_DROP || v === XDP_ABORTED ? 0 : 1; },
        costNs: (): number => prog.costNs(),
      };
      const lcores: LcoreConfig[] = [];
      for (const p of topo.ports) {
        if (!host.forward.has(p.index)) continue;
        lcores.push({ name: `lcore ${id}.${p.name}`, role: 'rtc', rxPort: p.index, txPort: host.forward.get(p.index), program: bpf });
      }
      this.model = new DpdkModel({ timings, pool, ports, lcores }) as unknown as LaneModel;
    }
  }

  /** A frame arrives on `port` at `timeNs`. */
  offer(bytes: Uint8Array, off: number, len: number, port: number, timeNs: number, drops: (reason: number, at: number) => void): void {
    this.offered++;
    const h = this.pool.alloc();
    if (h < 0) { this.nombuf++; drops(REASON['mempool empty'], timeNs); return; }
    this.pool.bytes.set(bytes.subarray(off, off + len), this.pool.slotBase(h) + HEADROOM);
    this.pool.dataLen[h] = len;
    this.pool.port[h] = port;
    this.target[h] = -1;
    this.one[0] = h;
    this.model.offer(this.one, 1, timeNs, port);
  }

  /** Run to `nowNs`; the events (tx/redirect/deliver handles must be released with `release`). */
  poll(nowNs: number): EventLog {
    return this.model.poll(nowNs);
  }

  release(kind: number, h: number): void {
    if (kind === EV_TX || kind === EV_REDIRECT || h >= 0) this.pool.free(h);
  }
}
