// Known high words for the compiled tier: a forward dataflow over the basic blocks that finds,
// per slot, which registers' high words are one known constant on every path (0 for a 32-bit
// value, a region tag for a pointer). With the high word known, V8 sees a constant: tag tests
// of memory accesses fold away, 64-bit compares become one 32-bit compare, and loop phis of
// high words disappear. Alongside, each register's low word gets an unsigned range, enough to
// prove that a pointer plus a small offset does not carry: a memory access that completes
// (checked, or proven by the verifier) leaves its base's low word within a region window,
// below 2^31.
//
// Three kinds of instruction only keep a high word known by speculating; the emitter writes a
// test that hands the run to the interpreter (`bail`) when the speculation does not hold, so a
// result is never wrong:
// - 64-bit add/sub of an operand with a known high word: the low words do not carry (or, for
//   a negative operand, do carry), as for a pointer plus a small offset or a small counter;
// - a 32-bit load from the context: a pointer field (xdp_md->data) gives the tag it gave when
//   the program was compiled, a number field a number;
// - at entry, r1-r5 hold the region tags they held when the program was compiled.
// A slot whose speculation fails often is compiled without it the next time (`noSpec`).
import type { Insn } from '../../isa/index.js';
import { CTX, REGION_TAG, STACK, STACK_BYTES } from '../memory.js';
import type { Program } from '../program.js';
import { forwardFlow, type Block } from './blocks.js';

/** Per slot, the state before it (see W): high words, then low-word ranges. */
export interface HighWords {
  before: Float64Array;
  /** Speculating slots: the high word the destination gets (add/sub, context loads). */
  spec: Map<number, number>;
  /** Add/sub slots whose low words cannot carry (or surely carry): no test needed. */
  exact: Map<number, number>;
  /** Entry registers whose tag is speculated (r1-r5): register -> tag. */
  entry: Map<number, number>;
}

export interface HighInput {
  /** Region tags of r1-r5 at the first run ([1]..[5]; 0 for a number). */
  entry?: Int32Array;
  /** The context pointer table at compile time: tag of the pointer field at a context offset, or undefined. */
  ctxField?(offset: number): number | undefined;
  /** r1's low word at the first run (the context's offset, for ctxField). */
  ctxBase?: number;
  /** Slots not to speculate at. */
  noSpec: ReadonlySet<number>;
}

const U = NaN;
const known = (v: number): boolean => v === v; // eslint-disable-line no-self-compare
const MAX = 0xffffffff;
/** State layout: [0, 11) high words, [11, 22) low-word minimum, [22, 33) maximum (unsigned). */
const W = 33, MIN = 11, TOP = 22;

/**
 * The high word of a 64-bit add/sub of `insn` in state `st`, and whether the low words surely
 * do what that assumes (`exact`); NaN when a high word is unknown.
 */
export function addHigh(insn: Insn, st: Float64Array, at = 0): { high: number; exact: boolean } {
  const d = insn.dst, reg = (insn.opcode & 0x08) !== 0;
  const hd = st[at + d]!, hs = reg ? st[at + insn.src]! : insn.imm >> 31;
  if (!known(hd) || !known(hs)) return { high: U, exact: false };
  const add = insn.opcode >> 4 === 0x0;
  // Expected carry (add) or borrow (sub): yes exactly when the operand is negative.
  const c = hs < 0 ? 1 : 0;
  const high = add ? (hd + hs + c) | 0 : (hd - hs - c) | 0;
  const bmin = reg ? st[at + MIN + insn.src]! : insn.imm >>> 0, bmax = reg ? st[at + TOP + insn.src]! : insn.imm >>> 0;
  const dmin = st[at + MIN + d]!, dmax = st[at + TOP + d]!;
  let exact: boolean;
  if (add) exact = c === 0 ? dmax + bmax <= MAX : dmin + bmin > MAX;
  else exact = c === 0 ? dmin >= bmax : dmax < bmin;
  return { high, exact };
}

const sizeOf = (op: number): number => [4, 2, 1, 8][(op & 0x18) >> 3]!;

/**
 * Per loop header, per register: the largest constant the loop adds to it when every write to
 * it in the loop is `+= constant >= 0` (64-bit), else -1.
 */
function increments(P: Program, loops: ReadonlyMap<number, number>): Map<number, Float64Array> {
  const out = new Map<number, Float64Array>();
  for (const [h, e] of loops) {
    const inc = new Float64Array(11);
    for (let s = h; s <= e; s++) {
      const insn = P.insns.find((x) => x.slot === s);
      if (!insn) continue;
      const sh = insn.spec.shape, op = insn.opcode;
      const addImm = sh === 'alu_imm' && (op & 7) === 0x07 && op >> 4 === 0x0 && insn.imm >= 0;
      if (addImm) { if (inc[insn.dst]! >= 0) inc[insn.dst] = Math.max(inc[insn.dst]!, insn.imm); continue; }
      const writes = ['alu_imm', 'alu_reg', 'neg', 'end', 'movsx', 'ldx', 'ldxs', 'lddw'].includes(sh) ? [insn.dst]
        : sh === 'atomic' && (insn.imm & 1) !== 0 ? [insn.imm === 0xf1 ? 0 : insn.src]
          : ['call', 'call_local', 'callx', 'ldabs', 'ldind'].includes(sh) ? [0, 1, 2, 3, 4, 5] : [];
      for (const r of writes) inc[r] = -1;
    }
    out.set(h, inc);
  }
  return out;
}

