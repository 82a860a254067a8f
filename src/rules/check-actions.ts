// Actions: names exist, arguments fit, order makes sense. One terminal at most, and last; the
// packet may only change in a rule that ends processing; sets come before push/pop/decap, and
// a rate limit comes before anything that changes the packet; the match must guarantee every
// header an action touches.
import type { Action } from './ast.js';
import type { Act, Cond, Terminal } from './ir.js';
import { isTerminal, MODIFIES, STRUCTURAL } from './ir.js';
import { fieldInfo, type Proto } from './fields.js';
import { intArg, scalarRange, semantic } from './check-values.js';
import { implies, toBoxes } from './boxes.js';
import type { Ctx } from './check.js';

const NEEDS: Record<string, Proto> = {
  'pop-vlan': 'vlan', 'pop-mpls': 'mpls', 'decap-vxlan': 'vxlan', 'decap-gre': 'gre',
};
const HOW: Record<Proto, string> = {
  eth: 'an Ethernet header', vlan: 'a VLAN tag', vlan2: 'two VLAN tags', mpls: 'an MPLS label', arp: 'ARP', ip: 'IPv4',
  ip6: 'IPv6', tcp: 'TCP', udp: 'UDP', l4port: 'TCP or UDP', icmp: 'ICMP', icmp6: 'ICMPv6', gre: 'GRE', vxlan: 'VXLAN',
  frag4: 'an IPv4 fragment', frag6: 'an IPv6 fragment', bos: 'a bottom-of-stack MPLS label',
};
const WORD: Record<Proto, string> = {
  eth: 'any', vlan: 'vlan', vlan2: 'vlan inner id', mpls: 'mpls', arp: 'arp', ip: 'ip', ip6: 'ip6', tcp: 'tcp', udp: 'udp',
  l4port: 'tcp', icmp: 'icmp', icmp6: 'icmp6', gre: 'gre', vxlan: 'vxlan', frag4: 'ip frag', frag6: 'ip6 frag', bos: 'mpls bos',
};

export function checkActions(ctx: Ctx, actions: Action[], cond: Cond, isDefault: boolean): { actions: Act[]; terminal?: Terminal } {
  const { env } = ctx;
  const out: Act[] = [];
  const boxes = toBoxes(cond);
  const need = (p: Proto, a: Action, what: string): void => {
    if (!implies(boxes, p)) {
      semantic(env, a.pos, `${what} needs ${HOW[p]}, but this rule also matches packets without one`,
        isDefault ? ['the default rule matches every packet; move this into a rule'] : [`add '${WORD[p]}' to the match`]);
    }
  };
  let terminal: Terminal | undefined;
  let structural = false;
  for (const a of actions) {
    if (terminal) semantic(env, a.pos, `nothing can follow '${terminal.t}': it ends the packet's processing`);
    const act = one(ctx, a);
    if (isTerminal(act)) terminal = act;
    if (act.t === 'set') need(fieldInfo(act.field)!.needs, a, `set ${fieldInfo(act.field)!.text}`);
    if (act.t in NEEDS) need(NEEDS[act.t]!, a, act.t.replace('-', ' '));
    if (STRUCTURAL.has(act.t)) {
      if (structural) semantic(env, a.pos, 'a rule may push, pop or decapsulate once');
      structural = true;
    } else if (act.t === 'set' && structural) {
      semantic(env, a.pos, "'set' must come before push, pop or decap (fields are set where the parser found them)");
    }
    if (act.t === 'limit' && out.some((x) => MODIFIES.has(x.t))) semantic(env, a.pos, "'limit' must come before actions that change the packet");
    out.push(act);
  }
  if (!terminal && isDefault) {
    semantic(env, actions[actions.length - 1]!.pos, 'the default rule must end with drop, pass, tx or redirect');
  }
  if (!terminal) {
    const m = out.find((x) => MODIFIES.has(x.t));
    if (m) semantic(env, actions[out.indexOf(m)]!.pos, 'a rule that changes the packet must end with drop, pass, tx or redirect');
  }
  return terminal ? { actions: out, terminal } : { actions: out };
}

function one(ctx: Ctx, a: Action): Act {
  const { env } = ctx;
  switch (a.t) {
    case 'drop': case 'pass': case 'tx': return { t: a.t };
    case 'redirect': return { t: 'redirect', port: intArg(env, a.port, 'port (ifindex)', 1, 0x7fffffff) };
    case 'count':
      if (!ctx.counters.has(a.name)) semantic(env, a.pos, `unknown counter '${a.name}'`, [ctx.counters.size ? `counters: ${[...ctx.counters.keys()].join(', ')}` : 'declare it with: counter NAME']);
      return { t: 'count', counter: a.name };
    case 'limit':
      if (!ctx.limiters.has(a.name)) semantic(env, a.pos, `unknown limiter '${a.name}'`, [ctx.limiters.size ? `limiters: ${[...ctx.limiters.keys()].join(', ')}` : 'declare it with: limiter NAME rate N pps burst N']);
      return { t: 'limit', limiter: a.name };
    case 'set': {
      const f = fieldInfo(a.field.path);
      if (!f?.settable) semantic(env, a.field.pos, `${a.field.path.replace(/\./g, ' ')} cannot be set`);
      const [lo, hi] = scalarRange(env, f, a.value);
      if (lo !== hi) semantic(env, a.value.pos, `set ${f.text} wants one value, not a prefix or range`);
      return { t: 'set', field: f.path, value: lo };
    }
    case 'push':
      if (a.what === 'vlan') return { t: 'push-vlan', id: intArg(env, a.id, 'VLAN id', 0, 4095) };
      return {
        t: 'push-mpls', label: intArg(env, a.label, 'MPLS label', 0, 0xfffff),
        tc: a.tc ? intArg(env, a.tc, 'MPLS tc', 0, 7) : 0, ttl: a.ttl ? intArg(env, a.ttl, 'MPLS ttl', 0, 255) : 64,
      };
    case 'pop': return { t: a.what === 'vlan' ? 'pop-vlan' : 'pop-mpls' };
    case 'decap': return { t: a.what === 'vxlan' ? 'decap-vxlan' : 'decap-gre' };
  }
}
