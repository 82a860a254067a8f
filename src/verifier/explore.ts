// The analysis pass: explore paths depth-first from the entry like the kernel's do_check,
// one instruction at a time, splitting at undecided branches, and pruning a path where a
// fully explored state at the same slot covers it. Counts processed instructions as the
// kernel does and stops at the same 1,000,000 limit.
import { formatInsn, jumpTarget, type Insn } from '../isa/index.js';
import { aluInsn, readReg } from './alu.js';
import { helperCall } from './call.js';
import type { Cfg } from './cfg.js';
import type { Env } from './env.js';
import { condJump } from './jmp.js';
import { kfuncCall } from './kfunc.js';
import { formatRegs, formatState } from './log.js';
import { atomicInsn, loadInsn, storeInsn } from './mem-insn.js';
import { noteFacts, type Facts } from './facts.js';
import { statesEqual } from './prune.js';
import { reject } from './reject.js';
import { constReg, isPointer, NOT_INIT, ptrReg, unknownScalar } from './reg.js';
import { cloneState, MAX_CALL_FRAMES, newFrame, top, type Checkpoint, type State } from './state.js';

type Ck = Checkpoint & { hit: number; miss: number; pc: number };

/**
 * A cheap key that equal states share (ids and most of the bounds left out: statesEqual
 * decides; the key only has to keep different states apart often enough to be fast).
 */
function fingerprint(st: State, liveTop: number): string {
  let h = 0x811c9dc5 ^ st.frames.length ^ (st.refs.length << 4);
  const fr = top(st);
  for (let r = 0; r <= 9; r++) {
    if (!(liveTop & (1 << r))) continue;
    const x = fr.regs[r]!;
    h = Math.imul(h ^ x.type.length ^ (x.type.charCodeAt(0) << 8), 16777619);
    h = Math.imul(h ^ x.off ^ (x.range << 12), 16777619);
    // Low bits of the known value and mask: one small BigInt op each.
    h = Math.imul(h ^ Number(x.b.t.v & 0xffffn) ^ (Number(x.b.t.m & 0xffffn) << 16), 16777619);
  }
  for (const f of st.frames) {
    h = Math.imul(h ^ f.callsite, 16777619);
    const w = new Int32Array(f.bytes.buffer, f.bytes.byteOffset, f.bytes.length >> 2);
    for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w[i]!, 16777619);
  }
  return (h >>> 0).toString(36);
}

export interface Explored {
  processed: number;
  totalStates: number;
  peakStates: number;
  pruned: number;
  maxStatesPerInsn: number;
}

export class Explorer {
  readonly stats: Explored = { processed: 0, totalStates: 0, peakStates: 0, pruned: 0, maxStatesPerInsn: 0 };
  /** The state being run when analysis stopped (for the error report). */
  cur: State | null = null;
  /** Slots of loads, stores and atomics whose access was checked (and passed) on some path. */
  readonly memChecked = new Set<number>();
  private readonly explored = new Map<number, { done: Ck[]; active: Map<string, Ck[]>; activeCount: number }>();
  private readonly pending: { st: State; from: number }[] = [];
  private jmps = 0;
  private prevJmps = 0;
  private prevInsns = 0;
  private liveStates = 0;

  constructor(
    private readonly env: Env,
    private readonly cfg: Cfg,
    private readonly live: Uint16Array,
    private readonly limit: number,
    readonly log?: string[],
    /** Per-instruction facts for checks beyond the kernel's (offload), when wanted. */
    readonly facts?: Facts,
  ) {
  }

  run(): void {
    const st: State = { frames: [newFrame(0, -1, 0)], refs: [], pc: 0 };
    top(st).regs[1] = ptrReg('ctx');
    this.cur = st;
    this.log?.push(`0: ${formatState(st, this.env.input.maps).join(' ')}`);
    for (;;) {
      if (!this.cur) {
        const next = this.pending.pop();
        if (!next) return;
        this.cur = next.st;
        this.log?.push('', `from ${next.from} to ${this.cur.pc}: ${formatState(this.cur, this.env.input.maps).join(' ')}`);
      }
      const cur = this.cur;
      if (++this.stats.processed > this.limit) {
        reject(`BPF program is too large. Processed ${this.stats.processed} insn`,
          `the analysis gave up after ${this.limit.toLocaleString('en-US')} instructions: a loop does not visibly terminate, or the program has too many paths`,
          'the kernel explores every path; a loop whose counter it cannot bound is explored until this limit');
      }
      if (this.cfg.prune[cur.pc] && this.visit(cur)) {
        this.log?.push(`${cur.pc}: safe`);
        this.stats.pruned++;
        this.endPath(cur);
        continue;
      }
      const insn = this.env.bySlot[cur.pc]!;
      if (this.facts) noteFacts(this.facts, cur, insn);
      this.step(cur, insn);
    }
  }

  private endPath(st: State): void {
    let p = st.parent as Ck | undefined;
    while (p) {
      if (--p.branches > 0) break;
      // Fully explored: from now on it can prune other paths.
      const at = this.explored.get(p.pc)!;
      at.activeCount--;
      at.done.push(p);
      p = p.parent as Ck | undefined;
    }
    this.cur = null;
  }

