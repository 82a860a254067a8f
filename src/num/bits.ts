// Shifts, comparisons, sign extension and byte swaps on int32 pairs (lo, hi).
// Shift counts are masked the way eBPF masks them: 6 bits for 64-bit shifts, 5 for 32-bit.

/** out = a << (n & 63). */
export function lsh64(out: Int32Array, at: number, lo: number, hi: number, n: number): void {
  n &= 63;
  if (n === 0) { out[at] = lo; out[at + 1] = hi; }
  else if (n < 32) { out[at] = lo << n; out[at + 1] = (hi << n) | (lo >>> (32 - n)); }
  else { out[at] = 0; out[at + 1] = lo << (n - 32); }
}

/** out = a >>> (n & 63) (logical). */
export function rsh64(out: Int32Array, at: number, lo: number, hi: number, n: number): void {
  n &= 63;
  if (n === 0) { out[at] = lo; out[at + 1] = hi; }
  else if (n < 32) { out[at] = (lo >>> n) | (hi << (32 - n)); out[at + 1] = hi >>> n; }
  else { out[at] = hi >>> (n - 32); out[at + 1] = 0; }
}

/** out = a >> (n & 63) (arithmetic). */
export function arsh64(out: Int32Array, at: number, lo: number, hi: number, n: number): void {
  n &= 63;
  if (n === 0) { out[at] = lo; out[at + 1] = hi; }
  else if (n < 32) { out[at] = (lo >>> n) | (hi << (32 - n)); out[at + 1] = hi >> n; }
  else { out[at] = hi >> (n - 32); out[at + 1] = hi >> 31; }
}

/** 32-bit shifts with the count masked to 5 bits; results are int32. */
export const lsh32 = (a: number, n: number): number => a << (n & 31);
export const rsh32 = (a: number, n: number): number => (a >>> (n & 31)) | 0;
export const arsh32 = (a: number, n: number): number => a >> (n & 31);

/** Unsigned compare: -1, 0 or 1. */
export function ucmp64(alo: number, ahi: number, blo: number, bhi: number): -1 | 0 | 1 {
  const ah = ahi >>> 0, bh = bhi >>> 0;
  if (ah !== bh) return ah < bh ? -1 : 1;
  const al = alo >>> 0, bl = blo >>> 0;
  return al === bl ? 0 : al < bl ? -1 : 1;
}

/** Signed compare: -1, 0 or 1. */
export function scmp64(alo: number, ahi: number, blo: number, bhi: number): -1 | 0 | 1 {
  const ah = ahi | 0, bh = bhi | 0;
  if (ah !== bh) return ah < bh ? -1 : 1;
  const al = alo >>> 0, bl = blo >>> 0;
  return al === bl ? 0 : al < bl ? -1 : 1;
}

/** a < b, unsigned. */
export function ult64(alo: number, ahi: number, blo: number, bhi: number): boolean {
  const ah = ahi >>> 0, bh = bhi >>> 0;
  return ah < bh || (ah === bh && (alo >>> 0) < (blo >>> 0));
}

/** a < b, signed. */
export function slt64(alo: number, ahi: number, blo: number, bhi: number): boolean {
  const ah = ahi | 0, bh = bhi | 0;
  return ah < bh || (ah === bh && (alo >>> 0) < (blo >>> 0));
}

/** Sign-extend the low `bits` (8, 16 or 32) of a word to an int32 lo; the hi word is `lo >> 31`. */
export function sext(word: number, bits: 8 | 16 | 32): number {
  return bits === 32 ? word | 0 : (word << (32 - bits)) >> (32 - bits);
}

/** Swap the bytes of the low 16 bits (result is 0..0xffff). */
export function bswap16(a: number): number {
  return ((a & 0xff) << 8) | ((a >>> 8) & 0xff);
}

/** Swap the 4 bytes of a word (result is int32). */
export function bswap32(a: number): number {
  return ((a & 0xff) << 24) | ((a & 0xff00) << 8) | ((a >>> 8) & 0xff00) | (a >>> 24);
}

/** out = the 8 bytes of a in reverse order. */
export function bswap64(out: Int32Array, at: number, lo: number, hi: number): void {
  const nlo = bswap32(hi);
  out[at + 1] = bswap32(lo);
  out[at] = nlo;
}
