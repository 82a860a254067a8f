// Semantic checks: names resolve, values fit their fields, actions make sense, and the result
// is a Ruleset. Declarations are collected first, so a rule may use a set declared below it.
import type { Expr, FieldRef, Stmt, Value } from './ast.js';
import type { Act, Cond, CounterDecl, LimiterDecl, Rule, Ruleset, SetDecl } from './ir.js';
import { BOOL_FIELDS, fieldInfo, PROTO_WORDS, SET_ELEMS, type FieldInfo } from './fields.js';
import { deref, flagMask, intArg, semantic, valueRanges, type Env } from './check-values.js';
import { checkActions } from './check-actions.js';
import { analyse } from './check-rules.js';

/** Kernel map names are at most 15 characters (BPF_OBJ_NAME_LEN - 1). */
const MAX_MAP_NAME = 15;

export function check(stmts: Stmt[], sources: Map<string, string>): Ruleset {
  const env: Env = { consts: new Map(), sources };
  const sets = new Map<string, SetDecl>();
  const counters = new Map<string, CounterDecl>();
  const limiters = new Map<string, LimiterDecl>();
  const taken = new Map<string, string>(); // name -> what it is
  const claim = (name: string, what: string, pos: Stmt['pos']): void => {
    const prev = taken.get(name);
    if (prev) semantic(env, pos, `'${name}' is already defined as a ${prev}`);
    taken.set(name, what);
  };
  const mapName = (name: string, what: string, pos: Stmt['pos']): void => {
    claim(name, what, pos);
    if (name.length > MAX_MAP_NAME) semantic(env, pos, `${what} name '${name}' is longer than ${MAX_MAP_NAME} characters (the kernel's limit for map names)`);
  };

  for (const s of stmts) if (s.t === 'const') { claim(s.name, 'constant', s.pos); env.consts.set(s.name, s.value); }
  for (const s of stmts) {
    if (s.t === 'set') { mapName(s.name, 'set', s.pos); sets.set(s.name, setDecl(env, s)); }
    if (s.t === 'counter') { mapName(s.name, 'counter', s.pos); counters.set(s.name, { name: s.name, shared: s.shared, pos: s.pos }); }
    if (s.t === 'limiter') { mapName(s.name, 'limiter', s.pos); limiters.set(s.name, limiterDecl(env, s)); }
  }

  const rules: Rule[] = [];
  const ruleNames = new Set<string>();
  let fallback: Rule | undefined;
  const ctx = { env, sets, counters, limiters };
  for (const s of stmts) {
    if (s.t === 'rule') {
      if (ruleNames.has(s.name)) semantic(env, s.namePos, `rule '${s.name}' is defined twice`);
      ruleNames.add(s.name);
      const cond = toCond(ctx, s.match);
      rules.push({ name: s.name, cond, pos: s.pos, ...checkActions(ctx, s.actions, cond, false) });
    } else if (s.t === 'default') {
      if (fallback) semantic(env, s.pos, `a second 'default'; the first is at line ${lineOf(env, fallback.pos)}`);
      fallback = { name: 'default', cond: { t: 'true' }, pos: s.pos, ...checkActions(ctx, s.actions, { t: 'true' }, true) };
    }
  }
  fallback ??= { name: 'default', cond: { t: 'true' }, actions: [{ t: 'pass' }], terminal: { t: 'pass' }, pos: { file: '<default>', offset: 0, length: 1 } };
  const rs: Ruleset = { sets: [...sets.values()], counters: [...counters.values()], limiters: [...limiters.values()], rules, fallback, sources };
  analyse(env, rs);
  return rs;
}

function lineOf(env: Env, pos: Stmt['pos']): number {
  const text = env.sources.get(pos.file) ?? '';
  return text.slice(0, pos.offset).split('\n').length;
}

export interface Ctx { env: Env; sets: Map<string, SetDecl>; counters: Map<string, CounterDecl>; limiters: Map<string, LimiterDecl> }

function setDecl(env: Env, s: Extract<Stmt, { t: 'set' }>): SetDecl {
  const elem = SET_ELEMS[s.elem];
  if (!elem) semantic(env, s.elemPos, `unknown set element type '${s.elem}'; expected one of ${Object.keys(SET_ELEMS).join(', ')}`);
  if (s.prefix && elem.kind !== 'ip4' && elem.kind !== 'ip6') semantic(env, s.elemPos, `only ipv4 and ipv6 sets can hold prefixes, not ${s.elem}`);
  const max = s.max ? intArg(env, s.max, 'set size', 1, 1 << 24) : 1024;
  const pseudo: FieldInfo = { path: s.elem, text: `set ${s.name}`, kind: elem.kind, bits: elem.bits, needs: 'eth' };
  const init = (s.init ?? []).flatMap((v) => {
    const ranges = valueRanges(env, pseudo, v);
    return ranges.map(([lo, hi]) => {
      const plen = prefixLen(lo, hi, elem.bits);
      if (plen === undefined || (!s.prefix && plen !== elem.bits)) {
        semantic(env, v.pos, s.prefix ? 'a prefix set holds prefixes, not arbitrary ranges' : `set ${s.name} holds single values; declare it 'prefix' for prefixes`);
      }
      return { value: lo, plen };
    });
  });
  if (init.length > max) semantic(env, s.pos, `set ${s.name} lists ${init.length} elements but holds at most ${max}`);
  return { name: s.name, elem: s.elem, prefix: s.prefix, bits: elem.bits, bytes: elem.bytes, max, init, pos: s.pos };
}

