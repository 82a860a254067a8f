// The two packet walks (domain.md §1.8): from the fabric (outer checks, decap, ILM or VNID,
// bridge, flow, rewrite to the VM) and from a VM (flow, TTL, route or bridge, next hop, encap).
import { checksumReplace16 } from '../../packet/index.js';
import { MPLS_OVER_UDP_LEGACY_PORT, MPLS_OVER_UDP_PORT, NH_FLAG, TRAP, VIF_FLAG_POLICY, VROUTER_MAC, VXLAN_PORT, ETH_P_MPLS } from '../model/constants.js';
import { parseMac } from '../model/addr.js';
import type { Ctx } from './ctx.js';
import { flowStep, type HoldState } from './flowstep.js';
import { ETH_HLEN, ETH_P_ARP, ETH_P_IP, ETH_P_IPV6, IPPROTO_GRE, IPPROTO_UDP, r16, r32 } from './headers.js';
import { parseIp } from './parse.js';
import { reachL2, reachL3, routeL3 } from './reach.js';
import type { CVif } from './snapshot.js';

const ROUTER_MAC = parseMac(VROUTER_MAC)!;
const out = { dvrf: 0 };

function isRouterMac(b: Uint8Array, o: number): boolean {
  for (let i = 0; i < 6; i++) if (b[o + i] !== ROUTER_MAC[i]) return false;
  return true;
}

/** Parse the IP header at `off`; false when a verdict was set. */
function ip(c: Ctx, off: number, end: number): boolean {
  const r = parseIp(c.b, off, end - off, c.m);
  if (r === '') {
    if (c.m.v6 && !c.profile.features.ipv6) { c.host('unsupported-ipv6'); return false; }
    return true;
  }
  if ('drop' in r) c.drop(r.drop); else c.host(r.host);
  return false;
}

/** Decrement TTL / hop limit with the IPv4 checksum updated incrementally (RFC 1624). */
function decTtl(c: Ctx): void {
  const b = c.b, o = c.m.ipOff;
  if (c.m.v6) { b[o + 7]!--; c.m.ttl--; return; }
  const old = r16(b, o + 8);
  b[o + 8]!--; c.m.ttl--;
  const sum = checksumReplace16(r16(b, o + 10), old, r16(b, o + 8));
  b[o + 10] = sum >> 8; b[o + 11] = sum & 255;
}

/** eth_rx -> vr_fabric_input on a physical interface. */
export function fabricInput(c: Ctx, v: CVif, off: number, len: number, hold: HoldState, original: () => Uint8Array): void {
  const b = c.b;
  const end = off + len;
  if (r16(b, off + 12) !== ETH_P_IP) return c.host('xconnect'); // ARP, IPv6 underlay, ...: vhost0
  if (!ip(c, off + ETH_HLEN, end)) return;
  const m = c.m;
  if (m.dip !== v.ip) return c.host('xconnect'); // not addressed to this compute node
  const l4 = m.l4Off;
  const ipEnd = m.ipOff + m.ipLen;
  if (m.proto === IPPROTO_GRE) {
    if (ipEnd - l4 < 8) return c.drop('invalid_packet');
    if (r16(b, l4) !== 0 || r16(b, l4 + 2) !== ETH_P_MPLS) return c.host('receive');
    if (!c.profile.features.mplsogre) return c.host('unsupported-mplsogre');
    return mplsInput(c, l4 + 4, ipEnd, hold, original);
  }
  if (m.proto === IPPROTO_UDP) {
    if (ipEnd - l4 < 8) return c.drop('invalid_packet');
    const dport = r16(b, l4 + 2);
    if (dport === MPLS_OVER_UDP_PORT || dport === MPLS_OVER_UDP_LEGACY_PORT) {
      return c.profile.features.mplsoudp ? mplsInput(c, l4 + 8, ipEnd, hold, original) : c.host('unsupported-mplsoudp');
    }
    if (dport === VXLAN_PORT) return c.profile.features.vxlan ? vxlanInput(c, l4 + 8, ipEnd) : c.host('unsupported-vxlan');
  }
  return c.host('receive');
}

