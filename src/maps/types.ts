// The live-map interface the VM, the loader and the CLI share. Values live in one backing
// Uint8Array per CPU at stable offsets, so the VM can hand a program a pointer (region +
// offset) into a map value without copying, and lookups allocate nothing.
import type { MapSpec } from '../elf/index.js';

/** Access counts, measured here and priced by the cost model. */
export interface MapCounters {
  lookups: number;
  lookupMisses: number;
  updates: number;
  updateErrors: number;
  deletes: number;
  deleteErrors: number;
  /** LRU evictions; queue/stack overwrites with BPF_EXIST. */
  evictions: number;
  /** push/pop/peek, ring buffer reserve/submit/discard/output, perf event output. */
  other: number;
}

export interface MapOptions {
  /** Number of possible CPUs: per-CPU maps keep this many copies. */
  cpus: number;
  /**
   * Where value storage comes from (zeroed bytes; a plain Uint8Array by default). The VM passes
   * its memory's arena, so its Wasm core reads and writes values in place.
   */
  alloc?: (bytes: number) => Uint8Array;
}

export interface BpfMap {
  readonly spec: MapSpec;
  /** Assigned at creation, unique in the process (like a kernel map id). */
  readonly id: number;
  readonly counters: MapCounters;
  /** The bytes that hold values for `cpu` (whole backing store; per-CPU maps have one per CPU). */
  valueStorage(cpu: number): Uint8Array;
  /** Program-side bpf_map_lookup_elem: byte offset of the value in valueStorage(cpu), or -1. */
  lookup(key: Uint8Array, keyOff: number, cpu: number): number;
  /** Program-side bpf_map_update_elem: 0 or a negative errno. Per-CPU maps write `cpu`'s copy. */
  update(key: Uint8Array, keyOff: number, value: Uint8Array, valueOff: number, flags: number, cpu: number): number;
  /** bpf_map_delete_elem: 0 or a negative errno. */
  delete(key: Uint8Array, keyOff: number): number;
  /** Next key after `key` (undefined = first), as BPF_MAP_GET_NEXT_KEY; undefined at the end. */
  nextKey(key?: Uint8Array): Uint8Array | undefined;

  // User space (the bpf(2) syscall view). Per-CPU maps take and give `cpus` values, each
  // rounded up to 8 bytes, as the kernel's BPF_MAP_LOOKUP_ELEM / UPDATE_ELEM do.
  /** BPF_MAP_LOOKUP_ELEM: a copy of the value (all CPUs for per-CPU maps), or undefined. */
  lookupElem(key: Uint8Array): Uint8Array | undefined;
  /** BPF_MAP_UPDATE_ELEM: 0 or a negative errno. */
  updateElem(key: Uint8Array, value: Uint8Array, flags?: number): number;
  /** BPF_MAP_DELETE_ELEM: 0 or a negative errno. */
  deleteElem(key: Uint8Array): number;
  /** Bytes of one user-space value (per-CPU: cpus * round_up(value_size, 8)). */
  readonly userValueSize: number;
  /** BPF_MAP_FREEZE: later user-space writes fail with -EPERM. */
  freeze(): void;
  readonly frozen: boolean;
}

export function newCounters(): MapCounters {
  return { lookups: 0, lookupMisses: 0, updates: 0, updateErrors: 0, deletes: 0, deleteErrors: 0, evictions: 0, other: 0 };
}

export const round8 = (n: number): number => (n + 7) & ~7;
