// A per-lcore object cache in front of the shared mempool, as rte_mempool's: gets and puts are
// bulk; a get that finds the cache short refills it from the pool (up to size + n), a put that
// takes it past the flush threshold (1.5 x size, CALC_CACHE_FLUSHTHRESH) returns the excess.
import { fail } from '../diag/index.js';
import { HEADROOM, type Mempool } from '../packet/index.js';

/** RTE_MEMPOOL_CACHE_MAX_SIZE. */
export const CACHE_MAX = 512;

export class MempoolCache {
  readonly flushThresh: number;
  private readonly objs: Int32Array;
  len = 0;
  /** Refills from and flushes to the pool (the expensive shared operations). */
  refills = 0;
  flushes = 0;

  constructor(readonly pool: Mempool, readonly size: number) {
    if (!Number.isInteger(size) || size < 0 || size > CACHE_MAX) fail('usage', `mempool cache size must be 0..${CACHE_MAX}, got ${size}`);
    this.flushThresh = Math.floor(size * 1.5);
    this.objs = new Int32Array(this.flushThresh + CACHE_MAX + 1);
  }

  /** Objects obtainable now: cached plus free in the pool. */
  get available(): number {
    return this.len + this.pool.available;
  }

  /** Get `n` handles into `out[off..]`, all or nothing (rte_mempool_get_bulk). */
  getBulk(out: Int32Array, n: number, off = 0): boolean {
    if (n > this.len) {
      if (n > this.len + this.pool.available) return false;
      // Refill to size + n when the pool allows, at least to n.
      const want = Math.min(this.size + n - this.len, this.pool.available, this.objs.length - this.len);
      for (let i = 0; i < want; i++) this.objs[this.len++] = this.pool.alloc();
      this.refills++;
      if (n > this.len) return false;
    }
    for (let i = 0; i < n; i++) {
      const h = this.objs[--this.len]!;
      out[off + i] = h;
      this.reset(h);
    }
    return true;
  }

  /** One handle, or -1. */
  get(): number {
    if (this.len === 0) {
      const want = Math.min(this.size || 1, this.pool.available);
      if (want === 0) return -1;
      for (let i = 0; i < want; i++) this.objs[this.len++] = this.pool.alloc();
      this.refills++;
    }
    const h = this.objs[--this.len]!;
    this.reset(h);
    return h;
  }

  /** Return one handle (rte_pktmbuf_free). */
  put(h: number): void {
    this.objs[this.len++] = h;
    if (this.len >= this.flushThresh && this.len > this.size) this.flush();
  }

  /** Return `n` handles from `src[off..]` (rte_mempool_put_bulk). */
  putBulk(src: Int32Array, n: number, off = 0): void {
    for (let i = 0; i < n; i++) this.put(src[off + i]!);
  }

  /** Give everything back to the pool. */
  drain(): void {
    while (this.len > 0) this.pool.free(this.objs[--this.len]!);
  }

  private flush(): void {
    while (this.len > this.size) this.pool.free(this.objs[--this.len]!);
    this.flushes++;
  }

  private reset(h: number): void {
    // As Mempool.alloc does for a fresh mbuf: data at the headroom boundary, empty.
    this.pool.dataOff[h] = this.pool.metaOff[h] = HEADROOM;
    this.pool.dataLen[h] = 0;
  }
}
