// The compiled tier: an Interpreter whose run() is a JavaScript function generated for the
// program (see compile.ts). Everything else is shared with the interpreter: registers as
// helpers see them, memory, counters, frames, helper resolution, setArg, the call path.
import { fail } from '../../diag/index.js';
import type { Insn } from '../../isa/index.js';
import { arsh64, bswap16, bswap32, lsh64, mulhu32, rsh64, sdiv32, sdiv64, smod32, smod64, udiv32, udiv64, umod32, umod64 } from '../../num/index.js';
import { atomic } from '../atomic.js';
import { Interpreter, type InterpreterOptions, type RunResult } from '../interp.js';
import { execute } from '../loop.js';
import { loadPacket } from '../mem.js';
import { REGION_TAG } from '../memory.js';
import type { Program } from '../program.js';
import { compileProgram } from './compile.js';
import type { InlineMaps } from './emit-call.js';

export interface CompiledOptions extends InterpreterOptions {
  /**
   * Slots whose memory access a verifier proved in bounds (plain data from a higher floor):
   * their bounds checks are left out. A wrong proof is not caught: only pass verified facts.
   * (The verifier floor provides these; the VM defines only this shape.)
   */
  provenSafe?: ReadonlySet<number> | readonly number[];
  /** The maps behind map pointers, so bpf_map_lookup_elem can be inlined (the runtime gives these). */
  inlineMaps?: InlineMaps;
}

function pastEnd(pc: number): never {
  return fail('fault', 'execution ran past the last instruction', { pc, condition: 'the program ends with exit' });
}

export class CompiledVM extends Interpreter {
  override readonly tier = 'compiled';
  private fn: ((args: Int32Array) => number) | null = null;
  private code = '';
  /** Structured code checks the budget only at loop headers: it needs at least this budget. */
  private maxInsns = 0;
  private readonly opts: CompiledOptions;
  /** Failed speculations per slot (then per entry register, at n + r), and the slots given up on. */
  private specBails = new Int32Array(0);
  private readonly noSpec = new Set<number>();
  private runsToCheck = SPEC_CHECK_RUNS;

  constructor(program: readonly Insn[] | Uint8Array | Program, opts: CompiledOptions = {}) {
    super(program, opts);
    this.opts = opts;
  }

  /** The generated JavaScript (for reading and debugging). */
  get source(): string {
    if (this.fn === null) this.compile();
    return this.code;
  }

  /**
   * Translate the program. Done at the first run, so the region guesses for r1-r5 come from
   * the arguments the program is run with (setArg / setArgPointer).
   */
  private compile(): void {
    const opts = this.opts, counters = this.counters, mem = this.memory;
    const entry = new Int32Array(6);
    for (let r = 1; r <= 5; r++) {
      const h = this.args[2 * r - 1]!;
      entry[r] = h >= REGION_TAG && h < REGION_TAG + mem.count ? h : 0;
    }
    const tb = mem.tables;
    const { source, structured, maxInsns, inline } = compileProgram(this.program, {
      proven: new Set(opts.provenSafe ?? []), maps: opts.inlineMaps, mapSlot: (name) => counters.mapSlot(name), entry,
      ctxField: (o) => (o >= 0 && o < tb.ctxPtrFlag.length && tb.ctxPtrFlag[o] === 1 ? tb.ctxPtrHi[o] : undefined),
      ctxBase: this.args[0], noSpec: this.noSpec, regions: mem.count,
    });
    this.specBails = new Int32Array(this.program.n + 6);
    this.code = source;
    this.maxInsns = structured ? maxInsns : 0;
    const ctx: Record<string, unknown> = {
      vm: this, R: this.regs, mem, frames: this.frames, counters, T: new Int32Array(2),
      H: this.helperAt, execute, P: this.program, pastEnd, mulhu32, udiv64, sdiv64, umod64, smod64, lsh64, rsh64,
      arsh64, udiv32, sdiv32, umod32, smod32, bswap16, bswap32, loadPacket, atomic, IMAPS: opts.inlineMaps, SB: this.specBails,
    };
    for (const [s, im] of inline) ctx[`IM${s}`] = im;
    // One function per program, instantiated once.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    this.fn = new Function('ctx', source)(ctx) as (args: Int32Array) => number;
  }

  /**
   * Run once from slot 0. The interpreter's loop runs instead with `profile: true` (to count
   * per slot) and for acyclic code whose length exceeds the budget (to stop where it does).
   */
  override run(): RunResult {
    if (this.fn === null) this.compile();
    if (this.hits !== null || this.maxInsns > this.budget) return super.run();
    this.frames.reset(this.memory);
    this.stopped = false;
    let n: number;
    try {
      n = this.fn!(this.args);
    } catch (e) {
      this.countRun(this.executed);
      throw e;
    }
    if (--this.runsToCheck === 0) this.respecialize();
    return this.finishRun(n);
  }

  /**
   * Every SPEC_CHECK_RUNS runs: a slot whose speculation failed in SPEC_GIVE_UP of them is
   * compiled without it from the next run on (the interpreter finished each of those runs).
   */
  private respecialize(): void {
    this.runsToCheck = SPEC_CHECK_RUNS;
    const SB = this.specBails, n = this.program.n;
    let changed = false;
    for (let i = 0; i < SB.length; i++) {
      if (SB[i]! >= SPEC_GIVE_UP) { this.noSpec.add(i < n ? i : n - i); changed = true; }
    }
    SB.fill(0);
    if (changed) this.fn = null;
  }
}

const SPEC_CHECK_RUNS = 1024;
const SPEC_GIVE_UP = 8;

export type Tier = 'interp' | 'compiled';

export interface VMOptions extends CompiledOptions {
  /** 'interp' (the reference interpreter, the default) or 'compiled' (generated JavaScript). */
  tier?: Tier;
}

/** Create the compiled tier for bytecode or decoded instructions. */
export function createCompiled(program: readonly Insn[] | Uint8Array | Program, opts: CompiledOptions = {}): CompiledVM {
  return new CompiledVM(program, opts);
}

/** Create either tier; both have the same API, results, counters and faults. */
export function createVM(program: readonly Insn[] | Uint8Array | Program, opts: VMOptions = {}): Interpreter {
  const { tier = 'interp', ...rest } = opts;
  if (tier === 'compiled') return new CompiledVM(program, rest);
  if (tier !== 'interp') fail('usage', `unknown tier '${String(tier)}'; expected 'interp' or 'compiled'`);
  return new Interpreter(program, rest);
}
