// A small packet builder for the rule tests (valid checksums, lengths filled in), and a
// random packet generator whose fields come from small pools so that rules actually match.
import fc from 'fast-check';
import { internetChecksum, ipv4PseudoSum, ipv6PseudoSum } from '../../src/packet/index.js';

export interface PacketSpec {
  dst?: string; src?: string;
  vlans?: { id: number; pcp?: number; tpid?: number }[];
  mpls?: { label: number; tc?: number; ttl?: number; bos?: boolean }[];
  arp?: boolean;
  ip4?: { src: string; dst: string; ttl?: number; tos?: number; id?: number; frag?: number; proto?: number; ihl?: number };
  ip6?: { src: string; dst: string; hlim?: number; tc?: number; flow?: number; fragHdr?: { offset: number } };
  tcp?: { sport: number; dport: number; flags?: number };
  udp?: { sport: number; dport: number; noCsum?: boolean };
  icmp?: { type: number; code: number };
  vxlan?: { vni: number; inner: Uint8Array };
  gre?: { proto: number; key?: number; inner: Uint8Array };
  payload?: number;
}

const mac = (s: string): number[] => s.split(':').map((x) => parseInt(x, 16));
const ip4 = (s: string): number[] => s.split('.').map(Number);
function ip6(s: string): number[] {
  const [a, b = ''] = s.split('::');
  const g = (x: string): number[] => (x ? x.split(':').map((h) => parseInt(h, 16)) : []);
  const ga = g(a!), gb = g(b);
  const all = s.includes('::') ? [...ga, ...Array(8 - ga.length - gb.length).fill(0), ...gb] : ga;
  return all.flatMap((w) => [w >> 8, w & 0xff]);
}
const u16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
const u32 = (v: number): number[] => [...u16(v >>> 16), ...u16(v & 0xffff)];

