// Hash maps (kernel/bpf/hashtab.c): hash, percpu_hash, lru_hash, lru_percpu_hash,
// hash_of_maps, and devmap_hash (kernel/bpf/devmap.c) which shares the shape.
//
// Iteration order: the kernel walks buckets of a jhash seeded at random, so `bpftool map
// dump` order differs run to run. xdplab iterates in insertion order (stable, deterministic);
// an updated element keeps its place. Tests compare hash dumps with the kernel as sets.
//
// LRU: the kernel keeps approximate active/inactive lists per CPU or shared; xdplab keeps one
// exact recency list. A program lookup or an update marks an element most recently used;
// user-space lookups (bpftool) do not, as htab_lru_map_lookup_elem_sys. Inserting into a
// full LRU map evicts the least recently used element instead of failing with -E2BIG.
// (The kernel pops a free node, possibly evicting, before it checks BPF_NOEXIST/BPF_EXIST;
// xdplab checks the flags first, so a failing update never evicts.)
import type { MapSpec } from '../elf/index.js';
import { MAP_TYPE } from '../elf/index.js';
import { BaseMap, u32 } from './base.js';
import { badUpdateFlags, BPF_EXIST, BPF_NOEXIST, E2BIG, EEXIST, EINVAL, ENOENT } from './errno.js';
import { KeyIndex, SlotList } from './key-index.js';
import { checkInner } from './slots.js';
import type { MapOptions } from './types.js';

export class HashMap extends BaseMap {
  readonly index: KeyIndex;
  /** Recency, least recently used at the head (LRU maps only). */
  private readonly recency?: SlotList;

  constructor(spec: MapSpec, opts: MapOptions, percpu: boolean, lru: boolean) {
    super(spec, opts, percpu, spec.maxEntries);
    this.index = new KeyIndex(spec.keySize, spec.maxEntries);
    if (lru) this.recency = new SlotList(spec.maxEntries);
  }

  /** Number of elements. */
  get size(): number { return this.index.count; }

  protected find(key: Uint8Array, keyOff: number, touch: boolean): number {
    const s = this.index.find(key, keyOff);
    if (s < 0) return -1;
    if (touch && this.recency) this.recency.moveToTail(s);
    return s * this.stride;
  }

  protected place(key: Uint8Array, keyOff: number, value: Uint8Array, valueOff: number, flags: number): number {
    const type = this.spec.type;
    const s = this.index.find(key, keyOff);
    if (type === MAP_TYPE.DEVMAP_HASH) {
      // __dev_map_hash_update_elem: BPF_EXIST on a missing key is not an error; ifindex 0
      // names no device (-EINVAL); a full map is -E2BIG.
      if (flags > BPF_EXIST || flags < 0) return -EINVAL;
      if (s >= 0 && flags === BPF_NOEXIST) return -EEXIST;
      if (u32(value, valueOff) === 0) return -EINVAL;
      if (s >= 0) return s * this.stride;
      return this.insert(key, keyOff);
    }
    // htab_map_update_elem: flags, then check_flags against the old element, then allocate.
    if (badUpdateFlags(flags)) return -EINVAL;
    if (s >= 0 && flags === BPF_NOEXIST) return -EEXIST;
    if (s < 0 && flags === BPF_EXIST) return -ENOENT;
    if (type === MAP_TYPE.HASH_OF_MAPS) {
      const r = checkInner(this.spec, u32(value, valueOff));
      if (r < 0) return r;
    }
    if (s >= 0) {
      // The kernel swaps in a fresh element, which is the most recent in LRU order.
      this.recency?.moveToTail(s);
      return s * this.stride;
    }
    return this.insert(key, keyOff);
  }

  private insert(key: Uint8Array, keyOff: number): number {
    if (this.index.full) {
      // Preallocated hash: the free list is empty -> -E2BIG. LRU: evict the oldest.
      if (!this.recency) return -E2BIG;
      const victim = this.recency.head;
      this.recency.unlink(victim);
      this.index.removeSlot(victim);
      this.counters.evictions++;
    }
    const s = this.index.insert(key, keyOff);
    this.recency?.append(s);
    this.created = true;
    return s * this.stride;
  }

  protected remove(key: Uint8Array, keyOff: number): number {
    const s = this.index.find(key, keyOff);
    if (s < 0) return -ENOENT;
    this.recency?.unlink(s);
    this.index.removeSlot(s);
    return 0;
  }

  /** htab_map_get_next_key: a key that is not in the map restarts at the first element. */
  nextKey(key?: Uint8Array): Uint8Array | undefined {
    const s = key === undefined || key.length < this.spec.keySize ? -1 : this.index.find(key, 0);
    const n = s < 0 ? this.index.order.head : this.index.order.after(s);
    return n < 0 ? undefined : this.index.keyAt(n);
  }
}