  /** Fork: `other` continues later from the pending stack. */
  private push(other: State, from: number): void {
    if (other.parent) other.parent.branches++;
    this.pending.push({ st: other, from });
  }

  /** Prune check and checkpointing at a prune point; true when the path can stop here. */
  private visit(cur: State): boolean {
    const pc = cur.pc;
    let at = this.explored.get(pc);
    if (!at) { at = { done: [], active: new Map(), activeCount: 0 }; this.explored.set(pc, at); }
    const liveTop = this.live[pc]!;
    const liveAt = (s: number): number => this.live[s] ?? 0;
    let add = this.jmps - this.prevJmps >= 2 && this.stats.processed - this.prevInsns >= 8;
    let key: string | undefined;
    if (at.activeCount > 0) {
      // An ancestor of this path stopped here: the same state again means an endless loop.
      key = fingerprint(cur, liveTop);
      const bucket = at.active.get(key);
      if (bucket && bucket.some((ck) => ck.branches <= 0)) at.active.set(key, bucket.filter((ck) => ck.branches > 0));
      for (const ck of at.active.get(key) ?? []) {
        if (statesEqual(ck.state, cur, liveTop, liveAt, this.env.priv, true)) {
          reject(`infinite loop detected at insn ${pc}`, `the loop through instruction ${pc} comes back in exactly the same state: it can never end`);
        }
      }
      // Inside a loop, store states sparingly (different iterations rarely help pruning).
      if (this.jmps - this.prevJmps < 20 && this.stats.processed - this.prevInsns < 100) add = false;
    }
    for (const ck of at.done) {
      if (statesEqual(ck.state, cur, liveTop, liveAt, this.env.priv)) { ck.hit++; return true; }
      ck.miss++;
    }
    // Forget states that keep failing to prune (the kernel's miss/hit eviction), in place.
    let keep = 0;
    for (const ck of at.done) if (ck.miss <= ck.hit * 3 + 3) at.done[keep++] = ck;
    this.liveStates -= at.done.length - keep;
    at.done.length = keep;
    if (add) {
      const ck: Ck = { state: cloneState(cur), branches: 1, parent: cur.parent, hit: 0, miss: 0, pc };
      cur.parent = ck;
      key ??= fingerprint(cur, liveTop);
      const bucket = at.active.get(key);
      if (bucket) bucket.push(ck); else at.active.set(key, [ck]);
      at.activeCount++;
      this.stats.totalStates++;
      this.liveStates++;
      if (this.liveStates > this.stats.peakStates) this.stats.peakStates = this.liveStates;
      const n = at.done.length + at.activeCount;
      if (n > this.stats.maxStatesPerInsn) this.stats.maxStatesPerInsn = n;
      this.prevJmps = this.jmps;
      this.prevInsns = this.stats.processed;
    }
    return false;
  }

  private note(st: State, insn: Insn, regs: number[]): void {
    if (!this.log) return;
    const text = `${insn.slot}: (${insn.opcode.toString(16).padStart(2, '0')}) ${formatInsn(insn)}`;
    const after = formatRegs(st, regs, this.env.input.maps);
    this.log.push(after ? `${text.padEnd(38)}; ${after}` : text);
  }