function prefixLen(lo: bigint, hi: bigint, bits: number): number | undefined {
  const size = hi - lo + 1n;
  if ((size & (size - 1n)) !== 0n || (lo & (size - 1n)) !== 0n) return undefined;
  return bits - (size.toString(2).length - 1);
}

function limiterDecl(env: Env, s: Extract<Stmt, { t: 'limiter' }>): LimiterDecl {
  const rate = intArg(env, s.rate, 'rate', 1, 1_000_000_000);
  const burst = intArg(env, s.burst, 'burst', 1, 1_000_000);
  const intervalNs = BigInt(Math.ceil(1e9 / rate));
  let per: string | undefined;
  if (s.per) {
    const f = field(env, s.per);
    per = f.path;
  }
  const max = s.max ? intArg(env, s.max, 'limiter size', 1, 1 << 24) : 4096;
  return { name: s.name, rate, burst, intervalNs, tauNs: intervalNs * BigInt(burst - 1), per, max, pos: s.pos };
}

function field(env: Env, f: FieldRef): FieldInfo {
  const info = fieldInfo(f.path);
  if (!info) semantic(env, f.pos, `unknown field '${f.path.replace(/\./g, ' ')}'`);
  return info;
}

/** A field test is only true when its header is there: `tcp dport 80` means tcp and dport == 80. */
const guarded = (f: FieldInfo, c: Cond): Cond => ({ t: 'and', list: [{ t: 'has', proto: f.needs }, c] });
const anyOf = (f: FieldInfo, ranges: [bigint, bigint][]): Cond =>
  ranges.length === 1 ? { t: 'range', field: f.path, lo: ranges[0]![0], hi: ranges[0]![1] }
    : { t: 'or', list: ranges.map(([lo, hi]) => ({ t: 'range', field: f.path, lo, hi })) };

export function toCond(ctx: Ctx, e: Expr): Cond {
  const { env } = ctx;
  switch (e.t) {
    case 'any': return { t: 'true' };
    case 'and': case 'or': return { t: e.t, list: [toCond(ctx, e.a), toCond(ctx, e.b)] };
    case 'not': return { t: 'not', c: toCond(ctx, e.e) };
    case 'proto': return { t: 'has', proto: PROTO_WORDS[e.name]! };
    case 'bool': {
      const p = BOOL_FIELDS[e.field.path];
      if (!p) semantic(env, e.pos, `'${e.field.path.replace(/\./g, ' ')}' is not a yes/no test`);
      return { t: 'has', proto: p };
    }
    case 'cmp': {
      const f = field(env, e.field);
      const max = (1n << BigInt(f.bits)) - 1n;
      if (f.flags && (e.op === 'is' || e.op === '==' || e.op === '!=')) {
        const m = flagMask(env, f, e.value);
        if (e.op === 'is') return guarded(f, { t: 'mask', field: f.path, mask: m, value: m });
        const exact: Cond = { t: 'range', field: f.path, lo: m, hi: m };
        return guarded(f, e.op === '==' ? exact : { t: 'not', c: exact });
      }
      if (e.op === 'is' || e.op === '==') return guarded(f, anyOf(f, valueRanges(env, f, e.value)));
      if (e.op === '!=') return guarded(f, { t: 'not', c: anyOf(f, valueRanges(env, f, e.value)) });
      const v = deref(env, e.value);
      if (f.kind !== 'int' || (v.t !== 'num' && v.t !== 'name')) semantic(env, e.value.pos, `'${e.op}' compares numbers; ${f.text} ${f.kind === 'int' ? 'needs a single number here' : 'is an address'}`);
      const [n] = valueRanges(env, f, e.value)[0]!;
      const r: Record<string, [bigint, bigint]> = { '<': [0n, n - 1n], '<=': [0n, n], '>': [n + 1n, max], '>=': [n, max] };
      const [lo, hi] = r[e.op]!;
      return guarded(f, lo > hi ? { t: 'false' } : { t: 'range', field: f.path, lo, hi });
    }
    case 'in': {
      const f = field(env, e.field);
      let c: Cond;
      if ('name' in e.set && !('t' in e.set)) {
        const s = ctx.sets.get(e.set.name);
        if (!s) {
          semantic(env, e.set.pos, `unknown set '${e.set.name}'`, ctx.sets.size ? [`sets: ${[...ctx.sets.keys()].join(', ')}`] : ['declare it with: set NAME : TYPE']);
        }
        const elem = SET_ELEMS[s.elem]!;
        const fieldBytes = f.kind === 'int' ? (f.bits <= 8 ? 1 : f.bits <= 16 ? 2 : 4) : Math.ceil(f.bits / 8);
        if (elem.kind !== f.kind || elem.bytes !== fieldBytes || elem.bits < f.bits) {
          semantic(env, e.set.pos, `set ${s.name} holds ${s.elem} values, which do not fit ${f.text}`);
        }
        c = { t: 'inset', field: f.path, set: s.name };
      } else {
        c = anyOf(f, valueRanges(env, f, e.set as Value));
      }
      return guarded(f, e.negated ? { t: 'not', c } : c);
    }
  }
}