/**
 * Why a counter stepped by small constants cannot carry: compiled code runs fewer than 2^31
 * instructions per run (n is an int32 and the budget check bounds it), so a register a loop
 * only adds at most c to per instruction grows by less than c * 2^31 over the whole run.
 */
const RUN_STEPS = 2 ** 31;

export function highWords(P: Program, blocks: Block[], input: HighInput, loops: ReadonlyMap<number, number> = new Map()): HighWords {
  const inc = increments(P, loops);
  /** Header slot * 11 + register: widened as a counter (see RUN_STEPS). */
  const counters = new Set<number>();
  const before = new Float64Array((P.n + 1) * W);
  const out: HighWords = { before, spec: new Map(), exact: new Map(), entry: new Map() };
  const start = new Float64Array(W).fill(U);
  for (let r = 0; r < 11; r++) { start[MIN + r] = 0; start[TOP + r] = MAX; }
  for (const r of [0, 6, 7, 8, 9]) { start[r] = 0; start[TOP + r] = 0; }
  // The prologue's literals; only writes to r10 change it (structured layouts have no calls).
  set(start, 10, REGION_TAG + STACK, STACK_BYTES, STACK_BYTES);
  for (let r = 1; r <= 5; r++) {
    const t = input.entry?.[r] ?? 0;
    if (t > 0 && !input.noSpec.has(-r)) { start[r] = t; out.entry.set(r, t); }
  }
  // A join keeps equal high words and joins ranges; at a loop header a range that grows goes
  // to the whole 32 bits at once (so loops settle in a few passes), unless it is a counter.
  const join = (cur: Float64Array, st: Float64Array, to: number, from: number): boolean => {
    let changed = false;
    const end = loops.get(to), steps = inc.get(to);
    const backEdge = end !== undefined && from >= to && from <= end;
    for (let r = 0; r < 11; r++) {
      if (known(cur[r]!) && cur[r] !== st[r]) { cur[r] = U; changed = true; }
      if (st[MIN + r]! >= cur[MIN + r]! && st[TOP + r]! <= cur[TOP + r]!) continue;
      const key = to * 11 + r, c = steps?.[r] ?? -1;
      // A loop counter widened as such (see RUN_STEPS): what comes round the loop is inside
      // that bound already.
      if (backEdge && c >= 0 && counters.has(key) && st[MIN + r]! >= cur[MIN + r]!) continue;
      changed = true;
      // Inside a loop body, ranges join; every cycle passes a loop header, which widens.
      if (end === undefined) { cur[MIN + r] = Math.min(cur[MIN + r]!, st[MIN + r]!); cur[TOP + r] = Math.max(cur[TOP + r]!, st[TOP + r]!); continue; }
      // A counter keeps its entry minimum and a maximum bounded by RUN_STEPS; else all 32 bits.
      const top = cur[TOP + r]! + c * RUN_STEPS;
      if (backEdge && c >= 0 && !counters.has(key) && st[MIN + r]! >= cur[MIN + r]! && top <= MAX && st[TOP + r]! <= top) {
        cur[TOP + r] = top; counters.add(key);
      } else { cur[MIN + r] = 0; cur[TOP + r] = MAX; counters.delete(key); }
    }
    return changed;
  };
  // Structured layouts have no local calls, so no callee states.
  forwardFlow(blocks, start, { step: (insn, st) => { before.set(st, insn.slot * W); step(insn, st, input, out); }, join });
  return out;
}

function set(st: Float64Array, r: number, high: number, min = 0, max = MAX): void {
  st[r] = high; st[MIN + r] = min; st[TOP + r] = max;
}

/** After a memory access through base r completes, r's low word is inside a region window. */
function accessed(st: Float64Array, r: number, off: number, size: number): void {
  if (r === 10) return;
  st[MIN + r] = Math.max(st[MIN + r]!, 0, -off);
  st[TOP + r] = Math.min(st[TOP + r]!, 0x7fffffff - size - off);
  if (st[MIN + r]! > st[TOP + r]!) { st[MIN + r] = 0; st[TOP + r] = MAX; } // not reachable; stay sound
}

