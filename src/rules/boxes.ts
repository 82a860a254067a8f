// Matches as unions of boxes: every dimension (a header's presence, a field) gets a set of
// integer intervals; a box is their product, a match is a union of boxes (disjunctive normal
// form). This answers the questions the checker and the table compiler ask: can a rule match
// at all, does an earlier rule cover it, does the match imply a header, is it one exact or
// prefix entry. Answers are conservative: "unknown" (too many boxes) never claims anything.
import type { Cond } from './ir.js';
import { fieldInfo, type Proto } from './fields.js';

export type Intervals = [bigint, bigint][];
export type Box = Map<string, Intervals>;

/** Enumerated dimensions and their domains. */
export const L3 = { other: 0n, ip: 1n, ip6: 2n, arp: 3n, mpls: 4n } as const;
export const L4 = { none: 0n, tcp: 1n, udp: 2n, icmp: 3n, icmp6: 4n, gre: 5n } as const;
const DOMAIN: Record<string, bigint> = { eth: 1n, vlans: 2n, l3: 4n, l4: 5n, vxlan: 1n, frag: 1n, bos: 1n };

/** The dimension a field lives in (TCP and UDP ports share `sport` / `dport`). */
export function dimOf(field: string): string {
  if (field.endsWith('.sport') || field === 'sport') return 'sport';
  if (field.endsWith('.dport') || field === 'dport') return 'dport';
  return field;
}

function domainMax(dim: string): bigint {
  if (dim in DOMAIN) return DOMAIN[dim]!;
  if (dim.startsWith('set:')) return 1n;
  if (dim === 'sport' || dim === 'dport') return 0xffffn;
  const f = fieldInfo(dim);
  return f ? (1n << BigInt(f.bits)) - 1n : 0xffffffffn;
}

const one = (v: bigint): Intervals => [[v, v]];
const span = (lo: bigint, hi: bigint): Intervals => [[lo, hi]];

/**
 * The box of "header p is present". Every XDP frame has an Ethernet header (the kernel's
 * test run refuses shorter input), so `eth` constrains nothing.
 */
export function protoBox(p: Proto): Box {
  const b: Box = new Map();
  const ip46 = span(L3.ip, L3.ip6);
  switch (p) {
    case 'eth': break;
    case 'vlan': b.set('vlans', span(1n, 2n)); break;
    case 'vlan2': b.set('vlans', one(2n)); break;
    case 'mpls': b.set('l3', one(L3.mpls)); break;
    case 'bos': b.set('l3', one(L3.mpls)); b.set('bos', one(1n)); break;
    case 'arp': b.set('l3', one(L3.arp)); break;
    case 'ip': b.set('l3', one(L3.ip)); break;
    case 'ip6': b.set('l3', one(L3.ip6)); break;
    case 'frag4': b.set('l3', one(L3.ip)); b.set('frag', one(1n)); break;
    case 'frag6': b.set('l3', one(L3.ip6)); b.set('frag', one(1n)); break;
    case 'tcp': b.set('l3', ip46); b.set('l4', one(L4.tcp)); break;
    case 'udp': b.set('l3', ip46); b.set('l4', one(L4.udp)); break;
    case 'l4port': b.set('l3', ip46); b.set('l4', span(L4.tcp, L4.udp)); break;
    case 'icmp': b.set('l3', one(L3.ip)); b.set('l4', one(L4.icmp)); break;
    case 'icmp6': b.set('l3', one(L3.ip6)); b.set('l4', one(L4.icmp6)); break;
    case 'gre': b.set('l3', ip46); b.set('l4', one(L4.gre)); break;
    case 'vxlan': b.set('l3', ip46); b.set('l4', one(L4.udp)); b.set('dport', one(4789n)); b.set('vxlan', one(1n)); break;
  }
  return b;
}

