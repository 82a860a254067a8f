// Conditional jumps on scalars: whether the outcome is already decided (is_branch_taken)
// and what each branch learns about both operands (regs_refine_cond_op).
import { isEmpty, sync, type Bounds } from './scalar.js';
import { s32, tconst, tintersect, tor, tand, tsubreg, twithSubreg, U64, U32 } from './tnum.js';

export type CmpOp = 'jeq' | 'jne' | 'jgt' | 'jge' | 'jlt' | 'jle' | 'jsgt' | 'jsge' | 'jslt' | 'jsle' | 'jset';
/** jset's negation, which has no opcode of its own. */
export type CondOp = CmpOp | 'jnset';

const NEGATE: Record<CondOp, CondOp> = {
  jeq: 'jne', jne: 'jeq', jgt: 'jle', jle: 'jgt', jge: 'jlt', jlt: 'jge',
  jsgt: 'jsle', jsle: 'jsgt', jsge: 'jslt', jslt: 'jsge', jset: 'jnset', jnset: 'jset',
};
export const negate = (op: CondOp): CondOp => NEGATE[op];

/** `a op b` is the same as `b FLIP[op] a`. */
const FLIP: Record<CondOp, CondOp> = {
  jeq: 'jeq', jne: 'jne', jgt: 'jlt', jlt: 'jgt', jge: 'jle', jle: 'jge',
  jsgt: 'jslt', jslt: 'jsgt', jsge: 'jsle', jsle: 'jsge', jset: 'jset', jnset: 'jnset',
};
export const flip = (op: CondOp): CondOp => FLIP[op];

interface V { v: bigint; m: bigint; smin: bigint; smax: bigint; umin: bigint; umax: bigint }
const v64 = (b: Bounds): V => ({ v: b.t.v, m: b.t.m, smin: b.smin, smax: b.smax, umin: b.umin, umax: b.umax });
const v32 = (b: Bounds): V => {
  const t = tsubreg(b.t);
  return { v: t.v, m: t.m, smin: b.s32min, smax: b.s32max, umin: b.u32min, umax: b.u32max };
};

/** 1 = always taken, 0 = never, -1 = unknown. */
export function branchTaken(a: Bounds, b: Bounds, op: CondOp, width: 32 | 64): 1 | 0 | -1 {
  const x = width === 32 ? v32(a) : v64(a);
  const y = width === 32 ? v32(b) : v64(b);
  const bothConst = x.m === 0n && y.m === 0n;
  switch (op) {
    case 'jeq':
    case 'jne': {
      let r: 1 | 0 | -1 = -1;
      if (bothConst) r = x.v === y.v ? 1 : 0;
      else if (x.umin > y.umax || x.umax < y.umin || x.smin > y.smax || x.smax < y.smin) r = 0;
      else if (((x.v ^ y.v) & ~(x.m | y.m)) !== 0n) r = 0;
      return op === 'jeq' || r === -1 ? r : r === 1 ? 0 : 1;
    }
    case 'jset':
    case 'jnset': {
      let r: 1 | 0 | -1 = -1;
      if ((x.v & y.v) !== 0n) r = 1;
      else if (((x.v | x.m) & (y.v | y.m)) === 0n) r = 0;
      return op === 'jset' || r === -1 ? r : r === 1 ? 0 : 1;
    }
    case 'jgt': return x.umin > y.umax ? 1 : x.umax <= y.umin ? 0 : -1;
    case 'jge': return x.umin >= y.umax ? 1 : x.umax < y.umin ? 0 : -1;
    case 'jlt': return x.umax < y.umin ? 1 : x.umin >= y.umax ? 0 : -1;
    case 'jle': return x.umax <= y.umin ? 1 : x.umin > y.umax ? 0 : -1;
    case 'jsgt': return x.smin > y.smax ? 1 : x.smax <= y.smin ? 0 : -1;
    case 'jsge': return x.smin >= y.smax ? 1 : x.smax < y.smin ? 0 : -1;
    case 'jslt': return x.smax < y.smin ? 1 : x.smin >= y.smax ? 0 : -1;
    case 'jsle': return x.smax <= y.smin ? 1 : x.smin > y.smax ? 0 : -1;
  }
}

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** Write a refined view back into the bounds of the right width. */
function put(b: Bounds, x: V, width: 32 | 64): void {
  if (width === 64) {
    b.t = { v: x.v, m: x.m }; b.smin = x.smin; b.smax = x.smax; b.umin = x.umin; b.umax = x.umax;
  } else {
    b.t = twithSubreg(b.t, { v: x.v, m: x.m }); b.s32min = x.smin; b.s32max = x.smax; b.u32min = x.umin; b.u32max = x.umax;
  }
}

