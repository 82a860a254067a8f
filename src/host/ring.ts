// An rte_ring-like FIFO of mbuf handles: fixed power-of-two slots, free-running 32-bit
// producer and consumer indices (wrap-around is by design, as in DPDK), single or multi
// producer/consumer (which only changes the modelled cost here: the simulation is
// single-threaded), bulk operations all-or-nothing and burst operations as-many-as-possible.
import { fail } from '../diag/index.js';

export interface RingOptions {
  /** Single producer (RING_F_SP_ENQ); default multi. */
  sp?: boolean;
  /** Single consumer (RING_F_SC_DEQ); default multi. */
  sc?: boolean;
  /** RING_F_EXACT_SZ: `count` is the capacity, slots round up to a power of two. */
  exact?: boolean;
  /** Initial index (tests start near 2^32 to exercise the wrap). */
  start?: number;
}

export class Ring {
  /** Slots (a power of two). */
  readonly size: number;
  readonly mask: number;
  /** Usable entries: size - 1, or the exact count asked for. */
  readonly capacity: number;
  readonly sp: boolean;
  readonly sc: boolean;
  private readonly slots: Int32Array;
  /** Producer tail: one past the last enqueued object (free-running u32). */
  prod: number;
  /** Consumer tail: the next object to dequeue (free-running u32). */
  cons: number;

  constructor(readonly name: string, count: number, opts: RingOptions = {}) {
    if (!Number.isInteger(count) || count < 1 || count > 2 ** 28) fail('usage', `ring ${name}: count must be an integer in 1..2^28, got ${count}`);
    if (opts.exact) {
      this.size = pow2(count + 1);
      this.capacity = count;
    } else {
      if ((count & (count - 1)) !== 0 || count < 2) fail('usage', `ring ${name}: size ${count} is not a power of two (use exact for any count)`);
      this.size = count;
      this.capacity = count - 1;
    }
    this.mask = this.size - 1;
    this.sp = opts.sp ?? false;
    this.sc = opts.sc ?? false;
    this.slots = new Int32Array(this.size);
    this.prod = (opts.start ?? 0) >>> 0;
    this.cons = this.prod;
  }

  get count(): number {
    return (this.prod - this.cons) >>> 0;
  }

  get free(): number {
    return this.capacity - this.count;
  }

  get empty(): boolean {
    return this.prod === this.cons;
  }

  /** Enqueue exactly `n` objects from `src[off..]`, or none: returns n or 0. */
  enqueueBulk(src: Int32Array, n: number, off = 0): number {
    return n > this.free ? 0 : this.put(src, n, off);
  }

  /** Enqueue as many of `n` as fit; returns how many. */
  enqueueBurst(src: Int32Array, n: number, off = 0): number {
    return this.put(src, Math.min(n, this.free), off);
  }

  /** Dequeue exactly `n` into `dst[off..]`, or none. */
  dequeueBulk(dst: Int32Array, n: number, off = 0): number {
    return n > this.count ? 0 : this.take(dst, n, off);
  }

  /** Dequeue up to `n`; returns how many. */
  dequeueBurst(dst: Int32Array, n: number, off = 0): number {
    return this.take(dst, Math.min(n, this.count), off);
  }

  /** Enqueue one; false when full. */
  push(h: number): boolean {
    if (this.free === 0) return false;
    this.slots[this.prod & this.mask] = h;
    this.prod = (this.prod + 1) >>> 0;
    return true;
  }

  /** Dequeue one; -1 when empty. */
  shift(): number {
    if (this.prod === this.cons) return -1;
    const h = this.slots[this.cons & this.mask]!;
    this.cons = (this.cons + 1) >>> 0;
    return h;
  }

  /** The i-th queued object from the consumer side, without dequeuing. */
  peek(i = 0): number {
    return i < this.count ? this.slots[(this.cons + i) & this.mask]! : -1;
  }

  private put(src: Int32Array, n: number, off: number): number {
    for (let i = 0; i < n; i++) this.slots[(this.prod + i) & this.mask] = src[off + i]!;
    this.prod = (this.prod + n) >>> 0;
    return n;
  }

  private take(dst: Int32Array, n: number, off: number): number {
    for (let i = 0; i < n; i++) dst[off + i] = this.slots[(this.cons + i) & this.mask]!;
    this.cons = (this.cons + n) >>> 0;
    return n;
  }
}

export function pow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