export function buildPacket(p: PacketSpec): Uint8Array {
  const l4: number[] = [];
  let proto = p.ip4?.proto ?? 0;
  let csumAt = -1;
  const payload = Array.from({ length: p.payload ?? 0 }, (_, i) => (i * 7) & 0xff);
  if (p.tcp) {
    proto = 6;
    l4.push(...u16(p.tcp.sport), ...u16(p.tcp.dport), ...u32(1), ...u32(0), 0x50, p.tcp.flags ?? 0x10, ...u16(1024), 0, 0, 0, 0, ...payload);
    csumAt = 16;
  } else if (p.udp) {
    proto = 17;
    const inner = p.vxlan ? [0x08, 0, 0, 0, ...u32(p.vxlan.vni << 8), ...p.vxlan.inner] : payload;
    l4.push(...u16(p.udp.sport), ...u16(p.udp.dport), ...u16(8 + inner.length), 0, 0, ...inner);
    csumAt = p.udp.noCsum ? -1 : 6;
  } else if (p.icmp) {
    proto = p.ip6 ? 58 : 1;
    l4.push(p.icmp.type, p.icmp.code, 0, 0, 0, 1, 0, 1, ...payload);
    if (!p.ip6) { const c = internetChecksum(new Uint8Array(l4), 0, l4.length); l4[2] = c >> 8; l4[3] = c & 0xff; } else csumAt = 2;
  } else if (p.gre) {
    proto = 47;
    l4.push(...u16(p.gre.key !== undefined ? 0x2000 : 0), ...u16(p.gre.proto), ...(p.gre.key !== undefined ? u32(p.gre.key) : []), ...p.gre.inner);
  } else l4.push(...payload);

  let l3: number[] = [];
  let type = 0x0800;
  if (p.ip4) {
    const ihl = p.ip4.ihl ?? 5;
    const opts = Array(4 * (ihl - 5)).fill(1);
    const total = 20 + opts.length + l4.length;
    l3 = [0x40 | ihl, p.ip4.tos ?? 0, ...u16(total), ...u16(p.ip4.id ?? 1), ...u16(p.ip4.frag ?? 0), p.ip4.ttl ?? 64, proto, 0, 0, ...ip4(p.ip4.src), ...ip4(p.ip4.dst), ...opts];
    const c = internetChecksum(new Uint8Array(l3), 0, l3.length);
    l3[10] = c >> 8; l3[11] = c & 0xff;
    if (csumAt >= 0) {
      const b = new Uint8Array(l4);
      const s = ipv4PseudoSum(bytesToU32(ip4(p.ip4.src)), bytesToU32(ip4(p.ip4.dst)), proto, l4.length);
      const c4 = internetChecksum(b, 0, b.length, s);
      l4[csumAt] = c4 >> 8; l4[csumAt + 1] = c4 & 0xff;
    }
  } else if (p.ip6) {
    type = 0x86dd;
    let nh = proto;
    let ext: number[] = [];
    if (p.ip6.fragHdr) { ext = [proto, 0, ...u16(p.ip6.fragHdr.offset << 3), ...u32(7)]; nh = 44; }
    const w0 = (6 << 28) | ((p.ip6.tc ?? 0) << 20) | (p.ip6.flow ?? 0);
    l3 = [...u32(w0 >>> 0), ...u16(ext.length + l4.length), nh, p.ip6.hlim ?? 64, ...ip6(p.ip6.src), ...ip6(p.ip6.dst), ...ext];
    if (csumAt >= 0) {
      const hdr = new Uint8Array(l3);
      const s = ipv6PseudoSum(hdr, 8, 24, proto, l4.length);
      const c6 = internetChecksum(new Uint8Array(l4), 0, l4.length, s);
      l4[csumAt] = c6 >> 8; l4[csumAt + 1] = c6 & 0xff;
    }
  } else if (p.mpls) {
    type = 0x8847;
    p.mpls.forEach((m, i) => l3.push(...u32(((m.label << 12) | ((m.tc ?? 0) << 9) | ((m.bos ?? i === p.mpls!.length - 1) ? 0x100 : 0) | (m.ttl ?? 64)) >>> 0)));
    l3.push(0x45, ...Array(19 + (p.payload ?? 0)).fill(0));
  } else if (p.arp) {
    type = 0x0806;
    l3 = [0, 1, 8, 0, 6, 4, 0, 1, ...Array(20).fill(0)];
  } else {
    type = 0x88b5;
    l3 = payload;
  }
  const l2 = [...mac(p.dst ?? '02:00:00:00:00:01'), ...mac(p.src ?? '02:00:00:00:00:02')];
  for (const v of p.vlans ?? []) l2.push(...u16(v.tpid ?? 0x8100), ...u16(((v.pcp ?? 0) << 13) | v.id));
  l2.push(...u16(type));
  return new Uint8Array([...l2, ...l3, ...(p.ip4 || p.ip6 ? l4 : [])]);
}

function bytesToU32(b: number[]): number { return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0; }

/** IPv4 header and L4 checksums verify (sum to zero) in a packet with its IPv4 header at l3. */
export function ip4ChecksumsOk(b: Uint8Array, l3: number): boolean {
  const ihl = (b[l3]! & 0xf) * 4;
  if (internetChecksum(b, l3, ihl) !== 0) return false;
  const proto = b[l3 + 9]!;
  const total = (b[l3 + 2]! << 8) | b[l3 + 3]!;
  const l4 = l3 + ihl, len = total - ihl;
  const src = new DataView(b.buffer, b.byteOffset).getUint32(l3 + 12), dst = new DataView(b.buffer, b.byteOffset).getUint32(l3 + 16);
  if (proto === 6 || (proto === 17 && ((b[l4 + 6]! << 8) | b[l4 + 7]!) !== 0)) {
    return internetChecksum(b, l4, len, ipv4PseudoSum(src, dst, proto, len)) === 0;
  }
  return true;
}

