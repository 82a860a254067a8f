// Region guesses for the compiled tier: a small forward dataflow over the basic blocks that
// tracks, per register, the high word (region tag) it most likely holds: the stack for r10,
// the tags r1-r5 hold at the first run (the context for r1 otherwise), the packet for a word loaded from the context (xdp_md->data),
// the exact tag of an lddw of a map or of global data, a map's value region after an inlined
// lookup. A memory access whose base has a guess gets a fast path guarded by a test of the
// tag, so a wrong guess costs a branch and never a wrong result: it is a guess, not a proof.
import type { Insn } from '../../isa/index.js';
import { CTX, PACKET, REGION_TAG, STACK } from '../memory.js';
import type { Program } from '../program.js';
import { forwardFlow, type Block } from './blocks.js';

/** No guess (several possibilities, or a value of unknown origin). */
export const UNKNOWN = -1;
/** A number, not a pointer. */
export const SCALAR = 0;

const HELPER_MAP_LOOKUP = 1;

export interface Guesses {
  /** Per slot: the guessed tag of the base register of a memory access (or UNKNOWN). */
  base: Int32Array;
  /** Per slot of a helper call: the guessed tag of r1 (a map pointer for map helpers). */
  r1: Int32Array;
}

/**
 * `valueTagOf(mapPtrTag)`: the value-region tag a lookup in that map returns (for r0 after
 * bpf_map_lookup_elem), or UNKNOWN.
 */
export function guessRegions(P: Program, blocks: Block[], valueTagOf: (ptrTag: number) => number, args?: Int32Array): Guesses {
  const base = new Int32Array(P.n + 1).fill(UNKNOWN);
  const r1 = new Int32Array(P.n + 1).fill(UNKNOWN);
  const start = new Int32Array(11).fill(UNKNOWN);
  start[1] = REGION_TAG + CTX; // a program's context, unless the arguments say otherwise
  if (args) for (let r = 1; r <= 5; r++) start[r] = args[r]!;
  start[10] = REGION_TAG + STACK;
  for (let r = 6; r <= 9; r++) start[r] = SCALAR;
  start[0] = SCALAR;
  forwardFlow(blocks, start, {
    step: (insn, st) => step(P, insn, st, base, r1, valueTagOf),
    join: (cur, st) => {
      let changed = false;
      for (let r = 0; r < 11; r++) if (cur[r] !== st[r] && cur[r] !== UNKNOWN) { cur[r] = UNKNOWN; changed = true; }
      return changed;
    },
    callee: calleeEntry,
  });
  return { base, r1 };
}

/** A subprogram starts with the caller's r1-r5 and a fresh frame; r6-r9 are its own. */
function calleeEntry(st: Int32Array): Int32Array {
  const c = st.slice();
  c[0] = UNKNOWN;
  for (let r = 6; r <= 9; r++) c[r] = UNKNOWN;
  return c;
}

function step(P: Program, insn: Insn, st: Int32Array, base: Int32Array, r1: Int32Array, valueTagOf: (t: number) => number): void {
  const d = insn.dst, s = insn.src, op = insn.opcode;
  switch (insn.spec.shape) {
    case 'alu_imm': case 'alu_reg': {
      const wide = (op & 7) === 0x07, code = op >> 4, reg = (op & 0x08) !== 0;
      if (wide && code === 0xb && insn.off === 0) { st[d] = reg ? st[s]! : SCALAR; return; } // mov
      // Pointer plus or minus a number stays in its region.
      if (wide && (code === 0x0 || code === 0x1)) {
        if (!reg || st[s] === SCALAR) return;
        if (code === 0x0 && st[d] === SCALAR) { st[d] = st[s]!; return; }
        st[d] = code === 0x1 && st[d]! > SCALAR && st[s] === st[d] ? SCALAR : UNKNOWN; // ptr - ptr is a number
        return;
      }
      st[d] = SCALAR;
      return;
    }
    case 'neg': case 'movsx': case 'end': st[d] = SCALAR; return;
    case 'lddw': st[d] = insn.src === 0 ? SCALAR : P.imm[insn.slot + 1]!; return;
    case 'ldx': case 'ldxs': {
      const t = st[s]!;
      base[insn.slot] = t;
      const size = sizeOf(op);
      // A word from the context is most likely xdp_md->data/data_end/data_meta; a double
      // word from anywhere else may be a spilled pointer.
      st[d] = t === REGION_TAG + CTX && size >= 4 ? REGION_TAG + PACKET : size === 8 ? UNKNOWN : SCALAR;
      return;
    }
    case 'st': case 'stx': base[insn.slot] = st[d]!; return;
    case 'atomic':
      base[insn.slot] = st[d]!;
      if ((insn.imm & 1) !== 0) { if (insn.imm === 0xf1) st[0] = SCALAR; else st[s] = SCALAR; }
      return;
    case 'ldabs': case 'ldind': st[0] = SCALAR; return;
    case 'call': {
      r1[insn.slot] = st[1]!;
      st[0] = insn.imm === HELPER_MAP_LOOKUP && st[1]! > SCALAR ? valueTagOf(st[1]!) : UNKNOWN;
      return;
    }
    case 'call_local': case 'callx': // the callee may leave anything in r0-r5
      for (let r = 0; r <= 5; r++) st[r] = UNKNOWN;
      return;
    default:
  }
}

function sizeOf(op: number): number {
  const sz = op & 0x18;
  return sz === 0x00 ? 4 : sz === 0x08 ? 2 : sz === 0x10 ? 1 : 8;
}
