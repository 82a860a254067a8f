// The one table of layers: fields in wire order, widths, defaults, automatic fields.
// Every bit of every header belongs to some field, so a decoded layer re-encodes to the
// same bytes. Defaults follow scapy where it has one (ttl 64, TCP flags S, window 8192,
// ports 20->80 and 53->53, ICMP echo request); addresses are documentation-style:
// MACs 02:00:00:00:00:01 (src) -> :02 (dst), 10.0.0.1 -> 10.0.0.2, fd00::1 -> fd00::2.
import type { FieldSpec, LayerContext, LayerSpec, Values } from './headers.js';
import { VALUE_NAMES } from './headers-links.js';
import { parseTcpFlags, showTcpFlags } from './headers-tcpflags.js';

const EMPTY = new Uint8Array(0);
const u = (name: string, bits: number, def: number, extra: Partial<FieldSpec> = {}): FieldSpec => ({ name, kind: 'uint', bits, def, ...extra });
const auto = (name: string, bits: number, extra: Partial<FieldSpec> = {}): FieldSpec => ({ name, kind: 'uint', bits, auto: true, ...extra });
const mac = (name: string, text: string): FieldSpec => ({ name, kind: 'mac', def: Uint8Array.from(text.split(':').map((x) => parseInt(x, 16))) });
const ip4 = (name: string, text: string): FieldSpec => ({ name, kind: 'ipv4', def: Uint8Array.from(text.split('.').map(Number)) });
const ip6 = (name: string, last: number): FieldSpec => ({ name, kind: 'ipv6', def: Uint8Array.from([0xfd, ...new Array<number>(14).fill(0), last]) });
const bytes = (name: string, size?: (v: Values) => number | undefined): FieldSpec => ({ name, kind: 'bytes', def: EMPTY, size });
const checksum: FieldSpec = { name: 'checksum', kind: 'uint', bits: 16, auto: true, hex: true, aliases: ['chksum', 'csum'] };

/** Zero-pad a byte string to a multiple of `unit` bytes. */
function padTo(b: Uint8Array, unit: number, extra = 0): Uint8Array {
  const len = Math.ceil((b.length + extra) / unit) * unit - extra;
  if (len === b.length) return b;
  const out = new Uint8Array(len);
  out.set(b);
  return out;
}

const num = (v: Values, f: string): number => v[f] as number;
const given = (g: Values, f: string): boolean => g[f] !== undefined;

const eth: LayerSpec = {
  name: 'eth', aliases: ['ether'], summary: 'Ethernet II',
  fields: [mac('dst', '02:00:00:00:00:02'), mac('src', '02:00:00:00:00:01'),
    auto('type', 16, { hex: true, aliases: ['ethertype'], names: VALUE_NAMES.ethertype })],
};

const tagFields: FieldSpec[] = [u('pcp', 3, 0, { aliases: ['prio'] }), u('dei', 1, 0, { aliases: ['cfi'] }),
  u('id', 12, 1, { aliases: ['vid', 'vlan'] }), auto('type', 16, { hex: true, aliases: ['ethertype'], names: VALUE_NAMES.ethertype })];
const vlan: LayerSpec = { name: 'vlan', aliases: ['dot1q'], summary: '802.1Q VLAN tag (TPID 0x8100)', fields: tagFields };
const qinq: LayerSpec = { name: 'qinq', aliases: ['dot1ad'], summary: '802.1ad service tag (TPID 0x88a8)', fields: tagFields };

const mpls: LayerSpec = {
  name: 'mpls', summary: 'MPLS label stack entry (s is set on the last one)',
  fields: [u('label', 20, 16), u('tc', 3, 0, { aliases: ['exp'] }), auto('s', 1), u('ttl', 8, 64)],
};

const arp: LayerSpec = {
  name: 'arp', summary: 'ARP for Ethernet and IPv4',
  fields: [u('htype', 16, 1), u('ptype', 16, 0x0800, { hex: true, names: VALUE_NAMES.ethertype }), u('hlen', 8, 6), u('plen', 8, 4),
    u('op', 16, 1, { names: { request: 1, reply: 2 } }), mac('sha', '02:00:00:00:00:01'), ip4('spa', '10.0.0.1'),
    mac('tha', '00:00:00:00:00:00'), ip4('tpa', '10.0.0.2')],
};

