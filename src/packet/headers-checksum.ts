// The checksum each layer should carry, computed over the bytes as they are with the checksum
// field taken as zero. The encoder writes it; the dissector compares it with what is there.
import { internetChecksum, ipv4PseudoSum, ipv6PseudoSum } from './checksum.js';

/** The nearest enclosing IP header, for the TCP/UDP/ICMPv6 pseudo-header. */
export interface IpContext {
  kind: 'ipv4' | 'ipv6';
  off: number;
}

interface Rule {
  /** Byte offset of the 16-bit checksum field within the header. */
  at: number;
  /** Whole contents (true) or the header alone (false). */
  contents: boolean;
  /** Protocol number for the pseudo-header; undefined: no pseudo-header. */
  pseudo?: number;
}

const RULES: Readonly<Record<string, Rule>> = {
  ipv4: { at: 10, contents: false },
  tcp: { at: 16, contents: true, pseudo: 6 },
  udp: { at: 6, contents: true, pseudo: 17 },
  icmp: { at: 2, contents: true },
  icmpv6: { at: 2, contents: true, pseudo: 58 },
  gre: { at: 4, contents: true }, // only when the C bit is set: the caller checks
};

export function hasChecksum(name: string): boolean {
  return name in RULES;
}

/**
 * The correct checksum for the layer at `off` (header `hdrLen` bytes, contents to `end`),
 * and the absolute offset of its field.
 */
export function expectedChecksum(name: string, bytes: Uint8Array, off: number, hdrLen: number, end: number, ip?: IpContext):
  { at: number; value: number } {
  const rule = RULES[name]!;
  const stop = rule.contents ? end : off + hdrLen;
  const copy = bytes.slice(off, stop);
  if (rule.at + 2 <= copy.length) { copy[rule.at] = 0; copy[rule.at + 1] = 0; }
  let initial = 0;
  if (rule.pseudo !== undefined && ip) {
    const len = stop - off;
    initial = ip.kind === 'ipv4'
      ? ipv4PseudoSum(u32(bytes, ip.off + 12), u32(bytes, ip.off + 16), rule.pseudo, len)
      : ipv6PseudoSum(bytes, ip.off + 8, ip.off + 24, rule.pseudo, len);
  }
  let value = internetChecksum(copy, 0, copy.length, initial);
  // RFC 768: a computed UDP checksum of zero is sent as all ones (zero means "none").
  if (name === 'udp' && value === 0) value = 0xffff;
  return { at: off + rule.at, value };
}

function u32(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}
