// nh_reach_nh: what each next-hop type does with a packet (vr_nexthop.c), and the tunnel
// encapsulations toward the fabric (MPLSoGRE, MPLSoUDP, VXLAN) with their outer headers.
import { internetChecksum } from '../../packet/index.js';
import { ETH_P_MPLS, TRAP, TUNNEL_SPORT_BASE, TUNNEL_TTL, VROUTER_MAC, type TunnelKind } from '../model/constants.js';
import { parseMac } from '../model/addr.js';
import type { Ctx } from './ctx.js';
import { ETH_HLEN, ETH_P_IP, ETH_P_IPV6, IPPROTO_GRE, IPPROTO_UDP, w16, w32, writeEth } from './headers.js';
import { flowHash } from './parse.js';
import type { CNh } from './snapshot.js';

const ROUTER_MAC = parseMac(VROUTER_MAC)!;
const MAX_DEPTH = 4;
const FEATURE: Record<TunnelKind, 'mplsogre' | 'mplsoudp' | 'vxlan'> = { mplsogre: 'mplsogre', mplsoudp: 'mplsoudp', vxlan: 'vxlan' };

/** Longest-prefix match of the packet's destination in `vrf`, then the NH. */
export function routeL3(c: Ctx, vrf: number, depth: number): void {
  const s = c.s;
  if (s.vrfOff[vrf]) return c.host('vrf-not-offloaded');
  const m = c.m;
  const leaf = m.v6 ? s.fib.leaf6(vrf, c.b, m.ipOff + 24) : s.fib.leaf4(vrf, m.dip);
  if (leaf === 0) return c.drop('discard'); // no route: vRouter's discard NH 0
  reachL3(c, s.fib.nh[leaf]!, s.fib.label[leaf]!, vrf, depth);
}

function get(c: Ctx, id: number): CNh | undefined {
  const n = c.s.nhs.get(id);
  if (!n) { c.drop('invalid_nh'); return undefined; }
  if (!n.offloaded) { c.host('nh-not-offloaded'); return undefined; }
  return n;
}

/** Oversize: with DF (or IPv6) the agent answers with ICMP; without, the host fragments. */
function tooBig(c: Ctx, vrf: number): void {
  if (c.m.df) c.trap('handle-df', TRAP['handle-df'], vrf, c.flow);
  else c.host('fragmentation-needed');
}

/** Forward an IP packet (at m.ipOff) through next hop `id` with `label` from the route. */
export function reachL3(c: Ctx, id: number, label: number, vrf: number, depth = 0): void {
  if (depth > MAX_DEPTH) return c.drop('packet_loop');
  const n = get(c, id);
  if (!n) return;
  const m = c.m;
  switch (n.nh.type) {
    case 'encap': {
      const v = c.s.vifs.get(n.nh.vif);
      if (!v) return c.drop('invalid_if');
      if (m.ipLen > v.vif.mtu) return tooBig(c, vrf);
      const off = m.ipOff - ETH_HLEN;
      writeEth(c.b, off, n.dmac, n.smac, m.v6 ? ETH_P_IPV6 : (n.nh.ethertype ?? ETH_P_IP));
      return c.tx(n.nh.vif, off, ETH_HLEN + m.ipLen);
    }
    case 'tunnel': {
      const kind = n.tunnel!;
      if (!c.profile.features[FEATURE[kind]]) return c.host(`unsupported-${kind}`);
      if (label < 0) return c.drop(kind === 'vxlan' ? 'invalid_vnid' : 'invalid_label');
      let off = m.ipOff;
      let len = m.ipLen;
      if (kind === 'vxlan') {
        // L3 VXLAN carries an inner Ethernet header toward the remote router MAC.
        off -= ETH_HLEN; len += ETH_HLEN;
        writeEth(c.b, off, n.l3mac ?? ROUTER_MAC, ROUTER_MAC, m.v6 ? ETH_P_IPV6 : ETH_P_IP);
      }
      return encap(c, n, label, off, len, m.ttl, vrf);
    }
    case 'composite': {
      if (!c.profile.features.ecmp) return c.host('unsupported-ecmp');
      const members = n.nh.members!;
      const t = c.s.flows;
      let i = c.flow >= 0 ? t.ecmp[c.flow]! : -1;
      if (i < 0 || i >= members.length) {
        i = flowHash(c.b, m, n.nh.hash ?? 0x1f) % members.length;
        if (c.flow >= 0) t.ecmp[c.flow] = i;
      }
      const mem = members[i]!;
      return reachL3(c, mem.nh, mem.label >= 0 ? mem.label : label, vrf, depth + 1);
    }
    case 'vrf-translate':
      if (!c.profile.features.vrfTranslate) return c.host('unsupported-vrf-translate');
      return routeL3(c, n.nh.vrf, depth + 1);
    case 'receive': case 'l2-receive': return c.host('receive');
    case 'resolve': return c.trap('resolve', TRAP.resolve, vrf, c.flow);
    default: return c.drop('discard');
  }
}

