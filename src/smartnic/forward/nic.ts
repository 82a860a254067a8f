// The SmartNIC: the control plane (immer tables), the compiled lookup indexes, and the data plane.
// Commits are applied to the indexes between bursts; since a burst runs synchronously to its end,
// every packet of a burst sees one version of the tables (the RCU property the pipeline relies on).
import { checkFrameSize, HEADROOM, MAX_FRAME, type Mempool } from '../../packet/index.js';
import type { Draft } from 'immer';
import { ControlPlane, touchedEntries, type CommitResult, type Locator } from '../control/commit.js';
import { applySetup, setupLocator, type Setup } from '../control/setup.js';
import { FLOW_ACTIONS, TRAP } from '../model/constants.js';
import { DROP_INDEX } from '../model/drops.js';
import { emptyTables, type TablesState } from '../model/types.js';
import { defaultProfile, type NicProfile } from '../profile.js';
import { Ctx, HOST_INDEX, Stats } from './ctx.js';
import type { HoldState } from './flowstep.js';
import { fabricInput, vmInput } from './input.js';
import { Snapshot } from './snapshot.js';
import { KIND, type Verdict } from './verdict.js';

/** Per-packet results of a burst, in typed arrays (no allocation per packet). */
export class BurstOut {
  readonly kind: Int8Array;
  readonly port: Int32Array;
  /** Drop reason index (DROP_REASONS), host reason index (HOST_REASONS) or trap code. */
  readonly reason: Int16Array;
  readonly flowIndex: Int32Array;
  constructor(readonly size: number) {
    this.kind = new Int8Array(size); this.port = new Int32Array(size);
    this.reason = new Int16Array(size); this.flowIndex = new Int32Array(size);
  }
}

export interface NicCommit extends CommitResult {
  /** Verdicts of packets that were held behind HOLD flows the commit resolved. */
  released: Verdict[];
}

const SAVE = 256;

export class SmartNic {
  readonly control: ControlPlane;
  readonly snap: Snapshot;
  readonly stats = new Stats();
  readonly hold: HoldState = { queue: new Map(), cursor: 0 };
  private readonly c: Ctx;
  private readonly scratch = new Uint8Array(HEADROOM + MAX_FRAME);
  private readonly saved = new Uint8Array(SAVE);
  private off0 = 0;
  private len0 = 0;
  private readonly original = (): Uint8Array => this.c.b.slice(this.off0, this.off0 + this.len0);

  constructor(readonly profile: NicProfile = defaultProfile(), initial: TablesState = emptyTables()) {
    this.snap = new Snapshot(profile);
    this.control = new ControlPlane(emptyTables());
    this.c = new Ctx(profile, this.stats);
    this.c.s = this.snap;
    this.control.subscribe((r) => {
      this.snap.apply(r.state, touchedEntries(r.patches));
      for (const [from, to] of this.snap.movedHolds) {
        const q = this.hold.queue.get(from);
        if (q) { this.hold.queue.delete(from); this.hold.queue.set(to, q); }
      }
      this.snap.movedHolds.length = 0;
    });
    if (initial !== undefined && Object.values(initial).some((t) => Object.keys(t).length > 0)) {
      this.commit((d) => { Object.assign(d, initial); });
    }
  }

  get state(): TablesState {
    return this.control.state;
  }

  /** Virtual time in ns (flow ageing). */
  get now(): number { return this.c.now; }
  set now(ns: number) { this.c.now = ns; }

  /** One transaction; rejected whole (XdplabError) when it breaks integrity. */
  commit(recipe: (draft: Draft<TablesState>) => void, locate?: Locator): NicCommit {
    const r = this.control.commit(recipe, locate);
    return { ...r, released: this.release() };
  }

  /** Apply a parsed YAML setup as one transaction. */
  apply(setup: Setup, ...earlier: Setup[]): NicCommit {
    return this.commit((d) => applySetup(d, setup), setupLocator(...earlier, setup));
  }

  /** A free flow index for the agent (not configured, not held). */
  freeFlowIndex(from = 0): number {
    return this.snap.flows.freeIndex(from);
  }

