// Map creation checks, as the kernel's map_alloc_check / map_alloc functions make them
// (arraymap.c, hashtab.c, lpm_trie.c, devmap.c, cpumap.c, xskmap.c, queue_stack_maps.c,
// ringbuf.c, map_in_map.c). A spec the kernel would refuse is an XdplabError naming the
// map, what is wrong, and the errno the kernel gives.
import { fail } from '../diag/index.js';
import type { MapSpec } from '../elf/index.js';
import { MAP_FLAG, MAP_TYPE, MAP_TYPE_NAME } from '../elf/index.js';
import { round8 } from './types.js';

const T = MAP_TYPE;
const F = MAP_FLAG;
const ACCESS = F.RDONLY | F.WRONLY | F.RDONLY_PROG | F.WRONLY_PROG;
const ZERO_SEED = 1 << 6;
const PRESERVE_ELEMS = 1 << 11;
const ARRAY_FLAGS = F.NUMA_NODE | F.MMAPABLE | ACCESS | PRESERVE_ELEMS | F.INNER_MAP;
const HTAB_FLAGS = F.NO_PREALLOC | F.NO_COMMON_LRU | F.NUMA_NODE | ACCESS | ZERO_SEED;
const LPM_FLAGS = F.NO_PREALLOC | F.NUMA_NODE | ACCESS;
const DEV_FLAGS = F.NUMA_NODE | F.RDONLY | F.WRONLY;
/** PCPU_MIN_UNIT_SIZE: the largest per-CPU value. */
const PCPU_MAX = 32768;
/** MAX_BPF_STACK: a hash key must fit on the program stack. */
const MAX_KEY = 512;
const NR_CPUS = 8192;
/** Not a kernel limit: xdplab refuses to preallocate more than this for one map. */
const XDPLAB_MAX_BYTES = 1 << 30;

export const SUPPORTED_TYPES: readonly number[] = [
  T.HASH, T.ARRAY, T.PROG_ARRAY, T.PERF_EVENT_ARRAY, T.PERCPU_HASH, T.PERCPU_ARRAY, T.LRU_HASH,
  T.LRU_PERCPU_HASH, T.LPM_TRIE, T.ARRAY_OF_MAPS, T.HASH_OF_MAPS, T.DEVMAP, T.CPUMAP, T.XSKMAP,
  T.QUEUE, T.STACK, T.DEVMAP_HASH, T.RINGBUF,
];

export function typeName(type: number): string {
  return MAP_TYPE_NAME[type] ?? `type ${type}`;
}

