// The header fields a rule can match on or set: kind, width, the header that must be present,
// and named values (`tcp`, `echo-request`, `ef`, `syn`). The semantic checker, the evaluator,
// the code generator and the table compiler all read this one table.

/** Headers the parser recognises; `l4port` is "TCP or UDP". */
export type Proto =
  | 'eth' | 'vlan' | 'vlan2' | 'mpls' | 'arp' | 'ip' | 'ip6' | 'tcp' | 'udp' | 'l4port'
  | 'icmp' | 'icmp6' | 'gre' | 'vxlan' | 'frag4' | 'frag6' | 'bos';

export type FieldKind = 'int' | 'ip4' | 'ip6' | 'mac';

export interface FieldInfo {
  readonly path: string;
  /** How users write it. */
  readonly text: string;
  readonly kind: FieldKind;
  readonly bits: number;
  readonly needs: Proto;
  readonly names?: Readonly<Record<string, number>>;
  /** `set FIELD VALUE` is allowed. */
  readonly settable?: boolean;
  /** A mask test field: `tcp flags syn|ack` means all of these bits are set. */
  readonly flags?: boolean;
}

const IP_PROTOS = { icmp: 1, igmp: 2, tcp: 6, udp: 17, gre: 47, esp: 50, ah: 51, icmp6: 58, sctp: 132, 'ipv6-frag': 44 };
const ETHER_TYPES = { ip: 0x0800, ipv4: 0x0800, arp: 0x0806, vlan: 0x8100, qinq: 0x88a8, ip6: 0x86dd, ipv6: 0x86dd, mpls: 0x8847, 'mpls-mc': 0x8848 };
const DSCP: Record<string, number> = { ef: 46, be: 0, va: 44 };
for (let c = 0; c < 8; c++) DSCP[`cs${c}`] = c * 8;
for (let c = 1; c <= 4; c++) for (let d = 1; d <= 3; d++) DSCP[`af${c}${d}`] = c * 8 + d * 2;
const ICMP = {
  'echo-reply': 0, 'destination-unreachable': 3, 'source-quench': 4, redirect: 5, 'echo-request': 8,
  'router-advertisement': 9, 'router-solicitation': 10, 'time-exceeded': 11, 'parameter-problem': 12,
  'timestamp-request': 13, 'timestamp-reply': 14,
};
const ICMP6 = {
  'destination-unreachable': 1, 'packet-too-big': 2, 'time-exceeded': 3, 'parameter-problem': 4,
  'echo-request': 128, 'echo-reply': 129, 'router-solicitation': 133, 'router-advertisement': 134,
  'neighbour-solicitation': 135, 'neighbour-advertisement': 136, 'nd-neighbor-solicit': 135, 'nd-neighbor-advert': 136,
};
export const TCP_FLAGS = { fin: 0x01, syn: 0x02, rst: 0x04, psh: 0x08, ack: 0x10, urg: 0x20, ece: 0x40, cwr: 0x80 };

const F = (path: string, kind: FieldKind, bits: number, needs: Proto, extra: Partial<FieldInfo> = {}): FieldInfo =>
  ({ path, text: path.replace(/\./g, ' '), kind, bits, needs, ...extra });

