// BPF_MAP_TYPE_RINGBUF (kernel/bpf/ringbuf.c). max_entries is the data size (a power of 2
// and a page multiple). Each record is an 8-byte header — u32 len with BUSY (bit 31) and
// DISCARD (bit 30) flags, u32 pg_off — then the sample, padded to 8 bytes. Producer,
// consumer and pending positions grow without wrapping; offsets are position & mask.
//
// The kernel maps the data pages twice so a record that wraps is contiguous. Here the
// store is 2 * size bytes: a sample that runs past the end is written into the second half
// and copied to the start when it is submitted or discarded. reserve() returns the
// sample's offset in valueStorage(), which a program writes without copies.
import type { MapSpec } from '../elf/index.js';
import { BaseMap, u32 } from './base.js';
import {
  BPF_RB_AVAIL_DATA, BPF_RB_CONS_POS, BPF_RB_FORCE_WAKEUP, BPF_RB_NO_WAKEUP, BPF_RB_PROD_POS, BPF_RB_RING_SIZE,
  EAGAIN, EINVAL, ENOTSUPP,
} from './errno.js';
import type { MapOptions } from './types.js';

export const RINGBUF_HDR_SZ = 8;
export const RINGBUF_BUSY_BIT = 0x80000000;
export const RINGBUF_DISCARD_BIT = 0x40000000;
const RINGBUF_MAX_RECORD_SZ = 0xffffffff >>> 2;
/** consumer_pos and producer_pos pages sit between struct bpf_ringbuf's start and data. */
const RINGBUF_DATA_PGOFF = 3;

export class RingBufMap extends BaseMap {
  private readonly data: Uint8Array;
  private readonly view: DataView;
  private readonly mask: number;
  consumerPos = 0;
  producerPos = 0;
  /** Oldest record still BUSY (kernel 6.x pending_pos): the producer may not lap it. */
  pendingPos = 0;
  wakeups = 0;

  constructor(spec: MapSpec, opts: MapOptions) {
    super(spec, opts, false, 0);
    this.data = new Uint8Array(2 * spec.maxEntries);
    this.view = new DataView(this.data.buffer);
    this.mask = spec.maxEntries - 1;
  }

  override valueStorage(): Uint8Array { return this.data; }

  /** bpf_ringbuf_reserve: the sample's offset in valueStorage(), or -1 (NULL). */
  reserve(size: number, flags: number): number {
    this.counters.other++;
    if (flags !== 0 || size > RINGBUF_MAX_RECORD_SZ || size < 0) return -1;
    const len = (size + RINGBUF_HDR_SZ + 7) & ~7;
    if (len > this.mask + 1) return -1;
    // Advance pending_pos over records that are no longer busy.
    while (this.pendingPos < this.producerPos) {
      const h = this.view.getUint32(this.pendingPos & this.mask, true);
      if (h & RINGBUF_BUSY_BIT) break;
      this.pendingPos += ((h & ~(RINGBUF_BUSY_BIT | RINGBUF_DISCARD_BIT)) + RINGBUF_HDR_SZ + 7) & ~7;
    }
    const next = this.producerPos + len;
    // The producer may get at most size - 1 bytes ahead of the consumer and of pending_pos.
    if (next - this.consumerPos > this.mask || next - this.pendingPos > this.mask) return -1;
    const hdr = this.producerPos & this.mask;
    this.view.setUint32(hdr, (size | RINGBUF_BUSY_BIT) >>> 0, true);
    this.view.setUint32(hdr + 4, RINGBUF_DATA_PGOFF + (hdr >>> 12), true);
    this.producerPos = next;
    return hdr + RINGBUF_HDR_SZ;
  }

  /** bpf_ringbuf_submit: 0, or -EINVAL when `sampleOff` is not a reserved record. */
  submit(sampleOff: number, flags: number): number { return this.commit(sampleOff, flags, false); }

  /** bpf_ringbuf_discard: the record is skipped by consumers. */
  discard(sampleOff: number, flags: number): number { return this.commit(sampleOff, flags, true); }

