// BigInt oracle and value generators shared by the num tests.
import fc from 'fast-check';
import { fromBigInt, toBigInt } from '../../src/num/index.js';

export const M64 = (1n << 64n) - 1n;
export const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
export const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);

/** Edge values every operation is tried on. */
export const EDGES: bigint[] = [
  0n, 1n, 2n, 3n, 7n, 10n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn,
  0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x100000001n,
  (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n, (1n << 52n) + 3n,
  0x123456789abcdef0n, 0x7fffffffffffffffn, 0x8000000000000000n, 0x8000000000000001n,
  M64, M64 - 1n, u64(-2n), u64(-0x80000000n), u64(-10n), 0xdeadbeefcafebaben,
];

/** Random 64-bit values biased toward the edges and small magnitudes. */
export const arb64: fc.Arbitrary<bigint> = fc.oneof(
  fc.constantFrom(...EDGES),
  fc.bigInt({ min: 0n, max: M64 }),
  fc.bigInt({ min: 0n, max: (1n << 53n) + 5n }),
  fc.bigInt({ min: 0n, max: 0xffffffffn }),
  fc.bigInt({ min: -1000n, max: 1000n }).map(u64),
  fc.integer({ min: 0, max: 63 }).map((k) => u64((1n << BigInt(k)) + BigInt(k % 3) - 1n)),
);

const out = new Int32Array(4);

/** Call a two-operand (out, at, alo, ahi, blo, bhi) function on BigInts; unsigned result. */
export function call2(f: (o: Int32Array, at: number, alo: number, ahi: number, blo: number, bhi: number) => void, a: bigint, b: bigint): bigint {
  const x = fromBigInt(a), y = fromBigInt(b);
  out.fill(0x5a5a5a5a);
  f(out, 2, x.lo, x.hi, y.lo, y.hi);
  return toBigInt(out[2]!, out[3]!);
}

/** Call a one-operand-plus-number (out, at, lo, hi, n) function. */
export function call1(f: (o: Int32Array, at: number, lo: number, hi: number, n: number) => void, a: bigint, n = 0): bigint {
  const x = fromBigInt(a);
  f(out, 0, x.lo, x.hi, n);
  return toBigInt(out[0]!, out[1]!);
}

export const hex = (v: bigint): string => '0x' + u64(v).toString(16);
