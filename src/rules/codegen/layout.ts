// Where the generated program keeps what its parser found: 8-byte stack slots below r10
// (host-order values), a presence bit per header in FLAGS, and per field the slot, shift
// and mask that extract it. Register use: r6 = ctx, r7 = data, r8 = data_end (reloaded after
// any helper that moves the packet), r9 = scratch kept across calls; r0-r5 are temporaries.
import type { Proto } from '../fields.js';

const SLOT_NAMES = [
  'FLAGS', 'PKTLEN', 'ETH_DST', 'ETH_SRC', 'ETH_TYPE', 'TCI1', 'TCI2', 'MPLS', 'L3OFF', 'L4OFF',
  'IP_W0', 'IP_W1', 'IP_W2', 'IP_SRC', 'IP_DST', 'IP6_W0', 'IP6_W1',
  'IP6_SRC0', 'IP6_SRC1', 'IP6_SRC2', 'IP6_SRC3', 'IP6_DST0', 'IP6_DST1', 'IP6_DST2', 'IP6_DST3',
  'PORTS', 'TCPFLAGS', 'ICMP', 'VNI',
] as const;
export type SlotName = (typeof SLOT_NAMES)[number];

/** Stack offset (from r10) of each slot. */
export const SLOT = Object.fromEntries(SLOT_NAMES.map((n, i) => [n, -8 * (i + 1)])) as Record<SlotName, number>;
const META_BYTES = SLOT_NAMES.length * 8;
/** Scratch for map keys and values (32 bytes each) and the saved L2 header (24 bytes). */
export const KEY = -(META_BYTES + 32);
export const VAL = -(META_BYTES + 64);
export const L2SAVE = -(META_BYTES + 88);
export const ALL_SLOTS: readonly number[] = SLOT_NAMES.map((n) => SLOT[n]);

const BITS: Proto[] = ['eth', 'vlan', 'vlan2', 'mpls', 'bos', 'arp', 'ip', 'ip6', 'frag4', 'frag6', 'tcp', 'udp', 'icmp', 'icmp6', 'gre', 'vxlan'];
/** FLAGS bit(s) of a header; `l4port` is either TCP or UDP. */
export function flagBits(p: Proto): number {
  if (p === 'l4port') return flagBits('tcp') | flagBits('udp');
  const i = BITS.indexOf(p);
  return 1 << i;
}

export interface FieldLoc { slot: SlotName; shift: number; mask: bigint }
const L = (slot: SlotName, shift = 0, mask = 0xffffffffn): FieldLoc => ({ slot, shift, mask });

/** How to extract each scalar field (IPv6 addresses use the four *0..3 slots). */
export const FIELD_LOC: Readonly<Record<string, FieldLoc>> = {
  'eth.dst': L('ETH_DST', 0, 0xffffffffffffn),
  'eth.src': L('ETH_SRC', 0, 0xffffffffffffn),
  'eth.type': L('ETH_TYPE'),
  'vlan.id': L('TCI1', 0, 0xfffn),
  'vlan.pcp': L('TCI1', 13, 7n),
  'vlan.dei': L('TCI1', 12, 1n),
  'vlan.inner.id': L('TCI2', 0, 0xfffn),
  'vlan.inner.pcp': L('TCI2', 13, 7n),
  'mpls.label': L('MPLS', 12, 0xfffffn),
  'mpls.tc': L('MPLS', 9, 7n),
  'mpls.ttl': L('MPLS', 0, 0xffn),
  'ip.src': L('IP_SRC'),
  'ip.dst': L('IP_DST'),
  'ip.proto': L('IP_W2', 16, 0xffn),
  'ip.ttl': L('IP_W2', 24, 0xffn),
  'ip.dscp': L('IP_W0', 18, 0x3fn),
  'ip.ecn': L('IP_W0', 16, 3n),
  'ip.len': L('IP_W0', 0, 0xffffn),
  'ip.id': L('IP_W1', 16, 0xffffn),
  'ip6.nexthdr': L('IP6_W1', 8, 0xffn),
  'ip6.hoplimit': L('IP6_W1', 0, 0xffn),
  'ip6.dscp': L('IP6_W0', 22, 0x3fn),
  'ip6.len': L('IP6_W1', 16, 0xffffn),
  'ip6.flowlabel': L('IP6_W0', 0, 0xfffffn),
  sport: L('PORTS', 16, 0xffffn),
  dport: L('PORTS', 0, 0xffffn),
  'tcp.flags': L('TCPFLAGS', 0, 0xffn),
  'icmp.type': L('ICMP', 8, 0xffn),
  'icmp.code': L('ICMP', 0, 0xffn),
  'icmp6.type': L('ICMP', 8, 0xffn),
  'icmp6.code': L('ICMP', 0, 0xffn),
  'vxlan.vni': L('VNI', 0, 0xffffffn),
};

export function fieldLoc(path: string): FieldLoc | undefined {
  if (path.endsWith('.sport')) return FIELD_LOC.sport;
  if (path.endsWith('.dport')) return FIELD_LOC.dport;
  return FIELD_LOC[path];
}
