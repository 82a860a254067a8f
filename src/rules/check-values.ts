// Values against fields: a literal, constant or named value becomes integer ranges of the
// field's width, with a diagnostic at the value when its type or range is wrong.
import { fail, locate } from '../diag/index.js';
import type { Pos, Value } from './ast.js';
import { parseIp4, parseIp6, parseMac, prefixRange } from './addr.js';
import type { FieldInfo, FieldKind } from './fields.js';

/** What a check needs from its surroundings: constants and the file texts. */
export interface Env {
  consts: Map<string, Value>;
  sources: Map<string, string>;
}

export function where(env: Env, pos: Pos): ReturnType<typeof locate> {
  return locate(pos.file, env.sources.get(pos.file) ?? '', pos.offset, pos.length);
}

export function semantic(env: Env, pos: Pos, message: string, notes?: string[]): never {
  return fail('semantic', message, { where: where(env, pos), ...(notes ? { notes } : {}) });
}

const KIND_WORDS: Record<FieldKind, string> = {
  int: 'a number', ip4: 'an IPv4 address or prefix', ip6: 'an IPv6 address or prefix', mac: 'a MAC address',
};
const VALUE_WORDS: Record<Value['t'], string> = {
  num: 'a number', ip4: 'an IPv4 address', ip6: 'an IPv6 address', mac: 'a MAC address', name: 'a name',
  range: 'a range', flags: 'a flag list', list: 'a list',
};

/** Follow constant names to the value they stand for (constants may name constants). */
export function deref(env: Env, v: Value, seen = new Set<string>()): Value {
  if (v.t !== 'name' || !env.consts.has(v.name)) return v;
  if (seen.has(v.name)) semantic(env, v.pos, `constant '${v.name}' refers to itself`);
  seen.add(v.name);
  return deref(env, env.consts.get(v.name)!, seen);
}

export type Interval = [bigint, bigint];

/** One scalar value (number, address, prefix, named value) as a range of the field. */
export function scalarRange(env: Env, f: Pick<FieldInfo, 'kind' | 'bits' | 'names' | 'text'>, raw: Value): Interval {
  const v = deref(env, raw);
  const max = (1n << BigInt(f.bits)) - 1n;
  const wrong = (): never => semantic(env, raw.pos, `${f.text} wants ${KIND_WORDS[f.kind]}, not ${VALUE_WORDS[v.t]}${v.t === 'name' ? ` ('${v.name}')` : ''}`);
  switch (v.t) {
    case 'num': {
      if (f.kind !== 'int') wrong();
      if (v.v > max) {
        semantic(env, raw.pos, `${v.v} is out of range for ${f.text} (0 to ${max})`);
      }
      return [v.v, v.v];
    }
    case 'name': {
      const n = f.names?.[v.name];
      if (n === undefined) {
        const known = Object.keys(f.names ?? {});
        semantic(env, raw.pos, `unknown name '${v.name}'; expected ${KIND_WORDS[f.kind]} or a constant`,
          known.length ? [`named values of ${f.text}: ${known.join(', ')}`] : undefined);
      }
      return [BigInt(n), BigInt(n)];
    }
    case 'ip4': case 'ip6': {
      if (f.kind !== v.t) wrong();
      const [text, plenText] = v.text.split('/');
      const addr = v.t === 'ip4' ? parseIp4(text!) : parseIp6(text!);
      if (addr === undefined) semantic(env, raw.pos, `'${text}' is not a valid ${v.t === 'ip4' ? 'IPv4' : 'IPv6'} address`);
      const plen = plenText === undefined ? f.bits : Number(plenText);
      if (!Number.isInteger(plen) || plen > f.bits) semantic(env, raw.pos, `prefix length /${plenText} is out of range (0 to ${f.bits})`);
      return prefixRange(addr, plen, f.bits);
    }
    case 'mac': {
      if (f.kind !== 'mac') wrong();
      const m = parseMac(v.text)!;
      return [m, m];
    }
    default:
      return wrong();
  }
}

/** A value that may be a range, list or scalar: the union of ranges it stands for. */
export function valueRanges(env: Env, f: FieldInfo, raw: Value): Interval[] {
  const v = deref(env, raw);
  if (v.t === 'range') {
    if (f.kind !== 'int' && f.kind !== 'ip4') semantic(env, raw.pos, `${f.text} does not take ranges`);
    const [lo] = scalarRange(env, f, v.lo);
    const [, hi] = scalarRange(env, f, v.hi);
    if (lo > hi) semantic(env, raw.pos, `range ${lo}-${hi} is empty (the low end is above the high end)`);
    return [[lo, hi]];
  }
  if (v.t === 'list') return v.items.flatMap((i) => valueRanges(env, f, i));
  if (v.t === 'flags') semantic(env, raw.pos, `${f.text} does not take a flag list`);
  return [scalarRange(env, f, v)];
}

/** A flag list (`syn|ack`, `syn`, a number) as a bit mask. */
export function flagMask(env: Env, f: FieldInfo, raw: Value): bigint {
  const v = deref(env, raw);
  if (v.t === 'flags') return v.names.reduce((m, n) => m | scalarRange(env, f, n)[0], 0n);
  return scalarRange(env, f, v)[0];
}

/** A small integer argument (`redirect port 3`, `push vlan 10`) in [min, max]. */
export function intArg(env: Env, raw: Value, what: string, min: number, max: number): number {
  const v = deref(env, raw);
  if (v.t !== 'num') semantic(env, raw.pos, `${what} wants a number, not ${VALUE_WORDS[v.t]}`);
  if (v.v < BigInt(min) || v.v > BigInt(max)) semantic(env, raw.pos, `${what} ${v.v} is out of range (${min} to ${max})`);
  return Number(v.v);
}
