// The reference interpreter: this class holds the state of a program (registers, frames,
// helpers, counters) and the call path; the loop is in loop.ts (a switch on the full opcode,
// one case per opcode), rare operations in the per-class files (alu64.ts, alu32.ts, mem.ts,
// atomic.ts, call.ts). A run goes to the Wasm core (core/engine.ts) when there is one, which
// hands the loop what it does not run, one instruction at a time. Registers are int32 pairs in
// one Int32Array(22) (in the core's block); nothing is allocated per instruction or per run.
import { fail } from '../diag/index.js';
import { toBigInt } from '../num/index.js';
import { Frames, unknownHelper, type HelperContext, type HelperFn } from './call.js';
import { Counters } from './counters.js';
import { createCore, type WasmCore } from './core/engine.js';
import { CALL, STATUS } from './core/generated/core-wasm.js';
import { execute, type LoopHost } from './loop.js';
import { Memory, REGION_TAG, STACK, STACK_BYTES } from './memory.js';
import { loadProgram, type LddwResolver, type Program } from './program.js';
import type { Insn } from '../isa/index.js';

export interface InterpreterOptions {
  /** Helpers by id. */
  helpers?: Map<number, HelperFn>;
  /** Instructions one run may execute before it ends with a `limit` error (default 10 million). */
  budget?: number;
  /** Resolves lddw with a pseudo source (src != 0), e.g. a map fd, to an address. */
  resolveLddw?: LddwResolver;
  /** Memory to use (shared with the maps layer); a fresh one by default. */
  memory?: Memory;
  /** Counters to add to (shared across programs); fresh ones by default. */
  counters?: Counters;
  /** Count executions per slot in `hits` (slower; runs the loop alone). */
  profile?: boolean;
  /**
   * 'wasm' (the default where WebAssembly exists): the Wasm core runs the common instructions
   * and hands the rest to the loop; 'js': the loop alone. Results, faults and counts are the same.
   */
  engine?: 'wasm' | 'js';
}

export const DEFAULT_BUDGET = 10_000_000;
/** The largest budget: the loop counts instructions in an int32. */
export const MAX_BUDGET = 0x7fffffff;

/** The result of a run. The same object is reused by every run of an interpreter. */
export class RunResult {
  /** r0 as int32 words. */
  lo = 0;
  hi = 0;
  /** Instructions executed by this run. */
  insns = 0;
  /** r0 as an unsigned BigInt (for edges: printing, tests). */
  get value(): bigint { return toBigInt(this.lo, this.hi); }
}

export class Interpreter implements HelperContext, LoopHost {
  /** Which tier runs the program: this loop, or generated JavaScript (CompiledVM). */
  readonly tier: 'interp' | 'compiled' = 'interp';
  readonly program: Program;
  readonly memory: Memory;
  readonly counters: Counters;
  readonly helpers: Map<number, HelperFn>;
  /** r0..r10 as int32 words (r_i at [2i], [2i + 1]); in the Wasm core's memory when there is one. */
  declare readonly regs: Int32Array;
  /** Initial r1..r5 for every run, as int32 words (r1 at [0], [1]); see setArg. In the core's block when there is one. */
  declare readonly args: Int32Array;
  /** Executions per slot, when created with `profile: true`. */
  readonly hits: Uint32Array | null;
  budget: number;
  pc = 0;
  /** Set by a helper's stop(); read by the loop. */
  stopped = false;
  /** Where the loop paused (see execute); -1 when the program ended. */
  pausedAt = -1;
  /** The error of a helper the Wasm core called, rethrown when the core has stopped. */
  private coreFault: unknown = null;
  /** Instructions executed when a fault ended the loop. */
  executed = 0;
  protected readonly frames = new Frames();
  protected readonly helperAt: (HelperFn | undefined)[];
  protected readonly result = new RunResult();
  /** The Wasm core of this interpreter (not of subclasses such as the compiled tier), or null. */
  private declare readonly core: WasmCore | null;

