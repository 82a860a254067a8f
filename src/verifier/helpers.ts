// Prototypes of the helpers XDP programs may call (the kernel's bpf_func_proto for
// BPF_PROG_TYPE_XDP and bpf_base_func_proto): argument kinds, return kind, side effects.
import { MAP_TYPE } from '../elf/index.js';

export type ArgKind =
  | 'map_ptr' // CONST_PTR_TO_MAP
  | 'map_key' // pointer to key_size readable bytes
  | 'map_value' // pointer to value_size readable bytes
  | 'map_value_uninit' // pointer to value_size bytes the helper writes
  | 'mem' | 'mem_or_null' // readable memory, size in the next argument
  | 'mem_uninit' // memory the helper writes, size in the next argument
  | 'size' | 'size_or_zero' // ARG_CONST_SIZE(_OR_ZERO): bounded scalar
  | 'alloc_size' // ARG_CONST_ALLOC_SIZE_OR_ZERO: a known constant
  | 'ctx' | 'anything' | 'ringbuf_mem' | 'func' | 'stack_or_null';

export type RetKind = 'integer' | 'void' | 'map_value_or_null' | 'ringbuf_mem_or_null';

export interface HelperProto {
  args: ArgKind[];
  ret: RetKind;
  /** The helper may move packet data: every packet pointer is invalidated (changes_pkt_data). */
  changesPkt?: boolean;
  /** Map types the map argument may be; undefined = any map that has no dedicated helpers. */
  mapTypes?: number[];
  /** Needs CAP_PERFMON (bpf_base_func_proto's perfmon group). */
  perfmon?: boolean;
  releasesRef?: boolean;
}

const M = MAP_TYPE;
const REDIRECT_MAPS = [M.DEVMAP, M.DEVMAP_HASH, M.CPUMAP, M.XSKMAP];
const QUEUE_MAPS = [M.QUEUE, M.STACK];

/** Keyed by helper name without the bpf_ prefix, as in HELPER_NAMES. */
export const XDP_HELPERS: Record<string, HelperProto> = {
  map_lookup_elem: { args: ['map_ptr', 'map_key'], ret: 'map_value_or_null' },
  map_update_elem: { args: ['map_ptr', 'map_key', 'map_value', 'anything'], ret: 'integer' },
  map_delete_elem: { args: ['map_ptr', 'map_key'], ret: 'integer' },
  map_push_elem: { args: ['map_ptr', 'map_value', 'anything'], ret: 'integer', mapTypes: [...QUEUE_MAPS, M.BLOOM_FILTER] },
  map_pop_elem: { args: ['map_ptr', 'map_value_uninit'], ret: 'integer', mapTypes: QUEUE_MAPS },
  map_peek_elem: { args: ['map_ptr', 'map_value_uninit'], ret: 'integer', mapTypes: [...QUEUE_MAPS, M.BLOOM_FILTER] },
  map_lookup_percpu_elem: { args: ['map_ptr', 'map_key', 'anything'], ret: 'map_value_or_null', mapTypes: [M.PERCPU_ARRAY, M.PERCPU_HASH, M.LRU_PERCPU_HASH] },
  ktime_get_ns: { args: [], ret: 'integer' },
  ktime_get_boot_ns: { args: [], ret: 'integer' },
  ktime_get_coarse_ns: { args: [], ret: 'integer' },
  ktime_get_tai_ns: { args: [], ret: 'integer' },
  get_prandom_u32: { args: [], ret: 'integer' },
  get_smp_processor_id: { args: [], ret: 'integer' },
  get_numa_node_id: { args: [], ret: 'integer' },
  // The kernel declares only the format and its size; r3-r5 are not checked (ARG_DONTCARE).
  trace_printk: { args: ['mem', 'size'], ret: 'integer', perfmon: true },
  tail_call: { args: ['ctx', 'map_ptr', 'anything'], ret: 'void', mapTypes: [M.PROG_ARRAY] },
  redirect: { args: ['anything', 'anything'], ret: 'integer' },
  redirect_map: { args: ['map_ptr', 'anything', 'anything'], ret: 'integer', mapTypes: REDIRECT_MAPS },
  perf_event_output: { args: ['ctx', 'map_ptr', 'anything', 'mem', 'size_or_zero'], ret: 'integer', mapTypes: [M.PERF_EVENT_ARRAY] },
  csum_diff: { args: ['mem_or_null', 'size_or_zero', 'mem_or_null', 'size_or_zero', 'anything'], ret: 'integer' },
  xdp_adjust_head: { args: ['ctx', 'anything'], ret: 'integer', changesPkt: true },
  xdp_adjust_meta: { args: ['ctx', 'anything'], ret: 'integer', changesPkt: true },
  xdp_adjust_tail: { args: ['ctx', 'anything'], ret: 'integer', changesPkt: true },
  fib_lookup: { args: ['ctx', 'mem', 'size', 'anything'], ret: 'integer' },
  check_mtu: { args: ['ctx', 'anything', 'mem', 'anything', 'anything'], ret: 'integer' },
  xdp_get_buff_len: { args: ['ctx'], ret: 'integer' },
  xdp_load_bytes: { args: ['ctx', 'anything', 'mem_uninit', 'size'], ret: 'integer' },
  xdp_store_bytes: { args: ['ctx', 'anything', 'mem', 'size'], ret: 'integer' },
  ringbuf_output: { args: ['map_ptr', 'mem', 'size_or_zero', 'anything'], ret: 'integer', mapTypes: [M.RINGBUF] },
  ringbuf_reserve: { args: ['map_ptr', 'alloc_size', 'anything'], ret: 'ringbuf_mem_or_null', mapTypes: [M.RINGBUF] },
  ringbuf_submit: { args: ['ringbuf_mem', 'anything'], ret: 'void', releasesRef: true },
  ringbuf_discard: { args: ['ringbuf_mem', 'anything'], ret: 'void', releasesRef: true },
  ringbuf_query: { args: ['map_ptr', 'anything'], ret: 'integer', mapTypes: [M.RINGBUF] },
  loop: { args: ['anything', 'func', 'stack_or_null', 'anything'], ret: 'integer' },
};

/** Map types that only their own helpers accept (check_map_func_compatibility). */
export const DEDICATED_MAPS: Record<number, string[]> = {
  [M.PROG_ARRAY]: ['tail_call'],
  [M.PERF_EVENT_ARRAY]: ['perf_event_output'],
  [M.RINGBUF]: ['ringbuf_output', 'ringbuf_reserve', 'ringbuf_query'],
  [M.DEVMAP]: ['redirect_map', 'map_lookup_elem'],
  [M.DEVMAP_HASH]: ['redirect_map', 'map_lookup_elem'],
  [M.CPUMAP]: ['redirect_map'],
  [M.XSKMAP]: ['redirect_map', 'map_lookup_elem'],
  [M.QUEUE]: ['map_push_elem', 'map_pop_elem', 'map_peek_elem'],
  [M.STACK]: ['map_push_elem', 'map_pop_elem', 'map_peek_elem'],
  [M.BLOOM_FILTER]: ['map_push_elem', 'map_peek_elem'],
  // Programs only look inner maps up; user space fills the outer map.
  [M.ARRAY_OF_MAPS]: ['map_lookup_elem'],
  [M.HASH_OF_MAPS]: ['map_lookup_elem'],
};
