// Writing generated frames straight into an mbuf: Ethernet, IPv4, then UDP, TCP or ICMP echo,
// zero payload up to the requested length, with valid IPv4 and L4 checksums (so tshark and
// the programs see well-formed packets). Fast enough for millions of frames; no allocation.
import { internetChecksum, ipv4PseudoSum } from '../packet/index.js';

export const PROTO = { icmp: 1, tcp: 6, udp: 17 } as const;
export type ProtoName = keyof typeof PROTO;

export interface FlowSpec {
  dstMac: Uint8Array;
  srcMac: Uint8Array;
  srcIp: number;
  dstIp: number;
  proto: number;
  sport: number;
  dport: number;
}

const L4_HEADER: Record<number, number> = { 1: 8, 6: 20, 17: 8 };

/** Smallest data length (without FCS) that holds the headers of `proto`. */
export function minLength(proto: number): number {
  return 14 + 20 + (L4_HEADER[proto] ?? 0);
}

/** Write a frame of `len` bytes (no FCS) at b[off..]; returns len (raised to the header size). */
export function writeFrame(b: Uint8Array, off: number, f: FlowSpec, len: number, id: number): number {
  len = Math.max(len, minLength(f.proto));
  b.fill(0, off, off + len);
  b.set(f.dstMac, off); b.set(f.srcMac, off + 6);
  b[off + 12] = 0x08; b[off + 13] = 0x00;
  const ip = off + 14;
  const ipLen = len - 14;
  b[ip] = 0x45; b[ip + 2] = ipLen >> 8; b[ip + 3] = ipLen & 255;
  b[ip + 4] = (id >> 8) & 255; b[ip + 5] = id & 255; b[ip + 6] = 0x40; // DF
  b[ip + 8] = 64; b[ip + 9] = f.proto;
  put32(b, ip + 12, f.srcIp); put32(b, ip + 16, f.dstIp);
  const c = internetChecksum(b, ip, 20);
  b[ip + 10] = c >> 8; b[ip + 11] = c & 255;
  const l4 = ip + 20;
  const l4len = ipLen - 20;
  let csumAt = -1;
  if (f.proto === PROTO.udp) {
    put16(b, l4, f.sport); put16(b, l4 + 2, f.dport); put16(b, l4 + 4, l4len);
    csumAt = l4 + 6;
  } else if (f.proto === PROTO.tcp) {
    put16(b, l4, f.sport); put16(b, l4 + 2, f.dport);
    put32(b, l4 + 4, id + 1); b[l4 + 12] = 0x50; b[l4 + 13] = 0x18; put16(b, l4 + 14, 65535); // PSH|ACK
    csumAt = l4 + 16;
  } else if (f.proto === PROTO.icmp) {
    b[l4] = 8; put16(b, l4 + 4, f.sport); put16(b, l4 + 6, id & 0xffff);
    const s = internetChecksum(b, l4, l4len);
    b[l4 + 2] = s >> 8; b[l4 + 3] = s & 255;
  }
  if (csumAt >= 0) {
    let s = internetChecksum(b, l4, l4len, ipv4PseudoSum(f.srcIp, f.dstIp, f.proto, l4len));
    if (s === 0 && f.proto === PROTO.udp) s = 0xffff;
    b[csumAt] = s >> 8; b[csumAt + 1] = s & 255;
  }
  return len;
}

function put16(b: Uint8Array, o: number, v: number): void { b[o] = (v >> 8) & 255; b[o + 1] = v & 255; }
function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24; b[o + 1] = (v >>> 16) & 255; b[o + 2] = (v >>> 8) & 255; b[o + 3] = v & 255;
}