  constructor(program: readonly Insn[] | Uint8Array | Program, opts: InterpreterOptions = {}) {
    this.program = isProgram(program) ? program : loadProgram(program, opts.resolveLddw);
    this.memory = opts.memory ?? new Memory();
    this.counters = opts.counters ?? new Counters();
    this.helpers = opts.helpers ?? new Map();
    const budget = opts.budget ?? DEFAULT_BUDGET;
    if (!Number.isSafeInteger(budget) || budget < 1 || budget > MAX_BUDGET) fail('usage', `instruction budget must be a positive integer up to ${MAX_BUDGET}, got ${budget}`);
    this.budget = budget;
    this.hits = opts.profile ? new Uint32Array(this.program.n + 1) : null;
    this.core = new.target === Interpreter && opts.engine !== 'js' && !opts.profile ? createCore(this.program, this.memory, (pc, n) => this.coreCall(pc, n)) : null;
    this.regs = this.core !== null ? this.core.regs : new Int32Array(22);
    this.args = this.core !== null ? this.core.args : new Int32Array(10);
    // Resolve helper ids once; an unknown id is a load error, as in the kernel.
    const P = this.program;
    this.helperAt = new Array<HelperFn | undefined>(P.n + 1).fill(undefined);
    for (let pc = 0; pc < P.n; pc++) {
      if (P.op[pc] === 0x85 && P.src[pc] === 0) {
        const fn = this.helpers.get(P.imm[pc]!);
        if (!fn) fail('semantic', `call to unknown helper ${P.imm[pc]} at slot ${pc}`, { pc, notes: [`known helpers: ${[...this.helpers.keys()].join(', ') || 'none'}`] });
        this.helperAt[pc] = fn;
      }
    }
  }

  /**
   * Replace the function of every helper call site with `wrap(fn, pc)`, for measurements and
   * tracing (xdplab bench times helpers this way). The compiled tier compiled before keeps its own.
   */
  wrapHelpers(wrap: (fn: HelperFn, pc: number) => HelperFn): void {
    for (let pc = 0; pc < this.helperAt.length; pc++) {
      const fn = this.helperAt[pc];
      if (fn !== undefined) this.helperAt[pc] = wrap(fn, pc);
    }
  }

  /** What runs this interpreter's programs: its Wasm core, or its loop alone ('js': asked for, profiling, no arena). */
  get engine(): 'wasm' | 'js' { return this.core !== null ? 'wasm' : 'js'; }

  /** Set the initial value of r1..r5 (kept for later runs). */
  setArg(reg: 1 | 2 | 3 | 4 | 5, lo: number, hi = 0): void {
    if (!Number.isInteger(reg) || reg < 1 || reg > 5) fail('usage', `arguments are r1 to r5, not r${reg}`);
    this.args[(reg - 1) * 2] = lo;
    this.args[(reg - 1) * 2 + 1] = hi;
  }

  /** Set r1..r5 to a pointer into a region (offset from the region's window start). */
  setArgPointer(reg: 1 | 2 | 3 | 4 | 5, region: number, offset = 0): void {
    this.setArg(reg, offset, this.memory.tag(region));
  }

  setR0(lo: number, hi: number): void { this.regs[0] = lo; this.regs[1] = hi; }
  stop(): void { this.stopped = true; }

  /** Run once from slot 0; returns r0 and the instructions executed (a reused object). */
  run(): RunResult {
    this.frames.reset(this.memory);
    this.stopped = false;
    if (this.core !== null) {
      let n: number;
      try { n = this.runCore(this.core); } // the core sets the registers itself
      catch (e) { this.memory.flush(); this.countRun(this.executed); throw e; }
      return this.finishRun(n);
    }
    // A lean reset: straight stores (fill/set and short loops measured slower here).
    const R = this.regs, A = this.args;
    R[0] = 0; R[1] = 0;
    R[2] = A[0]; R[3] = A[1]; R[4] = A[2]; R[5] = A[3]; R[6] = A[4]; R[7] = A[5]; R[8] = A[6]; R[9] = A[7]; R[10] = A[8]; R[11] = A[9];
    R[12] = 0; R[13] = 0; R[14] = 0; R[15] = 0; R[16] = 0; R[17] = 0; R[18] = 0; R[19] = 0;
    R[20] = STACK_BYTES; // r10: top of frame 0
    R[21] = REGION_TAG + STACK;
    let n: number;
    try {
      n = execute(this, R, this.program, this.memory, this.frames, this.budget, this.hits, 0, 0, this.budget);
    } catch (e) {
      this.countRun(this.executed);
      throw e;
    }
    return this.finishRun(n);
  }

