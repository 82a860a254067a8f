// Precision tracking (the kernel's mark_chain_precision and backtrack_insn). Scalars start
// imprecise: pruning ignores their values. When a decision depends on a scalar's value
// (a pointer offset, a helper's size, a branch the bounds decide, ...), the instructions
// that produced it are walked backwards through the path's history, and every checkpoint
// on the way learns which of its registers and spilled slots held that value: those are
// compared by value when the checkpoint is used to prune.
import type { Env } from './env.js';
import type { Reg } from './reg.js';
import { Slot, type Checkpoint, type Frame, type Hist, type State } from './state.js';

/** Helpers that call a callback (bpf_for_each_map_elem, bpf_loop): their call re-runs it. */
export const CALLBACK_HELPERS = new Set([164, 181]);

const ARGS = 0b111110;

/** Registers (per frame bit masks) and 8-byte stack slots still to be explained. */
class Bt {
  regs: number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  slots: Set<number>[] = Array.from({ length: 9 }, () => new Set<number>());
  constructor(public frame: number) {}
  empty(): boolean {
    for (let f = 0; f <= this.frame; f++) if (this.regs[f] || this.slots[f]!.size) return false;
    return true;
  }
  has(r: number): boolean { return (this.regs[this.frame]! & (1 << r)) !== 0; }
  set(r: number, fr = this.frame): void { this.regs[fr]! |= 1 << r; }
  clear(r: number, fr = this.frame): void { this.regs[fr]! &= ~(1 << r); }
}

export interface PrecisionCtx {
  readonly env: Env;
  /** First slots of global functions (verified on their own; a call to one sets only r0). */
  readonly globals: ReadonlySet<number>;
  /** The kernel-style log, when kept: one line per stretch of history walked. */
  readonly log?: string[];
}

/** Linked scalars at a branch: if one of them is wanted, all of them are. */
function syncLinked(bt: Bt, h: Hist | undefined): void {
  if (!h?.linked) return;
  let any = false;
  for (const e of h.linked) {
    const fr = e >> 7, x = e & 127;
    if (x < 64 ? (bt.regs[fr]! & (1 << x)) : bt.slots[fr]!.has(x - 64)) { any = true; break; }
  }
  if (!any) return;
  for (const e of h.linked) {
    const fr = e >> 7, x = e & 127;
    if (x < 64) bt.regs[fr]! |= 1 << x; else bt.slots[fr]!.add(x - 64);
  }
}

/** Undo one instruction: which registers and slots explain what is wanted after it. false: give up. */
function backtrackInsn(ctx: PrecisionCtx, i: number, subseq: number, h: Hist | undefined, bt: Bt): boolean {
  const insn = ctx.env.bySlot[i];
  if (!insn) return true;
  syncLinked(bt, h);
  const { dst, src } = insn;
  const sh = insn.spec.shape;
  switch (sh) {
    case 'alu_imm': case 'alu_reg': case 'neg': case 'end': case 'movsx':
      if (!bt.has(dst)) return true;
      if (sh === 'neg' || sh === 'end') return true;
      if (insn.spec.op === 'mov' || sh === 'movsx') {
        bt.clear(dst);
        if (sh !== 'alu_imm' && src !== 10) bt.set(src);
      } else if (sh === 'alu_reg' && src !== 10) bt.set(src);
      break;
    case 'ldx': case 'ldxs':
      if (!bt.has(dst)) return true;
      bt.clear(dst);
      if (!h || h.stack < 0) return true;
      bt.slots[h.stack >> 6]!.add(h.stack & 63);
      break;
    case 'st': case 'stx': case 'atomic': {
      if (bt.has(dst)) return false;
      if (!h || h.stack < 0) return true;
      const fr = h.stack >> 6, k = h.stack & 63;
      if (!bt.slots[fr]!.has(k)) return true;
      bt.slots[fr]!.delete(k);
      if (sh !== 'st') bt.set(src);
      break;
    }
    case 'call_local': {
      const target = i + 1 + insn.imm;
      if (ctx.globals.has(target)) {
        if (bt.regs[bt.frame]! & ARGS) return false;
        bt.clear(0);
        return true;
      }
      // Going back into the caller: only arguments can still be wanted.
      if ((bt.regs[bt.frame]! & ~ARGS) || bt.slots[bt.frame]!.size) return false;
      for (let r = 1; r <= 5; r++) if (bt.has(r)) { bt.clear(r); bt.set(r, bt.frame - 1); }
      if (bt.frame === 0) return false;
      bt.frame--;
      return true;
    }
    case 'call':
      if (CALLBACK_HELPERS.has(insn.imm) && i !== subseq - 1) {
        // From the callback's first instruction back to the helper call in the caller.
        if ((bt.regs[bt.frame]! & ~ARGS) || bt.slots[bt.frame]!.size) return false;
        bt.regs[bt.frame] = 0;
        if (bt.frame === 0) return false;
        bt.frame--;
        return true;
      }
      bt.clear(0);
      if (bt.regs[bt.frame]! & ARGS) return false;
      break;
    case 'call_kfunc':
      bt.clear(0);
      if (bt.regs[bt.frame]! & ARGS) return false;
      break;
    case 'exit': {
      const back = subseq >= 0 ? ctx.env.bySlot[subseq] : undefined;
      if (back?.spec.shape === 'call' && CALLBACK_HELPERS.has(back.imm)) for (let r = 1; r <= 5; r++) bt.clear(r);
      if (bt.regs[bt.frame]! & ARGS) return false;
      const before = subseq - 1 >= 0 ? ctx.env.bySlot[subseq - 1] : undefined;
      const r0 = before?.spec.shape === 'call_local' && bt.has(0);
      bt.clear(0);
      if (bt.frame >= 8) return false;
      bt.frame++;
      bt.regs[bt.frame] = 0;
      bt.slots[bt.frame]!.clear();
      if (r0) bt.set(0);
      return true;
    }
    case 'jcond_reg':
      if (!bt.has(dst) && !bt.has(src)) return true;
      bt.set(src); bt.set(dst);
      break;
    case 'lddw':
      if (!bt.has(dst)) return true;
      bt.clear(dst);
      break;
    case 'ldabs': case 'ldind':
      if (bt.has(dst)) return false;
      break;
    default:
      break;
  }
  syncLinked(bt, h);
  return true;
}

