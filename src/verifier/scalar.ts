// What the verifier knows about a 64-bit scalar: known bits (tnum) plus signed and unsigned
// bounds in 64 and 32 bits, kept consistent by `sync` (the kernel's reg_bounds_sync).
import {
  TUNKNOWN, U32, U64, s32, s64, tclearSubreg, tconst, tformat, tintersect, tisConst, tor, trange, tsubreg, u32, type Tnum,
} from './tnum.js';

export interface Bounds {
  t: Tnum;
  smin: bigint; smax: bigint; umin: bigint; umax: bigint;
  s32min: bigint; s32max: bigint; u32min: bigint; u32max: bigint;
}

export const S64_MIN = -(1n << 63n);
export const S64_MAX = (1n << 63n) - 1n;
export const S32_MIN = -(1n << 31n);
export const S32_MAX = (1n << 31n) - 1n;

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

export function unknown(): Bounds {
  return { t: TUNKNOWN, smin: S64_MIN, smax: S64_MAX, umin: 0n, umax: U64, s32min: S32_MIN, s32max: S32_MAX, u32min: 0n, u32max: U32 };
}

export function known(v: bigint): Bounds {
  const u = BigInt.asUintN(64, v);
  const s = s64(u);
  const l = u32(u);
  return { t: tconst(u), smin: s, smax: s, umin: u, umax: u, s32min: s32(l), s32max: s32(l), u32min: l, u32max: l };
}

/** A value in [lo, hi] unsigned (both < 2^63). */
export function urange(lo: bigint, hi: bigint): Bounds {
  const b = unknown();
  b.umin = lo; b.umax = hi; b.t = trange(lo, hi);
  return sync(b);
}

export const isConst = (b: Bounds): boolean => tisConst(b.t);
export const constVal = (b: Bounds): bigint => b.t.v;
export const isConst32 = (b: Bounds): boolean => tisConst(tsubreg(b.t));

function updateBounds32(b: Bounds): void {
  const t = tsubreg(b.t);
  b.s32min = max(b.s32min, s32(t.v | (t.m & 0x80000000n)));
  b.s32max = min(b.s32max, s32(t.v | (t.m & 0x7fffffffn)));
  b.u32min = max(b.u32min, t.v);
  b.u32max = min(b.u32max, t.v | t.m);
}

function updateBounds64(b: Bounds): void {
  const t = b.t;
  b.smin = max(b.smin, s64(t.v | (t.m & (1n << 63n))));
  b.smax = min(b.smax, s64(t.v | (t.m & S64_MAX)));
  b.umin = max(b.umin, t.v);
  b.umax = min(b.umax, t.v | t.m);
}

function deduce32(b: Bounds): void {
  if (b.umin >> 32n === b.umax >> 32n) {
    b.u32min = max(b.u32min, u32(b.umin));
    b.u32max = min(b.u32max, u32(b.umax));
    if (s32(b.umin) <= s32(b.umax)) {
      b.s32min = max(b.s32min, s32(b.umin));
      b.s32max = min(b.s32max, s32(b.umax));
    }
  }
  if (b.smin >> 32n === b.smax >> 32n) {
    b.u32min = max(b.u32min, u32(b.smin));
    b.u32max = min(b.u32max, u32(b.smax));
    if (s32(b.smin) <= s32(b.smax)) {
      b.s32min = max(b.s32min, s32(b.smin));
      b.s32max = min(b.s32max, s32(b.smax));
    }
  }
  if (s32(b.u32min) <= s32(b.u32max)) {
    b.s32min = max(b.s32min, s32(b.u32min));
    b.s32max = min(b.s32max, s32(b.u32max));
  }
  if (u32(b.s32min) <= u32(b.s32max)) {
    b.u32min = max(b.u32min, u32(b.s32min));
    b.u32max = min(b.u32max, u32(b.s32max));
  }
}

function deduce64(b: Bounds): void {
  if (s64(b.umin) <= s64(b.umax)) {
    b.smin = max(b.smin, s64(b.umin));
    b.smax = min(b.smax, s64(b.umax));
  }
  if (BigInt.asUintN(64, b.smin) <= BigInt.asUintN(64, b.smax)) {
    b.umin = max(b.umin, BigInt.asUintN(64, b.smin));
    b.umax = min(b.umax, BigInt.asUintN(64, b.smax));
  }
}

