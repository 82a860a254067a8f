// Tristate numbers (the kernel's `struct tnum`): a 64-bit value where each bit is known 0,
// known 1 or unknown. `v` holds the known-1 bits, `m` the unknown bits; v & m == 0.
// BigInt is used throughout the verifier's value domain: it is not the per-packet hot path,
// and exact 64-bit unsigned arithmetic keeps the transfer functions readable.

export interface Tnum { readonly v: bigint; readonly m: bigint }

export const U64 = (1n << 64n) - 1n;
export const U32 = (1n << 32n) - 1n;

/** Wrap to unsigned 64 bits. */
export const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
/** Reinterpret as signed 64 bits. */
export const s64 = (x: bigint): bigint => BigInt.asIntN(64, x);
export const u32 = (x: bigint): bigint => BigInt.asUintN(32, x);
export const s32 = (x: bigint): bigint => BigInt.asIntN(32, x);

export const tconst = (v: bigint): Tnum => ({ v: u64(v), m: 0n });
export const TUNKNOWN: Tnum = { v: 0n, m: U64 };

const fls = (x: bigint): number => (x === 0n ? 0 : x.toString(2).length);

/** The smallest tnum containing every value in [min, max] (unsigned). */
export function trange(min: bigint, max: bigint): Tnum {
  const chi = u64(min ^ max);
  const bits = fls(chi);
  if (bits > 63) return TUNKNOWN;
  const delta = (1n << BigInt(bits)) - 1n;
  return { v: u64(min & ~delta), m: delta };
}

export const tlsh = (a: Tnum, s: number): Tnum => ({ v: u64(a.v << BigInt(s)), m: u64(a.m << BigInt(s)) });
export const trsh = (a: Tnum, s: number): Tnum => ({ v: a.v >> BigInt(s), m: a.m >> BigInt(s) });

export function tarsh(a: Tnum, s: number, width: 32 | 64): Tnum {
  if (width === 32) return { v: u32(s32(a.v) >> BigInt(s)), m: u32(s32(a.m) >> BigInt(s)) };
  return { v: u64(s64(a.v) >> BigInt(s)), m: u64(s64(a.m) >> BigInt(s)) };
}

export function tadd(a: Tnum, b: Tnum): Tnum {
  const sm = u64(a.m + b.m);
  const sv = u64(a.v + b.v);
  const sigma = u64(sm + sv);
  const chi = sigma ^ sv;
  const mu = chi | a.m | b.m;
  return { v: sv & ~mu & U64, m: mu };
}

export function tsub(a: Tnum, b: Tnum): Tnum {
  const dv = u64(a.v - b.v);
  const alpha = u64(dv + a.m);
  const beta = u64(dv - b.m);
  const chi = alpha ^ beta;
  const mu = chi | a.m | b.m;
  return { v: dv & ~mu & U64, m: mu };
}

export function tand(a: Tnum, b: Tnum): Tnum {
  const alpha = a.v | a.m;
  const beta = b.v | b.m;
  const v = a.v & b.v;
  return { v, m: alpha & beta & ~v & U64 };
}

export function tor(a: Tnum, b: Tnum): Tnum {
  const v = a.v | b.v;
  return { v, m: (a.m | b.m) & ~v & U64 };
}

export function txor(a: Tnum, b: Tnum): Tnum {
  const mu = a.m | b.m;
  return { v: (a.v ^ b.v) & ~mu & U64, m: mu };
}

/** Long multiplication over the known and unknown bits (the kernel's tnum_mul). */
export function tmul(a: Tnum, b: Tnum): Tnum {
  const accV = u64(a.v * b.v);
  let accM: Tnum = { v: 0n, m: 0n };
  while (a.v !== 0n || a.m !== 0n) {
    if (a.v & 1n) accM = tadd(accM, { v: 0n, m: b.m });
    else if (a.m & 1n) accM = tadd(accM, { v: 0n, m: b.v | b.m });
    a = trsh(a, 1);
    b = tlsh(b, 1);
  }
  return tadd({ v: accV, m: 0n }, accM);
}

export function tintersect(a: Tnum, b: Tnum): Tnum {
  const v = a.v | b.v;
  const mu = a.m & b.m;
  return { v: v & ~mu & U64, m: mu };
}

/** Keep the low `bytes` bytes. */
export function tcast(a: Tnum, bytes: number): Tnum {
  const mask = (1n << BigInt(bytes * 8)) - 1n;
  return { v: a.v & mask, m: a.m & mask };
}

export const tsubreg = (a: Tnum): Tnum => tcast(a, 4);
export const tclearSubreg = (a: Tnum): Tnum => tlsh(trsh(a, 32), 32);
/** Replace the low 32 bits of `a` with those of `sub`. */
export const twithSubreg = (a: Tnum, sub: Tnum): Tnum => tor(tclearSubreg(a), tsubreg(sub));

export const tisConst = (a: Tnum): boolean => a.m === 0n;
export const tisUnknown = (a: Tnum): boolean => a.m === U64;

/** True when every value of `b` is a value of `a`. */
export function tin(a: Tnum, b: Tnum): boolean {
  if (b.m & ~a.m) return false;
  return a.v === (b.v & ~a.m);
}

export const tequal = (a: Tnum, b: Tnum): boolean => a.v === b.v && a.m === b.m;

/** `(0x0; 0xff)` as the kernel prints var_off. */
export const tformat = (a: Tnum): string => `(0x${a.v.toString(16)}; 0x${a.m.toString(16)})`;
