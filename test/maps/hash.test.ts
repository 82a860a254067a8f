import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BPF_ANY, BPF_EXIST, BPF_F_LOCK, BPF_NOEXIST, E2BIG, EEXIST, EINVAL, ENOENT, HashMap } from '../../src/maps/index.js';
import { keys, make, MAP_TYPE, rd, u32 } from './helpers.js';

test('hash: update flags as htab_map_update_elem', () => {
  const m = make(MAP_TYPE.HASH, 4, 4, 4);
  assert.is(m.updateElem(u32(1), u32(10), BPF_EXIST), -ENOENT);
  assert.is(m.updateElem(u32(1), u32(10), BPF_NOEXIST), 0);
  assert.is(m.updateElem(u32(1), u32(11), BPF_NOEXIST), -EEXIST);
  assert.is(m.updateElem(u32(1), u32(12), BPF_EXIST), 0);
  assert.is(m.updateElem(u32(1), u32(13), 3), -EINVAL);
  assert.is(m.updateElem(u32(1), u32(13), BPF_F_LOCK), -EINVAL, 'no bpf_spin_lock in the value');
  assert.is(rd(m.lookupElem(u32(1))), 12);
});

test('hash: a full map refuses new keys with -E2BIG but still updates existing ones', () => {
  const m = make(MAP_TYPE.HASH, 4, 4, 2);
  assert.is(m.updateElem(u32(1), u32(1)), 0);
  assert.is(m.updateElem(u32(2), u32(2)), 0);
  assert.is(m.updateElem(u32(3), u32(3)), -E2BIG);
  assert.is(m.updateElem(u32(3), u32(3), BPF_NOEXIST), -E2BIG);
  assert.is(m.updateElem(u32(1), u32(9), BPF_NOEXIST), -EEXIST);
  assert.is(m.updateElem(u32(2), u32(5)), 0);
  assert.is(m.deleteElem(u32(1)), 0);
  assert.is(m.updateElem(u32(3), u32(3)), 0);
  assert.equal(keys(m), [2, 3]);
});

test('hash: delete of a missing key is -ENOENT', () => {
  const m = make(MAP_TYPE.HASH, 4, 4, 2);
  assert.is(m.deleteElem(u32(7)), -ENOENT);
  assert.is(m.delete(u32(7), 0), -ENOENT);
  assert.is(m.counters.deleteErrors, 1);
});

test('hash: value offsets are stable while the element lives, and lookups miss after delete', () => {
  const m = make(MAP_TYPE.HASH, 4, 4, 8);
  for (let i = 0; i < 5; i++) m.updateElem(u32(i), u32(100 + i));
  const off3 = m.lookup(u32(3), 0, 0);
  m.deleteElem(u32(1));
  m.deleteElem(u32(2));
  m.updateElem(u32(9), u32(9));
  assert.is(m.lookup(u32(3), 0, 0), off3);
  assert.is(rd(m.valueStorage(0), off3), 103);
  assert.is(m.lookup(u32(1), 0, 0), -1);
  m.valueStorage(0)[off3] = 0x55;
  assert.is(rd(m.lookupElem(u32(3))), 0x55);
});

test('hash: get_next_key in insertion order; an unknown key restarts at the first', () => {
  const m = make(MAP_TYPE.HASH, 4, 4, 8);
  for (const k of [5, 3, 9]) m.updateElem(u32(k), u32(k));
  assert.equal(keys(m), [5, 3, 9]);
  assert.is(rd(m.nextKey(u32(42))), 5);
  m.updateElem(u32(5), u32(0)); // an update keeps the element's place
  assert.equal(keys(m), [5, 3, 9]);
  m.deleteElem(u32(3));
  assert.equal(keys(m), [5, 9]);
  assert.is(make(MAP_TYPE.HASH, 4, 4, 2).nextKey(), undefined);
});

test('hash: keys longer than 4 bytes compare every byte', () => {
  const m = make(MAP_TYPE.HASH, 13, 4, 16) as HashMap;
  const k1 = new Uint8Array(13).fill(1);
  const k2 = k1.slice(); k2[12] = 2;
  m.updateElem(k1, u32(1));
  m.updateElem(k2, u32(2));
  assert.is(rd(m.lookupElem(k1)), 1);
  assert.is(rd(m.lookupElem(k2)), 2);
  assert.is(m.size, 2);
});

test('hash: many keys, deletes and reinserts keep the index consistent', () => {
  const m = make(MAP_TYPE.HASH, 4, 4, 1000) as HashMap;
  for (let i = 0; i < 1000; i++) assert.is(m.updateElem(u32(i * 7919), u32(i)), 0);
  for (let i = 0; i < 1000; i += 2) assert.is(m.deleteElem(u32(i * 7919)), 0);
  for (let i = 0; i < 1000; i++) assert.is(rd(m.lookupElem(u32(i * 7919))), i % 2 ? i : undefined);
  assert.is(m.size, 500);
  assert.is(keys(m).length, 500);
});

test('percpu_hash: a program writes its CPU; a new element is zero on the others', () => {
  const m = make(MAP_TYPE.PERCPU_HASH, 4, 4, 4, {}, 2);
  assert.is(m.userValueSize, 16);
  assert.is(m.update(u32(1), 0, u32(7), 0, BPF_ANY, 1), 0);
  const off = m.lookup(u32(1), 0, 1);
  assert.is(rd(m.valueStorage(1), off), 7);
  assert.is(rd(m.valueStorage(0), off), 0);
  assert.is(m.update(u32(1), 0, u32(3), 0, BPF_ANY, 0), 0);
  const v = m.lookupElem(u32(1))!;
  assert.equal([rd(v, 0), rd(v, 8)], [3, 7]);
  const all = new Uint8Array(16); all[0] = 1; all[8] = 2;
  assert.is(m.updateElem(u32(2), all), 0);
  const off2 = m.lookup(u32(2), 0, 0);
  assert.equal([m.valueStorage(0)[off2], m.valueStorage(1)[off2]], [1, 2]);
});

test('hash: a short key from user space is a diagnostic, not a crash', () => {
  const m = make(MAP_TYPE.HASH, 8, 4, 4);
  assert.throws(() => m.updateElem(u32(1), u32(1)), /needs a 8-byte key/);
});

test.run();
