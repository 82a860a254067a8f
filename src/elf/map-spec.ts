// What an object file says about a map, before any map exists. The ELF loader (floor 2)
// produces MapSpecs; src/maps (floor 3) turns them into live maps.

/** Kernel map type ids (enum bpf_map_type, include/uapi/linux/bpf.h). */
export const MAP_TYPE = {
  UNSPEC: 0, HASH: 1, ARRAY: 2, PROG_ARRAY: 3, PERF_EVENT_ARRAY: 4, PERCPU_HASH: 5, PERCPU_ARRAY: 6,
  STACK_TRACE: 7, CGROUP_ARRAY: 8, LRU_HASH: 9, LRU_PERCPU_HASH: 10, LPM_TRIE: 11, ARRAY_OF_MAPS: 12,
  HASH_OF_MAPS: 13, DEVMAP: 14, SOCKMAP: 15, CPUMAP: 16, XSKMAP: 17, SOCKHASH: 18, CGROUP_STORAGE: 19,
  REUSEPORT_SOCKARRAY: 20, PERCPU_CGROUP_STORAGE: 21, QUEUE: 22, STACK: 23, SK_STORAGE: 24,
  DEVMAP_HASH: 25, STRUCT_OPS: 26, RINGBUF: 27, INODE_STORAGE: 28, TASK_STORAGE: 29, BLOOM_FILTER: 30,
} as const;

/** Names as bpftool prints them (`bpftool map show`). */
export const MAP_TYPE_NAME: Record<number, string> = {
  1: 'hash', 2: 'array', 3: 'prog_array', 4: 'perf_event_array', 5: 'percpu_hash', 6: 'percpu_array',
  7: 'stack_trace', 8: 'cgroup_array', 9: 'lru_hash', 10: 'lru_percpu_hash', 11: 'lpm_trie',
  12: 'array_of_maps', 13: 'hash_of_maps', 14: 'devmap', 15: 'sockmap', 16: 'cpumap', 17: 'xskmap',
  18: 'sockhash', 22: 'queue', 23: 'stack', 25: 'devmap_hash', 27: 'ringbuf', 30: 'bloom_filter',
};

/** Map flags (BPF_F_*) that matter to XDP programs. */
export const MAP_FLAG = {
  NO_PREALLOC: 1 << 0, NO_COMMON_LRU: 1 << 1, NUMA_NODE: 1 << 2, RDONLY: 1 << 3, WRONLY: 1 << 4,
  RDONLY_PROG: 1 << 7, WRONLY_PROG: 1 << 8, MMAPABLE: 1 << 10, INNER_MAP: 1 << 12,
} as const;

export interface MapSpec {
  /** Map name as the object names it (symbol name; `.rodata` etc. for global data). */
  name: string;
  type: number;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  /** Inner map template for ARRAY_OF_MAPS / HASH_OF_MAPS. */
  inner?: MapSpec;
  /** Pinning as declared (accepted, ignored). */
  pinning?: number;
  /** Initial contents of a global-data map (.rodata/.data/.bss): one value of valueSize bytes. */
  initialData?: Uint8Array;
  /** Global data that the program may not write (`.rodata*`): frozen after load. */
  readOnly?: boolean;
  /**
   * Static initialisers of a prog_array or map-in-map (`.values = { [i] = &prog }`):
   * slot index and the name of the program or map it holds.
   */
  initialValues?: { index: number; target: string }[];
  /** Where the map was declared, for error messages. */
  section?: string;
}