function step(insn: Insn, st: Float64Array, input: HighInput, out: HighWords): void {
  const d = insn.dst, s = insn.src, op = insn.opcode, reg = (op & 0x08) !== 0, slot = insn.slot;
  const hs = reg ? st[s]! : insn.imm >> 31;
  switch (insn.spec.shape) {
    case 'alu_imm': case 'alu_reg': {
      const code = op >> 4, hd = st[d]!;
      if ((op & 7) !== 0x07) { // ALU32 zero-extends
        if (code === 0xb && insn.off === 0 && !reg) set(st, d, 0, insn.imm >>> 0, insn.imm >>> 0);
        else if (code === 0x5 && !reg && insn.imm >= 0) set(st, d, 0, 0, insn.imm);
        else set(st, d, 0);
        return;
      }
      switch (code) {
        case 0x0: case 0x1: {
          const { high, exact } = addHigh(insn, st);
          out.spec.delete(slot); out.exact.delete(slot);
          if (!known(high) || (!exact && input.noSpec.has(slot))) { set(st, d, U); return; }
          (exact ? out.exact : out.spec).set(slot, high);
          const add = code === 0x0, bmin = reg ? st[MIN + s]! : insn.imm >>> 0, bmax = reg ? st[TOP + s]! : insn.imm >>> 0;
          if (exact) {
            const lo = add ? st[MIN + d]! + bmin : st[MIN + d]! - bmax, hi = add ? st[TOP + d]! + bmax : st[TOP + d]! - bmin;
            // A sure carry (or borrow) wraps the range by 2^32.
            const wrap = add ? (lo > MAX ? -(MAX + 1) : 0) : (hi < 0 ? MAX + 1 : 0);
            if (lo + wrap >= 0 && hi + wrap <= MAX) { set(st, d, high, lo + wrap, hi + wrap); return; }
          }
          set(st, d, high);
          return;
        }
        case 0x4: set(st, d, known(hd) && known(hs) ? hd | hs : U); return;
        case 0x5: {
          const h = hd === 0 || hs === 0 ? 0 : known(hd) && known(hs) ? hd & hs : U;
          if (!reg && insn.imm >= 0) set(st, d, h, 0, insn.imm); else set(st, d, h);
          return;
        }
        case 0xa: set(st, d, known(hd) && known(hs) ? hd ^ hs : U); return;
        case 0xb: // mov (movsx: unknown)
          if (insn.off !== 0) set(st, d, U);
          else if (reg) set(st, d, st[s]!, st[MIN + s]!, st[TOP + s]!);
          else set(st, d, hs, insn.imm >>> 0, insn.imm >>> 0);
          return;
        case 0x6: if (reg || (insn.imm & 63) !== 0) set(st, d, U); return;
        case 0x7: { // rsh by a constant
          const k = insn.imm & 63;
          if (reg) set(st, d, U);
          else if (k >= 32) set(st, d, 0, 0, known(hd) && hd >= 0 ? hd >>> (k - 32) : MAX);
          else if (k > 0) set(st, d, known(hd) ? hd >>> k | 0 : U);
          return;
        }
        case 0xc: { const k = insn.imm & 63; set(st, d, !reg && known(hd) ? (k >= 32 ? hd >> 31 : hd >> k) : U); return; }
        case 0xd: set(st, d, insn.imm === 64 ? U : 0); return; // bswap16/32 zero-extend
        default: set(st, d, U); return;
      }
    }
    case 'end': set(st, d, insn.imm === 64 ? U : 0, 0, insn.imm === 16 ? 0xffff : MAX); return;
    case 'neg': case 'movsx': set(st, d, (op & 7) === 0x07 ? U : 0); return;
    case 'lddw': set(st, d, U); return;
    case 'ldx': {
      const size = sizeOf(op);
      accessed(st, s, insn.off, size);
      if (size === 8) { set(st, d, U); return; }
      out.spec.delete(slot);
      // A word through a base that may be the context may be a pointer field (xdp_md->data):
      // speculate on what that field held at compile time, or know nothing.
      const base = st[s]!;
      if (size === 4 && (!known(base) || base === REGION_TAG + CTX)) {
        if (base === REGION_TAG + CTX && !input.noSpec.has(slot) && input.ctxField && input.ctxBase !== undefined) {
          const tag = input.ctxField((input.ctxBase + insn.off) | 0) ?? 0;
          out.spec.set(slot, tag);
          set(st, d, tag);
        } else set(st, d, U);
        return;
      }
      set(st, d, 0, 0, 2 ** (8 * size) - 1);
      return;
    }
    case 'ldxs': accessed(st, s, insn.off, sizeOf(op)); set(st, d, U); return;
    case 'st': case 'stx': accessed(st, d, insn.off, sizeOf(op)); return;
    case 'atomic':
      accessed(st, d, insn.off, (op & 0x18) === 0x18 ? 8 : 4);
      if ((insn.imm & 1) !== 0) { if (insn.imm === 0xf1) set(st, 0, U); else set(st, s, U); }
      return;
    case 'ldabs': case 'ldind': set(st, 0, U); return;
    case 'call': case 'call_local': case 'callx': for (let r = 0; r <= 5; r++) set(st, r, U); return;
    default:
  }
}

/** The state before slot s (for addHigh). */
export const stateAt = (H: HighWords, s: number): Float64Array => H.before.subarray(s * W, s * W + W);
export const isKnown = known;
