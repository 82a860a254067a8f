// What every keyed map shares: per-CPU backing stores at an 8-byte stride (the kernel's
// round_up(value_size, 8)), counters, the program-side and syscall-side entry points.
// Subclasses supply find / place / remove / nextKey over their own index.
import { fail } from '../diag/index.js';
import type { MapSpec } from '../elf/index.js';
import { EPERM } from './errno.js';
import { registerMap } from './registry.js';
import { newCounters, round8, type BpfMap, type MapOptions } from './types.js';

export abstract class BaseMap implements BpfMap {
  readonly id: number;
  readonly counters = newCounters();
  readonly cpus: number;
  readonly percpu: boolean;
  /** Bytes between consecutive values in a backing store. */
  readonly stride: number;
  protected readonly stores: Uint8Array[];
  private isFrozen = false;
  /** Set by place(): whether the last successful place() created a new element. */
  protected created = false;

  constructor(readonly spec: MapSpec, opts: MapOptions, percpu: boolean, slots: number) {
    this.cpus = opts.cpus;
    this.percpu = percpu;
    this.stride = round8(spec.valueSize);
    const copies = percpu ? opts.cpus : 1;
    this.stores = [];
    for (let c = 0; c < copies; c++) this.stores.push(opts.alloc?.(slots * this.stride) ?? new Uint8Array(slots * this.stride));
    this.id = registerMap(this);
  }

  get userValueSize(): number { return this.percpu ? this.cpus * this.stride : this.spec.valueSize; }
  get frozen(): boolean { return this.isFrozen; }
  freeze(): void { this.isFrozen = true; }

  valueStorage(cpu: number): Uint8Array { return this.stores[this.percpu ? cpu : 0]; }

  /** Offset of the value for the key, or -1. `touch`: a program lookup (LRU marks it used). */
  protected abstract find(key: Uint8Array, keyOff: number, touch: boolean): number;
  /** Find or create the element an update writes: its offset, or a negative errno. */
  protected abstract place(key: Uint8Array, keyOff: number, value: Uint8Array, valueOff: number, flags: number): number;
  protected abstract remove(key: Uint8Array, keyOff: number): number;
  abstract nextKey(key?: Uint8Array): Uint8Array | undefined;

  lookup(key: Uint8Array, keyOff: number, _cpu: number): number {
    this.counters.lookups++;
    const off = this.find(key, keyOff, true);
    if (off < 0) this.counters.lookupMisses++;
    return off;
  }

  update(key: Uint8Array, keyOff: number, value: Uint8Array, valueOff: number, flags: number, cpu: number): number {
    this.counters.updates++;
    this.created = false;
    const off = this.place(key, keyOff, value, valueOff, flags);
    if (off < 0) { this.counters.updateErrors++; return off; }
    const n = this.spec.valueSize;
    // A program writes only its own CPU's copy; a new per-CPU element starts zeroed on the
    // other CPUs (kernel pcpu_init_value with onallcpus = false).
    if (this.percpu && this.created) for (const s of this.stores) s.fill(0, off, off + n);
    const dst = this.valueStorage(cpu);
    for (let i = 0; i < n; i++) dst[off + i] = value[valueOff + i];
    return 0;
  }

  delete(key: Uint8Array, keyOff: number): number {
    this.counters.deletes++;
    const r = this.remove(key, keyOff);
    if (r < 0) this.counters.deleteErrors++;
    return r;
  }

  lookupElem(key: Uint8Array): Uint8Array | undefined {
    this.checkKey(key);
    const off = this.find(key, 0, false);
    return off < 0 ? undefined : this.readUser(off);
  }

  updateElem(key: Uint8Array, value: Uint8Array, flags = 0): number {
    this.checkKey(key);
    this.checkValue(value);
    if (this.isFrozen) return -EPERM;
    this.created = false;
    const off = this.place(key, 0, value, 0, flags);
    if (off < 0) return off;
    this.writeUser(off, value);
    return 0;
  }

  deleteElem(key: Uint8Array): number {
    this.checkKey(key);
    if (this.isFrozen) return -EPERM;
    return this.remove(key, 0);
  }

  /** The user-space view of the value at `off`: every CPU's copy for per-CPU maps. */
  protected readUser(off: number): Uint8Array {
    const n = this.spec.valueSize;
    if (!this.percpu) return this.stores[0].slice(off, off + n);
    const out = new Uint8Array(this.cpus * this.stride);
    for (let c = 0; c < this.cpus; c++) out.set(this.stores[c].subarray(off, off + n), c * this.stride);
    return out;
  }

  protected writeUser(off: number, value: Uint8Array): void {
    const n = this.spec.valueSize;
    if (!this.percpu) { this.stores[0].set(value.subarray(0, n), off); return; }
    for (let c = 0; c < this.cpus; c++) this.stores[c].set(value.subarray(c * this.stride, c * this.stride + n), off);
  }

  protected checkKey(key: Uint8Array): void {
    if (key.length < this.spec.keySize) {
      fail('semantic', `map '${this.spec.name}' needs a ${this.spec.keySize}-byte key, got ${key.length} bytes`,
        { condition: `key length >= ${this.spec.keySize}` });
    }
  }

  protected checkValue(value: Uint8Array): void {
    if (value.length < this.userValueSize) {
      const per = this.percpu ? ` (${this.cpus} CPUs x ${this.stride} bytes)` : '';
      fail('semantic', `map '${this.spec.name}' needs a ${this.userValueSize}-byte value${per}, got ${value.length} bytes`,
        { condition: `value length >= ${this.userValueSize}` });
    }
  }
}

/** Little-endian u32 read used for keys (array indexes) and reference values. */
export function u32(b: Uint8Array, off: number): number {
  return (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0;
}

export function u32bytes(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
}
