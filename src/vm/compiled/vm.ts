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
import type { Program } from '../program.js';
import { compileProgram } from './compile.js';

export interface CompiledOptions extends InterpreterOptions {
  /**
   * Slots whose memory access a verifier proved in bounds (plain data from a higher floor):
   * their bounds checks are left out. A wrong proof is not caught: only pass verified facts.
   */
  provenSafe?: ReadonlySet<number> | readonly number[];
}

function pastEnd(pc: number): never {
  return fail('fault', 'execution ran past the last instruction', { pc, condition: 'the program ends with exit' });
}

export class CompiledVM extends Interpreter {
  override readonly tier = 'compiled';
  /** The generated JavaScript (for reading and debugging). */
  readonly source: string;
  private readonly fn: (args: Int32Array) => number;
  /** Without backward jumps a run executes at most this many instructions (else Infinity). */
  private readonly maxInsns: number;

  constructor(program: readonly Insn[] | Uint8Array | Program, opts: CompiledOptions = {}) {
    super(program, opts);
    const proven = new Set(opts.provenSafe ?? []);
    const { source, rem, structured, maxInsns } = compileProgram(this.program, proven);
    this.source = source;
    this.maxInsns = structured ? maxInsns : Infinity;
    const ctx = {
      vm: this, R: this.regs, mem: this.memory, frames: this.frames, counters: this.counters, T: new Int32Array(2),
      H: this.helperAt, REM: rem, execute, P: this.program, pastEnd, mulhu32, udiv64, sdiv64, umod64, smod64, lsh64, rsh64,
      arsh64, udiv32, sdiv32, umod32, smod32, bswap16, bswap32, loadPacket, atomic,
    };
    // One function per program, instantiated once.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    this.fn = new Function('ctx', source)(ctx) as (args: Int32Array) => number;
  }

  /**
   * Run once from slot 0. The interpreter's loop runs instead with `profile: true` (to count
   * per slot) and for acyclic code whose length exceeds the budget (to stop where it does).
   */
  override run(): RunResult {
    if (this.hits !== null || (this.maxInsns !== Infinity && this.maxInsns > this.budget)) return super.run();
    this.frames.reset(this.memory);
    this.stopped = false;
    const res = this.result, counters = this.counters, R = this.regs;
    let n: number;
    try {
      n = this.fn(this.args);
    } catch (e) {
      counters.runs++;
      counters.insns += this.executed;
      res.insns = this.executed;
      throw e;
    }
    counters.runs++;
    counters.insns += n;
    res.insns = n;
    res.lo = R[0];
    res.hi = R[1];
    return res;
  }
}

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
