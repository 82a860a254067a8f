// bpf_fib_lookup answered from an emulated FIB. The VM asks a `FibLookup` (the SmartNIC layer
// provides its own); `RouteTable` is the simple default: longest-prefix routes read from a
// small text file. Return codes and struct bpf_fib_lookup are the kernel's (uapi/linux/bpf.h).
import { fail, locate } from '../../diag/index.js';

export const BPF_FIB_LKUP_RET = {
  SUCCESS: 0, BLACKHOLE: 1, UNREACHABLE: 2, PROHIBIT: 3, NOT_FWDED: 4, FWD_DISABLED: 5,
  UNSUPP_LWT: 6, NO_NEIGH: 7, FRAG_NEEDED: 8, NO_SRC_ADDR: 9,
} as const;
export const AF_INET = 2, AF_INET6 = 10;
/** sizeof(struct bpf_fib_lookup). */
export const FIB_PARAMS_SIZE = 64;
/** BPF_FIB_LOOKUP_DIRECT | OUTPUT | SKIP_NEIGH | TBID | SRC | MARK. */
export const FIB_FLAGS_MASK = 0x3f;

export interface FibQuery {
  family: number;
  /** 4 or 16 bytes. */
  dst: Uint8Array;
  src: Uint8Array;
  ifindex: number;
  l4Protocol: number;
  sport: number;
  dport: number;
  totLen: number;
  flags: number;
}

export interface FibAnswer {
  ret: number;
  ifindex?: number;
  smac?: Uint8Array;
  dmac?: Uint8Array;
  mtu?: number;
}

/** What the VM needs from a forwarding table. */
export interface FibLookup {
  lookup(q: FibQuery): FibAnswer;
}

export interface Route {
  family: number;
  prefix: Uint8Array;
  len: number;
  kind: 'forward' | 'blackhole' | 'unreachable' | 'prohibit';
  ifindex: number;
  smac: Uint8Array;
  dmac: Uint8Array;
  mtu: number;
}

/** Longest-prefix match over a list of routes; no match is BPF_FIB_LKUP_RET_NOT_FWDED. */
export class RouteTable implements FibLookup {
  constructor(readonly routes: Route[] = []) {}

  lookup(q: FibQuery): FibAnswer {
    let best: Route | undefined;
    for (const r of this.routes) {
      if (r.family === q.family && prefixMatch(r.prefix, q.dst, r.len) && (!best || r.len > best.len)) best = r;
    }
    if (!best) return { ret: BPF_FIB_LKUP_RET.NOT_FWDED };
    if (best.kind !== 'forward') {
      return { ret: best.kind === 'blackhole' ? BPF_FIB_LKUP_RET.BLACKHOLE : best.kind === 'unreachable' ? BPF_FIB_LKUP_RET.UNREACHABLE : BPF_FIB_LKUP_RET.PROHIBIT };
    }
    if (q.totLen > best.mtu) return { ret: BPF_FIB_LKUP_RET.FRAG_NEEDED, mtu: best.mtu };
    return { ret: BPF_FIB_LKUP_RET.SUCCESS, ifindex: best.ifindex, smac: best.smac, dmac: best.dmac, mtu: best.mtu };
  }
}

function prefixMatch(prefix: Uint8Array, addr: Uint8Array, len: number): boolean {
  for (let i = 0; i < len; i++) {
    const bit = 0x80 >> (i & 7);
    if ((prefix[i >> 3]! & bit) !== (addr[i >> 3]! & bit)) return false;
  }
  return true;
}

/**
 * Routes, one per line (`#` comments):
 *   10.0.0.0/8 dev 2 smac 02:00:00:00:00:01 dmac 02:00:00:00:00:02 [mtu 1500]
 *   blackhole 192.0.2.0/24     unreachable 2001:db8::/32     prohibit 198.51.100.0/24
 */
export function parseRoutes(text: string, file = '<fib>'): RouteTable {
  const routes: Route[] = [];
  let lineStart = 0;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '');
    const toks = [...line.matchAll(/\S+/g)].map((m) => ({ t: m[0], off: lineStart + m.index! }));
    lineStart += raw.length + 1;
    if (toks.length === 0) continue;
    const bad = (i: number, msg: string): never => {
      const tok = toks[Math.min(i, toks.length - 1)]!;
      return fail('semantic', msg, { where: locate(file, text, tok.off, tok.t.length) });
    };
    let i = 0;
    let kind: Route['kind'] = 'forward';
    if (['blackhole', 'unreachable', 'prohibit'].includes(toks[0]!.t)) { kind = toks[0]!.t as Route['kind']; i = 1; }
    const m = /^([^/]+)\/(\d+)$/.exec(toks[i]?.t ?? '');
    if (!m) bad(i, `expected a prefix such as 10.0.0.0/8, found '${toks[i]?.t ?? 'end of line'}'`);
    const prefix = parseAddr(m![1]!);
    if (!prefix) bad(i, `cannot parse address '${m![1]}'`);
    const len = Number(m![2]);
    if (len > prefix!.length * 8) bad(i, `prefix length ${len} is longer than the address (${prefix!.length * 8} bits)`);
    const r: Route = { family: prefix!.length === 4 ? AF_INET : AF_INET6, prefix: prefix!, len, kind, ifindex: 0, smac: new Uint8Array(6), dmac: new Uint8Array(6), mtu: 1500 };
    for (i++; i < toks.length; i += 2) {
      const key = toks[i]!.t, val = toks[i + 1]?.t;
      if (val === undefined) bad(i, `'${key}' needs a value`);
      if (key === 'dev' || key === 'mtu') {
        if (!/^\d+$/.test(val!)) bad(i + 1, `${key} wants a number, found '${val}'`);
        if (key === 'dev') r.ifindex = Number(val); else r.mtu = Number(val);
      } else if (key === 'smac' || key === 'dmac') {
        const mac = parseMac(val!);
        if (!mac) bad(i + 1, `cannot parse MAC address '${val}'`);
        r[key] = mac!;
      } else bad(i, `unknown route attribute '${key}'; expected dev, smac, dmac or mtu`);
    }
    if (kind === 'forward' && r.ifindex === 0) bad(0, 'a forwarding route needs `dev IFINDEX`');
    routes.push(r);
  }
  return new RouteTable(routes);
}

function parseMac(s: string): Uint8Array | undefined {
  const parts = s.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-f]{1,2}$/i.test(p))) return undefined;
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

export function parseAddr(s: string): Uint8Array | undefined {
  if (s.includes('.')) {
    const p = s.split('.');
    if (p.length !== 4 || p.some((x) => !/^\d{1,3}$/.test(x) || Number(x) > 255)) return undefined;
    return Uint8Array.from(p.map(Number));
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const g = h.split(':');
    return g.every((x) => /^[0-9a-f]{1,4}$/i.test(x)) ? g.map((x) => parseInt(x, 16)) : undefined;
  };
  const a = groups(halves[0]!), b = halves.length === 2 ? groups(halves[1]!) : [];
  if (!a || !b) return undefined;
  const fill = halves.length === 2 ? 8 - a.length - b.length : 0;
  if (fill < 0 || a.length + b.length + fill !== 8) return undefined;
  const all = [...a, ...new Array<number>(fill).fill(0), ...b];
  const out = new Uint8Array(16);
  all.forEach((g, i) => { out[2 * i] = g >> 8; out[2 * i + 1] = g & 0xff; });
  return out;
}