/** vr_mpls_input: label -> ILM -> NH; AF_INET NHs carry an IP packet, AF_BRIDGE an Ethernet frame. */
function mplsInput(c: Ctx, o: number, end: number, hold: HoldState, original: () => Uint8Array): void {
  const b = c.b;
  if (end - o < 4) return c.drop('invalid_packet');
  const word = r32(b, o);
  const label = word >>> 12;
  if (((word >>> 8) & 1) === 0) return c.drop('invalid_label'); // one label only (no stacks)
  if ((word & 0xff) <= 1) return c.drop('ttl_exceeded');
  const nhId = c.s.ilm.get(label);
  if (nhId === undefined) return c.drop('invalid_label');
  if (!c.s.labelOffloaded(label)) return c.host('label-not-offloaded');
  const n = c.s.nhs.get(nhId);
  if (!n) return c.drop('invalid_nh');
  const inner = o + 4;
  if (n.nh.family === 'bridge') return bridgeInput(c, n.nh.vrf, inner, end);
  if (!ip(c, inner, end)) return;
  const vrf = n.nh.vrf;
  c.flow = -1;
  out.dvrf = vrf;
  if ((n.nh.flags & NH_FLAG.POLICY) && !flowStep(c, hold, vrf, nhId, 0, original, out)) return;
  if (out.dvrf !== vrf) return routeL3(c, out.dvrf, 0);
  reachL3(c, nhId, -1, vrf);
}

/** vr_vxlan_input: VNI -> NH (its VRF) -> bridge lookup of the inner destination MAC. */
function vxlanInput(c: Ctx, o: number, end: number): void {
  const b = c.b;
  if (end - o < 8 + ETH_HLEN) return c.drop('invalid_packet');
  if ((b[o]! & 0x08) === 0) return c.drop('invalid_vnid');
  const vni = r32(b, o + 4) >>> 8;
  const nhId = c.s.vnid.get(vni);
  if (nhId === undefined) return c.drop('invalid_vnid');
  if (!c.s.vniOffloaded(vni)) return c.host('vni-not-offloaded');
  const n = c.s.nhs.get(nhId);
  if (!n) return c.drop('invalid_nh');
  bridgeInput(c, n.nh.vrf, o + 8, end);
}

/** An inner Ethernet frame in `vrf`: routed when sent to the router MAC (L3 VXLAN), else bridged. */
function bridgeInput(c: Ctx, vrf: number, o: number, end: number): void {
  const b = c.b;
  if (end - o < ETH_HLEN) return c.drop('invalid_packet');
  if (isRouterMac(b, o)) {
    const t = r16(b, o + 12);
    if (t !== ETH_P_IP && t !== ETH_P_IPV6) return c.drop('invalid_protocol');
    if (!ip(c, o + ETH_HLEN, end)) return;
    c.flow = -1;
    return routeL3(c, vrf, 0);
  }
  const e = c.s.bridgeLookup(vrf, b, o);
  if (!e) return c.drop('l2_no_route');
  c.m.ipOff = o + ETH_HLEN; c.m.proto = 0; c.m.v6 = false; c.m.sip = 0; c.m.dip = 0; c.m.sport = 0; c.m.dport = 0;
  reachL2(c, e.nh, e.label, o, end - o, vrf);
}

/** vm_rx -> vr_virtual_input on a virtual (VM) interface. */
export function vmInput(c: Ctx, v: CVif, off: number, len: number, hold: HoldState, original: () => Uint8Array): void {
  const b = c.b;
  const vif = v.vif;
  const vrf = vif.vrf;
  const type = r16(b, off + 12);
  if (type === ETH_P_ARP) return c.trap('arp', TRAP.arp, vrf);
  if (b[off]! & 1) return c.host('multicast');
  if (!isRouterMac(b, off)) {
    const e = c.s.bridgeLookup(vrf, b, off);
    if (e) {
      if (type === ETH_P_IP || type === ETH_P_IPV6) { if (!ip(c, off + ETH_HLEN, off + len)) return; }
      else { c.m.proto = 0; c.m.v6 = false; c.m.sip = 0; c.m.dip = 0; c.m.sport = 0; c.m.dport = 0; }
      return reachL2(c, e.nh, e.label, off, len, vrf);
    }
  }
  if (type !== ETH_P_IP && type !== ETH_P_IPV6) return c.drop('l2_no_route');
  if (!ip(c, off + ETH_HLEN, off + len)) return;
  c.flow = -1;
  out.dvrf = vrf;
  if ((vif.flags & VIF_FLAG_POLICY) && !flowStep(c, hold, vrf, vif.nh, vif.flags, original, out)) return;
  // vr_forward: TTL 0/1 goes to the agent, which answers with ICMP time exceeded.
  if (c.m.ttl <= 1) return c.trap('zero-ttl', TRAP['zero-ttl'], vrf, c.flow);
  decTtl(c);
  routeL3(c, out.dvrf, 0);
}
