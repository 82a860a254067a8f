// vRouter constants, as tf-vrouter defines them (include/vr_interface.h, vr_nexthop.h, vr_flow.h,
// vr_defs.h, vr_mpls.h; see ../shared/reference/domain.md §1). Names are what the utilities print.

/** VIF_TYPE_* with the `vif --list` type name. */
export const VIF_TYPES = {
  host: { code: 0, name: 'Host' },
  agent: { code: 1, name: 'Agent' },
  physical: { code: 2, name: 'Physical' },
  virtual: { code: 3, name: 'Virtual' },
} as const;
export type VifType = keyof typeof VIF_TYPES;

/** VIF_FLAG_* bits with the letters `vif --list` prints, in bit order. */
export const VIF_FLAGS: ReadonlyArray<{ key: string; bit: number; letter: string; name: string }> = [
  { key: 'policy', bit: 0x1, letter: 'P', name: 'Policy' },
  { key: 'xconnect', bit: 0x2, letter: 'X', name: 'Cross Connect' },
  { key: 'service-chain', bit: 0x4, letter: 'S', name: 'Service Chain' },
  { key: 'rx-mirror', bit: 0x8, letter: 'Mr', name: 'Receive Mirror' },
  { key: 'tx-mirror', bit: 0x10, letter: 'Mt', name: 'Transmit Mirror' },
  { key: 'tx-csum-offload', bit: 0x20, letter: 'Tc', name: 'Transmit Checksum Offload' },
  { key: 'l3', bit: 0x40, letter: 'L3', name: 'Layer 3' },
  { key: 'l2', bit: 0x80, letter: 'L2', name: 'Layer 2' },
  { key: 'dhcp', bit: 0x100, letter: 'D', name: 'DHCP' },
  { key: 'vhost-phys', bit: 0x200, letter: 'Vp', name: 'Vhost Physical' },
  { key: 'promisc', bit: 0x400, letter: 'Pr', name: 'Promiscuous' },
  { key: 'native-vlan', bit: 0x800, letter: 'Vnt', name: 'Native Vlan Tagged' },
  { key: 'no-arp-proxy', bit: 0x1000, letter: 'Mnp', name: 'No MAC Proxy' },
  { key: 'dpdk', bit: 0x2000, letter: 'Dpdk', name: 'DPDK PMD Interface' },
  { key: 'rx-filter-offload', bit: 0x4000, letter: 'Rfl', name: 'Receive Filtering Offload' },
  { key: 'monitored', bit: 0x8000, letter: 'Mon', name: 'Interface is Monitored' },
  { key: 'uuf', bit: 0x10000, letter: 'Uuf', name: 'Unknown Unicast Flood' },
  { key: 'vlan-offload', bit: 0x20000, letter: 'Vof', name: 'VLAN insert/strip offload' },
  { key: 'drop-new-flows', bit: 0x40000, letter: 'Df', name: 'Drop New Flows' },
  { key: 'mac-learn', bit: 0x80000, letter: 'L', name: 'MAC Learning Enabled' },
  { key: 'mac-proxy', bit: 0x100000, letter: 'Proxy', name: 'MAC Requests Proxied Always' },
  { key: 'etree-root', bit: 0x200000, letter: 'Er', name: 'Etree Root' },
];
export const VIF_FLAG_POLICY = 0x1;
export const VIF_FLAG_DROP_NEW_FLOWS = 0x40000;

/** enum nexthop_type with the `nh --list` type name. */
export const NH_TYPES = {
  dead: { code: 0, name: 'Dead' },
  receive: { code: 1, name: 'Receive' },
  encap: { code: 2, name: 'Encap' },
  tunnel: { code: 3, name: 'Tunnel' },
  resolve: { code: 4, name: 'Resolve' },
  discard: { code: 5, name: 'Drop' },
  composite: { code: 6, name: 'Composite' },
  'vrf-translate': { code: 7, name: 'Vrf_Translate' },
  'l2-receive': { code: 8, name: 'L2 Receive' },
} as const;
export type NhType = keyof typeof NH_TYPES;

