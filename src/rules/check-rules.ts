// Whole-rule-set checks: a rule that can never match, a rule an earlier rule already covers
// (unreachable), and two rules with the same match and different actions (a conflict).
import { locate } from '../diag/index.js';
import type { Ruleset } from './ir.js';
import { covers, toBoxes } from './boxes.js';
import { semantic, type Env } from './check-values.js';

export function analyse(env: Env, rs: Ruleset): void {
  const seen: { name: string; boxes: ReturnType<typeof toBoxes>; line: number; action: string }[] = [];
  for (const r of rs.rules) {
    const boxes = toBoxes(r.cond);
    if (boxes && boxes.length === 0) semantic(env, r.pos, `rule '${r.name}' can never match: its conditions contradict each other`);
    const action = JSON.stringify(r.actions, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    for (const prev of seen) {
      if (!covers(prev.boxes, boxes)) continue;
      const same = covers(boxes, prev.boxes);
      if (same && prev.action !== action) {
        semantic(env, r.pos, `rule '${r.name}' conflicts with rule '${prev.name}' (line ${prev.line}): same match, different actions; only '${prev.name}' would ever apply`);
      }
      semantic(env, r.pos, `rule '${r.name}' is unreachable: rule '${prev.name}' (line ${prev.line}) matches every packet it matches`,
        ['reorder the rules or narrow the earlier one']);
    }
    // Only a rule that ends processing hides the rules after it.
    if (r.terminal) seen.push({ name: r.name, boxes, line: locate(r.pos.file, env.sources.get(r.pos.file) ?? '', r.pos.offset).line, action });
  }
}
