// Conversions at the edges (parsing, printing, JSON, tests): BigInt and text.
// Never used in a hot path.
import { fail } from '../diag/index.js';

/** A 64-bit value as two int32 words. */
export interface I64 { lo: number; hi: number }

const MASK64 = (1n << 64n) - 1n;

/** The value as a BigInt: unsigned by default, signed (two's complement) when asked. */
export function toBigInt(lo: number, hi: number, signed = false): bigint {
  const u = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  return signed ? BigInt.asIntN(64, u) : u;
}

/** Any BigInt reduced modulo 2^64, as int32 words. */
export function fromBigInt(v: bigint): I64 {
  const u = v & MASK64;
  return { lo: Number(u & 0xffffffffn) | 0, hi: Number(u >> 32n) | 0 };
}

/** A JavaScript number (a safe integer, negative allowed) as int32 words. */
export function fromNumber(n: number): I64 {
  if (!Number.isSafeInteger(n)) fail('semantic', `${n} is not a safe integer; pass a BigInt for 64-bit values`);
  const lo = n | 0;
  // Math.floor division keeps negative numbers right: -1 -> hi = -1.
  return { lo, hi: Math.floor(n / 4294967296) | 0 };
}

/** `0x` and lowercase hex digits without leading zeros, e.g. `0xffffffffffffffff`. */
export function toHex(lo: number, hi: number): string {
  const h = hi >>> 0;
  const l = (lo >>> 0).toString(16);
  return h === 0 ? '0x' + l : '0x' + h.toString(16) + l.padStart(8, '0');
}

/** Decimal text, unsigned unless `signed`. */
export function toDecimal(lo: number, hi: number, signed = false): string {
  return toBigInt(lo, hi, signed).toString(10);
}

/**
 * Parse `0x...` hex, `0b...` binary or decimal (an optional leading `-`) into 64 bits.
 * Values must fit in 64 bits as unsigned or as signed; anything else is a diagnostic.
 */
export function parseInt64(text: string): I64 {
  const t = text.trim();
  const m = /^(-)?(0x[0-9a-f]+|0b[01]+|[0-9]+)$/i.exec(t);
  if (!m) fail('semantic', `'${text}' is not an integer (decimal, 0x hex or 0b binary)`);
  const mag = BigInt(m[2]!.toLowerCase());
  const v = m[1] ? -mag : mag;
  if (v > MASK64 || v < -(1n << 63n)) {
    fail('semantic', `'${text}' does not fit in 64 bits`, { condition: '-2^63 <= value < 2^64' });
  }
  return fromBigInt(v);
}