const isScalar = (r: Reg | undefined): boolean => r?.type === 'scalar';
const precise = (r: Reg): Reg => (r.precise ? r : { ...r, precise: true });
/** A register spill (not a plain data write) in slot k: the kernel's is_spilled_reg. */
const spilled = (fr: Frame, k: number): boolean => fr.bytes[k * 8] === Slot.SPILL && fr.spills[k] !== undefined;

/** Give up on backtracking: every scalar in every checkpoint of the path becomes precise. */
function markAll(cur: State): void {
  for (let ck = cur.parent; ck; ck = ck.parent) {
    for (const fr of ck.state.frames) {
      for (let r = 0; r < 10; r++) if (isScalar(fr.regs[r]) && !fr.regs[r]!.precise) fr.regs[r] = precise(fr.regs[r]!);
      for (let k = 0; k < fr.spills.length; k++) {
        const sp = fr.spills[k];
        if (sp && spilled(fr, k) && isScalar(sp.reg) && !sp.reg.precise) fr.spills[k] = { reg: precise(sp.reg), size: sp.size };
      }
    }
  }
}

/**
 * Mark the values of registers `regs` and stack slots `slots` (frame, slot) of `cur` (at
 * its pc, before the instruction there runs) precise in every checkpoint that feeds them.
 */
export function markPrecise(ctx: PrecisionCtx, cur: State, regs: readonly number[], slots: readonly [number, number][] = [], frames?: readonly number[]): void {
  const top = cur.frames.length - 1;
  const bt = new Bt(top);
  regs.forEach((r, n) => bt.set(r, frames?.[n] ?? top));
  for (const [fr, k] of slots) bt.slots[fr]!.add(k);
  if (bt.empty()) return;
  let st: State = cur;
  let last = cur.pc, first = cur.first, subseq = -1, skipFirst = true;
  let hist = cur.hist;
  for (;;) {
    ctx.log?.push(`mark_precise: frame${bt.frame}: last_idx ${last} first_idx ${first} subseq_idx ${subseq}`);
    if (last < 0) {
      // The entry of a global function: its scalar arguments are precise from the start.
      const fr = st.frames[0]!;
      if (st.frames.length === 1 && fr.subprog > 0 && bt.slots[0]!.size === 0 && (bt.regs[0]! & ~ARGS) === 0) {
        for (let r = 1; r <= 5; r++) if (bt.regs[0]! & (1 << r) && isScalar(fr.regs[r])) fr.regs[r] = precise(fr.regs[r]!);
        return;
      }
      markAll(cur);
      return;
    }
    for (let i = last; ;) {
      if (skipFirst) skipFirst = false;
      else if (!backtrackInsn(ctx, i, subseq, hist && hist.idx === i ? hist : undefined, bt)) { markAll(cur); return; }
      if (bt.empty()) return;
      subseq = i;
      if (i === first && (!hist || (!hist.up && hist.idx === i))) break;
      if (hist && hist.idx === i) { i = hist.prev; hist = hist.up; } else i--;
      if (i < 0) break;
    }
    const ck: Checkpoint | undefined = st.parent;
    if (!ck) break;
    st = ck.state;
    for (let f = bt.frame; f >= 0; f--) {
      const fr = st.frames[f];
      if (!fr) { markAll(cur); return; }
      for (let r = 0; r < 10; r++) {
        if (!(bt.regs[f]! & (1 << r))) continue;
        const x = fr.regs[r]!;
        if (x.type !== 'scalar' || x.precise) bt.clear(r, f);
        else fr.regs[r] = precise(x);
      }
      for (const k of [...bt.slots[f]!]) {
        const sp = fr.spills[k];
        if (!sp || !spilled(fr, k) || sp.reg.type !== 'scalar' || sp.reg.precise) bt.slots[f]!.delete(k);
        else fr.spills[k] = { reg: precise(sp.reg), size: sp.size };
      }
    }
    if (bt.empty()) return;
    subseq = first;
    last = st.last;
    first = st.first;
    hist = st.hist;
  }
  if (!bt.empty()) markAll(cur);
}

/** The precise scalars of a checkpoint, to be made precise in a state it pruned (propagate_precision). */
export function propagatePrecision(ctx: PrecisionCtx, old: State, cur: State, live: (frame: number) => number, dead?: readonly Uint8Array[]): void {
  const regs: number[] = [], frames: number[] = [];
  const slots: [number, number][] = [];
  old.frames.forEach((fr, f) => {
    const mask = live(f);
    for (let r = 0; r < 10; r++) if (mask & (1 << r) && fr.regs[r]!.type === 'scalar' && fr.regs[r]!.precise) { regs.push(r); frames.push(f); }
    fr.spills.forEach((sp, k) => { if (sp && !dead?.[f]?.[k] && spilled(fr, k) && sp.reg.type === 'scalar' && sp.reg.precise) slots.push([f, k]); });
  });
  if (regs.length || slots.length) markPrecise(ctx, cur, regs, slots, frames);
}
