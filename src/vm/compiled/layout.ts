// Structured control flow for the compiled tier: when the program's loops are natural loops
// laid out contiguously in slot order (what clang emits for bounded loops), the blocks become
// straight JavaScript with labelled `for (;;)` loops and labelled blocks, so V8 sees ordinary
// loops instead of a `switch` dispatch:
//   - a backward jump goes to a loop header h; the loop spans [h, e], e the last back edge;
//     the jump is `continue Lh;`;
//   - a forward jump to slot t is `break bt;`, where block `bt: {` opens at the start of the
//     innermost loop that contains t (or of the function) and closes just before t.
// Loops must nest, and no jump may enter a loop other than at its header; otherwise (and for
// programs with BPF-to-BPF calls) the caller falls back to the switch layout.
import type { Program } from '../program.js';
import { targetOf, type Block } from './blocks.js';

export interface Layout {
  /** Loop header slot -> last slot of the loop. */
  loops: Map<number, number>;
  /** Forward targets that need a label, by scope (a loop header, or -1 for the function), highest first. */
  labels: Map<number, number[]>;
}

export function structure(P: Program, blocks: Block[]): Layout | null {
  const loops = new Map<number, number>();
  for (const insn of P.insns) {
    if (insn.spec.shape === 'call_local' || insn.spec.shape === 'callx') return null;
    const t = targetOf(insn);
    if (t >= 0 && t <= insn.slot) loops.set(t, Math.max(loops.get(t) ?? -1, insn.slot));
  }
  // Loops must nest: sorted by header, each one ends inside every loop it starts in.
  const order = [...loops.entries()].sort((a, b) => a[0] - b[0]);
  const open: [number, number][] = [];
  for (const [h, e] of order) {
    while (open.length > 0 && open[open.length - 1]![1] < h) open.pop();
    if (open.length > 0 && e > open[open.length - 1]![1]) return null;
    open.push([h, e]);
  }
  /** The innermost loop strictly containing slot x (header < x <= end), or -1. */
  const scopeOf = (x: number): number => {
    let best = -1;
    for (const [h, e] of order) if (h < x && x <= e && h > best) best = h;
    return best;
  };
  const inside = (scope: number, x: number): boolean => scope < 0 || (scope <= x && x <= loops.get(scope)!);
  const labels = new Map<number, Set<number>>();
  for (const insn of P.insns) {
    const t = targetOf(insn);
    if (t <= insn.slot + 1) continue; // backward (a loop), fall-through, or no jump
    const scope = scopeOf(t);
    if (!inside(scope, insn.slot)) return null; // a jump into the middle of a loop
    if (!labels.has(scope)) labels.set(scope, new Set());
    labels.get(scope)!.add(t);
  }
  if (blocks.length === 0) return null;
  return { loops, labels: new Map([...labels].map(([k, v]) => [k, [...v].sort((a, b) => b - a)])) };
}

/**
 * How many copies of an innermost loop's body the layout writes per budget check: a short
 * loop runs several trips between two checks (the check and its exit path cost as much as
 * the rest of a ten-instruction trip). Longer loops and loops with inner loops get one.
 */
export function unrollFactor(L: Layout, header: number): number {
  const end = L.loops.get(header)!;
  for (const h of L.loops.keys()) if (h > header && h <= end) return 1;
  const len = end - header + 1;
  return len <= 16 ? 8 : len <= 32 ? 4 : len <= 64 ? 2 : 1;
}

/** Most instructions that run between two budget checks (or from entry to the first). */
export function checkGap(P: Program, L: Layout): number {
  let gap = 0;
  for (const [h, e] of L.loops) gap = Math.max(gap, unrollFactor(L, h) * (e - h + 1));
  return gap + P.insns.length + 1;
}

/**
 * The body for a layout: `emitBlock(b)` gives a block's code, `head(h)` the code at the top of
 * loop h (the budget check). Throws if the nesting is not what structure() promised.
 * Innermost short loops are unrolled (unrollFactor): copies 1..k-1 of the body sit in blocks
 * `U<h>_<c>`: a back edge of a copy leaves its block into the next copy, and falling out of a
 * copy's body leaves the loop, as it does from the last copy.
 */
export function structuredBody(P: Program, blocks: Block[], L: Layout, emitBlock: (b: Block) => string, head: (h: number) => string): string {
  const out: string[] = [];
  const stack: { kind: 'loop' | 'label'; at: number; body?: number }[] = [];
  const openLabels = (scope: number): void => {
    for (const t of L.labels.get(scope) ?? []) { out.push(`b${t}: {`); stack.push({ kind: 'label', at: t }); }
  };
  const closeLoops = (x: number): void => {
    for (let top = stack[stack.length - 1]; top?.kind === 'loop' && L.loops.get(top.at)! < x; top = stack[stack.length - 1]) {
      const h = top.at, k = unrollFactor(L, h);
      if (k > 1) {
        const body = out.splice(top.body!).join('\n');
        for (let c = 1; c < k; c++) out.push(`U${h}_${c}: {\n${body.split(`continue L${h};`).join(`break U${h}_${c};`)}\nbreak L${h}; } // U${h}_${c}`);
        out.push(body);
      }
      out.push(`break L${h}; } // L${h}`);
      stack.pop();
    }
  };
  openLabels(-1);
  for (const b of blocks) {
    const x = b.start;
    closeLoops(x);
    const top = stack[stack.length - 1];
    if (top?.kind === 'label' && top.at === x) { out.push(`} // b${x}`); stack.pop(); }
    if (stack.some((s) => s.kind === 'label' && s.at <= x)) throw new Error(`compiled: label b${x} is not innermost`);
    if (L.loops.has(x)) {
      out.push(`L${x}: for (;;) { ${head(x)}`);
      stack.push({ kind: 'loop', at: x, body: out.length });
      openLabels(x);
    }
    out.push(emitBlock(b));
  }
  closeLoops(P.n);
  if (stack.length > 0) throw new Error('compiled: unclosed structure');
  return out.join('\n');
}
