// The analysis pass: explore paths depth-first from an entry like the kernel's do_check,
// one instruction at a time, splitting at undecided branches, and pruning a path where a
// checkpoint covers it (checkpoints.ts). Counts processed instructions as the kernel does
// and stops at the same 1,000,000 limit. Static functions are analysed in their callers,
// callbacks (bpf_loop) once per iteration until the states converge, global functions
// are only checked against their prototypes here (verify.ts verifies them on their own).
import { formatInsn, jumpTarget, type Insn } from '../isa/index.js';
import { aluInsn, readReg } from './alu.js';
import { helperCall } from './call.js';
import type { Cfg } from './cfg.js';
import { Checkpoints, type Counters } from './checkpoints.js';
import type { Env } from './env.js';
import { checkGlobalCall } from './globals.js';
import { condJump } from './jmp.js';
import { kfuncCall } from './kfunc.js';
import { formatRegs, formatState } from './log.js';
import { atomicInsn, loadInsn, storeInsn } from './mem-insn.js';
import { noteFacts, type Facts } from './facts.js';
import { CALLBACK_HELPERS, type PrecisionCtx } from './precision.js';
import { widenImprecise } from './prune.js';
import { reject } from './reject.js';
import type { StackLive } from './stack-live.js';
import { constReg, isPkt, isPointer, NOT_INIT, ptrReg, typeName, unknownScalar } from './reg.js';
import { isConst } from './scalar.js';
import { cloneState, mapAllRegs, MAX_CALL_FRAMES, newFrame, Slot, top, type Hist, type State } from './state.js';

/** The kernel's BPF_COMPLEXITY_LIMIT_JMP_SEQ: branches waiting to be explored. */
const JMP_SEQ_LIMIT = 8192;

export interface Explored {
  processed: number;
  totalStates: number;
  peakStates: number;
  pruned: number;
  maxStatesPerInsn: number;
}

export class Explorer {
  private readonly c: Counters = { processed: 0, jmps: 0, prevJmps: 0, prevInsns: 0, totalStates: 0, peakStates: 0, maxStatesPerInsn: 0 };
  private pruned = 0;
  /** The state being run when analysis stopped (for the error report). */
  cur: State | null = null;
  /** Slots of loads, stores and atomics whose access was checked (and passed) on some path. */
  readonly memChecked = new Set<number>();
  /** Global functions called on some path (each is then verified on its own). */
  readonly called = new Set<number>();
  private readonly checkpoints: Checkpoints;
  private readonly pending: { st: State; from: number }[] = [];
  /** The history record of the instruction being processed, if it has one yet. */
  private curEnt: Hist | undefined;

  constructor(
    private readonly env: Env,
    private readonly cfg: Cfg,
    live: Uint16Array,
    private readonly limit: number,
    readonly log: string[] | undefined,
    /** Per-instruction facts for checks beyond the kernel's (offload), when wanted. */
    readonly facts: Facts | undefined,
    /** Global functions whose calls change packet data (their packet pointers die). */
    private readonly changesPkt: ReadonlySet<number>,
    private readonly stackLive: StackLive,
  ) {
    const ctx: PrecisionCtx = { env, globals: new Set(env.input.globals?.keys() ?? []), log };
    this.checkpoints = new Checkpoints(env, cfg, live, ctx, this.c, stackLive);
  }

  get stats(): Explored {
    const c = this.c;
    return { processed: c.processed, totalStates: c.totalStates, peakStates: c.peakStates, pruned: this.pruned, maxStatesPerInsn: c.maxStatesPerInsn };
  }

