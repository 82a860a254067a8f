// Basic blocks of a pre-decoded program, for the compiled tier.
// A block starts at slot 0, at every jump or call target, after every jump, call and exit,
// and at the sentinel slot `n`. Calls end their block so a helper that throws leaves the
// instruction count exact; instructions are counted once per block on entry.
import type { Insn } from '../../isa/index.js';
import type { Program } from '../program.js';

export interface Block {
  /** Slot of the first instruction. */
  start: number;
  insns: Insn[];
}

/** Does this instruction end its block (a jump, a call, an exit)? */
export function endsBlock(insn: Insn): boolean {
  const sh = insn.spec.shape;
  return sh === 'ja' || sh === 'ja32' || sh === 'jcond_imm' || sh === 'jcond_reg' || sh === 'exit'
    || sh === 'call' || sh === 'call_local' || sh === 'callx';
}

/** Jump or call target of an instruction, or -1. */
export function targetOf(insn: Insn): number {
  switch (insn.spec.shape) {
    case 'ja': case 'jcond_imm': case 'jcond_reg': return insn.slot + 1 + insn.off;
    case 'ja32': case 'call_local': return insn.slot + 1 + insn.imm;
    default: return -1;
  }
}

/** The blocks in slot order (the last may fall through to the sentinel slot `n`). */
export function basicBlocks(P: Program): Block[] {
  const leader = new Uint8Array(P.n + 1);
  leader[0] = 1;
  leader[P.n] = 1;
  for (const insn of P.insns) {
    const t = targetOf(insn);
    if (t >= 0) leader[t] = 1;
    if (endsBlock(insn)) leader[insn.slot + 1] = 1;
  }
  const blocks: Block[] = [];
  let cur: Block | null = null;
  for (const insn of P.insns) {
    if (leader[insn.slot] === 1 || cur === null) {
      cur = { start: insn.slot, insns: [] };
      blocks.push(cur);
    }
    cur.insns.push(insn);
  }
  return blocks;
}

/** Whether any instruction writes r10 (the verifier forbids it; the interpreter allows it). */
export function writesR10(P: Program): boolean {
  for (const insn of P.insns) {
    const sh = insn.spec.shape;
    const dstWrite = sh === 'alu_imm' || sh === 'alu_reg' || sh === 'neg' || sh === 'end' || sh === 'movsx'
      || sh === 'ldx' || sh === 'ldxs' || sh === 'lddw';
    if (dstWrite && insn.dst === 10) return true;
    if (sh === 'atomic' && (insn.imm & 1) === 1 && insn.src === 10) return true;
  }
  return false;
}

/** A state a forward dataflow carries per block entry: one slot per register (and more). */
type FlowState = Int32Array | Float64Array;

/**
 * A forward dataflow over the blocks from `start` at slot 0, to a fixed point: `step` moves a
 * state over one instruction, `join(cur, incoming, to, from)` merges a state arriving at block
 * `to` from slot `from` into its entry and says whether the entry changed, `callee` gives a
 * local call's entry state at its target. Returns nothing: `step` records what it needs.
 */
export function forwardFlow<S extends FlowState>(blocks: Block[], start: S, f: {
  step(insn: Insn, st: S): void;
  join(cur: S, incoming: S, to: number, from: number): boolean;
  callee?(st: S): S;
}): void {
  const index = new Map(blocks.map((b, i) => [b.start, i]));
  const entry: (S | null)[] = blocks.map(() => null);
  entry[0] = start;
  const work = [0];
  const merge = (to: number, st: S, from: number): void => {
    const i = index.get(to);
    if (i === undefined) return; // the sentinel slot
    const cur = entry[i];
    if (!cur) { entry[i] = st.slice() as S; work.push(i); return; }
    if (f.join(cur, st, to, from)) work.push(i);
  };
  while (work.length > 0) {
    const i = work.pop()!;
    const b = blocks[i]!;
    const st = entry[i]!.slice() as S;
    let falls = true;
    for (const insn of b.insns) {
      f.step(insn, st);
      const sh = insn.spec.shape, t = targetOf(insn);
      if (sh === 'call_local') { if (f.callee) merge(t, f.callee(st), insn.slot); continue; }
      if (t >= 0) merge(t, st, insn.slot);
      if (sh === 'ja' || sh === 'ja32' || sh === 'exit') falls = false;
    }
    const last = b.insns[b.insns.length - 1]!.slot;
    if (falls) merge(last + 1, st, last);
  }
}
