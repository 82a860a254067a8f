// Referential integrity and well-formedness of the tables. Checked on the state a transaction
// would produce, for the entries its patches touch (and the referrers of what it removed), so
// a transaction is judged whole, whatever order its edits were made in.
import { NH_TYPES, TUNNEL_KINDS, VIF_TYPES } from '../model/constants.js';
import { maskIPv4, maskIPv6, parseIPv4, parseIPv6, parseMac, formatIPv6 } from '../model/addr.js';
import type { TableName, TablesState } from '../model/types.js';

export interface Issue {
  table: TableName;
  key: string;
  message: string;
  condition?: string;
}

/** vRouter limits (vr_interface.h VR_MAX_INTERFACES, vr_nexthop.h VR_DEF_NEXTHOPS, vr_route.h VR_MAX_VRFS). */
export const LIMITS = { vifs: 4355, nhs: 524288, vrfs: 65536, labels: 1 << 20, vni: 1 << 24 } as const;

export function describe(table: TableName, key: string): string {
  switch (table) {
    case 'vifs': return `interface vif0/${key}`;
    case 'nhs': return `next hop ${key}`;
    case 'mpls': return `MPLS label ${key}`;
    case 'vxlan': return `VXLAN VNI ${key}`;
    case 'routes': return `route ${key.replace('|', '/')}`;
    case 'bridge': return `bridge entry ${key.replace('|', '/')}`;
    case 'flows': return `flow ${key}`;
  }
}

type Check = (cond: boolean, message: string, condition?: string) => void;

function checkEntry(s: TablesState, table: TableName, key: string, check: Check): void {
  const nhExists = (id: number, what: string): void =>
    check(s.nhs[id] !== undefined, `${what} refers to next hop ${id}, which does not exist`, `nexthops[${id}] exists`);
  const vifExists = (idx: number, what: string): void =>
    check(s.vifs[idx] !== undefined, `${what} refers to interface vif0/${idx}, which does not exist`, `interfaces[${idx}] exists`);
  const vrfOk = (v: number): void => check(Number.isInteger(v) && v >= 0 && v < LIMITS.vrfs, `VRF ${v} is out of range`, `0 <= vrf < ${LIMITS.vrfs}`);
  switch (table) {
    case 'vifs': {
      const v = s.vifs[key]!;
      check(v.index >= 0 && v.index < LIMITS.vifs, `interface index ${v.index} is out of range`, `0 <= index < ${LIMITS.vifs}`);
      check(v.type in VIF_TYPES, `interface type '${v.type}' is not one of ${Object.keys(VIF_TYPES).join(', ')}`);
      check(parseMac(v.mac) !== undefined, `MAC '${v.mac}' is not well-formed`);
      check(v.ip === '' || parseIPv4(v.ip) !== undefined, `IPv4 address '${v.ip}' is not well-formed`);
      check(v.mtu >= 68 && v.mtu <= 9216, `MTU ${v.mtu} is out of range`, '68 <= mtu <= 9216');
      vrfOk(v.vrf);
      if (v.nh >= 0) nhExists(v.nh, `interface vif0/${key}`);
      break;
    }
    case 'nhs': {
      const n = s.nhs[key]!;
      const what = `next hop ${key}`;
      check(n.id >= 0 && n.id < LIMITS.nhs, `next-hop id ${n.id} is out of range`, `0 <= id < ${LIMITS.nhs}`);
      check(n.type in NH_TYPES, `next-hop type '${n.type}' is not one of ${Object.keys(NH_TYPES).join(', ')}`);
      vrfOk(n.vrf);
      if (n.type === 'encap' || n.type === 'tunnel' || n.type === 'receive') {
        if (n.vif < 0) check(false, `${what} (${n.type}) needs an outgoing interface`, 'vif >= 0');
        else vifExists(n.vif, what);
      }
      for (const f of ['dmac', 'smac', 'l3mac'] as const) {
        const m = n[f];
        if (m !== undefined) check(parseMac(m) !== undefined, `${what}: ${f} '${m}' is not well-formed`);
      }
      if (n.type === 'encap' && n.family !== 'bridge') check(n.dmac !== undefined && n.smac !== undefined, `${what} (encap) needs dmac and smac`);
      if (n.type === 'tunnel') {
        check(n.tunnel !== undefined && n.tunnel in TUNNEL_KINDS, `${what}: tunnel kind '${n.tunnel}' is not one of ${Object.keys(TUNNEL_KINDS).join(', ')}`);
        check(parseIPv4(n.sip ?? '') !== undefined && parseIPv4(n.dip ?? '') !== undefined, `${what}: tunnel needs IPv4 sip and dip`);
      }
      if (n.type === 'composite') {
        check((n.members ?? []).length > 0, `${what} (composite) has no members`);
        for (const m of n.members ?? []) {
          check(m.nh !== n.id, `${what} lists itself as a member`);
          if (m.nh >= 0) nhExists(m.nh, what);
        }
      }
      break;
    }
    case 'mpls': {
      const label = Number(key);
      check(label >= 0 && label < LIMITS.labels, `MPLS label ${label} is out of range`, `0 <= label < 2^20`);
      nhExists(s.mpls[key]!, `MPLS label ${key}`);
      break;
    }
    case 'vxlan':
      check(Number(key) >= 0 && Number(key) < LIMITS.vni, `VNI ${key} is out of range`, '0 <= vni < 2^24');
      nhExists(s.vxlan[key]!, `VXLAN VNI ${key}`);
      break;
    case 'routes': {
      const r = s.routes[key]!;
      const what = `route ${r.vrf}/${r.prefix}/${r.len}`;
      vrfOk(r.vrf);
      if (r.family === 'inet') {
        const a = parseIPv4(r.prefix);
        check(a !== undefined && r.len >= 0 && r.len <= 32, `${what}: '${r.prefix}/${r.len}' is not an IPv4 prefix`);
        if (a !== undefined) check(maskIPv4(a, r.len) === a, `${what} has host bits set beyond /${r.len}`, 'prefix & ~mask == 0');
      } else {
        const a = parseIPv6(r.prefix);
        check(a !== undefined && r.len >= 0 && r.len <= 128, `${what}: '${r.prefix}/${r.len}' is not an IPv6 prefix`);
        if (a !== undefined) check(formatIPv6(maskIPv6(a, r.len)) === formatIPv6(a), `${what} has host bits set beyond /${r.len}`, 'prefix & ~mask == 0');
      }
      check(r.label >= -1 && r.label < LIMITS.vni, `${what}: label ${r.label} is out of range`);
      nhExists(r.nh, what);
      break;
    }
    case 'bridge': {
      const b = s.bridge[key]!;
      vrfOk(b.vrf);
      check(parseMac(b.mac) !== undefined, `bridge entry ${b.vrf}/${b.mac}: MAC is not well-formed`);
      nhExists(b.nh, `bridge entry ${b.vrf}/${b.mac}`);
      break;
    }
    case 'flows': {
      const f = s.flows[key]!;
      const what = `flow ${key}`;
      const v6 = f.family === 'inet6';
      const ok = (a: string): boolean => (v6 ? parseIPv6(a) : parseIPv4(a)) !== undefined;
      check(ok(f.sip) && ok(f.dip), `${what}: source '${f.sip}' or destination '${f.dip}' is not an ${v6 ? 'IPv6' : 'IPv4'} address`);
      check(f.proto >= 0 && f.proto <= 255 && f.sport >= 0 && f.sport <= 65535 && f.dport >= 0 && f.dport <= 65535, `${what}: protocol or port out of range`);
      vrfOk(f.vrf); vrfOk(f.dvrf);
      nhExists(f.nh, what);
      if (f.srcNh >= 0) nhExists(f.srcNh, `${what} (RPF next hop)`);
      if (f.rflow >= 0) check(s.flows[f.rflow] !== undefined, `${what} refers to reverse flow ${f.rflow}, which does not exist`, `flows[${f.rflow}] exists`);
      if (f.action === 'nat') check(f.rflow >= 0, `${what} is a NAT flow without a reverse flow (NAT rewrites from the reverse key)`, 'rflow >= 0');
      break;
    }
  }
}