  /** Verify everything reachable from `st` (do_check_common); stored states do not outlive it. */
  run(st: State): void {
    this.checkpoints.clear();
    this.cur = st;
    this.log?.push(`${st.pc}: ${formatState(st, this.env.input.maps).join(' ')}`);
    for (;;) {
      if (!this.cur) {
        const next = this.pending.pop();
        if (!next) return;
        this.cur = next.st;
        this.log?.push('', `from ${next.from} to ${this.cur.pc}: ${formatState(this.cur, this.env.input.maps).join(' ')}`);
      }
      const cur = this.cur;
      if (++this.c.processed > this.limit) {
        reject(`BPF program is too large. Processed ${this.c.processed} insn`,
          `the analysis gave up after ${this.limit.toLocaleString('en-US')} instructions: a loop does not visibly terminate, or the program has too many paths`,
          'the kernel explores every path; a loop whose counter it cannot bound is explored until this limit');
      }
      cur.last = cur.prevPc;
      this.curEnt = undefined;
      if (this.cfg.prune[cur.pc] && this.checkpoints.visit(cur, (s) => this.record([s]))) {
        this.log?.push(`${cur.pc}: safe`);
        this.pruned++;
        this.endPath(cur);
        continue;
      }
      if (this.cfg.jmpPoint[cur.pc]) this.record([cur]);
      const insn = this.env.bySlot[cur.pc]!;
      if (this.facts) noteFacts(this.facts, cur, insn);
      this.stackLive.begin();
      this.step(cur, insn);
      this.stackLive.end(insn.slot);
      if (this.cur) this.cur.prevPc = insn.slot;
    }
  }

  /** Add to (or complete) the history record of the current instruction in these states. */
  private record(states: State[], stack = -1, linked?: readonly number[]): void {
    const st = states[0]!;
    const e = this.curEnt;
    let m: Hist;
    if (e && st.hist === e) m = { ...e, stack: stack >= 0 ? stack : e.stack, linked: linked ?? e.linked };
    else m = { idx: st.pc, prev: st.prevPc, stack, linked, up: st.hist };
    const grew = m.up === st.hist;
    for (const s of states) { s.hist = m; if (grew) s.histLen++; }
    this.curEnt = m;
  }

  private endPath(st: State): void {
    let p = st.parent;
    while (p) {
      if (--p.branches > 0) break;
      p = p.parent;
    }
    this.cur = null;
  }

  /** Fork: `other` continues later from the pending stack. */
  private push(other: State, from: number): void {
    if (other.parent) other.parent.branches++;
    other.prevPc = from;
    this.pending.push({ st: other, from });
    if (this.pending.length > JMP_SEQ_LIMIT) {
      reject(`The sequence of ${this.pending.length} jumps is too complex.`,
        `more than ${JMP_SEQ_LIMIT} branches wait to be explored at once: the kernel gives up (too many undecided branches in a row, e.g. a bounds check in every iteration of a long loop)`);
    }
  }

  private note(st: State, insn: Insn, regs: number[]): void {
    if (!this.log) return;
    const text = `${insn.slot}: (${insn.opcode.toString(16).padStart(2, '0')}) ${formatInsn(insn)}`;
    const after = formatRegs(st, regs, this.env.input.maps);
    this.log.push(after ? `${text.padEnd(38)}; ${after}` : text);
  }