// ---- interval sets
function intersectI(a: Intervals, b: Intervals): Intervals {
  const out: Intervals = [];
  for (const [alo, ahi] of a) for (const [blo, bhi] of b) {
    const lo = alo > blo ? alo : blo, hi = ahi < bhi ? ahi : bhi;
    if (lo <= hi) out.push([lo, hi]);
  }
  return normalize(out);
}
export function normalize(a: Intervals): Intervals {
  const s = [...a].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const out: Intervals = [];
  for (const [lo, hi] of s) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1n) { if (hi > last[1]) last[1] = hi; } else out.push([lo, hi]);
  }
  return out;
}
function complementI(a: Intervals, max: bigint): Intervals {
  const out: Intervals = [];
  let next = 0n;
  for (const [lo, hi] of normalize(a)) { if (lo > next) out.push([next, lo - 1n]); next = hi + 1n; }
  if (next <= max) out.push([next, max]);
  return out;
}
function subsetI(a: Intervals, b: Intervals): boolean {
  return a.every(([lo, hi]) => b.some(([blo, bhi]) => blo <= lo && hi <= bhi));
}

// ---- boxes
function intersect(a: Box, b: Box): Box | undefined {
  const out: Box = new Map(a);
  for (const [d, iv] of b) {
    const cur = out.get(d);
    const r = cur ? intersectI(cur, iv) : iv;
    if (r.length === 0) return undefined;
    out.set(d, r);
  }
  return out;
}
/** Every assignment in `a` is in `b`. */
export function boxSubset(a: Box, b: Box): boolean {
  for (const [d, iv] of b) {
    const mine = a.get(d) ?? span(0n, domainMax(d));
    if (!subsetI(mine, iv)) return false;
  }
  return true;
}
function complementBox(b: Box): Box[] {
  return [...b].map(([d, iv]) => new Map([[d, complementI(iv, domainMax(d))]])).filter((x) => [...x.values()][0]!.length > 0);
}

/** More boxes than this and the analysis gives up (answers "unknown"). */
const LIMIT = 512;

/** The match as a union of non-empty boxes; undefined when it grows past the limit. */
export function toBoxes(c: Cond, neg = false): Box[] | undefined {
  switch (c.t) {
    case 'true': return neg ? [] : [new Map()];
    case 'false': return neg ? [new Map()] : [];
    case 'not': return toBoxes(c.c, !neg);
    case 'and': case 'or': {
      const conj = (c.t === 'and') !== neg;
      const parts: Box[][] = [];
      for (const x of c.list) { const p = toBoxes(x, neg); if (!p) return undefined; parts.push(p); }
      if (!conj) { const all = parts.flat(); return all.length > LIMIT ? undefined : all; }
      let acc: Box[] = [new Map()];
      for (const p of parts) {
        const next: Box[] = [];
        for (const a of acc) for (const b of p) { const r = intersect(a, b); if (r) next.push(r); }
        if (next.length > LIMIT) return undefined;
        acc = next;
      }
      return acc;
    }
    default: {
      const b = atomBox(c);
      return neg ? complementBox(b) : [b];
    }
  }
}

function atomBox(c: Exclude<Cond, { t: 'true' | 'false' | 'not' | 'and' | 'or' }>): Box {
  switch (c.t) {
    case 'has': return protoBox(c.proto);
    case 'range': return new Map([[dimOf(c.field), span(c.lo, c.hi)]]);
    case 'inset': return new Map([[`set:${c.set}:${dimOf(c.field)}`, one(1n)]]);
    case 'mask': {
      // Small fields only (tcp flags): enumerate the values that pass.
      const max = domainMax(dimOf(c.field));
      const iv: Intervals = [];
      for (let v = 0n; v <= max; v++) if ((v & c.mask) === c.value) iv.push([v, v]);
      return new Map([[dimOf(c.field), normalize(iv)]]);
    }
  }
}

/** Every packet `inner` matches, `outer` matches too (conservative: false when unknown). */
export function covers(outer: Box[] | undefined, inner: Box[] | undefined): boolean {
  if (!outer || !inner) return false;
  return inner.every((b) => outer.some((a) => boxSubset(b, a)));
}

/** The two matches can select the same packet (conservative: true when unknown). */
export function overlaps(a: Box[] | undefined, b: Box[] | undefined): boolean {
  if (!a || !b) return true;
  return a.some((x) => b.some((y) => intersect(x, y) !== undefined));
}

/** The match only selects packets that have header `p` (conservative: false when unknown). */
export function implies(boxes: Box[] | undefined, p: Proto): boolean {
  return covers([protoBox(p)], boxes);
}
