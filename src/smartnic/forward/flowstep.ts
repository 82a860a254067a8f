// vr_flow_forward: flow lookup for policy-enabled traffic. A miss creates a HOLD entry, queues
// the packet and traps it to the agent (AGENT_TRAP_FLOW_MISS); a hit applies the flow's action
// (forward, drop, NAT rewrite from the reverse flow's key, hold).
import { checksumReplace16, checksumReplace32 } from '../../packet/index.js';
import { FLOW_ACTIONS, NAT, TRAP, VIF_FLAG_DROP_NEW_FLOWS } from '../model/constants.js';
import { FlowTable, KW } from '../flow/flow-table.js';
import type { Ctx } from './ctx.js';
import { l4CheckOffset, r16, w16, w32 } from './headers.js';

export interface HoldState {
  /** Packets queued behind HOLD flows: flow index -> [ingress port, bytes]. */
  queue: Map<number, Array<[number, Uint8Array]>>;
  cursor: number;
}

const key = new Int32Array(KW);

/** Returns true when the packet may continue (dvrf in `out.dvrf`), false when a verdict was set. */
export function flowStep(c: Ctx, hold: HoldState, vrf: number, keyNh: number, vifFlags: number, original: () => Uint8Array, out: { dvrf: number }): boolean {
  const t = c.s.flows;
  const m = c.m;
  const b = c.b;
  const idx = m.v6
    ? t.lookupKey(FlowTable.key6(key, vrf, keyNh, m.proto, b, m.ipOff + 8, b, m.ipOff + 24, m.sport, m.dport))
    : t.lookup4(vrf, keyNh, m.proto, m.sip, m.dip, m.sport, m.dport);
  if (idx < 0) {
    if (!m.v6) FlowTable.key4(key, vrf, keyNh, m.proto, m.sip, m.dip, m.sport, m.dport);
    if (c.s.hostFlows.has(key.join(','))) { c.host('flow-not-offloaded'); return false; }
    if (vifFlags & VIF_FLAG_DROP_NEW_FLOWS) { c.drop('new_flow_drops'); return false; }
    if (hold.queue.size >= c.profile.capacity.holdLimit) { c.host('hold-limit'); return false; }
    const free = t.freeIndex(hold.cursor);
    if (free < 0) { c.host('flow-table-full'); return false; }
    hold.cursor = (free + 1) % t.capacity;
    t.put(free, key, FLOW_ACTIONS.hold);
    t.lastUsed[free] = c.now;
    hold.queue.set(free, [[c.inPort, original()]]);
    c.trap('flow-miss', TRAP['flow-miss'], vrf, free);
    return false;
  }
  t.packets[idx]++; t.bytes[idx] += m.ipLen; t.lastUsed[idx] = c.now;
  c.flow = idx;
  switch (t.action[idx]) {
    case FLOW_ACTIONS.drop: c.drop('flow_action_drop'); return false;
    case FLOW_ACTIONS.hold: {
      let q = hold.queue.get(idx);
      if (!q) hold.queue.set(idx, (q = []));
      if (q.length >= c.profile.capacity.flowQueue) { c.drop('flow_queue_limit_exceeded'); return false; }
      q.push([c.inPort, original()]);
      c.res.kind = 4; c.res.flowIndex = idx;
      return false;
    }
    case FLOW_ACTIONS.forward: out.dvrf = t.dvrf[idx]!; return true;
    case FLOW_ACTIONS.nat:
      if (!c.profile.features.nat || m.v6) { c.host('unsupported-nat'); return false; }
      if (!nat(c, idx)) return false;
      out.dvrf = t.dvrf[idx]!;
      return true;
    default: c.drop('flow_action_invalid'); return false;
  }
}

/** Rewrite addresses/ports from the reverse flow's key, with incremental checksum updates. */
function nat(c: Ctx, idx: number): boolean {
  const t = c.s.flows;
  const r = t.rflow[idx]!;
  if (r < 0 || !t.used(r)) { c.drop('flow_nat_no_rflow'); return false; }
  const flags = t.nat[idx]!;
  const rk = t.keys.subarray(r * KW, r * KW + KW);
  const m = c.m, b = c.b, ip = m.ipOff;
  const nsip = flags & NAT.SNAT ? rk[8]! >>> 0 : m.sip;
  const ndip = flags & NAT.DNAT ? rk[4]! >>> 0 : m.dip;
  const nsport = flags & NAT.SPAT ? rk[3]! & 0xffff : m.sport;
  const ndport = flags & NAT.DPAT ? rk[3]! >>> 16 : m.dport;
  let ipc = r16(b, ip + 10);
  const co = l4CheckOffset(m.proto);
  // A UDP checksum of 0 means "none" and stays 0.
  const l4c = co >= 0 && !(m.proto === 17 && r16(b, m.l4Off + co) === 0) ? m.l4Off + co : -1;
  let l4 = l4c >= 0 ? r16(b, l4c) : 0;
  if (nsip !== m.sip) { ipc = checksumReplace32(ipc, m.sip, nsip); if (l4c >= 0) l4 = checksumReplace32(l4, m.sip, nsip); w32(b, ip + 12, nsip); m.sip = nsip; }
  if (ndip !== m.dip) { ipc = checksumReplace32(ipc, m.dip, ndip); if (l4c >= 0) l4 = checksumReplace32(l4, m.dip, ndip); w32(b, ip + 16, ndip); m.dip = ndip; }
  if (co >= 0 && m.proto !== 1) {
    if (nsport !== m.sport) { if (l4c >= 0) l4 = checksumReplace16(l4, m.sport, nsport); w16(b, m.l4Off, nsport); m.sport = nsport; }
    if (ndport !== m.dport) { if (l4c >= 0) l4 = checksumReplace16(l4, m.dport, ndport); w16(b, m.l4Off + 2, ndport); m.dport = ndport; }
  }
  w16(b, ip + 10, ipc);
  if (l4c >= 0) w16(b, l4c, l4);
  return true;
}
