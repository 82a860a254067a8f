// The SmartNIC placement of a rule set: the rules that are plain matches become vRouter-style
// table entries on the NIC (rules' compileTables); the others need the eBPF program, so the
// packets they decide fall back to the host. Which rule decides each frame comes from the
// rules' own evaluator. The NIC profile bounds it: table entries beyond its capacities make the
// placement impossible (with the reason), and rules the NIC cannot express (IPv6 on a NIC
// without it) fall back.
import type { Frame } from './compare-traffic.js';
import { compileTables, createState, evaluateRules, type Ruleset } from '../rules/index.js';
import type { NicProfile } from '../smartnic/index.js';

export interface SmartnicPlan {
  /** Per traffic frame: handled by the host rather than the NIC tables. */
  fallback: Uint8Array;
  /** Why the rule set cannot be placed on this NIC at all (empty: it can). */
  reasons: string[];
  notes: string[];
  entries: { flow: number; fib: number; acl: number; trafficFlows: number };
}

/** The ethertype after up to two VLAN tags, and where its payload starts. */
function l3(d: Uint8Array): { type: number; ip: number } {
  let off = 12;
  let type = (d[off]! << 8) | d[off + 1]!;
  for (let tags = 0; tags < 2 && (type === 0x8100 || type === 0x88a8); tags++) { off += 4; type = (d[off]! << 8) | d[off + 1]!; }
  return { type, ip: off + 2 };
}

/** 5-tuple of an IPv4/IPv6 frame (after up to two VLAN tags) as a string key, or undefined. */
export function flowKey(d: Uint8Array): string | undefined {
  const { type, ip } = l3(d);
  let proto: number, l4: number, addrs: string;
  if (type === 0x0800 && d.length >= ip + 20) {
    proto = d[ip + 9]!;
    l4 = ip + (d[ip]! & 15) * 4;
    addrs = Buffer.from(d.subarray(ip + 12, ip + 20)).toString('hex');
  } else if (type === 0x86dd && d.length >= ip + 40) {
    proto = d[ip + 6]!;
    l4 = ip + 40;
    addrs = Buffer.from(d.subarray(ip + 8, ip + 40)).toString('hex');
  } else return undefined;
  const ports = (proto === 6 || proto === 17) && d.length >= l4 + 4 ? Buffer.from(d.subarray(l4, l4 + 4)).toString('hex') : '';
  return `${addrs}/${proto}/${ports}`;
}

export function planSmartnic(rs: Ruleset, frames: readonly Frame[], nic: NicProfile): SmartnicPlan {
  const tables = compileTables(rs);
  const target = new Map(tables.report.map((r) => [r.rule, r.target]));
  // Rules with IPv6 entries: on a NIC without IPv6 their IPv6 packets go to the host.
  const v6Rules = new Set([...tables.flow, ...tables.acl, ...tables.fib].filter((e) => e.family === 6).map((e) => e.rule));
  const notes: string[] = [];
  const reasons: string[] = [];
  if (!nic.features.ipv6 && v6Rules.size > 0) {
    notes.push(`${nic.name} has no IPv6: the IPv6 packets of rule${v6Rules.size > 1 ? 's' : ''} ${[...v6Rules].join(', ')} fall back to the host`);
  }
  const fallback = new Uint8Array(frames.length);
  const aclFlows = new Set<string>();
  const state = createState(rs);
  // A packet no table rule decides misses the NIC's tables. The NIC can apply the default
  // itself only when no rule stays in eBPF: otherwise it cannot know that none of those would
  // have matched, so the miss goes to the host (conservative: no split of eBPF rules into
  // "to host" table entries).
  const anyEbpf = tables.report.some((r) => r.target === 'ebpf');
  frames.forEach((f, i) => {
    const rule = evaluateRules(rs, f.data, state).rule;
    const t = rule === rs.fallback.name ? (anyEbpf ? 'ebpf' : 'default') : target.get(rule);
    if (t === 'ebpf' || (!nic.features.ipv6 && v6Rules.has(rule) && l3(f.data).type === 0x86dd)) { fallback[i] = 1; return; }
    // vRouter applies ACLs through its flow table: one flow entry per 5-tuple that hits them.
    if (t === 'acl') { const k = flowKey(f.data); if (k) aclFlows.add(k); }
  });
  const flowsNeeded = tables.flow.length + aclFlows.size;
  if (flowsNeeded > nic.capacity.flows) {
    reasons.push(`needs ${flowsNeeded} flow entries (${tables.flow.length} exact-match rule entries + ${aclFlows.size} flows of the traffic hitting ACL rules); ${nic.name} holds ${nic.capacity.flows} (capacity.flows)`);
  }
  if (tables.fib.length > nic.capacity.routes) {
    reasons.push(`needs ${tables.fib.length} routes; ${nic.name} holds ${nic.capacity.routes} (capacity.routes)`);
  }
  const inEbpf = tables.report.filter((r) => r.target === 'ebpf');
  if (inEbpf.length > 0) {
    notes.push(`rules that stay in eBPF (their packets, and packets no table rule decides, fall back to the host): ${inEbpf.map((r) => `${r.rule} (${r.reason})`).join('; ')}`);
  }
  if (inEbpf.some((r) => r.reason.startsWith('does not end processing'))) notes.push('count-only or limit-only rules are not placed on the NIC; packets they only count are not counted there');
  return { fallback, reasons, notes, entries: { flow: tables.flow.length, fib: tables.fib.length, acl: tables.acl.length, trafficFlows: aclFlows.size } };
}
