// Packet edits for the evaluator: field sets with incremental checksum updates (RFC 1624,
// HC' = ~(~HC + ~m + m')), VLAN/MPLS push and pop, VXLAN/GRE decapsulation. Each returns a new
// packet; offsets come from the parse of the packet before any edit (sets never move bytes, and
// a rule has at most one push/pop/decap, after its sets).
import type { Act } from './ir.js';
import type { Parsed } from './eval-parse.js';

const get16 = (b: Uint8Array, o: number): number => (b[o]! << 8) | b[o + 1]!;
const put16 = (b: Uint8Array, o: number, v: number): void => { b[o] = (v >> 8) & 0xff; b[o + 1] = v & 0xff; };
const get32 = (b: Uint8Array, o: number): number => ((get16(b, o) << 16) | get16(b, o + 2)) >>> 0;
const put32 = (b: Uint8Array, o: number, v: number): void => { put16(b, o, v >>> 16); put16(b, o + 2, v & 0xffff); };

/** One's-complement update of a checksum for 16-bit words changing from olds to news. */
export function csumUpdate(hc: number, olds: number[], news: number[]): number {
  let sum = ~hc & 0xffff;
  for (let i = 0; i < olds.length; i++) sum += (~olds[i]! & 0xffff) + news[i]!;
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** Replace the 16-bit words at `o` (n words) and fix the checksum at `csumAt`. */
function patch(b: Uint8Array, o: number, news: number[], csumAt: number[], udpAt?: number): void {
  const olds = news.map((_, i) => get16(b, o + 2 * i));
  news.forEach((w, i) => put16(b, o + 2 * i, w));
  for (const c of csumAt) put16(b, c, csumUpdate(get16(b, c), olds, news));
  // UDP: checksum 0 means "none" (leave it); a computed 0 is sent as 0xffff.
  if (udpAt !== undefined && get16(b, udpAt) !== 0) {
    const v = csumUpdate(get16(b, udpAt), olds, news);
    put16(b, udpAt, v === 0 ? 0xffff : v);
  }
}

function splice(b: Uint8Array, at: number, remove: number, insert: number[] = []): Uint8Array {
  const out = new Uint8Array(b.length - remove + insert.length);
  out.set(b.subarray(0, at), 0);
  out.set(insert, at);
  out.set(b.subarray(at + remove), at + insert.length);
  return out;
}

export function applyEdit(pkt: Uint8Array, p: Parsed, a: Act): Uint8Array {
  const b = pkt;
  const l3 = p.l3off, l4 = p.l4off;
  const tcp = p.has.has('tcp'), udp = p.has.has('udp');
  const l4csum = tcp ? [l4 + 16] : [];
  const udpcsum = udp ? l4 + 6 : undefined;
  // Frames shorter than an Ethernet header never reach XDP; the program leaves them alone.
  if (b.length < 14) return b;
  switch (a.t) {
    case 'set': {
      const v = Number(a.value & 0xffffffffn);
      switch (a.field) {
        case 'eth.dst': case 'eth.src': {
          const o = a.field === 'eth.dst' ? 0 : 6;
          for (let i = 0; i < 6; i++) b[o + i] = Number((a.value >> BigInt(40 - 8 * i)) & 0xffn);
          return b;
        }
        case 'vlan.id': put16(b, 14, (get16(b, 14) & 0xf000) | v); return b;
        case 'vlan.pcp': put16(b, 14, (get16(b, 14) & 0x1fff) | (v << 13)); return b;
        case 'mpls.label': put32(b, l3, ((get32(b, l3) & 0xfff) | (v << 12)) >>> 0); return b;
        case 'mpls.ttl': b[l3 + 3] = v; return b;
        case 'ip.ttl': patch(b, l3 + 8, [(v << 8) | b[l3 + 9]!], [l3 + 10]); return b;
        case 'ip.dscp': patch(b, l3, [(b[l3]! << 8) | (v << 2) | (b[l3 + 1]! & 3)], [l3 + 10]); return b;
        case 'ip.src': case 'ip.dst': {
          const o = a.field === 'ip.src' ? l3 + 12 : l3 + 16;
          patch(b, o, [v >>> 16, v & 0xffff], [l3 + 10, ...l4csum], udpcsum);
          return b;
        }
        case 'ip6.hoplimit': b[l3 + 7] = v; return b;
        case 'tcp.sport': case 'udp.sport': patch(b, l4, [v], l4csum, udpcsum); return b;
        case 'tcp.dport': case 'udp.dport': patch(b, l4 + 2, [v], l4csum, udpcsum); return b;
      }
      return b;
    }
    case 'push-vlan': return splice(b, 12, 0, [0x81, 0x00, a.id >> 8, a.id & 0xff]);
    case 'pop-vlan': return splice(b, 12, 4);
    case 'push-mpls': {
      const bos = p.has.has('mpls') ? 0 : 1;
      const w = ((a.label << 12) | (a.tc << 9) | (bos << 8) | a.ttl) >>> 0;
      const out = splice(b, l3, 0, [w >>> 24, (w >>> 16) & 0xff, (w >>> 8) & 0xff, w & 0xff]);
      put16(out, l3 - 2, 0x8847);
      return out;
    }
    case 'pop-mpls': {
      const bos = (b[l3 + 2]! & 1) === 1;
      const out = splice(b, l3, 4);
      if (bos) put16(out, l3 - 2, l3 < out.length && out[l3]! >> 4 === 6 ? 0x86dd : 0x0800);
      return out;
    }
    case 'decap-vxlan': {
      const cut = l4 + 16;
      return b.length - cut < 14 ? b : b.slice(cut);
    }
    case 'decap-gre': {
      const flags = get16(b, l4);
      const proto = get16(b, l4 + 2);
      const end = l4 + 4 + (flags & 0x8000 ? 4 : 0) + (flags & 0x2000 ? 4 : 0) + (flags & 0x1000 ? 4 : 0);
      if (proto === 0x6558) return b.length - end < 14 ? b : b.slice(end);
      if (end > b.length) return b;
      const out = splice(b, l3, end - l3);
      put16(out, l3 - 2, proto);
      return out;
    }
    default:
      return b;
  }
}