  private step(st: State, insn: Insn): void {
    const env = this.env;
    const sh = insn.spec.shape;
    const next = insn.slot + (sh === 'lddw' ? 2 : 1);
    switch (sh) {
      case 'alu_imm': case 'alu_reg': case 'neg': case 'end': case 'movsx':
        aluInsn(env, st, insn);
        this.note(st, insn, [insn.dst, ...(sh === 'alu_reg' || sh === 'movsx' ? [insn.src] : [])]);
        st.pc = next;
        return;
      case 'lddw': {
        if (insn.dst === 10) reject('frame pointer is read only', 'r10 is the frame pointer and cannot be written');
        const fr = top(st);
        if (insn.src === 1) fr.regs[insn.dst] = ptrReg('map_ptr', { map: insn.imm });
        else if (insn.src === 2) fr.regs[insn.dst] = ptrReg('map_value', { map: insn.imm, off: insn.imm64hi });
        else if (insn.src === 4) fr.regs[insn.dst] = ptrReg('func', { frame: insn.slot + 1 + insn.imm });
        else fr.regs[insn.dst] = constReg((BigInt(insn.imm64hi) << 32n) | BigInt(insn.imm >>> 0));
        this.note(st, insn, [insn.dst]);
        st.pc = next;
        return;
      }
      case 'ldx': case 'ldxs':
        loadInsn(env, st, insn);
        this.memChecked.add(insn.slot);
        this.note(st, insn, [insn.dst, insn.src]);
        st.pc = next;
        return;
      case 'st': case 'stx':
        storeInsn(env, st, insn);
        this.memChecked.add(insn.slot);
        this.note(st, insn, [insn.dst]);
        st.pc = next;
        return;
      case 'atomic':
        atomicInsn(env, st, insn);
        this.memChecked.add(insn.slot);
        this.note(st, insn, [insn.dst, insn.src, 0]);
        st.pc = next;
        return;
      case 'ja': case 'ja32':
        this.jmps++;
        this.note(st, insn, []);
        st.pc = jumpTarget(insn)!;
        return;
      case 'jcond_imm': case 'jcond_reg': {
        this.jmps++;
        const { fall, taken } = condJump(env, st, insn);
        const target = jumpTarget(insn)!;
        if (fall) this.note(fall, insn, [insn.dst, ...(sh === 'jcond_reg' ? [insn.src] : [])]);
        if (fall && taken) {
          taken.pc = target;
          taken.path = { pc: insn.slot, taken: true, prev: st.path };
          fall.path = { pc: insn.slot, taken: false, prev: st.path };
          this.push(taken, insn.slot);
        }
        if (fall) { fall.pc = next; this.cur = fall; return; }
        if (taken) { taken.pc = target; this.cur = taken; return; }
        this.endPath(st);
        return;
      }
      case 'call': return this.helper(st, insn, next);
      case 'call_kfunc':
        this.jmps++;
        kfuncCall(env, st, insn.slot, env.input.kfuncs!.get(insn.slot)!);
        this.note(st, insn, [0]);
        st.pc = next;
        return;
      case 'call_local': {
        this.jmps++;
        if (st.frames.length >= MAX_CALL_FRAMES) reject(`the call stack of ${st.frames.length + 1} frames is too deep`, `calls nest ${st.frames.length + 1} deep; the kernel allows ${MAX_CALL_FRAMES} frames (recursion is not allowed)`);
        const target = insn.slot + 1 + insn.imm;
        const caller = top(st);
        const fr = newFrame(st.frames.length, insn.slot, target);
        for (let r = 1; r <= 5; r++) fr.regs[r] = caller.regs[r]!;
        st.frames.push(fr);
        this.note(st, insn, []);
        st.pc = target;
        return;
      }
      case 'exit': return this.exit(st, insn);
      case 'ldabs': case 'ldind':
        reject('BPF_LD_[ABS|IND] instructions not allowed for this program type', `legacy packet loads (${insn.spec.name}) exist only for socket filters; XDP programs read the packet through ctx->data`);
      default:
        reject(`unknown opcode ${insn.opcode.toString(16)}`, `instruction ${insn.spec.name} is not supported here`);
    }
  }

  private helper(st: State, insn: Insn, next: number): void {
    this.jmps++;
    const out = helperCall(this.env, st, insn.imm);
    this.note(st, insn, [0]);
    st.pc = next;
    if (out.callback) {
      // bpf_loop: one path skips the callback (nr_loops == 0), one runs it once.
      const withCb = cloneState(st);
      const fr = newFrame(withCb.frames.length, insn.slot, out.callback.target);
      fr.callback = true;
      fr.regs[1] = unknownScalar();
      fr.regs[2] = out.callback.ctxArg.type === 'not_init' ? constReg(0n) : out.callback.ctxArg;
      if (withCb.frames.length >= MAX_CALL_FRAMES) reject(`the call stack of ${withCb.frames.length + 1} frames is too deep`, 'callbacks nest too deep');
      withCb.frames.push(fr);
      withCb.pc = out.callback.target;
      this.push(withCb, insn.slot);
    }
  }

  private exit(st: State, insn: Insn): void {
    this.jmps++;
    const r0 = readReg(st, 0, ' (the return value)');
    this.note(st, insn, []);
    if (st.frames.length > 1) {
      const callee = st.frames.pop()!;
      const caller = top(st);
      if (callee.callback) {
        if (r0.type !== 'scalar' || r0.b.umax > 1n) reject(`At callback return the register R0 has ${r0.type === 'scalar' ? `unknown scalar value` : r0.type} should have been in [0, 1]`, 'a bpf_loop callback must return 0 (continue) or 1 (stop)');
      } else if (r0.type === 'fp' && r0.frame === callee.frameno) {
        reject('cannot return stack pointer to the caller frame', 'the function returns a pointer into its own stack, which is gone after it returns');
      } else {
        caller.regs[0] = r0;
      }
      for (let r = 1; r <= 5; r++) caller.regs[r] = NOT_INIT;
      st.pc = callee.callsite + 1;
      return;
    }
    if (isPointer(r0) && !this.env.priv) reject('R0 leaks addr as return value', `the program returns a pointer (${r0.type}) instead of an XDP action`);
    if (st.refs.length > 0) {
      const ref = st.refs[0]!;
      reject(`Unreleased reference id=${ref.id} alloc_insn=${ref.pc}\nBPF_EXIT instruction in main prog would lead to reference leak`, ref.what ? `${ref.what} at instruction ${ref.pc} is never released on this path` : `the ring buffer space reserved at instruction ${ref.pc} is neither submitted nor discarded on this path`);
    }
    this.endPath(st);
  }
}
