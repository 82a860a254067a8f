// A mempool over one ArrayBuffer. Each mbuf is a fixed slot laid out as the kernel lays out an
// XDP frame in a page: 256 bytes of headroom (XDP_PACKET_HEADROOM), the packet data, and
// tailroom for skb_shared_info. Stages move handles (slot numbers), never copies.
import { fail } from '../diag/index.js';

/** XDP_PACKET_HEADROOM: bytes reserved before the packet for adjust_head and metadata. */
export const HEADROOM = 256;
/** A page per frame, as XDP drivers use. */
export const SLOT_SIZE = 4096;
/** SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) on x86-64: room the kernel keeps at the end. */
export const TAILROOM = 320;
/** Largest packet the kernel's XDP test run accepts without frags: 4096 - 256 - 320. */
export const MAX_FRAME = SLOT_SIZE - HEADROOM - TAILROOM;
/** ETH_HLEN: the kernel's XDP test run refuses anything shorter. */
export const MIN_FRAME = 14;

export class Mempool {
  readonly bytes: Uint8Array;
  /** Offset of the packet data from the slot start, per mbuf. */
  readonly dataOff: Int32Array;
  /** Packet length, per mbuf. */
  readonly dataLen: Int32Array;
  /** Offset of XDP metadata (data_meta) from the slot start; equals dataOff when there is none. */
  readonly metaOff: Int32Array;
  /** Ingress port, per mbuf. */
  readonly port: Int32Array;
  private readonly freeList: Int32Array;
  private freeCount: number;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) fail('usage', `mempool capacity must be a positive integer, got ${capacity}`);
    this.bytes = new Uint8Array(new ArrayBuffer(capacity * SLOT_SIZE));
    this.dataOff = new Int32Array(capacity);
    this.dataLen = new Int32Array(capacity);
    this.metaOff = new Int32Array(capacity);
    this.port = new Int32Array(capacity);
    this.freeList = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.freeList[i] = capacity - 1 - i;
    this.freeCount = capacity;
  }

  get available(): number {
    return this.freeCount;
  }

  /** A free mbuf handle with data reset to the headroom boundary, or -1 when empty. */
  alloc(): number {
    if (this.freeCount === 0) return -1;
    const h = this.freeList[--this.freeCount]!;
    this.dataOff[h] = HEADROOM;
    this.metaOff[h] = HEADROOM;
    this.dataLen[h] = 0;
    this.port[h] = 0;
    return h;
  }

  /** Fill `out[0..n)` with handles; all or nothing, like rte_pktmbuf_alloc_bulk. */
  allocBulk(out: Int32Array, n: number): boolean {
    if (n > this.freeCount) return false;
    for (let i = 0; i < n; i++) out[i] = this.alloc();
    return true;
  }

  free(h: number): void {
    this.freeList[this.freeCount++] = h;
  }

  /** Byte offset of the slot in `bytes`. */
  slotBase(h: number): number {
    return h * SLOT_SIZE;
  }

  /** Copy a packet into a fresh mbuf; fails with a 'packet' diagnostic when it does not fit. */
  load(packet: Uint8Array, where = 'packet'): number {
    checkFrameSize(packet.length, where);
    const h = this.alloc();
    if (h < 0) fail('limit', `mempool of ${this.capacity} mbufs is exhausted`);
    this.bytes.set(packet, h * SLOT_SIZE + HEADROOM);
    this.dataLen[h] = packet.length;
    return h;
  }

  /** A view (not a copy) of the packet data of mbuf `h`. */
  data(h: number): Uint8Array {
    const start = h * SLOT_SIZE + this.dataOff[h]!;
    return this.bytes.subarray(start, start + this.dataLen[h]!);
  }
}

/** Packet size rules of the kernel's XDP test run (ETH_HLEN minimum, one page maximum). */
export function checkFrameSize(len: number, where = 'packet'): void {
  if (len < MIN_FRAME) {
    fail('packet', `${where} is ${len} bytes; an XDP frame needs at least ${MIN_FRAME} (an Ethernet header)`, {
      condition: `length >= ${MIN_FRAME}`,
    });
  }
  if (len > MAX_FRAME) {
    fail('packet', `${where} is ${len} bytes; an XDP frame holds at most ${MAX_FRAME} (4096 - 256 headroom - 320 tailroom)`, {
      condition: `length <= ${MAX_FRAME}`,
    });
  }
}