  private commit(sampleOff: number, flags: number, discard: boolean): number {
    this.counters.other++;
    const hdr = sampleOff - RINGBUF_HDR_SZ;
    if (hdr < 0 || hdr > this.mask || (hdr & 7) !== 0) return -EINVAL;
    const h = this.view.getUint32(hdr, true);
    if (!(h & RINGBUF_BUSY_BIT)) return -EINVAL;
    const size = h & ~(RINGBUF_BUSY_BIT | RINGBUF_DISCARD_BIT);
    const end = sampleOff + size;
    const ring = this.mask + 1;
    if (end > ring) this.data.copyWithin(0, ring, end); // the wrapped part of the sample
    this.view.setUint32(hdr, discard ? (size | RINGBUF_DISCARD_BIT) >>> 0 : size, true);
    if (!(flags & BPF_RB_NO_WAKEUP)) this.wakeups++;
    return 0;
  }

  /** bpf_ringbuf_output: reserve, copy, submit; -EAGAIN when there is no room. */
  output(src: Uint8Array, srcOff: number, size: number, flags: number): number {
    if (flags & ~(BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP)) return -EINVAL;
    const off = this.reserve(size, 0);
    if (off < 0) return -EAGAIN;
    for (let i = 0; i < size; i++) this.data[off + i] = src[srcOff + i];
    return this.submit(off, flags);
  }

  /** bpf_ringbuf_query. */
  query(flags: number): number {
    switch (flags) {
      case BPF_RB_AVAIL_DATA: return this.producerPos - this.consumerPos;
      case BPF_RB_RING_SIZE: return this.mask + 1;
      case BPF_RB_CONS_POS: return this.consumerPos;
      case BPF_RB_PROD_POS: return this.producerPos;
      default: return 0;
    }
  }

  /**
   * The consumer (libbpf ring_buffer__consume): copies of submitted samples in order,
   * skipping discarded ones, stopping at the first record still busy.
   */
  drain(max = Infinity): Uint8Array[] {
    const out: Uint8Array[] = [];
    while (this.consumerPos < this.producerPos && out.length < max) {
      const hdr = this.consumerPos & this.mask;
      const h = this.view.getUint32(hdr, true);
      if (h & RINGBUF_BUSY_BIT) break;
      const size = h & ~(RINGBUF_BUSY_BIT | RINGBUF_DISCARD_BIT);
      if (!(h & RINGBUF_DISCARD_BIT)) {
        const rec = new Uint8Array(size);
        for (let i = 0; i < size; i++) rec[i] = this.data[(hdr + RINGBUF_HDR_SZ + i) & this.mask];
        out.push(rec);
      }
      this.consumerPos += (size + RINGBUF_HDR_SZ + 7) & ~7;
    }
    return out;
  }

  // No keys: every key-based operation is -ENOTSUPP in the kernel (lookup gives NULL).
  protected find(): number { return -1; }
  protected place(): number { return -ENOTSUPP; }
  protected remove(): number { return -ENOTSUPP; }
  nextKey(): Uint8Array | undefined { return undefined; }
  override lookupElem(_key?: Uint8Array): Uint8Array | undefined { return undefined; }
  override updateElem(_key?: Uint8Array, _value?: Uint8Array, _flags?: number): number { return -ENOTSUPP; }
  override deleteElem(_key?: Uint8Array): number { return -ENOTSUPP; }
}

/** Read a record header at a data offset (for tests and dumps). */
export function ringbufHeader(rb: RingBufMap, hdrOff: number): { len: number; busy: boolean; discard: boolean; pgOff: number } {
  const d = rb.valueStorage();
  const h = u32(d, hdrOff);
  return { len: h & ~(RINGBUF_BUSY_BIT | RINGBUF_DISCARD_BIT), busy: (h & RINGBUF_BUSY_BIT) !== 0, discard: (h & RINGBUF_DISCARD_BIT) !== 0, pgOff: u32(d, hdrOff + 4) };
}