function deduceMixed(b: Bounds): void {
  const hiU = ~U32 & U64;
  b.umin = max(b.umin, (b.umin & hiU) | b.u32min);
  b.umax = min(b.umax, (b.umax & hiU) | b.u32max);
  b.smin = max(b.smin, s64((BigInt.asUintN(64, b.smin) & hiU) | b.u32min));
  b.smax = min(b.smax, s64((BigInt.asUintN(64, b.smax) & hiU) | b.u32max));
  // After a sign-extending load the upper 32 bits are all equal: s32 then decides the range.
  if (b.s32min >= 0n && b.smin >= S32_MIN && b.smax <= S32_MAX) {
    b.smin = b.s32min; b.smax = b.s32max; b.umin = b.s32min; b.umax = b.s32max;
    b.t = tintersect(b.t, trange(b.smin, b.smax));
  }
}

function boundOffset(b: Bounds): void {
  const t64 = tintersect(b.t, trange(b.umin, b.umax));
  const t32 = tintersect(tsubreg(t64), trange(b.u32min, b.u32max));
  b.t = tor(tclearSubreg(t64), t32);
}

/** Make all the views agree (in place; returns `b`). */
export function sync(b: Bounds): Bounds {
  updateBounds32(b); updateBounds64(b);
  deduce32(b); deduce64(b); deduceMixed(b);
  deduce32(b); deduce64(b); deduceMixed(b);
  boundOffset(b);
  updateBounds32(b); updateBounds64(b);
  return b;
}

/** True when the bounds describe no value (a branch that cannot be taken). */
export function isEmpty(b: Bounds): boolean {
  return b.smin > b.smax || b.umin > b.umax || b.s32min > b.s32max || b.u32min > b.u32max;
}

/** Zero-extend the low 32 bits into the whole register (after a 32-bit operation). */
export function zext32(b: Bounds): Bounds {
  const r: Bounds = { ...b, t: tsubreg(b.t), umin: b.u32min, umax: b.u32max };
  if (b.s32min >= 0n) { r.smin = b.s32min; r.smax = b.s32max; } else { r.smin = 0n; r.smax = U32; }
  return sync(r);
}

/** Every value of `b` is a value of `a` (range and tnum containment). */
export function contains(a: Bounds, b: Bounds): boolean {
  return a.umin <= b.umin && a.umax >= b.umax && a.smin <= b.smin && a.smax >= b.smax &&
    a.u32min <= b.u32min && a.u32max >= b.u32max && a.s32min <= b.s32min && a.s32max >= b.s32max &&
    tinBounds(a.t, b.t);
}
function tinBounds(a: Tnum, b: Tnum): boolean {
  if (b.m & ~a.m) return false;
  return a.v === (b.v & ~a.m);
}

export function equalBounds(a: Bounds, b: Bounds): boolean {
  return a.t.v === b.t.v && a.t.m === b.t.m && a.smin === b.smin && a.smax === b.smax && a.umin === b.umin &&
    a.umax === b.umax && a.s32min === b.s32min && a.s32max === b.s32max && a.u32min === b.u32min && a.u32max === b.u32max;
}

const hex = (v: bigint): string => (v < 0n ? '-0x' + (-v).toString(16) : '0x' + v.toString(16));
const num = (v: bigint): string => (v >= -0xffffn && v <= 0xffffn ? v.toString() : hex(v));

/**
 * The kernel's scalar text: `1`, or `smin=...,umax=...,var_off=(...)` listing only
 * the bounds that say something, with equal values merged (`smax=umax=255`).
 */
export function formatBounds(b: Bounds): string {
  if (isConst(b)) return num(s64(b.t.v));
  const items: [string, bigint, bigint][] = [
    ['smin', b.smin, S64_MIN], ['smax', b.smax, S64_MAX], ['umin', b.umin, 0n], ['umax', b.umax, U64],
    ['smin32', b.s32min, S32_MIN], ['smax32', b.s32max, S32_MAX], ['umin32', b.u32min, 0n], ['umax32', b.u32max, U32],
  ];
  const shown = items.filter(([, v, d]) => v !== d);
  const out: string[] = [];
  const done = new Set<number>();
  shown.forEach(([name, v], i) => {
    if (done.has(i)) return;
    const names = [name];
    shown.forEach(([n2, v2], j) => { if (j > i && !done.has(j) && v2 === v) { names.push(n2); done.add(j); } });
    out.push(`${names.join('=')}=${num(v)}`);
  });
  if (b.t.m !== U64) out.push(`var_off=${tformat(b.t)}`);
  return out.join(',');
}
