// The reference interpreter: one loop, a switch on the instruction class, one small function
// per class (alu64.ts, alu32.ts, jmp.ts, mem.ts, atomic.ts, call.ts). Registers are int32
// pairs in one Int32Array(22); nothing is allocated per instruction or per run.
import { fail } from '../diag/index.js';
import { toBigInt } from '../num/index.js';
import { alu32 } from './alu32.js';
import { alu64 } from './alu64.js';
import { atomic } from './atomic.js';
import { Frames, unknownHelper, type HelperContext, type HelperFn } from './call.js';
import { Counters } from './counters.js';
import { cond32, cond64 } from './jmp.js';
import { load, loadPacket, store } from './mem.js';
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
  /** Count executions per slot in `hits` (slower). */
  profile?: boolean;
}

export const DEFAULT_BUDGET = 10_000_000;

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

export class Interpreter implements HelperContext {
  readonly program: Program;
  readonly memory: Memory;
  readonly counters: Counters;
  readonly helpers: Map<number, HelperFn>;
  /** r0..r10 as int32 words (r_i at [2i], [2i + 1]). */
  readonly regs = new Int32Array(22);
  /** Initial r1..r5 for every run, as int32 words (r1 at [0], [1]); see setArg. */
  readonly args = new Int32Array(10);
  /** Executions per slot, when created with `profile: true`. */
  readonly hits: Uint32Array | null;
  budget: number;
  pc = 0;
  private stopped = false;
  private readonly frames = new Frames();
  private readonly helperAt: (HelperFn | undefined)[];
  private readonly result = new RunResult();

  constructor(program: readonly Insn[] | Uint8Array | Program, opts: InterpreterOptions = {}) {
    this.program = isProgram(program) ? program : loadProgram(program, opts.resolveLddw);
    this.memory = opts.memory ?? new Memory();
    this.counters = opts.counters ?? new Counters();
    this.helpers = opts.helpers ?? new Map();
    const budget = opts.budget ?? DEFAULT_BUDGET;
    if (!Number.isSafeInteger(budget) || budget < 1) fail('usage', `instruction budget must be a positive integer, got ${budget}`);
    this.budget = budget;
    this.hits = opts.profile ? new Uint32Array(this.program.n + 1) : null;
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
    const R = this.regs;
    R.fill(0);
    R.set(this.args, 2);
    R[20] = STACK_BYTES; // r10: top of frame 0
    R[21] = REGION_TAG + STACK;
    this.frames.reset(this.memory);
    this.stopped = false;
    const res = this.result;
    let n = 0;
    try {
      n = this.loop();
    } catch (e) {
      n = this.executed;
      throw e;
    } finally {
      this.counters.runs++;
      this.counters.insns += n;
      res.insns = n;
    }
    res.lo = R[0]!;
    res.hi = R[1]!;
    return res;
  }

  /** Instructions executed when a fault ended the loop. */
  private executed = 0;

  /** The loop; returns the number of instructions executed. */
  private loop(): number {
    const R = this.regs, mem = this.memory, frames = this.frames, hits = this.hits;
    const { op: OP, dst: DST, src: SRC, off: OFF, imm: IMM } = this.program;
    const budget = this.budget;
    let pc = 0, n = 0;
    try {
    for (;;) {
      if (++n > budget) { n--; this.overBudget(pc); }
      if (hits !== null) hits[pc]!++;
      const op = OP[pc]!, d = DST[pc]!;
      switch (op & 7) {
        case 0x07: { // ALU64
          const s = SRC[pc]!, imm = IMM[pc]!;
          if (op & 0x08) alu64(R, op >> 4, d, R[s]!, R[s + 1]!, OFF[pc]!);
          else alu64(R, op >> 4, d, imm, imm >> 31, OFF[pc]!);
          pc++;
          break;
        }
        case 0x04: { // ALU (32-bit)
          const imm = IMM[pc]!;
          alu32(R, op, d, op & 0x08 ? R[SRC[pc]!]! : imm, OFF[pc]!, imm);
          pc++;
          break;
        }
        case 0x05: { // JMP
          const code = op >> 4;
          if (code === 0x0) { pc += OFF[pc]! + 1; break; } // ja
          if (code === 0x8) { pc = this.call(op, pc); if (this.stopped) return n; break; }
          if (code === 0x9) { // exit
            if (frames.depth === 0) return n;
            pc = frames.pop(R, mem);
            break;
          }
          const s = SRC[pc]!, imm = IMM[pc]!;
          const taken = op & 0x08 ? cond64(code, R[d]!, R[d + 1]!, R[s]!, R[s + 1]!) : cond64(code, R[d]!, R[d + 1]!, imm, imm >> 31);
          pc += taken ? OFF[pc]! + 1 : 1;
          break;
        }
        case 0x06: { // JMP32
          const code = op >> 4;
          if (code === 0x0) { pc += IMM[pc]! + 1; break; } // ja32 (gotol): target in imm
          const b = op & 0x08 ? R[SRC[pc]!]! : IMM[pc]!;
          pc += cond32(code, R[d]!, b) ? OFF[pc]! + 1 : 1;
          break;
        }
        case 0x01: // LDX, LDXS
          load(mem, R, op, d, SRC[pc]!, OFF[pc]!, (op & 0xe0) === 0x80, pc);
          pc++;
          break;
        case 0x02: { // ST
          const imm = IMM[pc]!;
          store(mem, R, op, d, OFF[pc]!, imm, imm >> 31, pc);
          pc++;
          break;
        }
        case 0x03: { // STX, atomics
          const s = SRC[pc]!;
          if ((op & 0xe0) === 0xc0) atomic(mem, R, op, d, s, OFF[pc]!, IMM[pc]!, pc);
          else store(mem, R, op, d, OFF[pc]!, R[s]!, R[s + 1]!, pc);
          pc++;
          break;
        }
        default: { // LD: lddw, legacy packet loads, and the sentinel past the end
          if (op === 0x18) { R[d] = IMM[pc]!; R[d + 1] = IMM[pc + 1]!; pc += 2; break; }
          const mode = op & 0xe0;
          if (mode === 0x20 || mode === 0x40) {
            const offset = mode === 0x20 ? IMM[pc]! : (R[SRC[pc]!]! + IMM[pc]!) | 0;
            if (!loadPacket(mem, R, op, offset)) { R[0] = 0; R[1] = 0; return n; }
            pc++;
            break;
          }
          n--;
          return fail('fault', 'execution ran past the last instruction', { pc, condition: 'the program ends with exit' });
        }
      }
    }
    } catch (e) {
      this.executed = n; // the count so far, for the counters
      throw e;
    }
  }

  /** call (helper by id), call local (BPF-to-BPF) and callx; returns the next slot. */
  private call(op: number, pc: number): number {
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

  private overBudget(pc: number): never {
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
