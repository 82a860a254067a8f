// ALU transfer functions on scalar bounds, following the kernel's adjust_scalar_min_max_vals:
// each operation is computed on the 64-bit view and on the 32-bit view; a 32-bit instruction
// then zero-extends its result.
import { S32_MAX, S32_MIN, S64_MAX, S64_MIN, sync, unknown, zext32, type Bounds } from './scalar.js';
import {
  U32, U64, s32, s64, tadd, tand, tarsh, tcast, tlsh, tmul, tor, trsh, tsub, tsubreg, txor, u32, u64, type Tnum,
} from './tnum.js';

/** One width's view: tnum restricted to the width and the four bounds. */
interface View { t: Tnum; smin: bigint; smax: bigint; umin: bigint; umax: bigint }

const view64 = (b: Bounds): View => ({ t: b.t, smin: b.smin, smax: b.smax, umin: b.umin, umax: b.umax });
const view32 = (b: Bounds): View => ({ t: tsubreg(b.t), smin: b.s32min, smax: b.s32max, umin: b.u32min, umax: b.u32max });

interface Width { bits: 32 | 64; umax: bigint; smin: bigint; smax: bigint; wrapU: (x: bigint) => bigint; wrapS: (x: bigint) => bigint }
const W64: Width = { bits: 64, umax: U64, smin: S64_MIN, smax: S64_MAX, wrapU: u64, wrapS: s64 };
const W32: Width = { bits: 32, umax: U32, smin: S32_MIN, smax: S32_MAX, wrapU: u32, wrapS: s32 };

const fullS = (w: Width): Pick<View, 'smin' | 'smax'> => ({ smin: w.smin, smax: w.smax });
const fullU = (w: Width): Pick<View, 'umin' | 'umax'> => ({ umin: 0n, umax: w.umax });
const fit = (t: Tnum, w: Width): Tnum => (w.bits === 32 ? tcast(t, 4) : t);
const inS = (x: bigint, w: Width): boolean => x >= w.smin && x <= w.smax;

export type AluOp = 'add' | 'sub' | 'mul' | 'and' | 'or' | 'xor' | 'lsh' | 'rsh' | 'arsh';

function op(o: AluOp, a: View, b: View, w: Width): View {
  switch (o) {
    case 'add': {
      const smin = a.smin + b.smin, smax = a.smax + b.smax;
      const umin = a.umin + b.umin, umax = a.umax + b.umax;
      return {
        t: fit(tadd(a.t, b.t), w),
        ...(inS(smin, w) && inS(smax, w) ? { smin, smax } : fullS(w)),
        ...(umax <= w.umax ? { umin, umax } : fullU(w)),
      };
    }
    case 'sub': {
      const smin = a.smin - b.smax, smax = a.smax - b.smin;
      return {
        t: fit(tsub(a.t, b.t), w),
        ...(inS(smin, w) && inS(smax, w) ? { smin, smax } : fullS(w)),
        ...(a.umin >= b.umax ? { umin: a.umin - b.umax, umax: a.umax - b.umin } : fullU(w)),
      };
    }
    case 'mul': {
      const umax = a.umax * b.umax;
      const prods = [a.smin * b.smin, a.smin * b.smax, a.smax * b.smin, a.smax * b.smax];
      const smin = prods.reduce((x, y) => (x < y ? x : y)), smax = prods.reduce((x, y) => (x > y ? x : y));
      return {
        t: fit(tmul(a.t, b.t), w),
        ...(inS(smin, w) && inS(smax, w) ? { smin, smax } : fullS(w)),
        ...(umax <= w.umax ? { umin: a.umin * b.umin, umax } : fullU(w)),
      };
    }
    case 'and': {
      const t = fit(tand(a.t, b.t), w);
      const umin = t.v, umax = a.umax < b.umax ? a.umax : b.umax;
      return { t, umin, umax, ...(a.smin < 0n || b.smin < 0n ? fullS(w) : { smin: umin, smax: umax }) };
    }
    case 'or': {
      const t = fit(tor(a.t, b.t), w);
      const umin = a.umin > b.umin ? a.umin : b.umin, umax = t.v | t.m;
      return { t, umin, umax, ...(a.smin < 0n || b.smin < 0n ? fullS(w) : { smin: umin, smax: umax }) };
    }
    case 'xor': {
      const t = fit(txor(a.t, b.t), w);
      const umin = t.v, umax = t.v | t.m;
      return { t, umin, umax, ...(a.smin >= 0n && b.smin >= 0n ? { smin: umin, smax: umax } : fullS(w)) };
    }
    case 'lsh': {
      const lo = Number(b.umin), hi = Number(b.umax);
      const t = fit(tlsh(a.t, lo), w);
      const ok = a.umax <= w.umax >> BigInt(hi);
      return { t, ...fullS(w), ...(ok ? { umin: a.umin << BigInt(lo), umax: a.umax << BigInt(hi) } : fullU(w)) };
    }
    case 'rsh': {
      const lo = Number(b.umin), hi = Number(b.umax);
      return { t: fit(trsh(a.t, lo), w), ...fullS(w), umin: a.umin >> BigInt(hi), umax: a.umax >> BigInt(lo) };
    }
    case 'arsh': {
      const lo = Number(b.umin);
      return { t: fit(tarsh(a.t, lo, w.bits), w), smin: a.smin >> BigInt(lo), smax: a.smax >> BigInt(lo), ...fullU(w) };
    }
  }
}