// ---- random packets from small pools, so random rules hit them
export const POOL = {
  ip4: ['10.0.0.1', '10.1.2.3', '192.0.2.7', '198.51.100.9', '172.16.5.5'],
  ip6: ['2001:db8::1', '2001:db8:1::2', 'fe80::1', '2001:db9::5'],
  mac: ['02:00:00:00:00:01', '02:00:00:00:00:02', 'aa:bb:cc:dd:ee:ff'],
  port: [22, 53, 80, 443, 1000, 4789, 8080, 65535],
  vlan: [1, 10, 20, 4095],
  label: [16, 17, 100, 1048575],
  vni: [1, 100, 5000],
};

const pick = <T>(xs: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);

export const arbPacket: fc.Arbitrary<Uint8Array> = fc.record({
  dst: pick(POOL.mac), src: pick(POOL.mac),
  vlans: fc.array(fc.record({ id: pick(POOL.vlan), pcp: fc.integer({ min: 0, max: 7 }), tpid: pick([0x8100, 0x88a8]) }), { maxLength: 3 }),
  l3: fc.constantFrom('ip4', 'ip6', 'mpls', 'arp', 'other'),
  ip4: fc.record({ src: pick(POOL.ip4), dst: pick(POOL.ip4), ttl: pick([1, 2, 64, 255]), tos: fc.integer({ min: 0, max: 255 }),
    id: pick([1, 5]), frag: pick([0, 0, 0, 0x2000, 0x0010]), ihl: pick([5, 5, 6]) }),
  ip6: fc.record({ src: pick(POOL.ip6), dst: pick(POOL.ip6), hlim: pick([1, 64]), tc: fc.integer({ min: 0, max: 255 }), flow: pick([0, 5]),
    frag: fc.boolean(), fragOff: pick([0, 0, 8]) }),
  l4: fc.constantFrom('tcp', 'udp', 'icmp', 'vxlan', 'gre', 'none'),
  sport: pick(POOL.port), dport: pick(POOL.port), flags: fc.integer({ min: 0, max: 255 }),
  icmpType: pick([0, 8, 3, 128, 129]), icmpCode: pick([0, 3, 4]),
  vni: pick(POOL.vni), mpls: fc.array(fc.record({ label: pick(POOL.label), tc: fc.integer({ min: 0, max: 7 }), ttl: pick([1, 64]) }), { minLength: 1, maxLength: 3 }),
  payload: fc.integer({ min: 0, max: 40 }), noCsum: fc.boolean(), greKey: fc.boolean(), greEth: fc.boolean(),
  truncate: fc.integer({ min: 0, max: 12 }),
}).map((r) => {
  const inner = buildPacket({ ip4: { src: '10.9.9.9', dst: '10.8.8.8' }, udp: { sport: 1, dport: 2 }, payload: 4 });
  const spec: PacketSpec = { dst: r.dst, src: r.src, vlans: r.vlans, payload: r.payload };
  if (r.l3 === 'ip4') spec.ip4 = r.ip4;
  if (r.l3 === 'ip6') spec.ip6 = { ...r.ip6, fragHdr: r.ip6.frag ? { offset: r.ip6.fragOff } : undefined };
  if (r.l3 === 'mpls') spec.mpls = r.mpls;
  if (r.l3 === 'arp') spec.arp = true;
  if (r.l3 === 'ip4' || r.l3 === 'ip6') {
    if (r.l4 === 'tcp') spec.tcp = { sport: r.sport, dport: r.dport, flags: r.flags };
    if (r.l4 === 'udp') spec.udp = { sport: r.sport, dport: r.dport, noCsum: r.noCsum };
    if (r.l4 === 'icmp') spec.icmp = { type: r.icmpType, code: r.icmpCode };
    if (r.l4 === 'vxlan') { spec.udp = { sport: r.sport, dport: 4789 }; spec.vxlan = { vni: r.vni, inner }; }
    if (r.l4 === 'gre') spec.gre = { proto: r.greEth ? 0x6558 : 0x0800, key: r.greKey ? 7 : undefined, inner: r.greEth ? inner : inner.subarray(14) };
  }
  const b = buildPacket(spec);
  // Sometimes cut the packet short, but keep the 14 bytes the kernel's test run insists on.
  return r.truncate > 9 ? b.subarray(0, Math.max(14, b.length - 3 * r.truncate)) : b;
});
