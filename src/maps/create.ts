// createMap: validate a MapSpec as the kernel would, then build the live map.
import type { MapSpec } from '../elf/index.js';
import { MAP_TYPE as T } from '../elf/index.js';
import { ArrayMap } from './array.js';
import { HashMap } from './hash.js';
import { LpmTrieMap } from './lpm.js';
import { PerfEventArrayMap } from './perf.js';
import { QueueStackMap } from './queue.js';
import { RingBufMap } from './ringbuf.js';
import { SlotArrayMap } from './slots.js';
import type { BpfMap, MapOptions } from './types.js';
import { validateSpec } from './validate.js';

export interface CreateOptions extends MapOptions {
  /** Whether a program id names a loaded program (prog_array, devmap/cpumap programs). */
  isProgram?: (id: number) => boolean;
}

export function createMap(spec: MapSpec, opts: CreateOptions): BpfMap {
  // libbpf sizes a perf_event_array with max_entries 0 to the number of CPUs.
  if (spec.type === T.PERF_EVENT_ARRAY && spec.maxEntries === 0) spec = { ...spec, maxEntries: opts.cpus };
  validateSpec(spec, opts.cpus);
  switch (spec.type) {
    case T.ARRAY: return new ArrayMap(spec, opts, false);
    case T.PERCPU_ARRAY: return new ArrayMap(spec, opts, true);
    case T.HASH: case T.HASH_OF_MAPS: case T.DEVMAP_HASH: return new HashMap(spec, opts, false, false);
    case T.PERCPU_HASH: return new HashMap(spec, opts, true, false);
    case T.LRU_HASH: return new HashMap(spec, opts, false, true);
    case T.LRU_PERCPU_HASH: return new HashMap(spec, opts, true, true);
    case T.LPM_TRIE: return new LpmTrieMap(spec, opts);
    case T.QUEUE: case T.STACK: return new QueueStackMap(spec, opts);
    case T.RINGBUF: return new RingBufMap(spec, opts);
    case T.PERF_EVENT_ARRAY: return new PerfEventArrayMap(spec, opts);
    default: return new SlotArrayMap(spec, opts, opts.isProgram); // prog_array, array_of_maps, devmap, cpumap, xskmap
  }
}

/** Per-CPU maps: the user-space value holds one round_up(value_size, 8) copy per CPU. */
export function isPerCpu(type: number): boolean {
  return type === T.PERCPU_ARRAY || type === T.PERCPU_HASH || type === T.LRU_PERCPU_HASH;
}