/** NH_FLAG_* bits with the words `nh --list` prints. */
export const NH_FLAG = {
  VALID: 0x1, POLICY: 0x2, TUNNEL_GRE: 0x8, TUNNEL_UDP: 0x10, MCAST: 0x20, TUNNEL_UDP_MPLS: 0x40,
  TUNNEL_VXLAN: 0x80, RELAXED_POLICY: 0x100, COMPOSITE_ECMP: 0x400, FLOW_LOOKUP: 0x40000,
  L3_VXLAN: 0x2000000,
} as const;
export const NH_FLAG_NAMES: ReadonlyArray<[number, string]> = [
  [NH_FLAG.VALID, 'Valid'], [NH_FLAG.POLICY, 'Policy'], [NH_FLAG.TUNNEL_GRE, 'MPLSoGRE'],
  [NH_FLAG.TUNNEL_UDP, 'Udp'], [NH_FLAG.MCAST, 'Multicast'], [NH_FLAG.TUNNEL_UDP_MPLS, 'MPLSoUDP'],
  [NH_FLAG.TUNNEL_VXLAN, 'Vxlan'], [NH_FLAG.RELAXED_POLICY, 'Relaxed Policy'], [NH_FLAG.COMPOSITE_ECMP, 'Ecmp'],
  [NH_FLAG.FLOW_LOOKUP, 'Flow Lookup'], [NH_FLAG.L3_VXLAN, 'L3 Vxlan'],
];

/** Tunnel kinds of a TUNNEL next hop and the NH flag that selects each. */
export const TUNNEL_KINDS = { mplsogre: NH_FLAG.TUNNEL_GRE, mplsoudp: NH_FLAG.TUNNEL_UDP_MPLS, vxlan: NH_FLAG.TUNNEL_VXLAN } as const;
export type TunnelKind = keyof typeof TUNNEL_KINDS;

/** NH_ECMP_CONFIG_HASH_* bits, in the order `nh --list` names them. */
export const ECMP_HASH: ReadonlyArray<[string, number, string]> = [
  ['proto', 0x1, 'Proto'], ['sip', 0x2, 'SrcIP'], ['sport', 0x4, 'SrcPort'], ['dip', 0x8, 'DstIp'], ['dport', 0x10, 'DstPort'],
];
export const ECMP_HASH_ALL = 0x1f;

/** VR_FLOW_ACTION_* */
export const FLOW_ACTIONS = { drop: 0, hold: 1, forward: 2, nat: 3 } as const;
export type FlowAction = keyof typeof FLOW_ACTIONS;
/** VR_FLOW_FLAG_* NAT sub-flags and their `flow -l` letters. */
export const NAT_FLAGS: ReadonlyArray<[string, number, string]> = [
  ['snat', 0x2, 'S'], ['spat', 0x4, 'Ps'], ['dnat', 0x8, 'D'], ['dpat', 0x10, 'Pd'],
];
export const NAT = { SNAT: 0x2, SPAT: 0x4, DNAT: 0x8, DPAT: 0x10 } as const;

/** Route label flags (rt --dump legend). */
export const RT_FLAG = { LABEL_VALID: 0x1, ARP_PROXY: 0x2, ARP_TRAP: 0x4, ARP_FLOOD: 0x8 } as const;

/** AGENT_TRAP_* (vr_defs.h). */
export const TRAP = {
  arp: 2, 'l2-protocols': 3, nexthop: 4, resolve: 5, 'flow-miss': 6, 'l3-protocols': 7, diag: 8,
  'ecmp-resolve': 9, 'source-mismatch': 10, 'handle-df': 11, 'zero-ttl': 12, 'icmp-error': 13,
  'flow-action-hold': 15,
} as const;
export type TrapReason = keyof typeof TRAP;

/** Encapsulation constants (vr_mpls.h, vr_vxlan.h). */
export const MPLS_OVER_UDP_PORT = 6635;
export const MPLS_OVER_UDP_LEGACY_PORT = 51234;
export const VXLAN_PORT = 4789;
/** Hashed tunnel source ports fall in 49152–65535 (vr_mpls.h). */
export const TUNNEL_SPORT_BASE = 49152;
export const ETH_P_MPLS = 0x8847;
/** Router MAC vRouter answers with (pkt0 / vhost default, vr_interface.h). */
export const VROUTER_MAC = '00:00:5e:00:01:00';
/** VR_MAX_FLOW_QUEUE_ENTRIES: packets queued behind a HOLD flow. */
export const MAX_FLOW_QUEUE = 3;
/** Outer TTL vRouter puts on tunnel headers. */
export const TUNNEL_TTL = 64;