/** Who refers to a removed entry (scan; removals of referenced entries are rare). */
function checkRemoved(s: TablesState, table: TableName, key: string, check: Check): void {
  const id = Number(key);
  const refs: string[] = [];
  if (table === 'nhs') {
    for (const v of Object.values(s.vifs)) if (v.nh === id) refs.push(`interface vif0/${v.index}`);
    for (const n of Object.values(s.nhs)) if (n.members?.some((m) => m.nh === id)) refs.push(`next hop ${n.id}`);
    for (const [l, nh] of Object.entries(s.mpls)) if (nh === id) refs.push(`MPLS label ${l}`);
    for (const [l, nh] of Object.entries(s.vxlan)) if (nh === id) refs.push(`VXLAN VNI ${l}`);
    for (const r of Object.values(s.routes)) if (r.nh === id) refs.push(`route ${r.vrf}/${r.prefix}/${r.len}`);
    for (const b of Object.values(s.bridge)) if (b.nh === id) refs.push(`bridge entry ${b.vrf}/${b.mac}`);
    for (const f of Object.values(s.flows)) if (f.nh === id || f.srcNh === id) refs.push(`flow ${f.index}`);
  } else if (table === 'vifs') {
    for (const n of Object.values(s.nhs)) if (n.vif === id) refs.push(`next hop ${n.id}`);
  } else if (table === 'flows') {
    for (const f of Object.values(s.flows)) if (f.rflow === id) refs.push(`flow ${f.index}`);
  }
  if (refs.length > 0) {
    const more = refs.length > 3 ? ` and ${refs.length - 3} more` : '';
    check(false, `${describe(table, key)} is removed but ${refs.slice(0, 3).join(', ')}${more} still refer${refs.length === 1 ? 's' : ''} to it`);
  }
}

/** Issues of `state` for the entries in `touched` (table -> keys). */
export function validate(state: TablesState, touched: Map<TableName, Set<string>>): Issue[] {
  const issues: Issue[] = [];
  for (const [table, keys] of touched) {
    for (const key of keys) {
      const check: Check = (cond, message, condition) => { if (!cond) issues.push({ table, key, message, condition }); };
      if ((state[table] as Record<string, unknown>)[key] === undefined) checkRemoved(state, table, key, check);
      else checkEntry(state, table, key, check);
    }
  }
  if (touched.has('flows')) {
    // A flow key is unique: (vrf, nh, proto, addresses, ports).
    const seen = new Map<string, number>();
    for (const f of Object.values(state.flows)) {
      const k = `${f.vrf}|${f.nh}|${f.proto}|${f.sip}|${f.dip}|${f.sport}|${f.dport}`;
      const other = seen.get(k);
      if (other !== undefined && (touched.get('flows')!.has(String(f.index)) || touched.get('flows')!.has(String(other)))) {
        issues.push({ table: 'flows', key: String(f.index), message: `flow ${f.index} has the same key as flow ${other}` });
      }
      seen.set(k, f.index);
    }
  }
  return issues;
}
