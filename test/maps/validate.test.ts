import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { XdplabError } from '../../src/diag/index.js';
import type { MapSpec } from '../../src/elf/index.js';
import { createMap } from '../../src/maps/index.js';
import { MAP_FLAG, MAP_TYPE as T, spec } from './helpers.js';

const F = MAP_FLAG;
function rejects(s: MapSpec, text: RegExp, errno = 'EINVAL'): void {
  try {
    createMap(s, { cpus: 2 });
  } catch (e) {
    assert.instance(e, XdplabError);
    const d = (e as XdplabError).diagnostics[0];
    assert.match(d.message, `map '${s.name}'`);
    assert.match(d.message, text);
    assert.equal(d.notes, [`the kernel refuses to create this map (-${errno})`]);
    return;
  }
  assert.unreachable(`created ${JSON.stringify(s)}`);
}

const cases: Array<[string, MapSpec, RegExp, string?]> = [
  ['hash with key_size 0', spec(T.HASH, 0, 4, 4), /key_size is 0/],
  ['hash with value_size 0', spec(T.HASH, 4, 0, 4), /value_size is 0/],
  ['hash with max_entries 0', spec(T.HASH, 4, 4, 0), /max_entries is 0/],
  ['hash key bigger than the stack', spec(T.HASH, 513, 4, 4), /larger than the BPF stack/, 'E2BIG'],
  ['hash with an unknown flag', spec(T.HASH, 4, 4, 4, { flags: F.MMAPABLE }), /flags 0x400/],
  ['hash with NO_COMMON_LRU', spec(T.HASH, 4, 4, 4, { flags: F.NO_COMMON_LRU }), /only for LRU/],
  ['lru_hash not preallocated', spec(T.LRU_HASH, 4, 4, 4, { flags: F.NO_PREALLOC }), /must be preallocated/, 'ENOTSUPP'],
  ['percpu value too large', spec(T.PERCPU_HASH, 4, 40000, 4), /per-CPU value/, 'E2BIG'],
  ['array with key_size 8', spec(T.ARRAY, 8, 4, 4), /key_size 8 must be 4/],
  ['array with value_size 0', spec(T.ARRAY, 4, 0, 4), /value_size is 0/],
  ['mmapable percpu array', spec(T.PERCPU_ARRAY, 4, 4, 4, { flags: F.MMAPABLE }), /only for array maps/],
  ['lpm_trie without NO_PREALLOC', spec(T.LPM_TRIE, 8, 4, 4), /BPF_F_NO_PREALLOC/],
  ['lpm_trie key too small', spec(T.LPM_TRIE, 4, 4, 4, { flags: F.NO_PREALLOC }), /key_size 4 must be 4 \(prefixlen\)/],
  ['lpm_trie key too big', spec(T.LPM_TRIE, 261, 4, 4, { flags: F.NO_PREALLOC }), /1\.\.256 data bytes/],
  ['devmap value 6', spec(T.DEVMAP, 4, 6, 4), /value_size 6 must be 4 \(ifindex\) or 8/],
  ['devmap_hash key 8', spec(T.DEVMAP_HASH, 8, 4, 4), /key_size 8 must be 4/],
  ['cpumap value 12', spec(T.CPUMAP, 4, 12, 4), /qsize/],
  ['cpumap with NO_PREALLOC', spec(T.CPUMAP, 4, 4, 4, { flags: F.NO_PREALLOC }), /flags 0x1/],
  ['xskmap value 8', spec(T.XSKMAP, 4, 8, 4), /must both be 4/],
  ['prog_array value 8', spec(T.PROG_ARRAY, 4, 8, 4), /must be 4 \(a program/],
  ['queue with a key', spec(T.QUEUE, 4, 4, 4), /key_size 4 must be 0/],
  ['stack with max_entries 0', spec(T.STACK, 0, 4, 0), /max_entries is 0/],
  ['ringbuf not a power of 2', spec(T.RINGBUF, 0, 0, 3 * 4096), /power of 2 and a multiple of the page size/],
  ['ringbuf smaller than a page', spec(T.RINGBUF, 0, 0, 1024), /power of 2/],
  ['ringbuf with a value size', spec(T.RINGBUF, 0, 4, 4096), /must both be 0/],
  ['array_of_maps without inner', spec(T.ARRAY_OF_MAPS, 4, 4, 4), /inner map template/, 'EBADF'],
  ['map-in-map of map-in-map', spec(T.HASH_OF_MAPS, 4, 4, 4, { inner: spec(T.ARRAY_OF_MAPS, 4, 4, 1) }), /may not itself hold maps/],
  ['unsupported type', spec(T.SOCKMAP, 4, 4, 4), /not supported by xdplab/],
  ['both RDONLY_PROG and WRONLY_PROG', spec(T.ARRAY, 4, 4, 4, { flags: F.RDONLY_PROG | F.WRONLY_PROG }), /together/],
];

for (const [title, s, re, errno] of cases) test(`rejects ${title}`, () => rejects(s, re, errno));

test('a map from an object file is an elf error naming its section', () => {
  try {
    createMap({ ...spec(T.HASH, 0, 4, 4), name: 'flows', section: '.maps' }, { cpus: 1 });
    assert.unreachable();
  } catch (e) {
    const d = (e as XdplabError).diagnostics[0];
    assert.is(d.kind, 'elf');
    assert.is(d.message, "map 'flows' (hash) in section .maps: key_size is 0");
    assert.is(d.condition, 'key_size > 0');
  }
});

test('accepts every supported type with sane sizes, each with a fresh id', () => {
  const ok = [
    spec(T.HASH, 4, 4, 4), spec(T.ARRAY, 4, 4, 4), spec(T.PERCPU_ARRAY, 4, 4, 4), spec(T.PERCPU_HASH, 4, 4, 4),
    spec(T.LRU_HASH, 4, 4, 4), spec(T.LRU_PERCPU_HASH, 4, 4, 4, { flags: F.NO_COMMON_LRU }),
    spec(T.LPM_TRIE, 20, 4, 4, { flags: F.NO_PREALLOC }), spec(T.DEVMAP, 4, 8, 4), spec(T.DEVMAP_HASH, 4, 4, 4),
    spec(T.CPUMAP, 4, 8, 4), spec(T.XSKMAP, 4, 4, 4), spec(T.PROG_ARRAY, 4, 4, 4), spec(T.PERF_EVENT_ARRAY, 4, 4, 4),
    spec(T.QUEUE, 0, 4, 4), spec(T.STACK, 0, 4, 4), spec(T.RINGBUF, 0, 0, 8192),
    spec(T.ARRAY_OF_MAPS, 4, 4, 4, { inner: spec(T.HASH, 4, 4, 4) }), spec(T.HASH_OF_MAPS, 8, 4, 4, { inner: spec(T.ARRAY, 4, 4, 4) }),
  ];
  const ids = new Set(ok.map((s) => createMap(s, { cpus: 2 }).id));
  assert.is(ids.size, ok.length);
});

test.run();
