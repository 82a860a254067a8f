import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  BPF_EXIST, BPF_NOEXIST, createMap, E2BIG, EBADF, EEXIST, EINVAL, ENODEV, ENOENT, EOPNOTSUPP, EOVERFLOW, innerMap, PerfEventArrayMap,
} from '../../src/maps/index.js';
import { bytes, keys, make, MAP_FLAG, MAP_TYPE, rd, spec, u32 } from './helpers.js';

// Every errno below was checked against Linux 6.18 with bpftool where bpftool can reach it.
test('devmap: ifindex values; ifindex 0 empties a slot; delete never fails inside the map', () => {
  const m = make(MAP_TYPE.DEVMAP, 4, 4, 4);
  assert.is(m.updateElem(u32(0), u32(1)), 0);
  assert.is(m.updateElem(u32(3), u32(1), BPF_EXIST), 0, 'BPF_EXIST on an empty slot is fine');
  assert.is(m.updateElem(u32(0), u32(2), BPF_NOEXIST), -EEXIST);
  assert.is(m.updateElem(u32(4), u32(1)), -E2BIG);
  assert.is(m.updateElem(u32(0), u32(1), 4), -EINVAL);
  assert.is(m.updateElem(u32(0), u32(0)), 0);
  assert.is(m.lookupElem(u32(0)), undefined);
  assert.is(m.deleteElem(u32(2)), 0);
  assert.is(m.deleteElem(u32(9)), -EINVAL);
  assert.is(m.lookup(u32(3), 0, 0), 24);
  assert.equal(keys(m), [0, 1, 2, 3]);
});

test('devmap: an 8-byte value carries a program; ifindex 0 with a program is -EINVAL', () => {
  const m = make(MAP_TYPE.DEVMAP, 4, 8, 2);
  assert.is(m.updateElem(u32(0), bytes(2, 0, 0, 0, 5, 0, 0, 0)), 0);
  assert.equal([...m.lookupElem(u32(0))!], [2, 0, 0, 0, 5, 0, 0, 0]);
  assert.is(m.updateElem(u32(1), bytes(0, 0, 0, 0, 5, 0, 0, 0)), -EINVAL);
});

test('devmap_hash: BPF_EXIST on a missing key works; full is -E2BIG; ifindex 0 is -EINVAL', () => {
  const m = make(MAP_TYPE.DEVMAP_HASH, 4, 4, 1);
  assert.is(m.updateElem(u32(7), u32(1), BPF_EXIST), 0);
  assert.is(m.updateElem(u32(7), u32(0)), -EINVAL);
  assert.is(m.updateElem(u32(7), u32(2), BPF_NOEXIST), -EEXIST);
  assert.is(m.updateElem(u32(5), u32(1)), -E2BIG);
  assert.is(m.deleteElem(u32(6)), -ENOENT);
  assert.equal(keys(m), [7]);
});

test('cpumap: qsize limits, possible CPUs, qsize 0 empties', () => {
  const m = make(MAP_TYPE.CPUMAP, 4, 4, 4, {}, 2);
  assert.is(m.updateElem(u32(0), u32(256)), 0);
  assert.is(m.updateElem(u32(3), u32(256)), -ENODEV);
  assert.is(m.updateElem(u32(1), u32(65536)), -EOVERFLOW);
  assert.is(m.updateElem(u32(4), u32(256)), -E2BIG);
  assert.is(m.updateElem(u32(0), u32(256), BPF_NOEXIST), -EEXIST);
  assert.is(m.updateElem(u32(1), u32(64), BPF_EXIST), 0);
  assert.is(m.updateElem(u32(1), u32(0)), 0);
  assert.is(m.lookupElem(u32(1)), undefined);
  assert.is(m.deleteElem(u32(2)), 0);
  assert.is(m.deleteElem(u32(9)), -EINVAL);
});

test('xskmap: NOEXIST/EXIST against the slot', () => {
  const m = make(MAP_TYPE.XSKMAP, 4, 4, 2);
  assert.is(m.updateElem(u32(0), u32(3), BPF_EXIST), -ENOENT);
  assert.is(m.updateElem(u32(0), u32(3), BPF_NOEXIST), 0);
  assert.is(m.updateElem(u32(0), u32(3), BPF_NOEXIST), -EEXIST);
  assert.is(m.updateElem(u32(2), u32(3)), -E2BIG);
  assert.is(m.deleteElem(u32(0)), 0);
  assert.is(m.deleteElem(u32(2)), -EINVAL);
});

