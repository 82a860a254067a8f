// rte_ring semantics, NIC descriptor ring indices, and the per-lcore mempool cache.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DescRing, MempoolCache, Ring } from '../../src/host/index.js';
import { Mempool } from '../../src/packet/index.js';
import { XdplabError } from '../../src/diag/index.js';

const seq = (n: number, from = 0): Int32Array => Int32Array.from({ length: n }, (_, i) => from + i);

test('a ring of size 8 holds 7; bulk is all-or-nothing, burst takes what fits', () => {
  const r = new Ring('r', 8);
  assert.is(r.capacity, 7);
  assert.is(r.enqueueBulk(seq(8), 8), 0, 'bulk of 8 into 7 free: nothing');
  assert.is(r.count, 0);
  assert.is(r.enqueueBurst(seq(8), 8), 7, 'burst: as many as possible');
  assert.is(r.free, 0);
  assert.is(r.push(99), false);
  const out = new Int32Array(8);
  assert.is(r.dequeueBulk(out, 8), 0, 'bulk dequeue of 8 from 7: nothing');
  assert.is(r.dequeueBurst(out, 8), 7);
  assert.equal([...out.subarray(0, 7)], [0, 1, 2, 3, 4, 5, 6]);
  assert.ok(r.empty);
  assert.is(r.shift(), -1);
});

test('exact size: capacity is the count asked for', () => {
  const r = new Ring('r', 1000, { exact: true });
  assert.is(r.capacity, 1000);
  assert.is(r.size, 1024);
  assert.throws(() => new Ring('r', 1000), (e: unknown) => e instanceof XdplabError && /not a power of two/.test((e as Error).message));
});

test('indices wrap around 2^32 and FIFO order survives', () => {
  const r = new Ring('r', 16, { start: 0xfffffff0, sp: true, sc: true });
  const out = new Int32Array(16);
  let next = 0;
  let expect = 0;
  for (let round = 0; round < 10; round++) {
    const k = r.enqueueBurst(seq(11, next), 11);
    next += k;
    const m = r.dequeueBurst(out, 9);
    for (let i = 0; i < m; i++) assert.is(out[i], expect++);
  }
  assert.ok(r.prod < 0x1000, `producer index wrapped: ${r.prod}`);
  assert.is(r.count, next - expect);
});

test('descriptor ring: post, NIC take, clean; head/tail registers modulo size', () => {
  const d = new DescRing('rx', 4);
  for (let i = 0; i < 4; i++) assert.ok(d.post(100 + i));
  assert.is(d.post(9), false, 'all descriptors posted');
  assert.is(d.owned, 4);
  assert.is(d.nicTake(), 0);
  assert.is(d.nicTake(), 1);
  assert.is(d.done, 2);
  assert.is(d.clean(), 0);
  assert.ok(d.post(200));
  for (let i = 0; i < 3; i++) d.nicTake();
  assert.is(d.nicTake(), -1, 'head caught up with tail');
  assert.is(d.headReg, 1);
  assert.is(d.tailReg, 1);
  assert.is(d.slots[0], 200);
  assert.throws(() => new DescRing('x', 100), /power of two/);
});

test('mempool cache: refills in bulk, flushes above 1.5 x size, all-or-nothing gets', () => {
  const pool = new Mempool(100);
  const c = new MempoolCache(pool, 16);
  const out = new Int32Array(64);
  assert.ok(c.getBulk(out, 4));
  assert.is(c.len, 16, 'refilled to size + n, then gave n');
  assert.is(pool.available, 80);
  assert.is(c.refills, 1);
  assert.ok(c.getBulk(out, 4, 4));
  assert.is(c.refills, 1, 'served from the cache');
  for (let i = 0; i < 8; i++) c.put(out[i]!);
  for (let i = 0; i < 8; i++) c.put(pool.alloc());
  assert.ok(c.len < c.flushThresh, 'flushed back to the pool');
  assert.is(c.flushes, 1);
  assert.is(c.available + 0, pool.available + c.len);
  assert.is(c.getBulk(out, 64), true);
  const left = c.available;
  assert.is(c.getBulk(out, left + 1), false, 'not enough anywhere: nothing taken');
  assert.is(c.available, left);
  c.drain();
  assert.is(c.len, 0);
});

test.run();