/** Throw unless the kernel would create this map. `cpus` sizes per-CPU copies. */
export function validateSpec(spec: MapSpec, cpus: number): void {
  const { type, keySize: K, valueSize: V, maxEntries: M, flags } = spec;
  const kind = spec.section !== undefined ? 'elf' : 'semantic';
  const need = (ok: boolean, what: string, condition: string, errno = 'EINVAL'): void => {
    if (ok) return;
    const at = spec.section ? ` in section ${spec.section}` : '';
    fail(kind, `map '${spec.name}' (${typeName(type)})${at}: ${what}`, {
      condition, notes: [`the kernel refuses to create this map (-${errno})`],
    });
  };
  const flagsIn = (mask: number): void =>
    need((flags & ~mask) === 0, `flags 0x${flags.toString(16)} include bits this map type does not accept`, `(flags & ~0x${mask.toString(16)}) == 0`);

  need(SUPPORTED_TYPES.includes(type), 'this map type is not supported by xdplab', `type in {${SUPPORTED_TYPES.map(typeName).join(', ')}}`, 'EINVAL');
  need(Number.isInteger(cpus) && cpus >= 1, `cpus must be a positive integer, got ${cpus}`, 'cpus >= 1');
  need(M > 0, 'max_entries is 0', 'max_entries > 0');
  need((flags & F.RDONLY_PROG) === 0 || (flags & F.WRONLY_PROG) === 0, 'BPF_F_RDONLY_PROG and BPF_F_WRONLY_PROG together', 'not both RDONLY_PROG and WRONLY_PROG');

  const percpu = type === T.PERCPU_ARRAY || type === T.PERCPU_HASH || type === T.LRU_PERCPU_HASH;
  const lru = type === T.LRU_HASH || type === T.LRU_PERCPU_HASH;
  switch (type) {
    case T.PROG_ARRAY: case T.PERF_EVENT_ARRAY: case T.ARRAY_OF_MAPS: // fd_array_map_alloc_check, then as arrays
    case T.ARRAY: case T.PERCPU_ARRAY: // array_map_alloc_check
      if (type !== T.ARRAY && type !== T.PERCPU_ARRAY) {
        need(V === 4, `value_size ${V} must be 4 (a program, perf event or map reference)`, 'value_size == 4');
        need((flags & (F.RDONLY_PROG | F.WRONLY_PROG)) === 0, 'BPF_F_RDONLY_PROG/WRONLY_PROG are not allowed here', '(flags & (RDONLY_PROG|WRONLY_PROG)) == 0');
      }
      need(K === 4, `key_size ${K} must be 4 (a u32 index)`, 'key_size == 4');
      need(V > 0, 'value_size is 0', 'value_size > 0');
      flagsIn(ARRAY_FLAGS);
      need(!(flags & F.MMAPABLE) || type === T.ARRAY, 'BPF_F_MMAPABLE is only for array maps', 'type == array');
      need(!percpu || round8(V) <= PCPU_MAX, `value_size ${V} is larger than a per-CPU value may be`, `round_up(value_size, 8) <= ${PCPU_MAX}`, 'E2BIG');
      break;
    case T.HASH: case T.PERCPU_HASH: case T.LRU_HASH: case T.LRU_PERCPU_HASH: case T.HASH_OF_MAPS: // htab_map_alloc_check
      flagsIn(HTAB_FLAGS);
      need(!lru || !(flags & F.NO_PREALLOC), 'LRU hash maps must be preallocated (BPF_F_NO_PREALLOC set)', '!(flags & BPF_F_NO_PREALLOC)', 'ENOTSUPP');
      need(lru || !(flags & F.NO_COMMON_LRU), 'BPF_F_NO_COMMON_LRU is only for LRU maps', 'type is lru_hash or lru_percpu_hash');
      need(K > 0, 'key_size is 0', 'key_size > 0');
      need(V > 0, 'value_size is 0', 'value_size > 0');
      need(K <= MAX_KEY, `key_size ${K} is larger than the BPF stack`, `key_size <= ${MAX_KEY}`, 'E2BIG');
      need(!percpu || round8(V) <= PCPU_MAX, `value_size ${V} is larger than a per-CPU value may be`, `round_up(value_size, 8) <= ${PCPU_MAX}`, 'E2BIG');
      need(type !== T.HASH_OF_MAPS || V === 4, `value_size ${V} must be 4 (a map reference)`, 'value_size == 4');
      break;
    case T.LPM_TRIE: // trie_alloc
      need((flags & F.NO_PREALLOC) !== 0, 'an lpm_trie must be created with BPF_F_NO_PREALLOC', 'flags & BPF_F_NO_PREALLOC');
      flagsIn(LPM_FLAGS);
      need(K >= 5 && K <= 4 + 256, `key_size ${K} must be 4 (prefixlen) + 1..256 data bytes`, '5 <= key_size <= 260');
      need(V >= 1, 'value_size is 0', 'value_size >= 1');
      break;
    case T.DEVMAP: case T.DEVMAP_HASH: // dev_map_init_map
      need(K === 4, `key_size ${K} must be 4`, 'key_size == 4');
      need(V === 4 || V === 8, `value_size ${V} must be 4 (ifindex) or 8 (ifindex + program)`, 'value_size == 4 || value_size == 8');
      flagsIn(DEV_FLAGS);
      break;
    case T.CPUMAP: // cpu_map_alloc
      need(K === 4, `key_size ${K} must be 4`, 'key_size == 4');
      need(V === 4 || V === 8, `value_size ${V} must be 4 (qsize) or 8 (qsize + program)`, 'value_size == 4 || value_size == 8');
      flagsIn(F.NUMA_NODE);
      need(M <= NR_CPUS, `max_entries ${M} is more than NR_CPUS`, `max_entries <= ${NR_CPUS}`, 'E2BIG');
      break;
    case T.XSKMAP: // xsk_map_alloc
      need(K === 4 && V === 4, `key_size ${K} and value_size ${V} must both be 4`, 'key_size == 4 && value_size == 4');
      flagsIn(DEV_FLAGS);
      break;
    case T.QUEUE: case T.STACK: // queue_stack_map_alloc_check
      need(K === 0, `key_size ${K} must be 0 (queues and stacks have no keys)`, 'key_size == 0');
      need(V > 0, 'value_size is 0', 'value_size > 0');
      flagsIn(F.NUMA_NODE | ACCESS);
      break;
    case T.RINGBUF: // ringbuf_map_alloc
      flagsIn(F.NUMA_NODE);
      need(K === 0 && V === 0, `key_size ${K} and value_size ${V} must both be 0`, 'key_size == 0 && value_size == 0');
      need((M & (M - 1)) === 0 && M % 4096 === 0, `max_entries ${M} (the buffer size) must be a power of 2 and a multiple of the page size`, 'is_power_of_2(max_entries) && max_entries % 4096 == 0');
      break;
  }
  const bytes = M * (K + round8(V) * (percpu ? cpus : 1));
  need(bytes <= XDPLAB_MAX_BYTES, `needs ${bytes} bytes, more than xdplab preallocates for one map`, `size <= ${XDPLAB_MAX_BYTES}`, 'E2BIG (xdplab limit)');

  if (type === T.ARRAY_OF_MAPS || type === T.HASH_OF_MAPS) { // bpf_map_meta_alloc
    need(spec.inner !== undefined, 'a map-in-map needs an inner map template', 'inner map given', 'EBADF');
    const inner = spec.inner!;
    need(inner.type !== T.ARRAY_OF_MAPS && inner.type !== T.HASH_OF_MAPS, 'the inner map may not itself hold maps', 'inner type is not a map-in-map');
    validateSpec(inner, cpus);
  }
}