/** Forward an Ethernet frame (bridged) through next hop `id` with the bridge entry's label/VNI. */
export function reachL2(c: Ctx, id: number, label: number, off: number, len: number, vrf: number, depth = 0): void {
  if (depth > MAX_DEPTH) return c.drop('packet_loop');
  const n = get(c, id);
  if (!n) return;
  switch (n.nh.type) {
    case 'encap': return c.tx(n.nh.vif, off, len);
    case 'tunnel': {
      const kind = n.tunnel!;
      if (!c.profile.features[FEATURE[kind]]) return c.host(`unsupported-${kind}`);
      if (label < 0) return c.drop(kind === 'vxlan' ? 'invalid_vnid' : 'invalid_label');
      return encap(c, n, label, off, len, TUNNEL_TTL, vrf);
    }
    case 'composite': {
      const members = n.nh.members!;
      const mem = members[flowHash(c.b, c.m, n.nh.hash ?? 0x1f) % members.length]!;
      return reachL2(c, mem.nh, mem.label >= 0 ? mem.label : label, off, len, vrf, depth + 1);
    }
    case 'receive': case 'l2-receive': return c.host('receive');
    default: return c.drop('discard');
  }
}

/** Push the tunnel headers in front of bytes [off, off+len) and send toward the fabric. */
function encap(c: Ctx, n: CNh, label: number, off: number, len: number, innerTtl: number, vrf: number): void {
  const kind = n.tunnel!;
  const fabric = c.s.vifs.get(n.nh.vif);
  if (!fabric) return c.drop('invalid_if');
  const shim = kind === 'mplsogre' ? 8 : kind === 'mplsoudp' ? 12 : 16; // GRE+MPLS, UDP+MPLS, UDP+VXLAN
  const ipTotal = 20 + shim + len;
  if (ipTotal > fabric.vif.mtu) return tooBig(c, vrf);
  const b = c.b;
  let p = off - shim;
  if (kind === 'vxlan') {
    w32(b, p + 8, 0x08000000); w32(b, p + 12, (label << 8) >>> 0);
  } else {
    w32(b, p + shim - 4, ((label << 12) | 0x100 | (innerTtl & 0xff)) >>> 0);
  }
  if (kind === 'mplsogre') {
    w16(b, p, 0); w16(b, p + 2, ETH_P_MPLS);
  } else {
    const sport = n.nh.sport || TUNNEL_SPORT_BASE + (flowHash(b, c.m, 0x1f) & 0x3fff);
    if (c.flow >= 0) c.s.flows.udpSport[c.flow] = sport;
    w16(b, p, sport); w16(b, p + 2, n.dport); w16(b, p + 4, 8 + (shim - 8) + len); w16(b, p + 6, 0);
  }
  p -= 20;
  b[p] = 0x45; b[p + 1] = 0; w16(b, p + 2, ipTotal); w32(b, p + 4, 0);
  b[p + 8] = TUNNEL_TTL; b[p + 9] = kind === 'mplsogre' ? IPPROTO_GRE : IPPROTO_UDP; w16(b, p + 10, 0);
  w32(b, p + 12, n.sip); w32(b, p + 16, n.dip);
  w16(b, p + 10, internetChecksum(b, p, 20));
  p -= ETH_HLEN;
  writeEth(b, p, n.dmac, n.smac, ETH_P_IP);
  c.tx(n.nh.vif, p, ETH_HLEN + ipTotal);
}
