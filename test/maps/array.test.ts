import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BPF_ANY, BPF_EXIST, BPF_F_LOCK, BPF_NOEXIST, E2BIG, EEXIST, EINVAL, EPERM } from '../../src/maps/index.js';
import { keys, make, MAP_TYPE, rd, u32 } from './helpers.js';

test('array: every index exists, zeroed, values at index * round_up(value_size, 8)', () => {
  const m = make(MAP_TYPE.ARRAY, 4, 12, 3);
  assert.is(m.lookup(u32(0), 0, 0), 0);
  assert.is(m.lookup(u32(2), 0, 0), 32);
  assert.is(m.lookup(u32(3), 0, 0), -1);
  assert.equal([...m.lookupElem(u32(1))!], new Array(12).fill(0));
  assert.is(m.valueStorage(0).length, 48);
});

test('array: a program writes the value in place and user space sees it', () => {
  const m = make(MAP_TYPE.ARRAY, 4, 4, 2);
  const off = m.lookup(u32(1), 0, 0);
  m.valueStorage(0)[off] = 7;
  assert.is(rd(m.lookupElem(u32(1))), 7);
  assert.is(m.update(u32(1), 0, u32(9), 0, BPF_ANY, 0), 0);
  assert.is(m.valueStorage(0)[off], 9, 'the same offset still holds the value');
});

test('array: update errno paths as array_map_update_elem', () => {
  const m = make(MAP_TYPE.ARRAY, 4, 4, 2);
  assert.is(m.updateElem(u32(0), u32(1), BPF_ANY), 0);
  assert.is(m.updateElem(u32(0), u32(1), BPF_EXIST), 0);
  assert.is(m.updateElem(u32(0), u32(1), BPF_NOEXIST), -EEXIST);
  assert.is(m.updateElem(u32(2), u32(1), BPF_ANY), -E2BIG, 'index >= max_entries is -E2BIG in the kernel');
  assert.is(m.updateElem(u32(0), u32(1), 3), -EINVAL);
  assert.is(m.updateElem(u32(0), u32(1), BPF_F_LOCK), -EINVAL);
  assert.is(m.deleteElem(u32(0)), -EINVAL);
  assert.is(m.delete(u32(5), 0), -EINVAL);
});

test('array: get_next_key walks indexes and restarts past the end', () => {
  const m = make(MAP_TYPE.ARRAY, 4, 4, 3);
  assert.equal(keys(m), [0, 1, 2]);
  assert.is(rd(m.nextKey(u32(99))), 0);
  assert.is(m.nextKey(u32(2)), undefined);
});

test('percpu_array: one copy per CPU, user view rounded to 8 bytes per CPU', () => {
  const m = make(MAP_TYPE.PERCPU_ARRAY, 4, 4, 2, {}, 3);
  assert.is(m.userValueSize, 24);
  const off = m.lookup(u32(1), 0, 2);
  assert.is(off, 8);
  assert.is.not(m.valueStorage(0), m.valueStorage(2));
  assert.is(m.update(u32(1), 0, u32(5), 0, BPF_ANY, 2), 0);
  const v = m.lookupElem(u32(1))!;
  assert.equal([rd(v, 0), rd(v, 8), rd(v, 16)], [0, 0, 5]);
  const all = new Uint8Array(24);
  all[0] = 1; all[8] = 2; all[16] = 3;
  assert.is(m.updateElem(u32(0), all), 0);
  assert.equal([0, 1, 2].map((c) => m.valueStorage(c)[0]), [1, 2, 3]);
});

test('array: global data starts with its initial image; a frozen map refuses user writes', () => {
  const m = make(MAP_TYPE.ARRAY, 4, 4, 1, { initialData: Uint8Array.of(1, 2, 3, 4), name: '.rodata', readOnly: true });
  assert.equal([...m.lookupElem(u32(0))!], [1, 2, 3, 4]);
  m.freeze();
  assert.ok(m.frozen);
  assert.is(m.updateElem(u32(0), u32(0)), -EPERM);
});

test('array: counters count program accesses', () => {
  const m = make(MAP_TYPE.ARRAY, 4, 4, 2);
  m.lookup(u32(0), 0, 0);
  m.lookup(u32(9), 0, 0);
  m.update(u32(9), 0, u32(1), 0, 0, 0);
  assert.equal([m.counters.lookups, m.counters.lookupMisses, m.counters.updates, m.counters.updateErrors], [2, 1, 1, 1]);
});

test('array: keys may sit at an offset in a larger buffer (the program stack)', () => {
  const m = make(MAP_TYPE.ARRAY, 4, 4, 4);
  const stack = new Uint8Array(16);
  stack.set(u32(3), 8);
  assert.is(m.lookup(stack, 8, 0), 24);
});

test.run();
