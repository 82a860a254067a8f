// BPF_MAP_TYPE_ARRAY and PERCPU_ARRAY (kernel/bpf/arraymap.c): every index always exists,
// values preallocated at index * round_up(value_size, 8), zero-initialised.
import type { MapSpec } from '../elf/index.js';
import { BaseMap, u32, u32bytes } from './base.js';
import { BPF_EXIST, BPF_F_LOCK, BPF_NOEXIST, E2BIG, EEXIST, EINVAL } from './errno.js';
import type { MapOptions } from './types.js';

export class ArrayMap extends BaseMap {
  constructor(spec: MapSpec, opts: MapOptions, percpu: boolean) {
    super(spec, opts, percpu, spec.maxEntries);
    // Global data sections (.data/.rodata/.bss) come with their initial image.
    if (spec.initialData) this.stores[0].set(spec.initialData.subarray(0, spec.valueSize));
  }

  protected find(key: Uint8Array, keyOff: number): number {
    const i = u32(key, keyOff);
    return i < this.spec.maxEntries ? i * this.stride : -1;
  }

  // Order of checks as array_map_update_elem: flags, index, NOEXIST, then BPF_F_LOCK
  // (no value here has a bpf_spin_lock). Note the kernel answers an index past the end with
  // -E2BIG, not -EINVAL (checked against Linux 6.18 with bpftool).
  protected place(key: Uint8Array, keyOff: number, _v: Uint8Array, _vo: number, flags: number): number {
    if ((flags & ~BPF_F_LOCK) > BPF_EXIST || flags < 0) return -EINVAL;
    const i = u32(key, keyOff);
    if (i >= this.spec.maxEntries) return -E2BIG;
    if (flags & BPF_NOEXIST) return -EEXIST;
    if (flags & BPF_F_LOCK) return -EINVAL;
    return i * this.stride;
  }

  /** Array elements cannot be deleted (array_map_delete_elem returns -EINVAL). */
  protected remove(): number { return -EINVAL; }

  nextKey(key?: Uint8Array): Uint8Array | undefined {
    return arrayNextKey(this.spec.maxEntries, key);
  }
}

/**
 * array_map_get_next_key: no key or an index past the end -> 0; the last index -> -ENOENT
 * (undefined here); otherwise index + 1.
 */
export function arrayNextKey(maxEntries: number, key?: Uint8Array): Uint8Array | undefined {
  const i = key === undefined || key.length < 4 ? maxEntries : u32(key, 0);
  if (i >= maxEntries) return u32bytes(0);
  if (i === maxEntries - 1) return undefined;
  return u32bytes(i + 1);
}
