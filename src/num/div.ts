// 64-bit division and remainder on int32 pairs (lo, hi), without BigInt.
// Fast path through doubles when both operands are below 2^53 (floor(a / b) is then exact:
// the rounding error of a / b is under 1/b, the distance to the next integer is at least 1/b).
// Otherwise exact long division. Division by zero follows eBPF: quotient 0, remainder = a.

const TWO32 = 4294967296;
const SAFE_HI = 0x200000; // hi word below this: the value is below 2^53

// Results of the last unsigned division; udivmod64 fills them so div and mod share one routine.
let qlo = 0, qhi = 0, rlo = 0, rhi = 0;

/** Unsigned divide a by b, leaving quotient and remainder in the module registers above. */
function udivmod(alo: number, ahi: number, blo: number, bhi: number): void {
  const ah = ahi >>> 0, bh = bhi >>> 0, al = alo >>> 0, bl = blo >>> 0;
  if (bh === 0 && bl === 0) { qlo = 0; qhi = 0; rlo = alo | 0; rhi = ahi | 0; return; }
  if (ah < SAFE_HI && bh < SAFE_HI) {
    const a = ah * TWO32 + al, b = bh * TWO32 + bl;
    const q = Math.floor(a / b), r = a - q * b;
    qlo = q | 0; qhi = (q / TWO32) | 0; rlo = r | 0; rhi = (r / TWO32) | 0;
    return;
  }
  if (bh === 0) { divBy32(ah, al, bl); return; }
  divLong(ah, al, bh, bl);
}

/** a (>= 2^53) by a 32-bit divisor: four 16-bit digits, each partial dividend below 2^48. */
function divBy32(ah: number, al: number, b: number): void {
  let r = 0;
  let cur = ah >>> 16; const q3 = Math.floor(cur / b); r = cur - q3 * b;
  cur = r * 65536 + (ah & 0xffff); const q2 = Math.floor(cur / b); r = cur - q2 * b;
  cur = r * 65536 + (al >>> 16); const q1 = Math.floor(cur / b); r = cur - q1 * b;
  cur = r * 65536 + (al & 0xffff); const q0 = Math.floor(cur / b); r = cur - q0 * b;
  qhi = (q3 << 16) | q2; qlo = (q1 << 16) | q0; rlo = r | 0; rhi = 0;
}

/** Divisor of 2^32 or more: the quotient fits in 32 bits; restoring division bit by bit. */
function divLong(ah: number, al: number, bh: number, bl: number): void {
  if (bh >= 0x80000000) {
    // Divisor >= 2^63: the quotient is 0 or 1.
    const ge = ah > bh || (ah === bh && al >= bl);
    qlo = ge ? 1 : 0; qhi = 0;
    if (ge) { rlo = (al - bl) | 0; rhi = (ah - bh - (al < bl ? 1 : 0)) | 0; } else { rlo = al | 0; rhi = ah | 0; }
    return;
  }
  // Remainder starts as the high word (< 2^32 <= divisor) and takes one bit of al per step.
  let r1 = 0, r0 = ah, q = 0; // r = r1:r0 as unsigned words, always < divisor < 2^63
  for (let i = 31; i >= 0; i--) {
    r1 = ((r1 << 1) | (r0 >>> 31)) >>> 0;
    r0 = ((r0 << 1) | ((al >>> i) & 1)) >>> 0;
    q = (q << 1) >>> 0;
    if (r1 > bh || (r1 === bh && r0 >= bl)) {
      const borrow = r0 < bl ? 1 : 0;
      r0 = (r0 - bl) >>> 0; r1 = (r1 - bh - borrow) >>> 0; q = (q | 1) >>> 0;
    }
  }
  qlo = q | 0; qhi = 0; rlo = r0 | 0; rhi = r1 | 0;
}

/** out = a / b, unsigned; 0 when b is 0. */
export function udiv64(out: Int32Array, at: number, alo: number, ahi: number, blo: number, bhi: number): void {
  udivmod(alo, ahi, blo, bhi);
  out[at] = qlo; out[at + 1] = qhi;
}

/** out = a % b, unsigned; a when b is 0. */
export function umod64(out: Int32Array, at: number, alo: number, ahi: number, blo: number, bhi: number): void {
  udivmod(alo, ahi, blo, bhi);
  out[at] = rlo; out[at + 1] = rhi;
}

/** Absolute values then unsigned division; the signs are applied by the callers. */
function sdivmod(alo: number, ahi: number, blo: number, bhi: number): void {
  let al = alo, ah = ahi, bl = blo, bh = bhi;
  if (ah < 0) { ah = (~ah + (al === 0 ? 1 : 0)) | 0; al = -al | 0; }
  if (bh < 0) { bh = (~bh + (bl === 0 ? 1 : 0)) | 0; bl = -bl | 0; }
  udivmod(al, ah, bl, bh);
}

/** out = a / b, signed, truncated toward zero; 0 when b is 0; INT64_MIN / -1 = INT64_MIN. */
export function sdiv64(out: Int32Array, at: number, alo: number, ahi: number, blo: number, bhi: number): void {
  if ((blo | bhi) === 0) { out[at] = 0; out[at + 1] = 0; return; }
  sdivmod(alo, ahi, blo, bhi);
  if ((ahi ^ bhi) < 0) { out[at] = -qlo | 0; out[at + 1] = (~qhi + (qlo === 0 ? 1 : 0)) | 0; } else { out[at] = qlo; out[at + 1] = qhi; }
}

/** out = a % b, signed, with the sign of the dividend; a when b is 0; INT64_MIN % -1 = 0. */
export function smod64(out: Int32Array, at: number, alo: number, ahi: number, blo: number, bhi: number): void {
  if ((blo | bhi) === 0) { out[at] = alo | 0; out[at + 1] = ahi | 0; return; }
  sdivmod(alo, ahi, blo, bhi);
  if (ahi < 0) { out[at] = -rlo | 0; out[at + 1] = (~rhi + (rlo === 0 ? 1 : 0)) | 0; } else { out[at] = rlo; out[at + 1] = rhi; }
}

/** 32-bit unsigned divide; 0 when b is 0. Result is int32. */
export function udiv32(a: number, b: number): number {
  const d = b >>> 0;
  return d === 0 ? 0 : Math.floor((a >>> 0) / d) | 0;
}

/** 32-bit unsigned remainder; a when b is 0. Result is int32. */
export function umod32(a: number, b: number): number {
  const d = b >>> 0;
  return d === 0 ? a | 0 : ((a >>> 0) % d) | 0;
}

/** 32-bit signed divide, truncated; 0 when b is 0; INT32_MIN / -1 = INT32_MIN. */
export function sdiv32(a: number, b: number): number {
  return (b | 0) === 0 ? 0 : Math.trunc((a | 0) / (b | 0)) | 0;
}

/** 32-bit signed remainder with the sign of the dividend; a when b is 0. */
export function smod32(a: number, b: number): number {
  return (b | 0) === 0 ? a | 0 : ((a | 0) % (b | 0)) | 0;
}
