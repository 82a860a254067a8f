// BPF_MAP_TYPE_QUEUE and STACK (kernel/bpf/queue_stack_maps.c): no keys; a ring of
// max_entries + 1 value slots with head and tail as the kernel keeps them. Pushing into a
// full map fails with -E2BIG unless BPF_EXIST is given, which drops the oldest element
// (the tail) for both queue and stack. pop/peek copy the value out (the helpers take a
// buffer), so values never need stable addresses here.
import type { MapSpec } from '../elf/index.js';
import { MAP_TYPE } from '../elf/index.js';
import { BaseMap } from './base.js';
import { BPF_EXIST, BPF_NOEXIST, E2BIG, EINVAL, ENOENT, EPERM } from './errno.js';
import type { MapOptions } from './types.js';

export class QueueStackMap extends BaseMap {
  private head = 0;
  private tail = 0;
  private readonly slots: number;
  readonly isStack: boolean;

  constructor(spec: MapSpec, opts: MapOptions) {
    super(spec, opts, false, spec.maxEntries + 1);
    this.slots = spec.maxEntries + 1;
    this.isStack = spec.type === MAP_TYPE.STACK;
  }

  get size(): number { return (this.head - this.tail + this.slots) % this.slots; }

  /** bpf_map_push_elem: 0, -EINVAL (BPF_NOEXIST or unknown flags), -E2BIG when full. */
  push(value: Uint8Array, valueOff: number, flags: number): number {
    this.counters.other++;
    if (flags & BPF_NOEXIST || flags > BPF_EXIST || flags < 0) return -EINVAL;
    if (this.size === this.spec.maxEntries) {
      if (!(flags & BPF_EXIST)) return -E2BIG;
      this.tail = (this.tail + 1) % this.slots; // overwrite the oldest element
      this.counters.evictions++;
    }
    const dst = this.stores[0];
    const off = this.head * this.stride;
    for (let i = 0; i < this.spec.valueSize; i++) dst[off + i] = value[valueOff + i];
    this.head = (this.head + 1) % this.slots;
    return 0;
  }

  /** bpf_map_pop_elem: copy the next value to out[outOff..] and remove it; -ENOENT when empty. */
  pop(out: Uint8Array, outOff: number): number { return this.take(out, outOff, true); }

  /** bpf_map_peek_elem: like pop without removing. */
  peek(out: Uint8Array, outOff: number): number { return this.take(out, outOff, false); }

  private take(out: Uint8Array, outOff: number, remove: boolean): number {
    this.counters.other++;
    if (this.size === 0) return -ENOENT;
    let slot: number;
    if (this.isStack) {
      slot = (this.head - 1 + this.slots) % this.slots;
      if (remove) this.head = slot;
    } else {
      slot = this.tail;
      if (remove) this.tail = (this.tail + 1) % this.slots;
    }
    const src = this.stores[0];
    const off = slot * this.stride;
    for (let i = 0; i < this.spec.valueSize; i++) out[outOff + i] = src[off + i];
    return 0;
  }

  /** Values from the one pop would return first to the last (for dumps and tests). */
  values(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let k = 0; k < this.size; k++) {
      const slot = this.isStack ? (this.head - 1 - k + 2 * this.slots) % this.slots : (this.tail + k) % this.slots;
      out.push(this.stores[0].slice(slot * this.stride, slot * this.stride + this.spec.valueSize));
    }
    return out;
  }

  // The key-based operations: lookup has no meaning (NULL), update is push (the syscall's
  // BPF_MAP_UPDATE_ELEM with no key), delete and get_next_key are -EINVAL.
  protected find(): number { return -1; }
  protected place(): number { return -EINVAL; }
  protected remove(): number { return -EINVAL; }
  nextKey(): Uint8Array | undefined { return undefined; }

  override update(_k: Uint8Array, _ko: number, value: Uint8Array, valueOff: number, flags: number, _cpu?: number): number {
    return this.push(value, valueOff, flags);
  }

  override updateElem(_key: Uint8Array, value: Uint8Array, flags = 0): number {
    this.checkValue(value);
    if (this.frozen) return -EPERM;
    return this.push(value, 0, flags);
  }

  /** BPF_MAP_LOOKUP_ELEM on a queue or stack peeks. */
  override lookupElem(_key?: Uint8Array): Uint8Array | undefined {
    const out = new Uint8Array(this.spec.valueSize);
    return this.peek(out, 0) === 0 ? out : undefined;
  }

  override deleteElem(_key?: Uint8Array): number { return -EINVAL; }
}
