// Test packets built byte by byte, with correct lengths and checksums (IPv4 header, UDP/TCP/
// ICMP with the pseudo-header), for the runtime and kernel differential tests.
import { internetChecksum, ipv4PseudoSum, ipv6PseudoSum } from '../../src/packet/index.js';

const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};
const be16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
export const ip4 = (s: string): number[] => s.split('.').map(Number);
const ip4num = (b: number[]): number => ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;

export const MAC_A = [0x02, 0, 0, 0, 0, 0x0a], MAC_B = [0x02, 0, 0, 0, 0, 0x0b];

export function eth(type: number, payload: Uint8Array, vlans: number[] = [], dst = MAC_B, src = MAC_A): Uint8Array {
  const hdr: number[] = [...dst, ...src];
  const types = [...vlans.map((_, i) => (i === 0 && vlans.length === 2 ? 0x88a8 : 0x8100)), type];
  hdr.push(...be16(types[0]!));
  for (let i = 0; i < vlans.length; i++) hdr.push(...be16(vlans[i]!), ...be16(types[i + 1]!));
  return cat(Uint8Array.from(hdr), payload);
}

export interface L4 { proto: number; bytes: (pseudo: (len: number) => number) => Uint8Array }

export function udp(sport: number, dport: number, data = new Uint8Array(8)): L4 {
  return {
    proto: 17, bytes: (pseudo) => {
      const len = 8 + data.length;
      const b = cat(Uint8Array.from([...be16(sport), ...be16(dport), ...be16(len), 0, 0]), data);
      const c = internetChecksum(b, 0, b.length, pseudo(len)) || 0xffff;
      b[6] = c >> 8; b[7] = c & 0xff;
      return b;
    },
  };
}

export function tcp(sport: number, dport: number, flags = 0x02, data = new Uint8Array(0)): L4 {
  return {
    proto: 6, bytes: (pseudo) => {
      const b = cat(Uint8Array.from([...be16(sport), ...be16(dport), 0, 0, 0, 1, 0, 0, 0, 0, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0]), data);
      const c = internetChecksum(b, 0, b.length, pseudo(b.length));
      b[16] = c >> 8; b[17] = c & 0xff;
      return b;
    },
  };
}

export function icmpEcho(type = 8, data = new Uint8Array(16)): L4 {
  return {
    proto: 1, bytes: () => {
      const b = cat(Uint8Array.from([type, 0, 0, 0, 0x12, 0x34, 0, 1]), data);
      const c = internetChecksum(b, 0, b.length);
      b[2] = c >> 8; b[3] = c & 0xff;
      return b;
    },
  };
}

export function raw(proto: number, data: Uint8Array): L4 { return { proto, bytes: () => data }; }

export function ipv4(src: string, dst: string, l4: L4, opts: { options?: number[]; ttl?: number } = {}): Uint8Array {
  const o = opts.options ?? [];
  const s = ip4(src), d = ip4(dst);
  const body = l4.bytes((len) => ipv4PseudoSum(ip4num(s), ip4num(d), l4.proto, len));
  const hl = 20 + o.length;
  const h = Uint8Array.from([0x40 | (hl / 4), 0, ...be16(hl + body.length), 0x12, 0x34, 0x40, 0, opts.ttl ?? 64, l4.proto, 0, 0, ...s, ...d, ...o]);
  const c = internetChecksum(h, 0, h.length);
  h[10] = c >> 8; h[11] = c & 0xff;
  return cat(h, body);
}

export function ipv6(src: number, dst: number, l4: L4): Uint8Array {
  const addr = (last: number): number[] => [0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), last];
  const h = Uint8Array.from([0x60, 0, 0, 0, 0, 0, l4.proto, 64, ...addr(src), ...addr(dst)]);
  const body = l4.bytes((len) => ipv6PseudoSum(h, 8, 24, l4.proto, len));
  h[4] = body.length >> 8; h[5] = body.length & 0xff;
  return cat(h, body);
}

/** Common frames: name -> bytes. */
export function pad(p: Uint8Array, len: number): Uint8Array {
  if (p.length >= len) return p;
  const out = new Uint8Array(len);
  out.set(p);
  return out;
}

export const P = {
  udp4: (dport = 53, src = '10.0.0.1', dst = '10.0.0.2') => eth(0x0800, ipv4(src, dst, udp(1234, dport))),
  tcp4: (dport = 80, src = '10.0.0.1', dst = '10.0.0.2') => eth(0x0800, ipv4(src, dst, tcp(40000, dport))),
  icmp4: (src = '10.0.0.1', dst = '10.0.0.2') => eth(0x0800, ipv4(src, dst, icmpEcho())),
  udp6: (dport = 53) => eth(0x86dd, ipv6(1, 2, udp(1234, dport))),
  tcp6: (dport = 443) => eth(0x86dd, ipv6(1, 2, tcp(40000, dport))),
  arp: () => pad(eth(0x0806, Uint8Array.from([0, 1, 8, 0, 6, 4, 0, 1])), 60),
  vlanUdp4: (dport = 53) => eth(0x0800, ipv4('10.1.0.1', '10.1.0.2', udp(999, dport)), [100]),
  qinqTcp6: () => eth(0x86dd, ipv6(3, 4, tcp(1, 22)), [10, 20]),
  optsUdp4: (dport = 9999) => eth(0x0800, ipv4('10.0.0.9', '10.0.0.10', udp(5, dport), { options: [1, 1, 1, 0] })),
  runt: () => Uint8Array.from([...MAC_B, ...MAC_A, 0x08, 0x00]),
  big: (n = 1500) => pad(eth(0x0800, ipv4('10.9.0.1', '10.9.0.2', udp(7000, 7001, new Uint8Array(n - 42)))), n),
};
