// 64-bit add, sub, neg and mul on int32 pairs (lo, hi), without BigInt.
// Every function writes its result into `out[at]` (low word) and `out[at + 1]` (high word),
// so a caller can target a register file (an Int32Array) directly and allocate nothing.
// Inputs are int32 words; unsigned words are accepted too (they are truncated with `| 0`).

/** out = a + b (mod 2^64). */
export function add64(out: Int32Array, at: number, alo: number, ahi: number, blo: number, bhi: number): void {
  const lo = (alo + blo) | 0;
  // Carry out of the low word: the unsigned sum wrapped when it is below either operand.
  const carry = (lo >>> 0) < (alo >>> 0) ? 1 : 0;
  out[at] = lo;
  out[at + 1] = (ahi + bhi + carry) | 0;
}

/** out = a - b (mod 2^64). */
export function sub64(out: Int32Array, at: number, alo: number, ahi: number, blo: number, bhi: number): void {
  const borrow = (alo >>> 0) < (blo >>> 0) ? 1 : 0;
  out[at] = (alo - blo) | 0;
  out[at + 1] = (ahi - bhi - borrow) | 0;
}

/** out = -a (mod 2^64). */
export function neg64(out: Int32Array, at: number, alo: number, ahi: number): void {
  out[at] = -alo | 0;
  out[at + 1] = (~ahi + (alo === 0 ? 1 : 0)) | 0;
}

/** High 32 bits of the unsigned 64-bit product of two unsigned 32-bit words. */
export function mulhu32(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16;
  const b0 = b & 0xffff, b1 = b >>> 16;
  // Each partial product is below 2^32, so doubles hold them exactly and >>> reads them.
  const lolo = a0 * b0;
  const mid1 = a1 * b0;
  const mid2 = a0 * b1;
  // Sum of the middle column plus the carry from the low column: < 3 * 2^16 + 2^16.
  const mid = (lolo >>> 16) + (mid1 & 0xffff) + (mid2 & 0xffff);
  return (a1 * b1 + (mid1 >>> 16) + (mid2 >>> 16) + (mid >>> 16)) | 0;
}

/** out = low 64 bits of a * b (the same for signed and unsigned operands). */
export function mul64(out: Int32Array, at: number, alo: number, ahi: number, blo: number, bhi: number): void {
  const hi = (mulhu32(alo, blo) + Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0;
  out[at] = Math.imul(alo, blo);
  out[at + 1] = hi;
}