  /** A load, store or atomic that spilled or filled a register goes into the history. */
  private stackAccess(st: State): void {
    if (st.acc >= 0) { this.record([st], st.acc); st.acc = -1; }
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
        this.stackAccess(st);
        this.memChecked.add(insn.slot);
        this.note(st, insn, [insn.dst, insn.src]);
        st.pc = next;
        return;
      case 'st': case 'stx':
        storeInsn(env, st, insn);
        this.stackAccess(st);
        this.memChecked.add(insn.slot);
        this.note(st, insn, [insn.dst]);
        st.pc = next;
        return;
      case 'atomic':
        atomicInsn(env, st, insn);
        this.stackAccess(st);
        this.memChecked.add(insn.slot);
        this.note(st, insn, [insn.dst, insn.src, 0]);
        st.pc = next;
        return;
      case 'ja': case 'ja32':
        this.c.jmps++;
        this.note(st, insn, []);
        st.pc = jumpTarget(insn)!;
        return;
      case 'jcond_imm': case 'jcond_reg': return this.branch(st, insn, next);
      case 'call': return this.helper(st, insn, next);
      case 'call_kfunc':
        this.c.jmps++;
        kfuncCall(env, st, insn.slot, env.input.kfuncs!.get(insn.slot)!);
        this.note(st, insn, [0]);
        st.pc = next;
        return;
      case 'call_local': return this.call(st, insn, next);
      case 'exit': return this.exit(st, insn);
      case 'ldabs': case 'ldind':
        reject('BPF_LD_[ABS|IND] instructions not allowed for this program type', `legacy packet loads (${insn.spec.name}) exist only for socket filters; XDP programs read the packet through ctx->data`);
      default:
        reject(`unknown opcode ${insn.opcode.toString(16)}`, `instruction ${insn.spec.name} is not supported here`);
    }
  }

  private branch(st: State, insn: Insn, next: number): void {
    this.c.jmps++;
    const linked = linkedScalars(st, insn);
    const { fall, taken, decided } = condJump(this.env, st, insn);
    if (decided) {
      const regs = decided.filter((r) => top(st).regs[r]!.type === 'scalar');
      if (regs.length) this.env.precise(st, regs);
    }
    const target = jumpTarget(insn)!;
    this.note(fall ?? taken ?? st, insn, [insn.dst, ...(insn.spec.shape === 'jcond_reg' ? [insn.src] : [])]);
    if (fall && taken) {
      if (linked.length > 1) this.record([fall, taken], -1, linked);
      taken.pc = target;
      taken.path = { pc: insn.slot, taken: true, prev: st.path };
      fall.path = { pc: insn.slot, taken: false, prev: st.path };
      this.push(taken, insn.slot);
    }
    if (fall) { fall.pc = next; this.cur = fall; return; }
    if (taken) { taken.pc = target; this.cur = taken; return; }
    this.endPath(st);
  }

  private call(st: State, insn: Insn, next: number): void {
    this.c.jmps++;
    const env = this.env;
    const target = insn.slot + 1 + insn.imm;
    const caller = top(st);
    const proto = env.input.globals?.get(target);
    if (proto) {
      const idx = this.cfg.subprogs.indexOf(target);
      checkGlobalCall(env, st, proto, target, idx);
      this.log?.push(`Func#${idx} ('${proto.name}') is global and assumed valid.`);
      this.called.add(target);
      if (this.changesPkt.has(target)) invalidatePkt(st, env.priv);
      for (let r = 1; r <= 5; r++) caller.regs[r] = NOT_INIT;
      caller.regs[0] = unknownScalar();
      this.note(st, insn, [0]);
      st.pc = next;
      return;
    }
    if (st.frames.length >= MAX_CALL_FRAMES) reject(`the call stack of ${st.frames.length + 1} frames is too deep`, `calls nest ${st.frames.length + 1} deep; the kernel allows ${MAX_CALL_FRAMES} frames (recursion is not allowed)`);
    const fr = newFrame(st.frames.length, insn.slot, target);
    for (let r = 1; r <= 5; r++) fr.regs[r] = caller.regs[r]!;
    // The caller's r0-r5 are dead while the callee runs (clear_caller_saved_regs).
    for (let r = 0; r <= 5; r++) caller.regs[r] = NOT_INIT;
    st.frames.push(fr);
    this.note(st, insn, []);
    st.pc = target;
  }

  private helper(st: State, insn: Insn, next: number): void {
    this.c.jmps++;
    // A callback call: the callback runs in a copy of the state as it is before the call.
    const pre = CALLBACK_HELPERS.has(insn.imm) ? cloneState(st) : undefined;
    const out = helperCall(this.env, st, insn.imm);
    this.note(st, insn, [0]);
    st.pc = next;
    if (!out.callback || !pre) return;
    const caller = top(pre);
    if (BigInt(caller.cbDepth) < caller.regs[1]!.b.umax) {
      if (pre.frames.length >= MAX_CALL_FRAMES) reject(`the call stack of ${pre.frames.length + 1} frames is too deep`, 'callbacks nest too deep');
      caller.cbDepth++;
      const fr = newFrame(pre.frames.length, insn.slot, out.callback.target);
      fr.callback = true;
      fr.regs[1] = unknownScalar();
      fr.regs[2] = caller.regs[3]!;
      pre.frames.push(fr);
      pre.pc = out.callback.target;
      this.push(pre, insn.slot);
    } else {
      this.log?.push(`frame${caller.frameno} bpf_loop iteration limit reached`);
    }
    top(st).cbDepth = 0;
  }

  private exit(st: State, insn: Insn): void {
    this.c.jmps++;
    const r0 = readReg(st, 0, ' (the return value)');
    this.note(st, insn, []);
    if (st.frames.length > 1) {
      const callee = top(st);
      if (callee.callback) {
        if (r0.type !== 'scalar') reject('R0 not a scalar value', `a bpf_loop callback must return 0 (continue) or 1 (stop), not a ${typeName(r0.type)} pointer`);
        this.env.precise(st, [0]);
        if (r0.b.smin < 0n || r0.b.smax > 1n) {
          reject(`At callback return the register R0 has ${isConst(r0.b) ? `value 0x${r0.b.t.v.toString(16)}` : 'unknown scalar value'} should have been in [0, 1]`, 'a bpf_loop callback must return 0 (continue) or 1 (stop)');
        }
        st.frames.pop();
        // Back to the helper call, which may run the callback again (the kernel's iteration).
        st.pc = callee.callsite;
        const prev = this.checkpoints.prevEntry(st, st.pc);
        if (prev) widenImprecise(prev, st);
        return;
      }
      if (r0.type === 'fp' && r0.frame === callee.frameno) reject('cannot return stack pointer to the caller frame', 'the function returns a pointer into its own stack, which is gone after it returns');
      st.frames.pop();
      top(st).regs[0] = r0;
      st.pc = callee.callsite + 1;
      return;
    }
    const global = st.frames[0]!.subprog !== 0;
    if (global && r0.type !== 'scalar') reject(`At subprogram exit the register R0 is not a scalar value (${typeName(r0.type)})`, `a global function must return a number, but R0 is a ${typeName(r0.type)} pointer`);
    if (isPointer(r0) && !this.env.priv) reject('R0 leaks addr as return value', `the program returns a pointer (${r0.type}) instead of an XDP action`);
    if (st.refs.length > 0) {
      const ref = st.refs[0]!;
      reject(`Unreleased reference id=${ref.id} alloc_insn=${ref.pc}\nBPF_EXIT instruction in ${global ? 'global subprog' : 'main prog'} would lead to reference leak`, ref.what ? `${ref.what} at instruction ${ref.pc} is never released on this path` : `the ring buffer space reserved at instruction ${ref.pc} is neither submitted nor discarded on this path`);
    }
    this.endPath(st);
  }
}