/**
 * The kernel computes bounds only when it is safe (is_safe_to_compute_dst_reg_range):
 * shifts need a constant amount below the width; otherwise the result is unknown.
 */
function shiftKnown(o: AluOp, b: View, w: Width): boolean {
  if (o !== 'lsh' && o !== 'rsh' && o !== 'arsh') return true;
  return b.t.m === 0n && b.umax < BigInt(w.bits);
}

/** dst = dst <op> src on scalars; `width` 32 zero-extends the result. */
export function scalarAlu(o: AluOp, a: Bounds, b: Bounds, width: 32 | 64): Bounds {
  if (width === 64) {
    const bv = view64(b);
    if (!shiftKnown(o, bv, W64)) return unknown();
    const r64 = op(o, view64(a), bv, W64);
    const out: Bounds = { ...unknown(), ...r64 };
    if (o !== 'lsh' && o !== 'rsh' && o !== 'arsh') {
      const r32 = op(o, view32(a), view32(b), W32);
      out.s32min = r32.smin; out.s32max = r32.smax; out.u32min = r32.umin; out.u32max = r32.umax;
    }
    return sync(out);
  }
  const bv = view32(b);
  if (!shiftKnown(o, bv, W32)) return zext32(sync({ ...unknown(), t: { v: 0n, m: U32 } }));
  const r = op(o, view32(a), bv, W32);
  const out: Bounds = { ...unknown(), t: r.t, s32min: r.smin, s32max: r.smax, u32min: r.umin, u32max: r.umax };
  return zext32(sync(out));
}

/** dst = -dst. */
export function scalarNeg(a: Bounds, width: 32 | 64): Bounds {
  const zero: Bounds = { ...unknown(), t: { v: 0n, m: 0n }, smin: 0n, smax: 0n, umin: 0n, umax: 0n, s32min: 0n, s32max: 0n, u32min: 0n, u32max: 0n };
  return scalarAlu('sub', zero, a, width);
}

/** Truncate to `bytes` and zero-extend (loads, mov32). */
export function truncate(a: Bounds, bytes: number): Bounds {
  if (bytes >= 8) return a;
  if (bytes === 4) return zext32(a);
  const t = tcast(a.t, bytes);
  const hi = (1n << BigInt(bytes * 8)) - 1n;
  const b = unknown();
  b.t = t;
  // The low bits keep their range only if the value already fits.
  if (a.umax <= hi) { b.umin = a.umin; b.umax = a.umax; } else { b.umin = 0n; b.umax = hi; }
  return sync(b);
}

/** Sign-extend the low `bits` bits (movsx, sign-extending loads); `width` 32 zero-extends after. */
export function signExtend(a: Bounds, bits: 8 | 16 | 32, width: 32 | 64): Bounds {
  const bytes = bits / 8;
  const lo = -(1n << BigInt(bits - 1)), hi = (1n << BigInt(bits - 1)) - 1n;
  const low = tcast(a.t, bytes);
  const signBit = 1n << BigInt(bits - 1);
  const b = unknown();
  const fits = a.smin >= lo && a.smax <= hi && (bits === 32 ? true : a.umax <= (1n << BigInt(bits)) - 1n);
  if (low.m & signBit) {
    b.t = { v: low.v, m: (low.m | (U64 ^ ((1n << BigInt(bits)) - 1n))) & U64 };
  } else if (low.v & signBit) {
    b.t = { v: (low.v | (U64 ^ ((1n << BigInt(bits)) - 1n))) & U64, m: low.m };
  } else {
    b.t = low;
  }
  b.smin = lo; b.smax = hi;
  if (fits && a.smin >= 0n) { b.smin = a.smin; b.smax = a.smax; }
  const out = sync(b);
  return width === 32 ? zext32(out) : out;
}
