// The evaluator's packet parser: the reference for what the generated program's parser must
// find. One pass, front to back, the same stopping rules as the code generator:
//   Ethernet (14 bytes) -> up to two VLAN tags (0x8100 / 0x88a8) -> the ethertype after them
//   0x8847/0x8848 MPLS (top label only; no parsing below it) | 0x0806 ARP |
//   0x0800 IPv4 (version 4, IHL >= 5; L4 only when the fragment offset is 0) |
//   0x86dd IPv6 (L4 after the fixed header, or after one fragment header at offset 0)
//   -> TCP (20 bytes) | UDP (8) -> VXLAN (UDP dport 4789, I flag, 8 bytes) | ICMP/ICMPv6 (4) | GRE (4)
// A header that does not fit in the packet is absent, and so is everything after it.
import type { Proto } from './fields.js';
import { UDP_VXLAN_PORT } from './fields.js';

export interface Parsed {
  has: Set<Proto>;
  fields: Map<string, bigint>;
  ntags: number;
  l3off: number;
  l4off: number;
}

const be16 = (b: Uint8Array, o: number): number => (b[o]! << 8) | b[o + 1]!;
const be32 = (b: Uint8Array, o: number): number => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
const big = (b: Uint8Array, o: number, n: number): bigint => {
  let v = 0n;
  for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(b[o + i]!);
  return v;
};

export function parsePacket(b: Uint8Array): Parsed {
  const has = new Set<Proto>();
  const fields = new Map<string, bigint>();
  const p: Parsed = { has, fields, ntags: 0, l3off: 0, l4off: 0 };
  const set = (k: string, v: number | bigint): void => { fields.set(k, BigInt(v)); };
  if (b.length < 14) return p;
  has.add('eth');
  set('eth.dst', big(b, 0, 6));
  set('eth.src', big(b, 6, 6));
  let off = 12;
  let type = be16(b, off);
  while ((type === 0x8100 || type === 0x88a8) && p.ntags < 2 && off + 6 <= b.length) {
    const tci = be16(b, off + 2);
    const pre = p.ntags === 0 ? 'vlan' : 'vlan.inner';
    set(`${pre}.id`, tci & 0xfff);
    set(`${pre}.pcp`, tci >> 13);
    if (p.ntags === 0) set('vlan.dei', (tci >> 12) & 1);
    has.add(p.ntags === 0 ? 'vlan' : 'vlan2');
    p.ntags++;
    off += 4;
    type = be16(b, off);
  }
  set('eth.type', type);
  const l3 = off + 2;
  p.l3off = l3;
  if (type === 0x8847 || type === 0x8848) {
    if (l3 + 4 > b.length) return p;
    const w = be32(b, l3);
    has.add('mpls');
    set('mpls.label', w >>> 12);
    set('mpls.tc', (w >>> 9) & 7);
    set('mpls.ttl', w & 0xff);
    if ((w >>> 8) & 1) has.add('bos');
    return p;
  }
  if (type === 0x0806) { has.add('arp'); return p; }
  let l4proto = -1;
  if (type === 0x0800) {
    if (l3 + 20 > b.length) return p;
    const ihl = b[l3]! & 0xf;
    if (b[l3]! >> 4 !== 4 || ihl < 5) return p;
    has.add('ip');
    set('ip.dscp', b[l3 + 1]! >> 2);
    set('ip.ecn', b[l3 + 1]! & 3);
    set('ip.len', be16(b, l3 + 2));
    set('ip.id', be16(b, l3 + 4));
    set('ip.ttl', b[l3 + 8]!);
    set('ip.proto', b[l3 + 9]!);
    set('ip.src', be32(b, l3 + 12));
    set('ip.dst', be32(b, l3 + 16));
    const frag = be16(b, l3 + 6);
    if (frag & 0x3fff) has.add('frag4');
    if ((frag & 0x1fff) === 0) { l4proto = b[l3 + 9]!; p.l4off = l3 + ihl * 4; }
  } else if (type === 0x86dd) {
    if (l3 + 40 > b.length) return p;
    const w0 = be32(b, l3);
    if (w0 >>> 28 !== 6) return p;
    has.add('ip6');
    set('ip6.dscp', (w0 >>> 22) & 0x3f);
    set('ip6.flowlabel', w0 & 0xfffff);
    set('ip6.len', be16(b, l3 + 4));
    set('ip6.nexthdr', b[l3 + 6]!);
    set('ip6.hoplimit', b[l3 + 7]!);
    set('ip6.src', big(b, l3 + 8, 16));
    set('ip6.dst', big(b, l3 + 24, 16));
    l4proto = b[l3 + 6]!;
    p.l4off = l3 + 40;
    if (l4proto === 44) {
      has.add('frag6');
      if (p.l4off + 8 > b.length) return p;
      const fo = be16(b, p.l4off + 2);
      if ((fo & 0xfff8) !== 0) return p;
      l4proto = b[p.l4off]!;
      p.l4off += 8;
    }
  } else {
    return p;
  }
  parseL4(b, p, l4proto, set);
  return p;
}

function parseL4(b: Uint8Array, p: Parsed, proto: number, set: (k: string, v: number | bigint) => void): void {
  const o = p.l4off;
  const v4 = p.has.has('ip');
  if (proto === 6 && o + 20 <= b.length) {
    p.has.add('tcp');
    set('sport', be16(b, o)); set('dport', be16(b, o + 2));
    set('tcp.flags', b[o + 13]!);
  } else if (proto === 17 && o + 8 <= b.length) {
    p.has.add('udp');
    set('sport', be16(b, o)); set('dport', be16(b, o + 2));
    if (be16(b, o + 2) === UDP_VXLAN_PORT && o + 16 <= b.length && (b[o + 8]! & 0x08) !== 0) {
      p.has.add('vxlan');
      set('vxlan.vni', (b[o + 12]! << 16) | (b[o + 13]! << 8) | b[o + 14]!);
    }
  } else if (proto === 1 && v4 && o + 4 <= b.length) {
    p.has.add('icmp');
    set('icmp.type', b[o]!); set('icmp.code', b[o + 1]!);
  } else if (proto === 58 && !v4 && o + 4 <= b.length) {
    p.has.add('icmp6');
    set('icmp6.type', b[o]!); set('icmp6.code', b[o + 1]!);
  } else if (proto === 47 && o + 4 <= b.length) {
    p.has.add('gre');
  }
  if (p.has.has('tcp') || p.has.has('udp')) p.has.add('l4port');
}

/** A field's value in a parsed packet (TCP and UDP ports share `sport` / `dport`). */
export function fieldValue(p: Parsed, path: string): bigint | undefined {
  if (path.endsWith('.sport')) path = 'sport';
  else if (path.endsWith('.dport')) path = 'dport';
  return p.fields.get(path);
}
