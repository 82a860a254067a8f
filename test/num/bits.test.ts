import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import {
  ucmp64, scmp64, ult64, slt64, sext, bswap16, bswap32, bswap64, fromBigInt, toBigInt,
  toHex, toDecimal, parseInt64, fromNumber,
} from '../../src/num/index.js';
import { XdplabError } from '../../src/diag/index.js';
import { EDGES, arb64, call1, s64, u64, hex } from './oracle.js';

const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

test('comparisons match BigInt, signed and unsigned', () => {
  const check = (a: bigint, b: bigint): boolean => {
    const x = fromBigInt(a), y = fromBigInt(b);
    return ucmp64(x.lo, x.hi, y.lo, y.hi) === cmp(a, b) && scmp64(x.lo, x.hi, y.lo, y.hi) === cmp(s64(a), s64(b))
      && ult64(x.lo, x.hi, y.lo, y.hi) === (a < b) && slt64(x.lo, x.hi, y.lo, y.hi) === (s64(a) < s64(b));
  };
  for (const a of EDGES) for (const b of EDGES) assert.ok(check(a, b), `${hex(a)} vs ${hex(b)}`);
  fc.assert(fc.property(arb64, arb64, check));
});

test('sign extension from 8, 16 and 32 bits', () => {
  assert.is(sext(0x80, 8), -128);
  assert.is(sext(0x7f, 8), 127);
  assert.is(sext(0x1234ff80, 8), -128);
  assert.is(sext(0x8000, 16), -32768);
  assert.is(sext(0xffffffff, 32), -1);
  fc.assert(fc.property(fc.integer(), (w) => sext(w, 8) === Number(BigInt.asIntN(8, BigInt(w))) && sext(w, 16) === Number(BigInt.asIntN(16, BigInt(w)))));
});

test('byte swaps', () => {
  assert.is(bswap16(0x12345678), 0x7856);
  assert.is(bswap32(0x12345678), 0x78563412);
  assert.is(bswap32(0x000000ff), 0xff000000 | 0);
  assert.is(hex(call1((o, at, lo, hi) => bswap64(o, at, lo, hi), 0x0123456789abcdefn)), '0xefcdab8967452301');
  fc.assert(fc.property(arb64, (a) => {
    const rev = BigInt('0x' + (a.toString(16).padStart(16, '0').match(/../g) ?? []).reverse().join(''));
    return call1((o, at, lo, hi) => bswap64(o, at, lo, hi), a) === rev;
  }));
});

test('BigInt, number and text conversions round-trip', () => {
  fc.assert(fc.property(arb64, (a) => {
    const x = fromBigInt(a);
    return toBigInt(x.lo, x.hi) === a && toBigInt(x.lo, x.hi, true) === s64(a)
      && toHex(x.lo, x.hi) === '0x' + a.toString(16) && toDecimal(x.lo, x.hi) === a.toString()
      && toDecimal(x.lo, x.hi, true) === s64(a).toString();
  }));
  fc.assert(fc.property(fc.maxSafeInteger(), (n) => {
    const x = fromNumber(n);
    return toBigInt(x.lo, x.hi, true) === BigInt(n);
  }));
  assert.equal(fromBigInt(-1n), { lo: -1, hi: -1 });
  assert.equal(parseInt64('0xffffffffffffffff'), { lo: -1, hi: -1 });
  assert.equal(parseInt64('-9223372036854775808'), { lo: 0, hi: -0x80000000 });
  assert.equal(parseInt64(' 42 '), { lo: 42, hi: 0 });
  assert.is(toBigInt(...Object.values(parseInt64('0b101')) as [number, number]), 5n);
  assert.is(u64(-1n), (1n << 64n) - 1n);
});

test('bad text gives a diagnostic, not a crash', () => {
  assert.throws(() => parseInt64('12abc'), (e: unknown) => e instanceof XdplabError && /'12abc' is not an integer/.test(e.message));
  assert.throws(() => parseInt64('0x10000000000000000'), /does not fit in 64 bits/);
  assert.throws(() => parseInt64(''), /is not an integer/);
  assert.throws(() => fromNumber(2 ** 60), /not a safe integer/);
  assert.throws(() => fromNumber(1.5), /not a safe integer/);
});

test.run();
