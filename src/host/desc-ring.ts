// A NIC descriptor ring as the registers show it. Free-running indices (the registers hold them
// modulo size):
//   next <= head <= tail <= next + size
//   [next, head)  descriptors the NIC is done with (RX: filled with a packet; TX: sent), for
//                 software to clean;
//   [head, tail)  descriptors owned by the NIC (RX: posted empty buffers; TX: packets to send);
//   [tail, next + size)  descriptors software has not (re)posted.
// RX: software posts buffers at tail, the NIC fills at head, software reads from next.
// TX: software posts packets at tail, the NIC sends at head, software cleans from next.
import { fail } from '../diag/index.js';

export class DescRing {
  readonly mask: number;
  /** The mbuf handle held by each descriptor. */
  readonly slots: Int32Array;
  /** Per descriptor: a time (RX: arrival; TX: departure), ns. */
  readonly times: Float64Array;
  head = 0;
  tail = 0;
  next = 0;

  constructor(readonly name: string, readonly size: number) {
    if (!Number.isInteger(size) || size < 2 || (size & (size - 1)) !== 0 || size > 65536) {
      fail('usage', `${name}: descriptor ring size must be a power of two in 2..65536, got ${size}`);
    }
    this.mask = size - 1;
    this.slots = new Int32Array(size).fill(-1);
    this.times = new Float64Array(size);
  }

  /** Head register (the NIC's next descriptor), as the hardware shows it. */
  get headReg(): number { return this.head & this.mask; }
  /** Tail register (software's last posted + 1). */
  get tailReg(): number { return this.tail & this.mask; }

  /** Descriptors done by the NIC, waiting for software. */
  get done(): number { return this.head - this.next; }
  /** Descriptors owned by the NIC. */
  get owned(): number { return this.tail - this.head; }
  /** Descriptors software may post. */
  get postable(): number { return this.next + this.size - this.tail; }

  /** Software posts a descriptor holding `h` (RX: an empty buffer; TX: a packet). */
  post(h: number, time = 0): boolean {
    if (this.postable === 0) return false;
    const i = this.tail & this.mask;
    this.slots[i] = h;
    this.times[i] = time;
    this.tail++;
    return true;
  }

  /** The NIC takes the descriptor at head; returns its slot index or -1 when it owns none. */
  nicTake(): number {
    if (this.head === this.tail) return -1;
    return this.head++ & this.mask;
  }

  /** Software takes the next done descriptor; returns its slot index or -1. */
  clean(): number {
    if (this.next === this.head) return -1;
    return this.next++ & this.mask;
  }
}
