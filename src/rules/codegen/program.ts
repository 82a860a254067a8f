// A rule set to one XDP program: the parser, then each rule as "match -> actions", then the
// default rule. Maps come in a fixed order: sets, counters, limiters (lddw imm = map index).
import { MAP_FLAG, MAP_TYPE, type MapSpec } from '../../elf/index.js';
import type { Insn } from '../../isa/index.js';
import type { Rule, Ruleset } from '../ir.js';
import { fieldInfo } from '../fields.js';
import { Emitter } from './emit.js';
import { emitParse } from './parse.js';
import { emitCond, type MatchCtx } from './match.js';
import { emitCount, emitLimit, emitTerminal, keyBytes } from './actions.js';
import { emitEdit } from './edit.js';

export interface ProgramCode {
  insns: Insn[];
  /** Comments by instruction index (where each rule starts). */
  notes: Map<number, string>;
  maps: MapSpec[];
}

export function mapSpecs(rs: Ruleset): MapSpec[] {
  const out: MapSpec[] = [];
  for (const s of rs.sets) {
    out.push(s.prefix
      ? { name: s.name, type: MAP_TYPE.LPM_TRIE, keySize: 4 + s.bytes, valueSize: 1, maxEntries: s.max, flags: MAP_FLAG.NO_PREALLOC }
      : { name: s.name, type: MAP_TYPE.HASH, keySize: s.bytes, valueSize: 1, maxEntries: s.max, flags: 0 });
  }
  for (const c of rs.counters) {
    out.push({ name: c.name, type: c.shared ? MAP_TYPE.ARRAY : MAP_TYPE.PERCPU_ARRAY, keySize: 4, valueSize: 16, maxEntries: 1, flags: 0 });
  }
  for (const l of rs.limiters) {
    if (l.per) {
      const f = fieldInfo(l.per)!;
      out.push({ name: l.name, type: MAP_TYPE.LRU_HASH, keySize: keyBytes(f.kind, f.bits), valueSize: 8, maxEntries: l.max, flags: 0 });
    } else {
      out.push({ name: l.name, type: MAP_TYPE.ARRAY, keySize: 4, valueSize: 8, maxEntries: 1, flags: 0 });
    }
  }
  return out;
}

export function generate(rs: Ruleset): ProgramCode {
  const maps = mapSpecs(rs);
  const index = new Map(maps.map((m, i) => [m.name, i]));
  const ctx: MatchCtx = { sets: new Map(rs.sets.map((s) => [s.name, { decl: s, index: index.get(s.name)! }])) };
  const e = new Emitter();
  emitParse(e);
  for (const rule of [...rs.rules, rs.fallback]) emitRule(e, rs, rule, ctx, index);
  const { insns, notes } = e.finish();
  return { insns, notes, maps };
}

function emitRule(e: Emitter, rs: Ruleset, rule: Rule, ctx: MatchCtx, index: Map<string, number>): void {
  const next = e.label(), body = e.label(), over = e.label();
  e.note(`rule ${rule.name}`);
  emitCond(e, rule.cond, body, next, ctx);
  e.bind(body);
  let limited = false;
  for (const a of rule.actions) {
    switch (a.t) {
      case 'count': emitCount(e, rs.counters.find((c) => c.name === a.counter)!, index.get(a.counter)!); break;
      case 'limit': emitLimit(e, rs.limiters.find((l) => l.name === a.limiter)!, index.get(a.limiter)!, over); limited = true; break;
      case 'drop': case 'pass': case 'tx': case 'redirect': emitTerminal(e, a); break;
      default: emitEdit(e, a);
    }
  }
  if (!rule.terminal) e.jmp(next);
  if (limited) { e.bind(over); e.ret(1); }
  e.bind(next);
}
