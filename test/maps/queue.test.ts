import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BPF_EXIST, BPF_NOEXIST, E2BIG, EINVAL, ENOENT, QueueStackMap } from '../../src/maps/index.js';
import { make, MAP_TYPE, rd, u32 } from './helpers.js';

const q = (type: number, n = 2): QueueStackMap => make(type, 0, 4, n) as QueueStackMap;
function popAll(m: QueueStackMap): number[] {
  const out: number[] = [];
  const b = new Uint8Array(4);
  while (m.pop(b, 0) === 0) out.push(rd(b)!);
  return out;
}

test('queue: FIFO; full is -E2BIG; BPF_EXIST overwrites the oldest', () => {
  const m = q(MAP_TYPE.QUEUE);
  assert.is(m.push(u32(1), 0, 0), 0);
  assert.is(m.push(u32(2), 0, 0), 0);
  assert.is(m.push(u32(3), 0, 0), -E2BIG);
  assert.is(m.push(u32(3), 0, BPF_EXIST), 0);
  assert.is(m.counters.evictions, 1);
  assert.equal(popAll(m), [2, 3]);
  assert.is(m.pop(new Uint8Array(4), 0), -ENOENT);
});

test('stack: LIFO; BPF_EXIST also drops the oldest (bottom) element', () => {
  const m = q(MAP_TYPE.STACK);
  m.push(u32(1), 0, 0);
  m.push(u32(2), 0, 0);
  assert.is(m.push(u32(3), 0, BPF_EXIST), 0);
  assert.equal(m.values().map((v) => rd(v)), [3, 2]);
  assert.equal(popAll(m), [3, 2]);
});

test('queue/stack: flags, peek, and the key-based operations', () => {
  const m = q(MAP_TYPE.QUEUE, 3);
  assert.is(m.push(u32(1), 0, BPF_NOEXIST), -EINVAL);
  assert.is(m.push(u32(1), 0, 4), -EINVAL);
  const b = new Uint8Array(4);
  assert.is(m.peek(b, 0), -ENOENT);
  assert.is(m.updateElem(new Uint8Array(0), u32(7)), 0, 'BPF_MAP_UPDATE_ELEM pushes');
  m.update(new Uint8Array(0), 0, u32(8), 0, 0, 0);
  assert.is(m.peek(b, 0), 0);
  assert.is(rd(b), 7);
  assert.is(rd(m.lookupElem()), 7, 'BPF_MAP_LOOKUP_ELEM peeks');
  assert.is(m.size, 2);
  assert.is(m.deleteElem(), -EINVAL);
  assert.is(m.nextKey(), undefined);
  assert.is(m.lookup(new Uint8Array(0), 0, 0), -1);
});

test('queue: wraps around its ring many times', () => {
  const m = q(MAP_TYPE.QUEUE, 3);
  const b = new Uint8Array(4);
  for (let i = 0; i < 20; i++) {
    assert.is(m.push(u32(i), 0, 0), 0);
    if (i % 2) { m.pop(b, 0); }
    if (m.size === 3) { m.pop(b, 0); }
  }
  assert.ok(m.size <= 3);
  const rest = popAll(m);
  assert.equal(rest, [...rest].sort((a, c) => a - c));
});

test.run();
