// 64-bit integer arithmetic on pairs of int32 words (lo, hi), without BigInt in the hot path.
//
// Conventions:
// - A 64-bit value is two int32 words: `lo` (bits 0..31) and `hi` (bits 32..63). Unsigned
//   words (e.g. 0xffffffff) are accepted as input; outputs are always int32.
// - Functions producing 64 bits write into `out[at]` (lo) and `out[at + 1]` (hi) of an
//   Int32Array, so a register file can be the target and nothing is allocated.
// - Shift counts are masked (6 bits for 64-bit, 5 for 32-bit); division by zero gives 0
//   and remainder by zero gives the dividend, as in eBPF (RFC 9669). No function throws
//   except the text parsers, which raise a diagnostic.
// - BigInt and strings only in convert.ts, for the edges.
export { add64, sub64, neg64, mul64, mulhu32 } from './arith.js';
export { udiv64, umod64, sdiv64, smod64, udiv32, umod32, sdiv32, smod32 } from './div.js';
export {
  lsh64, rsh64, arsh64, lsh32, rsh32, arsh32, ucmp64, scmp64, ult64, slt64, sext,
  bswap16, bswap32, bswap64,
} from './bits.js';
export { toBigInt, fromBigInt, fromNumber, toHex, toDecimal, parseInt64, type I64 } from './convert.js';