/**
 * Assume `a op b` holds; return what that says about a and b (new objects, synced).
 * null when the assumption contradicts what is known: that branch cannot happen.
 */
export function refine(a: Bounds, b: Bounds, op: CondOp, width: 32 | 64): [Bounds, Bounds] | null {
  const ra: Bounds = { ...a }, rb: Bounds = { ...b };
  const x = width === 32 ? v32(a) : v64(a);
  const y = width === 32 ? v32(b) : v64(b);
  const mask = width === 32 ? U32 : U64;
  switch (op) {
    case 'jeq': {
      const t = tintersect({ v: x.v, m: x.m }, { v: y.v, m: y.m });
      x.umin = y.umin = max(x.umin, y.umin); x.umax = y.umax = min(x.umax, y.umax);
      x.smin = y.smin = max(x.smin, y.smin); x.smax = y.smax = min(x.smax, y.smax);
      // Contradictory known bits: make the range empty so the caller drops the branch.
      if (((x.v ^ y.v) & ~(x.m | y.m)) !== 0n) { x.umin = 1n; x.umax = 0n; }
      x.v = y.v = t.v; x.m = y.m = t.m;
      break;
    }
    case 'jne': {
      // Only a constant at an edge of the other's range narrows it.
      const edge = (p: V, c: V): void => {
        if (c.m !== 0n) return;
        const cu = c.v, cs = width === 32 ? s32(c.v) : BigInt.asIntN(64, c.v);
        if (p.umin === cu) p.umin++; else if (p.umax === cu) p.umax--;
        if (p.smin === cs) p.smin++; else if (p.smax === cs) p.smax--;
        if (p.m === 0n && p.v === cu) { p.umin = 1n; p.umax = 0n; }
      };
      edge(x, y); edge(y, x);
      break;
    }
    case 'jset':
      if (y.m === 0n && y.v !== 0n && (y.v & (y.v - 1n)) === 0n) { const t = tor({ v: x.v, m: x.m }, tconst(y.v)); x.v = t.v; x.m = t.m; }
      if (x.m === 0n && x.v !== 0n && (x.v & (x.v - 1n)) === 0n) { const t = tor({ v: y.v, m: y.m }, tconst(x.v)); y.v = t.v; y.m = t.m; }
      break;
    case 'jnset':
      if (y.m === 0n) { const t = tand({ v: x.v, m: x.m }, tconst(~y.v & mask)); x.v = t.v; x.m = t.m; if (x.m === 0n && (x.v & y.v)) x.umin = x.umax + 1n; }
      else if (x.m === 0n) { const t = tand({ v: y.v, m: y.m }, tconst(~x.v & mask)); y.v = t.v; y.m = t.m; }
      break;
    case 'jge': x.umin = max(x.umin, y.umin); y.umax = min(y.umax, x.umax); break;
    case 'jgt': x.umin = max(x.umin, y.umin + 1n); y.umax = min(y.umax, x.umax - 1n); if (x.umax === 0n) { x.umin = 1n; } break;
    case 'jsge': x.smin = max(x.smin, y.smin); y.smax = min(y.smax, x.smax); break;
    case 'jsgt': x.smin = max(x.smin, y.smin + 1n); y.smax = min(y.smax, x.smax - 1n); break;
    case 'jle': case 'jlt': case 'jsle': case 'jslt': {
      const r = refine(b, a, flip(op), width);
      return r ? [r[1], r[0]] : null;
    }
  }
  if (x.umin > x.umax || x.smin > x.smax || y.umin > y.umax || y.smin > y.smax) return null;
  put(ra, x, width); put(rb, y, width);
  sync(ra); sync(rb);
  return isEmpty(ra) || isEmpty(rb) ? null : [ra, rb];
}