  /** Flow ageing: configured flows idle for `idleNs` (for the agent to delete); idle HOLD entries are dropped here. */
  age(idleNs: number): number[] {
    const out: number[] = [];
    for (const i of this.snap.flows.idle(this.c.now, idleNs)) {
      if (this.state.flows[i] !== undefined) { out.push(i); continue; }
      this.snap.flows.remove(i);
      const q = this.hold.queue.get(i);
      if (q) { this.stats.drops[DROP_INDEX.flow_unusable] += q.length; this.hold.queue.delete(i); }
    }
    return out;
  }

  private release(): Verdict[] {
    const out: Verdict[] = [];
    const t = this.snap.flows;
    for (const [idx, q] of [...this.hold.queue]) {
      if (t.used(idx) && t.action[idx] === FLOW_ACTIONS.hold) continue;
      this.hold.queue.delete(idx);
      for (const [port, bytes] of q) out.push(this.receive(port, bytes));
    }
    return out;
  }

  private run(port: number, off: number, len: number): void {
    const c = this.c;
    c.res.reset();
    c.inPort = port;
    c.flow = -1;
    this.off0 = off; this.len0 = len;
    const v = this.snap.vifs.get(port);
    if (!v) { c.inPort = 0; return c.drop('invalid_if'); }
    this.stats.rxPackets[port]++; this.stats.rxBytes[port] += len;
    if (!v.offloaded) return c.host('vif-not-offloaded');
    if (len < 14) return c.drop('invalid_packet');
    if (v.vif.type === 'physical') return fabricInput(c, v, off, len, this.hold, this.original);
    if (v.vif.type === 'virtual') return vmInput(c, v, off, len, this.hold, this.original);
    return c.host('xconnect');
  }

  /** One packet in, one verdict out (copies; the burst form below does not allocate). */
  receive(port: number, bytes: Uint8Array): Verdict {
    checkFrameSize(bytes.length);
    const b = this.scratch;
    b.set(bytes, HEADROOM);
    this.c.b = b;
    this.run(port, HEADROOM, bytes.length);
    const r = this.c.res;
    switch (r.kind) {
      case KIND.tx: return { kind: 'tx', port: r.port, bytes: b.slice(r.off, r.off + r.len) };
      case KIND.host: return { kind: 'host', port: r.port, reason: r.host, bytes: bytes.slice() };
      case KIND.drop: return { kind: 'drop', reason: r.drop };
      case KIND.trap: return { kind: 'trap', reason: r.trap, code: TRAP[r.trap], vif: port, vrf: r.vrf, flowIndex: r.flowIndex, bytes: bytes.slice() };
      default: return { kind: 'hold', flowIndex: r.flowIndex };
    }
  }

  /**
   * A burst of mbufs, rewritten in place (data offset and length updated for tx). Host and trap
   * verdicts leave the packet as it arrived, as fallback through a representor requires.
   */
  burst(pool: Mempool, handles: Int32Array, n: number, out: BurstOut): void {
    const c = this.c;
    c.b = pool.bytes;
    for (let i = 0; i < n; i++) {
      const h = handles[i]!;
      const base = pool.slotBase(h);
      const off = base + pool.dataOff[h]!;
      const len = pool.dataLen[h]!;
      const keep = Math.min(len, SAVE);
      this.saved.set(pool.bytes.subarray(off, off + keep));
      this.run(pool.port[h]!, off, len);
      const r = c.res;
      out.kind[i] = r.kind; out.port[i] = r.port; out.flowIndex[i] = r.flowIndex; out.reason[i] = 0;
      if (r.kind === KIND.tx) { pool.dataOff[h] = r.off - base; pool.dataLen[h] = r.len; }
      else if (r.kind === KIND.host || r.kind === KIND.trap) {
        pool.bytes.set(this.saved.subarray(0, keep), off);
        out.reason[i] = r.kind === KIND.host ? HOST_INDEX[r.host] : TRAP[r.trap];
      } else if (r.kind === KIND.drop) out.reason[i] = DROP_INDEX[r.drop];
    }
  }
}
