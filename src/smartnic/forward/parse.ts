// Parse the L3/L4 header of a packet into reusable metadata (no allocation per packet).
import { internetChecksum } from '../../packet/index.js';
import type { DropReason } from '../model/drops.js';
import type { HostReason } from './verdict.js';
import { IPPROTO_ICMP, IPPROTO_ICMPV6, hasPorts, r16, r32 } from './headers.js';

export class Meta {
  v6 = false;
  ipOff = 0;
  /** Bytes of the IP packet (IPv4 total length, or 40 + IPv6 payload length). */
  ipLen = 0;
  l4Off = 0;
  proto = 0;
  ttl = 0;
  sip = 0;
  dip = 0;
  sport = 0;
  dport = 0;
  df = false;
}

/**
 * Fill `m` from the IP header at `off` (`avail` bytes present). Returns a drop reason, a host
 * reason (prefixed by the caller's verdict), or '' when the packet can be forwarded on the NIC.
 */
export function parseIp(b: Uint8Array, off: number, avail: number, m: Meta): '' | { drop: DropReason } | { host: HostReason } {
  if (avail < 1) return { drop: 'invalid_packet' };
  const ver = b[off]! >> 4;
  m.ipOff = off;
  if (ver === 4) {
    const ihl = (b[off]! & 15) * 4;
    if (avail < 20 || ihl < 20 || avail < ihl) return { drop: 'invalid_packet' };
    const total = r16(b, off + 2);
    if (total < ihl || total > avail) return { drop: 'invalid_packet' };
    if (internetChecksum(b, off, ihl) !== 0) return { drop: 'cksum_err' };
    m.v6 = false; m.ipLen = total; m.l4Off = off + ihl; m.proto = b[off + 9]!; m.ttl = b[off + 8]!;
    m.sip = r32(b, off + 12); m.dip = r32(b, off + 16);
    const frag = r16(b, off + 6);
    m.df = (frag & 0x4000) !== 0;
    if ((frag & 0x3fff) !== 0) return { host: 'fragment' };
    if (ihl !== 20) return { host: 'ip-options' };
  } else if (ver === 6) {
    if (avail < 40) return { drop: 'invalid_packet' };
    const total = 40 + r16(b, off + 4);
    if (total > avail) return { drop: 'invalid_packet' };
    m.v6 = true; m.ipLen = total; m.l4Off = off + 40; m.proto = b[off + 6]!; m.ttl = b[off + 7]!; m.df = true;
    m.sip = 0; m.dip = 0;
    if (m.proto === 44) return { host: 'fragment' };
  } else {
    return { drop: 'invalid_protocol' };
  }
  m.sport = 0; m.dport = 0;
  const l4avail = off + m.ipLen - m.l4Off;
  if (hasPorts(m.proto)) {
    if (l4avail < 8) return { drop: 'invalid_packet' };
    m.sport = r16(b, m.l4Off); m.dport = r16(b, m.l4Off + 2);
  } else if (m.proto === IPPROTO_ICMP || m.proto === IPPROTO_ICMPV6) {
    // vRouter keys echo flows by the ICMP id (as the source port).
    if (l4avail >= 8 && (b[m.l4Off] === 8 || b[m.l4Off] === 0 || b[m.l4Off] === 128 || b[m.l4Off] === 129)) m.sport = r16(b, m.l4Off + 4);
  }
  return '';
}

/** ECMP / tunnel-source-port hash over the fields `bits` selects (NH_ECMP_CONFIG_HASH_*). */
export function flowHash(b: Uint8Array, m: Meta, bits: number): number {
  let h = 0x811c9dc5;
  const mixIn = (v: number): void => { h = Math.imul(h ^ v, 0x01000193); h ^= h >>> 15; };
  if (bits & 0x1) mixIn(m.proto);
  if (bits & 0x2) { if (m.v6) for (let i = 0; i < 16; i += 4) mixIn(r32(b, m.ipOff + 8 + i)); else mixIn(m.sip); }
  if (bits & 0x4) mixIn(m.sport);
  if (bits & 0x8) { if (m.v6) for (let i = 0; i < 16; i += 4) mixIn(r32(b, m.ipOff + 24 + i)); else mixIn(m.dip); }
  if (bits & 0x10) mixIn(m.dport);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}