test('prog_array: program ids, BPF_ANY only, -ENOENT deleting an empty slot', () => {
  const loaded = new Set([4]);
  const s = spec(MAP_TYPE.PROG_ARRAY, 4, 4, 2);
  const m = createMap(s, { cpus: 1, isProgram: (id) => loaded.has(id) });
  assert.is(m.updateElem(u32(0), u32(4)), 0);
  assert.is(m.updateElem(u32(1), u32(5)), -EBADF);
  assert.is(m.updateElem(u32(0), u32(4), BPF_NOEXIST), -EINVAL);
  assert.is(m.updateElem(u32(2), u32(4)), -E2BIG);
  assert.is(rd(m.lookupElem(u32(0))), 4);
  assert.is(m.lookup(u32(1), 0, 0), -1);
  assert.is(m.deleteElem(u32(1)), -ENOENT);
  assert.is(m.deleteElem(u32(2)), -E2BIG);
  assert.is(m.deleteElem(u32(0)), 0);
});

test('array_of_maps / hash_of_maps: inner maps must match the template', () => {
  const inner = spec(MAP_TYPE.ARRAY, 4, 4, 8);
  const a = make(MAP_TYPE.ARRAY_OF_MAPS, 4, 4, 2, { inner });
  const h = make(MAP_TYPE.HASH_OF_MAPS, 4, 4, 2, { inner });
  const good = make(MAP_TYPE.ARRAY, 4, 4, 8);
  const bigger = make(MAP_TYPE.ARRAY, 4, 4, 16);
  const other = make(MAP_TYPE.HASH, 4, 4, 8);
  assert.is(a.updateElem(u32(0), u32(good.id)), 0);
  assert.is(a.updateElem(u32(1), u32(bigger.id)), -EINVAL);
  assert.is(a.updateElem(u32(1), u32(other.id)), -EINVAL);
  assert.is(a.updateElem(u32(1), u32(999999)), -EBADF);
  assert.is(innerMap(a, a.lookup(u32(0), 0, 0)), good);
  assert.is(innerMap(a, a.lookup(u32(1), 0, 0)), undefined);
  assert.is(h.updateElem(u32(42), u32(good.id)), 0);
  assert.is(h.updateElem(u32(42), u32(good.id), BPF_NOEXIST), -EEXIST);
  assert.is(rd(h.lookupElem(u32(42))), good.id, 'user space reads the inner map id');
  assert.is(innerMap(h, h.lookup(u32(42), 0, 0)), good);
  const flexible = make(MAP_TYPE.ARRAY_OF_MAPS, 4, 4, 1, { inner: { ...inner, flags: MAP_FLAG.INNER_MAP } });
  const dyn = make(MAP_TYPE.ARRAY, 4, 4, 99, { flags: MAP_FLAG.INNER_MAP });
  assert.is(flexible.updateElem(u32(0), u32(dyn.id)), 0, 'BPF_F_INNER_MAP lets max_entries differ');
});

test('perf_event_array: captures records per CPU index', () => {
  const m = make(MAP_TYPE.PERF_EVENT_ARRAY, 4, 4, 0, {}, 2) as PerfEventArrayMap;
  assert.is(m.spec.maxEntries, 2, 'max_entries 0 becomes the CPU count, as libbpf does');
  assert.is(m.output(0, 0xffffffff, bytes(1, 2)), -ENOENT, 'no event opened');
  m.attachAll();
  assert.is(m.output(1, 0xffffffff, bytes(1, 2)), 0);
  assert.is(m.output(0, 1, bytes(3)), -EOPNOTSUPP, 'event 1 is on CPU 1');
  assert.is(m.output(0, 5, bytes(3)), -E2BIG);
  assert.equal(m.drain(), [{ cpu: 1, index: 1, data: bytes(1, 2) }]);
  assert.equal(m.drain(), []);
  assert.is(m.updateElem(u32(0), u32(0)), -EBADF);
});

test.run();
