// How layers chain: which field of a layer names the next one (ethertype, IP protocol, UDP
// port, GRE protocol) and the values for each next layer. One table per field kind, read in
// both directions: the encoder fills the field from the next layer, the dissector picks the
// next layer from the field.
import type { Values } from './headers.js';

export const ETHERTYPES: Readonly<Record<string, number>> = {
  ipv4: 0x0800, arp: 0x0806, vlan: 0x8100, qinq: 0x88a8, mpls: 0x8847, ipv6: 0x86dd,
};
/** Read but never written: the pre-standard QinQ TPID and multicast MPLS. */
const ETHERTYPES_READ: Readonly<Record<number, string>> = { 0x9100: 'qinq', 0x8848: 'mpls' };

export const IPPROTOS: Readonly<Record<string, number>> = {
  icmp: 1, ipv4: 4, tcp: 6, udp: 17, ipv6: 41, gre: 47, icmpv6: 58, mpls: 137,
};
/** IPv6 extension headers: only after IPv6 or another extension header. */
export const IPV6_EXTS: Readonly<Record<string, number>> = { ipv6hop: 0, ipv6route: 43, ipv6frag: 44, ipv6dest: 60 };

export const UDP_PORTS: Readonly<Record<string, number>> = { vxlan: 4789, mpls: 6635 };

export const GRE_PROTOS: Readonly<Record<string, number>> = { ...ETHERTYPES, eth: 0x6558 };

export interface Link {
  /** The field naming the next layer. */
  field: string;
  table: Readonly<Record<string, number>>;
  /** Value when nothing (or a payload) follows. */
  none: number;
}

const IPV6_NEXT = { ...IPPROTOS, ...IPV6_EXTS };
const EXT_LINK: Link = { field: 'nh', table: IPV6_NEXT, none: 59 };

/** Experimental ethertype (IEEE 802 local experimental 1) for an Ethernet header with no known next layer. */
export const ETHERTYPE_NONE = 0x88b5;

export const LINKS: Readonly<Record<string, Link>> = {
  eth: { field: 'type', table: ETHERTYPES, none: ETHERTYPE_NONE },
  vlan: { field: 'type', table: ETHERTYPES, none: ETHERTYPE_NONE },
  qinq: { field: 'type', table: ETHERTYPES, none: ETHERTYPE_NONE },
  ipv4: { field: 'proto', table: IPPROTOS, none: 0 },
  ipv6: EXT_LINK,
  ipv6hop: EXT_LINK, ipv6route: EXT_LINK, ipv6frag: EXT_LINK, ipv6dest: EXT_LINK,
  udp: { field: 'dport', table: UDP_PORTS, none: 53 },
  gre: { field: 'proto', table: GRE_PROTOS, none: 0 },
};

function byValue(table: Readonly<Record<string, number>>, value: number): string | undefined {
  for (const [name, v] of Object.entries(table)) if (v === value) return name;
  return undefined;
}

/**
 * The layer after `name` with decoded values `v`, or undefined for a payload.
 * `first` is the first byte after the header (MPLS guesses IPv4/IPv6 from its version nibble).
 */
export function nextLayer(name: string, v: Values, first: number | undefined): string | undefined {
  switch (name) {
    case 'mpls':
      if (v.s === 0) return 'mpls';
      if (first === undefined) return undefined;
      return first >> 4 === 4 ? 'ipv4' : first >> 4 === 6 ? 'ipv6' : undefined;
    case 'vxlan':
      return 'eth';
    case 'ipv4':
      if (v.frag !== 0) return undefined; // a later fragment: no header follows
      break;
    case 'ipv6frag': {
      const data = v.data as Uint8Array;
      if (data.length < 2 || ((data[0]! << 8) | data[1]!) >> 3 !== 0) return undefined;
      break;
    }
  }
  const link = LINKS[name];
  if (!link) return undefined;
  const value = v[link.field] as number;
  const found = byValue(link.table, value);
  if (found) return found;
  if (link.table === ETHERTYPES || link.table === GRE_PROTOS) return ETHERTYPES_READ[value];
  return undefined;
}

/** Known constant names for a value field (`ethertype=ipv6`, `proto=udp`). */
export const VALUE_NAMES = {
  ethertype: { ...ETHERTYPES, mpls_mc: 0x8848, qinq_old: 0x9100 },
  greproto: { ...GRE_PROTOS, teb: 0x6558 },
  ipproto: IPV6_NEXT,
  nonext: { ...IPV6_NEXT, none: 59 },
};
