import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import {
  add64, sub64, mul64, neg64, udiv64, umod64, sdiv64, smod64, udiv32, umod32, sdiv32, smod32,
  lsh64, rsh64, arsh64, lsh32, rsh32, arsh32,
} from '../../src/num/index.js';
import { EDGES, arb64, call1, call2, u64, s64, hex } from './oracle.js';

type F2 = Parameters<typeof call2>[0];
// Oracles: unsigned 64-bit results, with eBPF's rules for division by zero.
const ops: [string, F2, (a: bigint, b: bigint) => bigint][] = [
  ['add64', add64, (a, b) => u64(a + b)],
  ['sub64', sub64, (a, b) => u64(a - b)],
  ['mul64', mul64, (a, b) => u64(a * b)],
  ['udiv64', udiv64, (a, b) => (b === 0n ? 0n : a / b)],
  ['umod64', umod64, (a, b) => (b === 0n ? a : a % b)],
  ['sdiv64', sdiv64, (a, b) => (b === 0n ? 0n : u64(s64(a) / s64(b)))],
  ['smod64', smod64, (a, b) => (b === 0n ? a : u64(s64(a) % s64(b)))],
];

for (const [name, f, oracle] of ops) {
  test(`${name} on every pair of edge values matches BigInt`, () => {
    for (const a of EDGES) for (const b of EDGES) {
      assert.is(hex(call2(f, a, b)), hex(oracle(a, b)), `${name}(${hex(a)}, ${hex(b)})`);
    }
  });
  test(`${name} on random values matches BigInt`, () => {
    fc.assert(fc.property(arb64, arb64, (a, b) => call2(f, a, b) === oracle(a, b)), { numRuns: 3000 });
  });
}

test('neg64 matches BigInt', () => {
  for (const a of EDGES) assert.is(hex(call1((o, at, lo, hi) => neg64(o, at, lo, hi), a)), hex(u64(-a)));
  fc.assert(fc.property(arb64, (a) => call1((o, at, lo, hi) => neg64(o, at, lo, hi), a) === u64(-a)));
});

test('64-bit shifts mask the count to 6 bits', () => {
  const counts = [0, 1, 5, 31, 32, 33, 63, 64, 65, 100, -1, -32, 0x7fffffff];
  for (const a of EDGES) for (const n of counts) {
    const k = BigInt(n & 63);
    assert.is(hex(call1(lsh64, a, n)), hex(u64(a << k)), `lsh ${hex(a)} ${n}`);
    assert.is(hex(call1(rsh64, a, n)), hex(a >> k), `rsh ${hex(a)} ${n}`);
    assert.is(hex(call1(arsh64, a, n)), hex(u64(s64(a) >> k)), `arsh ${hex(a)} ${n}`);
  }
  fc.assert(fc.property(arb64, fc.integer(), (a, n) => {
    const k = BigInt(n & 63);
    return call1(lsh64, a, n) === u64(a << k) && call1(rsh64, a, n) === a >> k && call1(arsh64, a, n) === u64(s64(a) >> k);
  }));
});

test('32-bit shifts mask the count to 5 bits', () => {
  fc.assert(fc.property(fc.integer(), fc.integer(), (a, n) => {
    const x = BigInt(a >>> 0), k = BigInt(n & 31);
    return lsh32(a, n) === Number(BigInt.asIntN(32, x << k)) && rsh32(a, n) >>> 0 === Number(x >> k)
      && arsh32(a, n) === Number(BigInt.asIntN(32, x) >> k);
  }));
});

test('32-bit division and remainder follow eBPF rules', () => {
  const vals = [0, 1, -1, 2, -2, 7, -7, 0x7fffffff, -0x80000000, 0xffffffff, 12345];
  for (const a of vals) for (const b of vals) {
    const ua = BigInt(a >>> 0), ub = BigInt(b >>> 0), sa = BigInt(a | 0), sb = BigInt(b | 0);
    const w = (v: bigint): number => Number(BigInt.asIntN(32, v));
    assert.is(udiv32(a, b), ub === 0n ? 0 : w(ua / ub), `udiv32 ${a} ${b}`);
    assert.is(umod32(a, b), ub === 0n ? a | 0 : w(ua % ub), `umod32 ${a} ${b}`);
    assert.is(sdiv32(a, b), sb === 0n ? 0 : w(sa / sb), `sdiv32 ${a} ${b}`);
    assert.is(smod32(a, b), sb === 0n ? a | 0 : w(sa % sb), `smod32 ${a} ${b}`);
  }
});

test.run();
