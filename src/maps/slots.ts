// Arrays whose slots may be empty and whose values name something outside the map:
// devmap (ifindex [+ prog]), cpumap (qsize [+ prog]), xskmap (socket), and the fd arrays
// prog_array, perf_event_array, array_of_maps (a program id, perf event, inner map id).
// Each update rule below is the kernel's, cited by function.
import type { MapSpec } from '../elf/index.js';
import { MAP_FLAG, MAP_TYPE } from '../elf/index.js';
import { BaseMap, u32 } from './base.js';
import { arrayNextKey } from './array.js';
import { BPF_ANY, BPF_EXIST, BPF_NOEXIST, E2BIG, EBADF, EEXIST, EINVAL, ENODEV, ENOENT, EOVERFLOW, EPERM } from './errno.js';
import { mapById } from './registry.js';
import type { BpfMap, MapOptions } from './types.js';

/** Largest cpumap queue (cpu_map_update_elem: qsize > 16384 -> -EOVERFLOW). */
const CPUMAP_MAX_QSIZE = 16384;
/** Returned by check() when the update empties the slot (devmap ifindex 0, cpumap qsize 0). */
const CLEAR = 1;

export class SlotArrayMap extends BaseMap {
  /** 1 where the slot holds a value. */
  readonly present: Uint8Array;

  constructor(spec: MapSpec, opts: MapOptions, private readonly isProgram?: (id: number) => boolean) {
    super(spec, opts, false, spec.maxEntries);
    this.present = new Uint8Array(spec.maxEntries);
  }

  protected find(key: Uint8Array, keyOff: number): number {
    const i = u32(key, keyOff);
    return i < this.spec.maxEntries && this.present[i] ? i * this.stride : -1;
  }

  protected place(): number { return -EINVAL; }

  override update(key: Uint8Array, keyOff: number, value: Uint8Array, valueOff: number, flags: number): number {
    this.counters.updates++;
    const r = this.set(key, keyOff, value, valueOff, flags);
    if (r < 0) this.counters.updateErrors++;
    return r;
  }

  override updateElem(key: Uint8Array, value: Uint8Array, flags = 0): number {
    this.checkKey(key);
    this.checkValue(value);
    if (this.frozen) return -EPERM;
    return this.set(key, 0, value, 0, flags);
  }

  private set(key: Uint8Array, keyOff: number, value: Uint8Array, valueOff: number, flags: number): number {
    const i = u32(key, keyOff);
    const r = this.check(i, value, valueOff, flags);
    if (r < 0) return r;
    if (r === CLEAR) { this.present[i] = 0; return 0; }
    this.stores[0].set(value.subarray(valueOff, valueOff + this.spec.valueSize), i * this.stride);
    this.present[i] = 1;
    return 0;
  }

  private check(i: number, value: Uint8Array, valueOff: number, flags: number): number {
    const { type, maxEntries, valueSize } = this.spec;
    const ref = u32(value, valueOff);
    switch (type) {
      case MAP_TYPE.DEVMAP: { // dev_map_update_elem
        if (flags > BPF_EXIST || flags < 0) return -EINVAL;
        if (i >= maxEntries) return -E2BIG;
        if (flags === BPF_NOEXIST) return -EEXIST;
        const prog = valueSize >= 8 ? u32(value, valueOff + 4) | 0 : 0;
        // ifindex 0 empties the slot and may not come with a program. Any other ifindex is
        // taken as an existing device (xdplab models no netdevs; the kernel says -EINVAL).
        if (ref === 0) return prog > 0 ? -EINVAL : CLEAR;
        return prog > 0 && !this.programOk(prog) ? -EBADF : 0;
      }
      case MAP_TYPE.CPUMAP: { // cpu_map_update_elem
        if (flags > BPF_EXIST || flags < 0) return -EINVAL;
        if (i >= maxEntries) return -E2BIG;
        if (flags === BPF_NOEXIST) return -EEXIST;
        if (ref > CPUMAP_MAX_QSIZE) return -EOVERFLOW;
        if (i >= this.cpus) return -ENODEV; // not a possible CPU
        if (ref === 0) return CLEAR; // qsize 0 is the same as deleting
        const prog = valueSize >= 8 ? u32(value, valueOff + 4) | 0 : 0;
        return prog > 0 && !this.programOk(prog) ? -EBADF : 0;
      }
      case MAP_TYPE.XSKMAP: { // xsk_map_update_elem; the value names an AF_XDP socket
        if (flags > BPF_EXIST || flags < 0) return -EINVAL;
        if (i >= maxEntries) return -E2BIG;
        if (this.present[i] && flags === BPF_NOEXIST) return -EEXIST;
        if (!this.present[i] && flags === BPF_EXIST) return -ENOENT;
        return 0;
      }
      default: { // bpf_fd_array_map_update_elem: prog_array, perf_event_array, array_of_maps
        if (flags !== BPF_ANY) return -EINVAL;
        if (i >= maxEntries) return -E2BIG;
        if (type === MAP_TYPE.PROG_ARRAY) return this.programOk(ref) ? 0 : -EBADF;
        if (type === MAP_TYPE.ARRAY_OF_MAPS) return checkInner(this.spec, ref);
        return ref === 0 ? -EBADF : 0;
      }
    }
  }

  private programOk(id: number): boolean {
    return id > 0 && (this.isProgram ? this.isProgram(id) : true);
  }

  protected remove(key: Uint8Array, keyOff: number): number {
    const i = u32(key, keyOff);
    const t = this.spec.type;
    const fdArray = t === MAP_TYPE.PROG_ARRAY || t === MAP_TYPE.PERF_EVENT_ARRAY || t === MAP_TYPE.ARRAY_OF_MAPS;
    // fd_array_map_delete_elem: -E2BIG past the end, -ENOENT when empty. devmap, cpumap and
    // xskmap: -EINVAL past the end, and deleting an empty slot succeeds.
    if (i >= this.spec.maxEntries) return fdArray ? -E2BIG : -EINVAL;
    if (fdArray && !this.present[i]) return -ENOENT;
    this.present[i] = 0;
    return 0;
  }

  nextKey(key?: Uint8Array): Uint8Array | undefined {
    return arrayNextKey(this.spec.maxEntries, key);
  }
}

/**
 * May the map with this id go into a map-in-map built from `outer.inner`? bpf_map_meta_equal:
 * same type, key and value size, flags, and max_entries unless the template says
 * BPF_F_INNER_MAP. 0, -EBADF (no such map) or -EINVAL (does not match the template).
 */
export function checkInner(outer: MapSpec, id: number): number {
  const m = mapById(id);
  const t = outer.inner;
  if (!m || !t) return -EBADF;
  const s = m.spec;
  if (s.type === MAP_TYPE.ARRAY_OF_MAPS || s.type === MAP_TYPE.HASH_OF_MAPS) return -EINVAL;
  const sameMax = (t.flags & MAP_FLAG.INNER_MAP) !== 0 || s.maxEntries === t.maxEntries;
  const same = s.type === t.type && s.keySize === t.keySize && s.valueSize === t.valueSize && s.flags === t.flags && sameMax;
  return same ? 0 : -EINVAL;
}

/** The inner map a map-in-map value at `off` refers to (what a program's lookup yields). */
export function innerMap(outer: BpfMap, off: number): BpfMap | undefined {
  if (off < 0) return undefined;
  return mapById(u32(outer.valueStorage(0), off));
}
