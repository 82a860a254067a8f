// Pre-decoding: a program becomes typed arrays indexed by slot (opcode, dst, src, off, imm),
// checked once so the loop never meets a bad jump target or an unresolved lddw.
import { fail } from '../diag/index.js';
import { decode, encode, LDDW_SRC, type Insn } from '../isa/index.js';
import type { I64 } from '../num/index.js';

/** Resolves a 64-bit immediate load with a pseudo source (map fd, map value, ...) to an address. */
export type LddwResolver = (insn: Insn) => I64;

export interface Program {
  /** Number of slots (lddw takes two); slot `n` holds a sentinel that faults if reached. */
  readonly n: number;
  readonly op: Uint8Array;
  /** Register numbers times 2: the index of the register's low word in the register file. */
  readonly dst: Uint8Array;
  readonly src: Uint8Array;
  readonly off: Int32Array;
  /** For lddw: low word here, high word in imm[slot + 1]. */
  readonly imm: Int32Array;
  /**
   * The same fields packed for the interpreter, two words per slot: [2s] = opcode | dst << 8 |
   * src << 12 | off << 16 (register numbers, not indexes), [2s + 1] = imm.
   */
  readonly code: Int32Array;
  readonly insns: readonly Insn[];
}

const LDDW_NAMES = Object.fromEntries(Object.entries(LDDW_SRC).map(([k, v]) => [v, k.toLowerCase()]));

/** Decode and pre-decode a program, checking every jump and call target. */
export function loadProgram(program: readonly Insn[] | Uint8Array, resolveLddw?: LddwResolver): Program {
  if (!(program instanceof Uint8Array) && !Array.isArray(program)) fail('bytecode', 'program must be bytecode (Uint8Array) or instructions');
  // Instructions go through encode and decode so their slots are numbered and their fields checked.
  const insns = decode(program instanceof Uint8Array ? program : encode(program));
  if (insns.length === 0) fail('bytecode', 'program is empty', { condition: 'at least one instruction' });
  const last = insns[insns.length - 1]!;
  const n = last.slot + (last.spec.shape === 'lddw' ? 2 : 1);
  const op = new Uint8Array(n + 1), dst = new Uint8Array(n + 1), src = new Uint8Array(n + 1);
  const off = new Int32Array(n + 1), imm = new Int32Array(n + 1);
  const starts = new Uint8Array(n + 1);
  for (const insn of insns) starts[insn.slot] = 1;
  const target = (from: Insn, t: number, what: string): void => {
    if (t < 0 || t >= n || starts[t] !== 1) {
      fail('bytecode', `${what} at slot ${from.slot} goes to slot ${t}, which is ${t < 0 || t >= n ? 'outside the program' : 'the middle of an lddw'}`, {
        pc: from.slot, condition: `0 <= target < ${n} and target starts an instruction`,
      });
    }
  };
  for (const insn of insns) {
    const s = insn.slot;
    if (insn.dst > 10) fail('bytecode', `${insn.spec.name} at slot ${s} uses register r${insn.dst}`, { pc: s, condition: 'dst <= 10' });
    if (insn.src > 10 && usesSrcReg(insn)) fail('bytecode', `${insn.spec.name} at slot ${s} uses register r${insn.src}`, { pc: s, condition: 'src <= 10' });
    op[s] = insn.opcode; dst[s] = insn.dst * 2; src[s] = (insn.src & 0x0f) * 2; off[s] = insn.off; imm[s] = insn.imm;
    switch (insn.spec.shape) {
      case 'ja': case 'jcond_imm': case 'jcond_reg': target(insn, s + 1 + insn.off, 'jump'); break;
      case 'ja32': target(insn, s + 1 + insn.imm, 'jump'); break;
      case 'call_local': target(insn, s + 1 + insn.imm, 'call'); break;
      case 'call_kfunc': fail('semantic', `kernel function calls (call runtime ${insn.imm}) are not supported by the interpreter`, { pc: s });
      // falls through (fail never returns)
      case 'lddw': {
        let v: I64 = { lo: insn.imm, hi: insn.imm64hi };
        if (insn.src !== LDDW_SRC.IMM64) {
          if (!resolveLddw) {
            fail('semantic', `lddw at slot ${s} has src=${insn.src} (${LDDW_NAMES[insn.src] ?? 'unknown'}), which needs a loader to resolve it`, { pc: s });
          }
          v = resolveLddw(insn);
        }
        imm[s] = v.lo; imm[s + 1] = v.hi;
        break;
      }
    }
  }
  // Reaching the sentinel slot means execution ran past the last instruction.
  op[n] = 0;
  const code = new Int32Array(2 * (n + 1));
  for (let s = 0; s <= n; s++) {
    code[2 * s] = op[s]! | (dst[s]! / 2) << 8 | (src[s]! / 2) << 12 | off[s]! << 16;
    code[2 * s + 1] = imm[s]!;
  }
  return { n, op, dst, src, off, imm, code, insns };
}

function usesSrcReg(insn: Insn): boolean {
  const sh = insn.spec.shape;
  return sh === 'alu_reg' || sh === 'jcond_reg' || sh === 'movsx' || sh === 'ldx' || sh === 'ldxs' || sh === 'stx' || sh === 'atomic' || sh === 'ldind';
}
