// The value domain is sound: for random operands inside abstract values, the concrete
// result of each operation lies inside the abstract result; branch refinement keeps every
// value for which the condition holds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { contains, known, sync, unknown, urange, type Bounds } from '../../src/verifier/scalar.js';
import { scalarAlu, type AluOp } from '../../src/verifier/scalar-alu.js';
import { refine, branchTaken, type CondOp } from '../../src/verifier/scalar-branch.js';
import { tin, trange, tadd, tconst } from '../../src/verifier/tnum.js';

let seed = 12345;
const rnd = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed; };
const rbig = (): bigint => {
  const k = rnd() % 5;
  if (k === 0) return BigInt(rnd() % 16);
  if (k === 1) return BigInt.asUintN(64, -BigInt(rnd() % 300));
  if (k === 2) return BigInt(rnd() % 70000);
  return BigInt.asUintN(64, (BigInt(rnd()) << 33n) ^ BigInt(rnd()));
};

/** A random abstract value and a concrete member of it. */
function sample(): [Bounds, bigint] {
  const v = rbig();
  switch (rnd() % 4) {
    case 0: return [known(v), v];
    case 1: return [unknown(), v];
    case 2: { const lo = v > 100n ? v - 100n : 0n; const hi = v + BigInt(rnd() % 1000); return [urange(lo, hi < (1n << 63n) ? hi : v), v]; }
    default: { const b = unknown(); b.t = { v: v & ~0xffn & ((1n << 64n) - 1n), m: 0xffn }; return [sync(b), v]; }
  }
}

const member = (b: Bounds, v: bigint): boolean => contains(b, known(v));

function concrete(op: AluOp, a: bigint, b: bigint, w: 32 | 64): bigint {
  const M = w === 64 ? (1n << 64n) - 1n : 0xffffffffn;
  const x = a & M, y = b & M;
  const sx = BigInt.asIntN(w, x);
  switch (op) {
    case 'add': return (x + y) & M;
    case 'sub': return (x - y) & M;
    case 'mul': return (x * y) & M;
    case 'and': return x & y;
    case 'or': return x | y;
    case 'xor': return x ^ y;
    case 'lsh': return (x << y) & M;
    case 'rsh': return x >> y;
    case 'arsh': return BigInt.asUintN(w, sx >> y);
  }
}

const OPS: AluOp[] = ['add', 'sub', 'mul', 'and', 'or', 'xor', 'lsh', 'rsh', 'arsh'];

test('tnum: range and add contain their members', () => {
  for (let i = 0; i < 500; i++) {
    const lo = BigInt(rnd() % 5000), hi = lo + BigInt(rnd() % 5000), v = lo + (hi - lo) / 2n;
    assert.ok(tin(trange(lo, hi), tconst(v)));
    assert.ok(tin(tadd(trange(lo, hi), tconst(7n)), tconst(v + 7n)));
  }
});

test('ALU transfer functions are sound (64 and 32 bit)', () => {
  for (let i = 0; i < 4000; i++) {
    const op = OPS[rnd() % OPS.length]!;
    const w: 32 | 64 = rnd() % 2 ? 64 : 32;
    const [a, av] = sample();
    let [b, bv] = sample();
    if (op === 'lsh' || op === 'rsh' || op === 'arsh') { bv = BigInt(rnd() % w); b = rnd() % 2 ? known(bv) : urange(0n, BigInt(w - 1)); }
    const r = scalarAlu(op, a, b, w);
    const c = concrete(op, av, bv, w);
    assert.ok(member(r, c), `${op}${w} ${av} ${bv} = ${c} not in result`);
  }
});

const CMPS: CondOp[] = ['jeq', 'jne', 'jgt', 'jge', 'jlt', 'jle', 'jsgt', 'jsge', 'jslt', 'jsle', 'jset', 'jnset'];
function holds(op: CondOp, a: bigint, b: bigint, w: 32 | 64): boolean {
  const M = w === 64 ? (1n << 64n) - 1n : 0xffffffffn;
  const x = a & M, y = b & M, sx = BigInt.asIntN(w, x), sy = BigInt.asIntN(w, y);
  switch (op) {
    case 'jeq': return x === y; case 'jne': return x !== y; case 'jgt': return x > y; case 'jge': return x >= y;
    case 'jlt': return x < y; case 'jle': return x <= y; case 'jsgt': return sx > sy; case 'jsge': return sx >= sy;
    case 'jslt': return sx < sy; case 'jsle': return sx <= sy; case 'jset': return (x & y) !== 0n; case 'jnset': return (x & y) === 0n;
  }
}

test('branch refinement and decided branches are sound', () => {
  for (let i = 0; i < 4000; i++) {
    const op = CMPS[rnd() % CMPS.length]!;
    const w: 32 | 64 = rnd() % 3 ? 64 : 32;
    const [a, av] = sample();
    const [b, bv] = sample();
    const h = holds(op, av, bv, w);
    const t = branchTaken(a, b, op, w);
    if (t !== -1) assert.is(t === 1, h, `${op}${w} decided wrongly for ${av}, ${bv}`);
    if (!h) continue;
    const r = refine(a, b, op, w);
    assert.ok(r, `${op}${w}: refinement dropped a reachable branch (${av}, ${bv})`);
    assert.ok(member(r![0], av) && member(r![1], bv), `${op}${w}: refinement lost ${av}, ${bv}`);
  }
});

test.run();
