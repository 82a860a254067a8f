// The XDP context: one frame laid out as the kernel's test run lays it out in a page
// (net/bpf/test_run.c, bpf_prog_test_run_xdp): 256 bytes of headroom (XDP_PACKET_HEADROOM),
// metadata just before the data, the data, and 320 bytes of tailroom for skb_shared_info.
// The program sees `struct xdp_md` in the CTX region; data, data_end and data_meta read as
// packet pointers (through the memory's ctx-pointer hook). The PACKET region is the window
// [data_meta, data_end), so every packet access outside the frame faults, and a pointer's low
// word is its offset from data_meta.
import { fail } from '../../diag/index.js';
import { HEADROOM, SLOT_SIZE, TAILROOM } from '../../packet/index.js';
import { CTX, PACKET, type Memory } from '../memory.js';

/** Field offsets of struct xdp_md (include/uapi/linux/bpf.h). */
export const XDP_MD = { data: 0, data_end: 4, data_meta: 8, ingress_ifindex: 12, rx_queue_index: 16, egress_ifindex: 20 } as const;
export const XDP_MD_SIZE = 24;
/** sizeof(struct xdp_frame) on x86-64: the start of the headroom the kernel keeps for itself. */
export const XDP_FRAME_SIZE = 40;
export const ETH_HLEN = 14;

/** XDP actions (enum xdp_action). */
export const XDP_ACTION = { ABORTED: 0, DROP: 1, PASS: 2, TX: 3, REDIRECT: 4 } as const;
export const XDP_ACTION_NAME = ['XDP_ABORTED', 'XDP_DROP', 'XDP_PASS', 'XDP_TX', 'XDP_REDIRECT'];

export class XdpFrame {
  /** The page holding the frame (hard start at offset `base`): its own, or a mempool slot (attach). */
  bytes: Uint8Array;
  base: number;
  private readonly ownBytes: Uint8Array;
  private readonly ownBase: number;
  /** data_meta, data and data_end as offsets from the hard start. */
  meta = HEADROOM;
  data = HEADROOM;
  end = HEADROOM;
  readonly ctx: Uint8Array;
  private readonly ctxView: DataView;
  private readonly tag: number;

  /**
   * A frame over `bytes[base, base + 4096)` (a Mempool slot), or a page of its own. Its own page
   * and the context come from the memory's arena, where the interpreter works on them in place.
   */
  constructor(readonly memory: Memory, bytes?: Uint8Array, base = 0) {
    this.ctx = memory.alloc(XDP_MD_SIZE);
    this.ctxView = new DataView(this.ctx.buffer, this.ctx.byteOffset, XDP_MD_SIZE);
    this.bytes = this.ownBytes = bytes ?? memory.alloc(SLOT_SIZE);
    this.base = this.ownBase = base;
    if (this.base + SLOT_SIZE > this.bytes.length) fail('semantic', `an XDP frame needs ${SLOT_SIZE} bytes at offset ${base}`);
    this.tag = memory.tag(PACKET);
    memory.setRegion(CTX, this.ctx);
  }

  /** Bytes between data_end and the end of the page the program may grow into (adjust_tail). */
  get hardEnd(): number { return SLOT_SIZE - TAILROOM; }

  /** Put `input` in the frame (its own page): the first `metaLen` bytes are metadata, the rest the packet. */
  load(input: Uint8Array, metaLen: number): void {
    this.bytes = this.ownBytes;
    this.base = this.ownBase;
    this.bytes.fill(0, this.base, this.base + SLOT_SIZE);
    this.meta = HEADROOM - metaLen;
    this.data = HEADROOM;
    this.end = this.meta + input.length;
    this.bytes.set(input, this.base + this.meta);
    this.sync();
  }

  setIds(ingressIfindex: number, rxQueue: number): void {
    this.ctxView.setUint32(XDP_MD.ingress_ifindex, ingressIfindex >>> 0, true);
    this.ctxView.setUint32(XDP_MD.rx_queue_index, rxQueue >>> 0, true);
  }

  /**
   * Run over a frame in place (a mempool slot: `bytes[base, base + SLOT_SIZE)`, offsets from
   * `base`), without copying or clearing anything; per packet, allocates nothing. The caller
   * guarantees the layout (headroom <= meta <= data <= end <= SLOT_SIZE - TAILROOM).
   */
  attach(bytes: Uint8Array, base: number, meta: number, data: number, end: number): void {
    this.bytes = bytes;
    this.base = base;
    this.meta = meta;
    this.data = data;
    this.end = end;
    this.sync();
  }

  /** Re-window the PACKET region and the ctx pointers after data/meta/end moved. */
  sync(): void {
    const m = this.memory;
    const meta = this.meta, tag = this.tag;
    m.bindUnchecked(PACKET, this.bytes, this.base + meta, this.end - meta);
    // setCtxPointer's effect, written straight into the tables (the per-packet path).
    const t = m.tables, lo = t.ctxPtrLo, hi = t.ctxPtrHi, flag = t.ctxPtrFlag;
    lo[XDP_MD.data] = this.data - meta; hi[XDP_MD.data] = tag; flag[XDP_MD.data] = 1;
    lo[XDP_MD.data_end] = this.end - meta; hi[XDP_MD.data_end] = tag; flag[XDP_MD.data_end] = 1;
    lo[XDP_MD.data_meta] = 0; hi[XDP_MD.data_meta] = tag; flag[XDP_MD.data_meta] = 1;
  }

  /** The packet from data_meta to data_end, as the test run's data_out (a copy). */
  output(): Uint8Array { return this.bytes.slice(this.base + this.meta, this.base + this.end); }

  /** Offset from the hard start of a packet pointer's low word. */
  fromPointer(lo: number): number { return this.meta + lo; }

  // The three helpers that move the frame, with the kernel's limits (net/core/filter.c).

  /** bpf_xdp_adjust_head: 0 or -EINVAL. */
  adjustHead(offset: number): number {
    const metalen = this.data - this.meta;
    const data = this.data + offset;
    if (data < XDP_FRAME_SIZE + metalen || data > this.end - ETH_HLEN) return -22;
    if (metalen) this.bytes.copyWithin(this.base + this.meta + offset, this.base + this.meta, this.base + this.data);
    this.meta += offset;
    this.data = data;
    this.sync();
    return 0;
  }

  /** bpf_xdp_adjust_tail: 0 or -EINVAL; growing zeroes the new bytes. */
  adjustTail(offset: number): number {
    const end = this.end + offset;
    if (end > this.hardEnd || end < this.data + ETH_HLEN) return -22;
    if (offset > 0) this.bytes.fill(0, this.base + this.end, this.base + end);
    this.end = end;
    this.sync();
    return 0;
  }

  /** bpf_xdp_adjust_meta: 0, -EINVAL (outside the headroom) or -EACCES (bad length). */
  adjustMeta(offset: number, maxMeta: number): number {
    const meta = this.meta + offset;
    const metalen = this.data - meta;
    if (meta < XDP_FRAME_SIZE || meta > this.data) return -22;
    if ((metalen & 3) !== 0 || metalen > maxMeta) return -13;
    this.meta = meta;
    this.sync();
    return 0;
  }
}

/** Largest metadata the kernel allows: xdp_metalen_invalid (u8 meta_len, 4-byte aligned). */
export const XDP_META_MAX = 252;