const ipv4: LayerSpec = {
  name: 'ipv4', aliases: ['ip'], summary: 'IPv4 (options as opts=hex, padded to 4 bytes)',
  fields: [u('version', 4, 4), auto('ihl', 4), u('dscp', 6, 0, { names: { ef: 46, cs0: 0, cs1: 8, cs6: 48 } }), u('ecn', 2, 0),
    auto('len', 16, { aliases: ['totlen'] }), u('id', 16, 1), u('rsv', 1, 0, { aliases: ['evil'] }), u('df', 1, 0), u('mf', 1, 0),
    u('frag', 13, 0, { aliases: ['offset'] }), u('ttl', 8, 64), auto('proto', 8, { aliases: ['protocol'], names: VALUE_NAMES.ipproto }),
    checksum, ip4('src', '10.0.0.1'), ip4('dst', '10.0.0.2'),
    bytes('opts', (v) => Math.max(0, num(v, 'ihl') - 5) * 4)],
  prepare(v, g) {
    v.opts = padTo(v.opts as Uint8Array, 4);
    if (!given(g, 'ihl')) v.ihl = 5 + (v.opts as Uint8Array).length / 4;
  },
  limit: (v, c) => c.off + num(v, 'len'),
  lengths(v, g, c, end) { if (!given(g, 'len')) v.len = end - c.off; },
  malformed: (v) => (num(v, 'ihl') < 5 ? `ipv4.ihl is ${num(v, 'ihl')}, below the minimum 5` : undefined),
};

const ipv6: LayerSpec = {
  name: 'ipv6', aliases: ['ip6'], summary: 'IPv6',
  fields: [u('version', 4, 6), u('tc', 8, 0), u('fl', 20, 0, { aliases: ['flow'] }), auto('plen', 16),
    auto('nh', 8, { names: VALUE_NAMES.nonext }), u('hlim', 8, 64, { aliases: ['ttl'] }), ip6('src', 1), ip6('dst', 2)],
  limit: (v, c) => c.off + 40 + num(v, 'plen'),
  lengths(v, g, c, end) { if (!given(g, 'plen')) v.plen = end - c.off - 40; },
};

// Extension headers share one shape: next header, length in 8-byte units beyond the first
// eight, and the rest as bytes (options, routing data, fragment offset/flags/id).
const extFields: FieldSpec[] = [auto('nh', 8, { names: VALUE_NAMES.nonext }), auto('len', 8), bytes('data', (v) => (num(v, 'len') + 1) * 8 - 2)];
const ext = (name: string, summary: string): LayerSpec => ({
  name, summary, fields: extFields,
  prepare(v, g) {
    if (!given(g, 'data')) v.data = new Uint8Array(6);
    if (!given(g, 'len')) {
      v.data = padTo(v.data as Uint8Array, 8, 2);
      v.len = ((v.data as Uint8Array).length + 2) / 8 - 1;
    }
  },
});

const tcp: LayerSpec = {
  name: 'tcp', summary: 'TCP (flags=SA or flags="syn,ack"; options as opts=hex)',
  fields: [u('sport', 16, 20), u('dport', 16, 80), u('seq', 32, 0), u('ack', 32, 0), auto('off', 4, { aliases: ['dataofs'] }),
    u('rsv', 4, 0), u('flags', 8, 2, { parse: parseTcpFlags, show: showTcpFlags }), u('win', 16, 8192, { aliases: ['window'] }),
    checksum, u('urg', 16, 0, { aliases: ['urgptr'] }), bytes('opts', (v) => Math.max(0, num(v, 'off') - 5) * 4)],
  prepare(v, g) {
    v.opts = padTo(v.opts as Uint8Array, 4);
    if (!given(g, 'off')) v.off = 5 + (v.opts as Uint8Array).length / 4;
  },
  malformed: (v) => (num(v, 'off') < 5 ? `tcp.off is ${num(v, 'off')}, below the minimum 5` : undefined),
};

const udp: LayerSpec = {
  name: 'udp', summary: 'UDP (dport 4789 before vxlan, 6635 before mpls)',
  fields: [u('sport', 16, 53), auto('dport', 16), auto('len', 16), checksum],
  limit: (v, c) => c.off + num(v, 'len'),
  lengths(v, g, c, end) { if (!given(g, 'len')) v.len = end - c.off; },
};