/** Scalars sharing the id of a branch's operands, in every frame (collect_linked_regs). */
function linkedScalars(st: State, insn: Insn): number[] {
  const fr = top(st);
  const ids = new Set<number>();
  const d = fr.regs[insn.dst]!;
  if (d.type === 'scalar' && d.id) ids.add(d.id);
  if (insn.spec.shape === 'jcond_reg') { const s = fr.regs[insn.src]!; if (s.type === 'scalar' && s.id) ids.add(s.id); }
  if (ids.size === 0) return [];
  const out: number[] = [];
  st.frames.forEach((f, i) => {
    for (let r = 0; r < 10; r++) { const x = f.regs[r]!; if (x.type === 'scalar' && ids.has(x.id)) out.push((i << 7) | r); }
    f.spills.forEach((sp, k) => { if (sp && f.bytes[k * 8] === Slot.SPILL && sp.reg.type === 'scalar' && ids.has(sp.reg.id)) out.push((i << 7) | (64 + k)); });
  });
  return out;
}

/** A call that may move packet data: packet pointers in every frame die. */
function invalidatePkt(st: State, priv: boolean): void {
  mapAllRegs(st, (x) => (isPkt(x) || x.type === 'pkt_end' ? (priv ? unknownScalar() : NOT_INIT) : x));
}
