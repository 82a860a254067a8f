// Per-packet working state of the NIC data plane and the counters it keeps. One Ctx per NIC,
// reused for every packet, so the hot path allocates nothing.
import { DROP_INDEX, type DropReason } from '../model/drops.js';
import type { TrapReason } from '../model/constants.js';
import type { NicProfile } from '../profile.js';
import { Meta } from './parse.js';
import type { Snapshot } from './snapshot.js';
import { HOST_REASONS, KIND, Result, type HostReason } from './verdict.js';

export class Stats {
  readonly drops = new Float64Array(64);
  readonly host = new Float64Array(HOST_REASONS.length);
  readonly traps = new Float64Array(32);
  readonly rxPackets = new Float64Array(4355);
  readonly rxBytes = new Float64Array(4355);
  readonly txPackets = new Float64Array(4355);
  readonly txBytes = new Float64Array(4355);
  readonly vifDrops = new Float64Array(4355);
}

export const HOST_INDEX = Object.fromEntries(HOST_REASONS.map((r, i) => [r, i])) as Record<HostReason, number>;

export class Ctx {
  s!: Snapshot;
  b!: Uint8Array;
  readonly m = new Meta();
  readonly res = new Result();
  inPort = 0;
  /** Flow the packet matched, -1 when none. */
  flow = -1;
  now = 0;
  constructor(readonly profile: NicProfile, readonly stats: Stats) {}

  drop(reason: DropReason): void {
    this.res.kind = KIND.drop; this.res.drop = reason;
    this.stats.drops[DROP_INDEX[reason]]++;
    this.stats.vifDrops[this.inPort]++;
  }

  host(reason: HostReason): void {
    this.res.kind = KIND.host; this.res.host = reason; this.res.port = this.inPort;
    this.stats.host[HOST_INDEX[reason]]++;
  }

  trap(reason: TrapReason, code: number, vrf: number, flowIndex = -1): void {
    this.res.kind = KIND.trap; this.res.trap = reason; this.res.vrf = vrf; this.res.flowIndex = flowIndex;
    this.stats.traps[code]++;
  }

  tx(port: number, off: number, len: number): void {
    this.res.kind = KIND.tx; this.res.port = port; this.res.off = off; this.res.len = len;
    this.stats.txPackets[port]++; this.stats.txBytes[port] += len;
  }
}
