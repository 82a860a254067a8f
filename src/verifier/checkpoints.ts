// Checkpoints and pruning (the kernel's is_state_visited): at a prune point the current
// state is compared with the states stored there; a fully explored one that covers it ends
// the path (and hands over which scalars it needed precisely), one still being explored
// that it equals exactly is an endless loop, and callback calls converge when a state
// comes back within the ranges of an earlier iteration. Otherwise, now and then, the state
// is stored: stored states that keep failing to prune are dropped, as the kernel does.
import type { Cfg } from './cfg.js';
import type { Env } from './env.js';
import { propagatePrecision, type PrecisionCtx } from './precision.js';
import { maybeLooping, Mode, statesEqual } from './prune.js';
import { reject } from './reject.js';
import type { StackLive } from './stack-live.js';
import { cloneState, type Checkpoint, type State } from './state.js';

/** A stored state; `dead` is filled when it is first used to prune (the kernel cleans it then). */
export type Ck = Checkpoint & { hit: number; miss: number; pc: number; dead?: Uint8Array[] };

export interface Counters {
  processed: number;
  jmps: number;
  prevJmps: number;
  prevInsns: number;
  totalStates: number;
  peakStates: number;
  maxStatesPerInsn: number;
}

export class Checkpoints {
  /** Stored states by the kernel's hash of slot and call site (explored_state), oldest first. */
  private readonly lists = new Map<number, Ck[]>();
  private stored = 0;

  constructor(
    private readonly env: Env,
    private readonly cfg: Cfg,
    private readonly live: Uint16Array,
    private readonly ctx: PrecisionCtx,
    private readonly c: Counters,
    private readonly stackLive: StackLive,
  ) {}

  /** Per frame of a stored state, the stack slots nothing reads from its position on. */
  private deadSlots(ck: Ck): Uint8Array[] {
    const fs = ck.state.frames;
    return fs.map((_, g) => {
      const at = g === fs.length - 1 ? ck.pc : fs[g + 1]!.callsite;
      const d = new Uint8Array(64);
      for (let k = 0; k < 64; k++) d[k] = this.stackLive.alive(at, k) ? 0 : 1;
      return d;
    });
  }

  clear(): void { this.lists.clear(); this.stored = 0; }

  /** The kernel keeps states in buckets by slot and the innermost frame's call site. */
  private bucket(st: State, pc: number): number {
    return ((pc ^ st.frames[st.frames.length - 1]!.callsite) >>> 0) % this.cfg.bySlot.length;
  }

  /** Live registers of frame f of a state at `pc`: the top frame's at pc, a caller's at its call. */
  liveOf(st: State): (f: number) => number {
    const top = st.frames.length - 1;
    return (f) => (f === top ? this.live[st.pc]! : this.live[st.frames[f + 1]!.callsite]!);
  }

  /** The most recent stored state at `pc` still being explored, with the same call chain (find_prev_entry). */
  prevEntry(st: State, pc: number): State | undefined {
    const list = this.lists.get(this.bucket(st, pc));
    if (!list) return undefined;
    for (let j = list.length - 1; j >= 0; j--) {
      const ck = list[j]!;
      if (ck.pc === pc && ck.branches > 0 && ck.state.frames.length === st.frames.length && ck.state.frames.every((f, i) => f.callsite === st.frames[i]!.callsite)) return ck.state;
    }
    return undefined;
  }

  /**
   * True when `cur` (at its pc, before the instruction runs) is covered and its path can
   * stop. `jmpHist` records the jump-point history entry a pruned path still needs.
   */
  visit(cur: State, jmpHist: (st: State) => void): boolean {
    const pc = cur.pc, c = this.c, priv = this.env.priv;
    const force = this.cfg.callsCallback[pc] === 1 || cur.histLen > 40;
    let add = force || (c.jmps - c.prevJmps >= 2 && c.processed - c.prevInsns >= 8);
    const key = this.bucket(cur, pc);
    let list = this.lists.get(key);
    if (!list) { list = []; this.lists.set(key, list); }
    const live = this.liveOf(cur);
    let n = 0;
    for (let j = list.length - 1; j >= 0; j--) {
      const ck = list[j]!;
      n++;
      if (ck.pc !== pc) continue;
      let hit = false;
      if (ck.branches > 0) {
        if (this.cfg.callsCallback[pc]) {
          hit = statesEqual(ck.state, cur, live, priv, Mode.RANGE_WITHIN);
        } else if (maybeLooping(ck.state, cur) && statesEqual(ck.state, cur, live, priv, Mode.EXACT)) {
          reject(`infinite loop detected at insn ${pc}`, `the loop through instruction ${pc} comes back in exactly the same state: it can never end`);
        }
        // Inside a loop, store states sparingly (different iterations rarely help pruning).
        if (!hit && !force && c.jmps - c.prevJmps < 20 && c.processed - c.prevInsns < 100) add = false;
      } else {
        ck.dead ??= this.deadSlots(ck);
        hit = statesEqual(ck.state, cur, live, priv, Mode.NOT_EXACT, this.env.flags.aluLimits, ck.dead);
      }
      if (hit) {
        ck.hit++;
        if (this.cfg.jmpPoint[pc]) jmpHist(cur);
        propagatePrecision(this.ctx, ck.state, cur, this.liveOf(ck.state), ck.dead);
        return true;
      }
      if (add) ck.miss++;
      // Forget states that keep failing to prune (the kernel's miss/hit eviction).
      const k = force && ck.branches > 0 ? 64 : 3;
      if (ck.miss > ck.hit * k + k) { list.splice(j, 1); this.stored--; }
    }
    if (n > c.maxStatesPerInsn) c.maxStatesPerInsn = n;
    if (!add) return false;
    c.totalStates++;
    this.stored++;
    if (this.stored > c.peakStates) c.peakStates = this.stored;
    c.prevJmps = c.jmps;
    c.prevInsns = c.processed;
    const state = cloneState(cur);
    const ck: Ck = { state, branches: 1, parent: cur.parent, hit: 0, miss: 0, pc };
    cur.parent = ck;
    cur.first = pc;
    cur.hist = undefined;
    cur.histLen = 0;
    list.push(ck);
    return false;
  }
}