export const FIELDS: readonly FieldInfo[] = [
  F('eth.dst', 'mac', 48, 'eth', { settable: true }),
  F('eth.src', 'mac', 48, 'eth', { settable: true }),
  F('eth.type', 'int', 16, 'eth', { names: ETHER_TYPES }),
  F('vlan.id', 'int', 12, 'vlan', { settable: true }),
  F('vlan.pcp', 'int', 3, 'vlan', { settable: true }),
  F('vlan.dei', 'int', 1, 'vlan'),
  F('vlan.inner.id', 'int', 12, 'vlan2'),
  F('vlan.inner.pcp', 'int', 3, 'vlan2'),
  F('mpls.label', 'int', 20, 'mpls', { settable: true }),
  F('mpls.tc', 'int', 3, 'mpls'),
  F('mpls.ttl', 'int', 8, 'mpls', { settable: true }),
  F('ip.src', 'ip4', 32, 'ip', { settable: true }),
  F('ip.dst', 'ip4', 32, 'ip', { settable: true }),
  F('ip.proto', 'int', 8, 'ip', { names: IP_PROTOS }),
  F('ip.ttl', 'int', 8, 'ip', { settable: true }),
  F('ip.dscp', 'int', 6, 'ip', { names: DSCP, settable: true }),
  F('ip.ecn', 'int', 2, 'ip'),
  F('ip.len', 'int', 16, 'ip'),
  F('ip.id', 'int', 16, 'ip'),
  F('ip6.src', 'ip6', 128, 'ip6'),
  F('ip6.dst', 'ip6', 128, 'ip6'),
  F('ip6.nexthdr', 'int', 8, 'ip6', { names: IP_PROTOS }),
  F('ip6.hoplimit', 'int', 8, 'ip6', { settable: true }),
  F('ip6.dscp', 'int', 6, 'ip6', { names: DSCP }),
  F('ip6.len', 'int', 16, 'ip6'),
  F('ip6.flowlabel', 'int', 20, 'ip6'),
  F('tcp.sport', 'int', 16, 'tcp', { settable: true }),
  F('tcp.dport', 'int', 16, 'tcp', { settable: true }),
  F('tcp.flags', 'int', 8, 'tcp', { names: TCP_FLAGS, flags: true }),
  F('udp.sport', 'int', 16, 'udp', { settable: true }),
  F('udp.dport', 'int', 16, 'udp', { settable: true }),
  F('sport', 'int', 16, 'l4port'),
  F('dport', 'int', 16, 'l4port'),
  F('icmp.type', 'int', 8, 'icmp', { names: ICMP }),
  F('icmp.code', 'int', 8, 'icmp'),
  F('icmp6.type', 'int', 8, 'icmp6', { names: ICMP6 }),
  F('icmp6.code', 'int', 8, 'icmp6'),
  F('vxlan.vni', 'int', 24, 'vxlan'),
];

const byPath = new Map(FIELDS.map((f) => [f.path, f]));
export function fieldInfo(path: string): FieldInfo | undefined { return byPath.get(path); }

/** Boolean tests (`ip frag`, `ip6 frag`, `mpls bos`) are presence tests. */
export const BOOL_FIELDS: Readonly<Record<string, Proto>> = { 'ip.frag': 'frag4', 'ip6.frag': 'frag6', 'mpls.bos': 'bos' };

/** Protocol words in matches (`tcp`, `vlan`, ...) and the header each stands for. */
export const PROTO_WORDS: Readonly<Record<string, Proto>> = {
  ip: 'ip', ip6: 'ip6', tcp: 'tcp', udp: 'udp', icmp: 'icmp', icmp6: 'icmp6', arp: 'arp',
  vlan: 'vlan', mpls: 'mpls', vxlan: 'vxlan', gre: 'gre',
};

/** Set element types: key width in bytes and the field kinds they hold. */
export const SET_ELEMS: Readonly<Record<string, { kind: FieldKind; bits: number; bytes: number }>> = {
  ipv4: { kind: 'ip4', bits: 32, bytes: 4 },
  ipv6: { kind: 'ip6', bits: 128, bytes: 16 },
  mac: { kind: 'mac', bits: 48, bytes: 6 },
  port: { kind: 'int', bits: 16, bytes: 2 },
  vlan: { kind: 'int', bits: 12, bytes: 2 },
  vni: { kind: 'int', bits: 24, bytes: 4 },
  proto: { kind: 'int', bits: 8, bytes: 1 },
  u8: { kind: 'int', bits: 8, bytes: 1 },
  u16: { kind: 'int', bits: 16, bytes: 2 },
  u32: { kind: 'int', bits: 32, bytes: 4 },
};

export const UDP_VXLAN_PORT = 4789;
