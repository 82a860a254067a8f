// The direct evaluator: rules applied to a packet in TypeScript, no eBPF. It is the oracle
// the compiled program is tested against, so it follows the documented semantics literally.
import type { Cond, Ruleset, SetDecl } from './ir.js';
import { isTerminal } from './ir.js';
import { fieldValue, parsePacket, type Parsed } from './eval-parse.js';
import { applyEdit } from './eval-edit.js';

/** XDP verdicts (enum xdp_action). */
export const XDP = { ABORTED: 0, DROP: 1, PASS: 2, TX: 3, REDIRECT: 4 } as const;
export type Verdict = 'drop' | 'pass' | 'tx' | 'redirect';
export const VERDICT_CODE: Record<Verdict, number> = { drop: 1, pass: 2, tx: 3, redirect: 4 };

export interface CounterValue { packets: bigint; bytes: bigint }

/** What the rules read and write besides the packet: set contents, counters, rate limiters, time. */
export interface RuleState {
  /** Set contents: values (and prefix lengths for prefix sets). */
  sets: Map<string, { value: bigint; plen: number }[]>;
  counters: Map<string, CounterValue>;
  /** Per limiter: bucket key ('' for a shared bucket) -> theoretical arrival time (ns). */
  limiters: Map<string, Map<string, bigint>>;
  /** The clock bpf_ktime_get_ns would read. */
  nowNs: bigint;
}

export interface EvalResult {
  verdict: Verdict;
  /** The ifindex for `redirect`. */
  redirect?: number;
  /** The rule that decided (its name, or 'default'). */
  rule: string;
  counters: Map<string, CounterValue>;
  outPacket: Uint8Array;
}

export function createState(rs: Ruleset, nowNs = 0n): RuleState {
  return {
    sets: new Map(rs.sets.map((s) => [s.name, s.init.map((e) => ({ ...e }))])),
    counters: new Map(rs.counters.map((c) => [c.name, { packets: 0n, bytes: 0n }])),
    limiters: new Map(rs.limiters.map((l) => [l.name, new Map()])),
    nowNs,
  };
}

export function evaluateRules(rs: Ruleset, packet: Uint8Array, state: RuleState = createState(rs)): EvalResult {
  const p = parsePacket(packet);
  const sets = new Map(rs.sets.map((s) => [s.name, s]));
  const limiters = new Map(rs.limiters.map((l) => [l.name, l]));
  let pkt: Uint8Array = packet.slice();
  for (const rule of [...rs.rules, rs.fallback]) {
    if (!matches(rule.cond, p, state, sets)) continue;
    for (const a of rule.actions) {
      if (a.t === 'count') {
        const c = state.counters.get(a.counter)!;
        c.packets++;
        c.bytes += BigInt(packet.length);
      } else if (a.t === 'limit') {
        if (!conforms(limiters.get(a.limiter)!, p, state)) return done('drop', rule.name);
      } else if (isTerminal(a)) {
        return a.t === 'redirect' ? { ...done('redirect', rule.name), redirect: a.port } : done(a.t, rule.name);
      } else {
        pkt = applyEdit(pkt, p, a);
      }
    }
  }
  // The default rule always ends with a terminal, so this is unreachable.
  return done('pass', 'default');

  function done(verdict: Verdict, name: string): EvalResult {
    return { verdict, rule: name, counters: state.counters, outPacket: pkt };
  }
}

export function matches(c: Cond, p: Parsed, state: RuleState, sets: Map<string, SetDecl>): boolean {
  switch (c.t) {
    case 'true': return true;
    case 'false': return false;
    case 'and': return c.list.every((x) => matches(x, p, state, sets));
    case 'or': return c.list.some((x) => matches(x, p, state, sets));
    case 'not': return !matches(c.c, p, state, sets);
    case 'has': return p.has.has(c.proto);
    case 'range': {
      const v = fieldValue(p, c.field);
      return v !== undefined && v >= c.lo && v <= c.hi;
    }
    case 'mask': {
      const v = fieldValue(p, c.field);
      return v !== undefined && (v & c.mask) === c.value;
    }
    case 'inset': {
      const v = fieldValue(p, c.field);
      const decl = sets.get(c.set)!;
      if (v === undefined) return false;
      return (state.sets.get(c.set) ?? []).some((e) => {
        const shift = BigInt(decl.bits - e.plen);
        return (v >> shift) === (e.value >> shift);
      });
    }
  }
}

/**
 * GCRA, the virtual-scheduling form of a token bucket: a bucket keeps the theoretical arrival
 * time `tat`; a packet conforms when tat - now <= tau, and then tat = max(tat, now) + T.
 */
function conforms(l: { name: string; per?: string; intervalNs: bigint; tauNs: bigint }, p: Parsed, state: RuleState): boolean {
  const buckets = state.limiters.get(l.name)!;
  const key = l.per ? String(fieldValue(p, l.per)) : '';
  const now = state.nowNs;
  const tat = buckets.get(key) ?? 0n;
  const t = tat > now ? tat : now;
  if (t - now > l.tauNs) return false;
  buckets.set(key, t + l.intervalNs);
  return true;
}