  /**
   * A run on the Wasm core: it runs until an instruction it leaves to the loop, the loop runs
   * that one instruction, and so on until the program ends.
   */
  private runCore(core: WasmCore): number {
    const mem = this.memory, R = this.regs, P = this.program, budget = this.budget;
    let pc = 0, n = 0, fresh = true;
    for (;;) {
      const status = core.run(mem, this.frames.depth, pc, n, budget, fresh);
      pc = core.pc; n = core.n;
      if (status === STATUS.EXIT) { mem.flush(); return n; }
      if (status === STATUS.OVER) { mem.flush(); this.executed = n; this.overBudget(pc); }
      if (status === STATUS.REFRESH) { fresh = true; continue; }
      if (status === STATUS.FAULT) { const e = this.coreFault; this.coreFault = null; mem.flush(); throw e; }
      const op = P.op[pc]!;
      if ((op & 0xf7) === 0x85) { // call, callx: as the loop runs them (the core checked the budget)
        this.executed = ++n; // counted when it faults, as the loop counts it
        pc = this.call(op, pc);
        if (this.stopped) { mem.flush(); return n; }
        fresh = true; // a helper may write memory behind Memory's back (map storage, the frame)
        continue;
      }
      fresh = false;
      n = execute(this, R, P, mem, this.frames, budget, null, pc, n, n + 1); // flushes, also when it throws
      if (this.pausedAt < 0) return n;
      pc = this.pausedAt;
    }
  }

  /**
   * A helper call from inside the Wasm core (slot `pc`, counted in `n`), made as the loop makes
   * it. Declined while a way is a copy (the helper would see stale bytes): the loop makes it.
   */
  private coreCall(pc: number, n: number): number {
    if (this.core!.mirrored) return CALL.DECLINED;
    const epoch = this.memory.epoch;
    this.executed = n;
    try {
      this.call(0x85, pc);
    } catch (e) {
      this.coreFault = e;
      return CALL.FAULT;
    }
    if (this.stopped) return CALL.STOPPED;
    return this.memory.epoch === epoch ? CALL.DONE : CALL.MOVED;
  }

  /** Count a run of n instructions (also when it ended in a fault). Both tiers end runs here. */
  protected countRun(n: number): void {
    this.counters.runs++;
    this.counters.insns += n;
    this.result.insns = n;
  }

  /** Count a completed run and return r0 in the reused result. */
  protected finishRun(n: number): RunResult {
    this.countRun(n);
    const res = this.result;
    res.lo = this.regs[0]!;
    res.hi = this.regs[1]!;
    return res;
  }

  /** call (helper by id), call local (BPF-to-BPF) and callx; returns the next slot. */
  call(op: number, pc: number): number {
    const P = this.program;
    if (op === 0x85 && P.src[pc] === 2) { // src = 1 (stored doubled): call local
      this.frames.push(this.regs, this.memory, this.counters, pc + 1, pc);
      return pc + 1 + P.imm[pc]!;
    }
    let id: number, fn: HelperFn | undefined;
    if (op === 0x85) { id = P.imm[pc]!; fn = this.helperAt[pc]; }
    else { id = this.regs[P.dst[pc]!]!; fn = this.helpers.get(id); } // callx: the register holds the helper id
    if (fn === undefined) unknownHelper(id, pc);
    this.pc = pc;
    fn(this);
    this.counters.helper(id);
    return pc + 1;
  }

  overBudget(pc: number): never {
    return fail('limit', `the program did not finish within ${this.budget} instructions`, {
      pc, condition: `executed instructions <= ${this.budget}`,
    });
  }
}

function isProgram(p: unknown): p is Program {
  return typeof p === 'object' && p !== null && (p as Program).op instanceof Uint8Array && typeof (p as Program).n === 'number';
}

/** Create an interpreter for bytecode or decoded instructions. */
export function createInterpreter(program: readonly Insn[] | Uint8Array, opts: InterpreterOptions = {}): Interpreter {
  return new Interpreter(program, opts);
}
