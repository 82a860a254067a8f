// The vRouter tables as immer state. Every entry is plain data; the data plane compiles lookup
// indexes from it (fib/, flow/, forward/snapshot.ts). Field names follow tf-vrouter's structs.
import type { FlowAction, NhType, TunnelKind, VifType } from './constants.js';

/** struct vr_interface (the fields the NIC model uses). */
export interface Vif {
  index: number;
  type: VifType;
  name: string;
  mac: string;
  /** IPv4 address (the fabric/vhost address on physical and host vifs), '' when none. */
  ip: string;
  vrf: number;
  mtu: number;
  /** VIF_FLAG_* bits. */
  flags: number;
  /** vif_nh_id: the interface's own next hop (the flow key NH for packets from this VM), -1 when none. */
  nh: number;
}

export interface CompositeMember { nh: number; label: number }

/** struct vr_nexthop; type-specific fields are present only for their type. */
export interface NextHop {
  id: number;
  type: NhType;
  family: 'inet' | 'inet6' | 'bridge';
  /** nh_vrf; for vrf-translate, the VRF of the second lookup. */
  vrf: number;
  /** NH_FLAG_* bits (VALID is always set for programmed NHs). */
  flags: number;
  /** nh_dev: outgoing interface (encap, tunnel, receive), -1 when none. */
  vif: number;
  /** L2 rewrite (nh_data): destination MAC, source MAC, ethertype. */
  dmac?: string;
  smac?: string;
  ethertype?: number;
  tunnel?: TunnelKind;
  sip?: string;
  dip?: string;
  /** UDP tunnel ports (0 = hashed source port / default destination port for the kind). */
  sport?: number;
  dport?: number;
  /** L3 VXLAN: inner destination MAC (tun_l3_mac). */
  l3mac?: string;
  members?: CompositeMember[];
  /** NH_ECMP_CONFIG_HASH_* bits. */
  hash?: number;
}

/** An inet/inet6 route (struct vr_route_req). */
export interface Route {
  vrf: number;
  family: 'inet' | 'inet6';
  /** Canonical network address text, host bits zero. */
  prefix: string;
  len: number;
  nh: number;
  /** rt_label (MPLS label or VNI pushed for remote destinations), -1 when not valid. */
  label: number;
  /** Route label flags (RT_FLAG). */
  flags: number;
}

/** A bridge table entry (vr_bridge_entry). */
export interface BridgeEntry { vrf: number; mac: string; nh: number; label: number; flags: number }

/** struct vr_flow_entry (the configured part; counters live in the data plane). */
export interface FlowEntry {
  index: number;
  family: 'inet' | 'inet6';
  proto: number;
  sip: string;
  dip: string;
  sport: number;
  dport: number;
  /** Key next hop (K(nh)). */
  nh: number;
  vrf: number;
  action: FlowAction;
  /** NAT sub-flags (NAT). */
  nat: number;
  /** fe_rflow: index of the reverse flow, -1 when none. */
  rflow: number;
  /** fe_dvrf: destination VRF (VRF translate), equals vrf when none. */
  dvrf: number;
  /** fe_src_nh_index (S(nh)), -1 when none. */
  srcNh: number;
  /** fe_ecmp_nh_index: composite member chosen for this flow, -1 when none. */
  ecmp: number;
}

/** All tables. Keys are strings because immer patches address entries by path. */
export interface TablesState {
  vifs: Record<string, Vif>;
  nhs: Record<string, NextHop>;
  /** MPLS ILM: label -> NH id. */
  mpls: Record<string, number>;
  /** VXLAN VNID table: VNI -> NH id. */
  vxlan: Record<string, number>;
  /** Routes keyed `vrf|prefix/len`. */
  routes: Record<string, Route>;
  /** Bridge entries keyed `vrf|mac`. */
  bridge: Record<string, BridgeEntry>;
  flows: Record<string, FlowEntry>;
}

export type TableName = keyof TablesState;
export const TABLE_NAMES: ReadonlyArray<TableName> = ['vifs', 'nhs', 'mpls', 'vxlan', 'routes', 'bridge', 'flows'];

export function emptyTables(): TablesState {
  return { vifs: {}, nhs: {}, mpls: {}, vxlan: {}, routes: {}, bridge: {}, flows: {} };
}

export const routeKey = (vrf: number, prefix: string, len: number): string => `${vrf}|${prefix}/${len}`;
export const bridgeKey = (vrf: number, mac: string): string => `${vrf}|${mac}`;
