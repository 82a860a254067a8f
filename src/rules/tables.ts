// SmartNIC offload: rules that are pure exact or prefix matches on IP addresses, protocol and
// ports become table entries as plain data (flow = exact 5-tuple, FIB = destination prefix to
// a port, ACL = prefixes, protocol and port ranges by priority). Every rule gets a verdict:
// which table, or why it needs the eBPF program. A rule can only go to a table when no earlier
// rule that stays in eBPF could match the same packets (the NIC would otherwise reorder them).
import type { Ruleset, Terminal } from './ir.js';
import { asPrefix, formatIp4, formatIp6 } from './addr.js';
import { L3, L4, overlaps, toBoxes, type Box, type Intervals } from './boxes.js';

export type TableAction = { t: 'drop' | 'pass' | 'tx' } | { t: 'redirect'; port: number };
interface Common { rule: string; priority: number; family: 4 | 6; action: TableAction; counter?: string }
export interface FlowEntry extends Common { kind: 'flow'; src: string; dst: string; proto: number; sport: number; dport: number }
export interface FibEntry { kind: 'fib'; rule: string; family: 4 | 6; prefix: string; port: number }
export interface AclEntry extends Common {
  kind: 'acl'; src: string; dst: string; proto?: number; sport?: [number, number]; dport?: [number, number];
}
export type TableEntry = FlowEntry | FibEntry | AclEntry;
export interface OffloadVerdict { rule: string; target: 'flow' | 'fib' | 'acl' | 'ebpf'; reason: string; entries: number }
export interface Tables { flow: FlowEntry[]; fib: FibEntry[]; acl: AclEntry[]; report: OffloadVerdict[] }

const PROTO_OF: Record<string, number> = { [String(L4.tcp)]: 6, [String(L4.udp)]: 17, [String(L4.icmp)]: 1, [String(L4.icmp6)]: 58, [String(L4.gre)]: 47 };
const ALLOWED = new Set(['eth', 'l3', 'l4', 'ip.src', 'ip.dst', 'ip6.src', 'ip6.dst', 'sport', 'dport', 'ip.proto', 'ip6.nexthdr']);

interface Flat { family: 4 | 6; src: [bigint, number]; dst: [bigint, number]; proto?: number; sport?: [bigint, bigint]; dport?: [bigint, bigint] }

/** One box as table matches, or the reason it is not one. */
function flatten(b: Box): Flat[] | string {
  for (const d of b.keys()) {
    if (d.startsWith('set:')) return `matches set ${d.split(':')[1]} (a map the program looks up)`;
    if (!ALLOWED.has(d)) return `matches ${d.replace(/\./g, ' ')} (tables match addresses, protocol and ports)`;
  }
  const single = (iv: Intervals | undefined): bigint | undefined => (iv && iv.length === 1 && iv[0]![0] === iv[0]![1] ? iv[0]![0] : undefined);
  const l3 = b.get('l3');
  if (!l3) return 'matches packets that are not IP';
  const fams: (4 | 6)[] = [];
  for (const [lo, hi] of l3) for (let v = lo; v <= hi; v++) {
    if (v === L3.ip) fams.push(4); else if (v === L3.ip6) fams.push(6); else return 'matches packets that are not IP';
  }
  let proto: number | undefined;
  const l4 = b.get('l4');
  if (l4) {
    const v = single(l4);
    if (v === undefined || PROTO_OF[String(v)] === undefined) return 'matches several L4 protocols in one rule';
    proto = PROTO_OF[String(v)];
  }
  for (const k of ['ip.proto', 'ip6.nexthdr']) {
    if (!b.has(k)) continue;
    const v = single(b.get(k));
    if (v === undefined || (proto !== undefined && Number(v) !== proto)) return `matches a range of ${k.replace('.', ' ')}`;
    proto = Number(v);
  }
  const range = (d: string): [bigint, bigint] | undefined | string => {
    const iv = b.get(d);
    if (!iv) return undefined;
    return iv.length === 1 ? iv[0]! : `matches a port set with gaps on ${d}`;
  };
  const sport = range('sport'), dport = range('dport');
  if (typeof sport === 'string') return sport;
  if (typeof dport === 'string') return dport;
  const out: Flat[] = [];
  for (const family of fams) {
    const bits = family === 4 ? 32 : 128;
    const pfx = (d: string): [bigint, number] | string => {
      const iv = b.get(d);
      if (!iv) return [0n, 0];
      const p = iv.length === 1 ? asPrefix(iv[0]![0], iv[0]![1], bits) : undefined;
      return p === undefined ? `matches an address range on ${d.replace('.', ' ')} that is not one prefix` : [iv[0]![0], p];
    };
    const src = pfx(family === 4 ? 'ip.src' : 'ip6.src'), dst = pfx(family === 4 ? 'ip.dst' : 'ip6.dst');
    if (typeof src === 'string') return src;
    if (typeof dst === 'string') return dst;
    out.push({ family, src, dst, proto, sport, dport });
  }
  return out;
}

