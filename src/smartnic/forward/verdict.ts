// What the NIC does with a packet. Drops carry dropstats reasons; 'host' is the fallback to the
// host vRouter through the ingress port's representor (packet unmodified), with a counted reason.
import type { TrapReason } from '../model/constants.js';
import type { DropReason } from '../model/drops.js';

/** Why a packet went to the host instead of being handled on the NIC. */
export const HOST_REASONS = [
  'xconnect', // not overlay traffic for this compute node: cross-connect to vhost0
  'receive', // a receive NH: for the host's own stack
  'fragment', // IP fragments are reassembled on the host
  'fragmentation-needed', // oversize without DF: the NIC does not fragment
  'ip-options', // IPv4 options are left to the host datapath
  'multicast', // broadcast/multicast (BUM) replication is done by the host
  'nh-not-offloaded', 'vrf-not-offloaded', 'label-not-offloaded', 'vni-not-offloaded', 'bridge-not-offloaded',
  'vif-not-offloaded', 'flow-not-offloaded', 'flow-table-full', 'hold-limit',
  'unsupported-mplsogre', 'unsupported-mplsoudp', 'unsupported-vxlan', 'unsupported-ipv6', 'unsupported-nat',
  'unsupported-ecmp', 'unsupported-vrf-translate',
] as const;
export type HostReason = typeof HOST_REASONS[number];

export type Verdict =
  | { kind: 'tx'; port: number; bytes: Uint8Array }
  | { kind: 'host'; port: number; reason: HostReason; bytes: Uint8Array }
  | { kind: 'drop'; reason: DropReason }
  | { kind: 'trap'; reason: TrapReason; code: number; vif: number; vrf: number; flowIndex: number; bytes: Uint8Array }
  /** Queued behind a HOLD flow; released (forwarded again) when the agent programs the flow. */
  | { kind: 'hold'; flowIndex: number };

export const KIND = { tx: 0, host: 1, drop: 2, trap: 3, hold: 4 } as const;

/** The reusable result of one packet in the hot path (no allocation). */
export class Result {
  kind = 0;
  port = -1;
  off = 0;
  len = 0;
  drop: DropReason = 'misc';
  host: HostReason = 'xconnect';
  trap: TrapReason = 'flow-miss';
  flowIndex = -1;
  vrf = 0;
  reset(): void { this.kind = 0; this.port = -1; this.flowIndex = -1; this.vrf = 0; }
}