const icmpFields = (type: number, names: Record<string, number>): FieldSpec[] =>
  [u('type', 8, type, { names }), u('code', 8, 0), checksum, u('rest', 32, 0, { hex: true })];
const icmp: LayerSpec = {
  name: 'icmp', summary: 'ICMP (rest = the 4 bytes after the checksum)',
  fields: icmpFields(8, { 'echo-reply': 0, unreachable: 3, redirect: 5, 'echo-request': 8, 'time-exceeded': 11 }),
};
const icmpv6: LayerSpec = {
  name: 'icmpv6', aliases: ['icmp6'], summary: 'ICMPv6',
  fields: icmpFields(128, { unreachable: 1, 'too-big': 2, 'time-exceeded': 3, 'echo-request': 128, 'echo-reply': 129, rs: 133, ra: 134, ns: 135, na: 136 }),
};

const vxlan: LayerSpec = {
  name: 'vxlan', summary: 'VXLAN (an Ethernet frame follows)',
  fields: [u('flags', 8, 0x08, { hex: true }), u('rsv1', 24, 0), u('vni', 24, 0), u('rsv2', 8, 0)],
};

const hasC = (v: Values) => v.c === 1;
const gre: LayerSpec = {
  name: 'gre', summary: 'GRE (checksum, key and seq words present when given or their bit is set)',
  fields: [auto('c', 1), u('r', 1, 0), auto('k', 1), auto('s', 1), u('rsv0', 9, 0), u('ver', 3, 0),
    auto('proto', 16, { hex: true, names: VALUE_NAMES.greproto }),
    { ...checksum, when: hasC }, u('rsv1', 16, 0, { when: hasC }),
    u('key', 32, 0, { when: (v) => v.k === 1 }), u('seq', 32, 0, { when: (v) => v.s === 1 })],
  prepare(v, g) {
    if (!given(g, 'c')) v.c = given(g, 'checksum') || given(g, 'rsv1') ? 1 : 0;
    if (!given(g, 'k')) v.k = given(g, 'key') ? 1 : 0;
    if (!given(g, 's')) v.s = given(g, 'seq') ? 1 : 0;
  },
};

const payload: LayerSpec = { name: 'payload', aliases: ['raw'], summary: 'bytes: hex=.., text="..", or len=N [fill=0xNN]', fields: [bytes('data')] };
const pad: LayerSpec = {
  name: 'pad', summary: 'trailer outside every length field: hex=/text=/len= as payload, or min=60 to pad the frame',
  fields: [bytes('data')],
};

export const LAYERS: readonly LayerSpec[] = [eth, vlan, qinq, mpls, arp, ipv4, ipv6,
  ext('ipv6hop', 'IPv6 hop-by-hop options header'), ext('ipv6route', 'IPv6 routing header'),
  ext('ipv6frag', 'IPv6 fragment header'), ext('ipv6dest', 'IPv6 destination options header'),
  tcp, udp, icmp, icmpv6, vxlan, gre, payload, pad];

const BY_NAME = new Map<string, LayerSpec>();
for (const l of LAYERS) for (const n of [l.name, ...(l.aliases ?? [])]) BY_NAME.set(n, l);

/** A layer by name or alias. */
export function layerSpec(name: string): LayerSpec | undefined {
  return BY_NAME.get(name);
}

/** A field of a layer by name or alias. */
export function fieldSpec(layer: LayerSpec, name: string): FieldSpec | undefined {
  return layer.fields.find((f) => f.name === name || f.aliases?.includes(name));
}

/**
 * Where a layer's contents end: its length field's claim when that is at least the header and
 * within the parent's limit; otherwise the parent's limit. `short`: the claim went past it.
 */
export function contentEnd(spec: LayerSpec, v: Values, c: LayerContext): { end: number; short: boolean } {
  const claim = spec.limit?.(v, c);
  if (claim === undefined || claim < c.off + c.hdrLen) return { end: c.parentLimit, short: false };
  return claim > c.parentLimit ? { end: c.parentLimit, short: true } : { end: claim, short: false };
}