const text = (f: 4 | 6, [a, p]: [bigint, number]): string => `${f === 4 ? formatIp4(a) : formatIp6(a)}/${p}`;

export function compileTables(rs: Ruleset): Tables {
  const t: Tables = { flow: [], fib: [], acl: [], report: [] };
  const ebpf: { name: string; boxes: ReturnType<typeof toBoxes> }[] = [];
  rs.rules.forEach((r, priority) => {
    const boxes = toBoxes(r.cond);
    const stay = (reason: string): void => { t.report.push({ rule: r.name, target: 'ebpf', reason, entries: 0 }); ebpf.push({ name: r.name, boxes }); };
    if (!r.terminal) return stay('does not end processing (it only counts or limits)');
    const other = r.actions.find((a) => a !== r.terminal && a.t !== 'count');
    if (other) return stay(other.t === 'limit' ? 'rate limiting needs the eBPF program (token buckets in a map)' : `action ${other.t} changes the packet`);
    const counters = r.actions.filter((a) => a.t === 'count');
    if (counters.length > 1) return stay('counts into more than one counter');
    if (!boxes) return stay('the match is too complex to split into table entries');
    const before = ebpf.find((x) => overlaps(x.boxes, boxes));
    if (before) return stay(`follows rule ${before.name}, which stays in eBPF and may match the same packets`);
    const flats: Flat[] = [];
    for (const b of boxes) {
      const f = flatten(b);
      if (typeof f === 'string') return stay(f);
      flats.push(...f);
    }
    const action = r.terminal as Terminal;
    const counter = counters[0]?.t === 'count' ? counters[0].counter : undefined;
    const full = (f: Flat): number => (f.family === 4 ? 32 : 128);
    const exact = flats.every((f) => f.src[1] === full(f) && f.dst[1] === full(f) && (f.proto === 6 || f.proto === 17)
      && f.sport && f.sport[0] === f.sport[1] && f.dport && f.dport[0] === f.dport[1]);
    if (exact) {
      for (const f of flats) {
        t.flow.push({ kind: 'flow', rule: r.name, priority, family: f.family, src: text(f.family, f.src).split('/')[0]!, dst: text(f.family, f.dst).split('/')[0]!,
          proto: f.proto!, sport: Number(f.sport![0]), dport: Number(f.dport![0]), action, ...(counter ? { counter } : {}) });
      }
      t.report.push({ rule: r.name, target: 'flow', reason: 'exact 5-tuple match', entries: flats.length });
      return;
    }
    const fib = action.t === 'redirect' && !counter && flats.every((f) => f.src[1] === 0 && f.proto === undefined && !f.sport && !f.dport);
    if (fib) {
      for (const f of flats) t.fib.push({ kind: 'fib', rule: r.name, family: f.family, prefix: text(f.family, f.dst), port: (action as { port: number }).port });
      t.report.push({ rule: r.name, target: 'fib', reason: 'destination prefix to a port', entries: flats.length });
      return;
    }
    for (const f of flats) {
      t.acl.push({ kind: 'acl', rule: r.name, priority, family: f.family, src: text(f.family, f.src), dst: text(f.family, f.dst), action,
        ...(f.proto !== undefined ? { proto: f.proto } : {}),
        ...(f.sport ? { sport: [Number(f.sport[0]), Number(f.sport[1])] as [number, number] } : {}),
        ...(f.dport ? { dport: [Number(f.dport[0]), Number(f.dport[1])] as [number, number] } : {}),
        ...(counter ? { counter } : {}) });
    }
    t.report.push({ rule: r.name, target: 'acl', reason: 'prefixes, protocol and port ranges', entries: flats.length });
  });
  return t;
}

/** The report as text, one line per rule. */
export function formatOffload(t: Tables): string {
  const w = Math.max(4, ...t.report.map((r) => r.rule.length));
  return t.report.map((r) => `${r.rule.padEnd(w)}  ${r.target.padEnd(4)}  ${r.target === 'ebpf' ? r.reason : `${r.entries} entr${r.entries === 1 ? 'y' : 'ies'}: ${r.reason}`}`).join('\n') + '\n';
}
