import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BPF_EXIST, BPF_NOEXIST, EEXIST, ENOENT } from '../../src/maps/index.js';
import { keys, make, MAP_TYPE, rd, u32 } from './helpers.js';

test('lru_hash: inserting into a full map evicts the least recently used', () => {
  const m = make(MAP_TYPE.LRU_HASH, 4, 4, 2);
  for (let i = 1; i <= 5; i++) assert.is(m.updateElem(u32(i), u32(i)), 0);
  assert.equal(keys(m).sort(), [4, 5], 'as the kernel keeps 4 and 5 after 1..5 into 2 entries');
  assert.is(m.counters.evictions, 3);
});

test('lru_hash: a program lookup marks an element used; a user lookup does not', () => {
  const m = make(MAP_TYPE.LRU_HASH, 4, 4, 2);
  m.updateElem(u32(1), u32(1));
  m.updateElem(u32(2), u32(2));
  m.lookup(u32(1), 0, 0); // 2 is now the oldest
  m.updateElem(u32(3), u32(3));
  assert.equal(keys(m).sort(), [1, 3]);
  m.lookupElem(u32(1)); // does not count as use: 1 is still older than 3
  m.updateElem(u32(4), u32(4));
  assert.equal(keys(m).sort(), [3, 4]);
});

test('lru_hash: an update marks the element used; flags still apply', () => {
  const m = make(MAP_TYPE.LRU_HASH, 4, 4, 2);
  m.updateElem(u32(1), u32(1));
  m.updateElem(u32(2), u32(2));
  assert.is(m.updateElem(u32(1), u32(9), BPF_EXIST), 0);
  assert.is(m.updateElem(u32(2), u32(9), BPF_NOEXIST), -EEXIST);
  assert.is(m.updateElem(u32(7), u32(9), BPF_EXIST), -ENOENT);
  m.updateElem(u32(3), u32(3));
  assert.equal(keys(m).sort(), [1, 3]);
  assert.is(rd(m.lookupElem(u32(1))), 9);
});

test('lru_percpu_hash: per-CPU values with eviction', () => {
  const m = make(MAP_TYPE.LRU_PERCPU_HASH, 4, 4, 1, {}, 2);
  m.update(u32(1), 0, u32(5), 0, 0, 1);
  m.update(u32(2), 0, u32(6), 0, 0, 0);
  assert.equal(keys(m), [2]);
  const v = m.lookupElem(u32(2))!;
  assert.equal([rd(v, 0), rd(v, 8)], [6, 0]);
});

test.run();
