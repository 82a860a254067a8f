// A UDP socket's receive queue (bounded by SO_RCVBUF, charged skb->truesize per packet) and the
// user-space thread that drains it on its own CPU with recvmsg or recvmmsg: it blocks when the
// queue is empty and a wake-up costs a context switch.
import { Ring, pow2 } from '../ring.js';
import type { HostTimings } from '../timings.js';

export class Receiver {
  readonly queue: Ring;
  readonly enqueuedAt: Float64Array;
  rmem = 0;
  clock = 0;
  blocked = true;
  wakeAt = Infinity;
  busyNs = 0;
  syscalls = 0;
  wakeups = 0;

  constructor(
    private readonly t: HostTimings, readonly rcvbuf: number, readonly batch: number, poolCapacity: number,
  ) {
    const maxPackets = Math.floor(rcvbuf / t.skbTruesize) + 1;
    this.queue = new Ring('socket receive queue', pow2(maxPackets + 1));
    this.enqueuedAt = new Float64Array(poolCapacity);
  }

  /** sock_queue_rcv_skb: false when the receive buffer is full. */
  enqueue(h: number, at: number): boolean {
    if (this.rmem + this.t.skbTruesize > this.rcvbuf || this.queue.free === 0) return false;
    this.queue.push(h);
    this.enqueuedAt[h] = at;
    this.rmem += this.t.skbTruesize;
    if (this.blocked && this.wakeAt === Infinity) this.wakeAt = at + this.t.contextSwitch;
    return true;
  }

  /**
   * One step of the thread, not beyond `until` when idle. Each packet received is reported
   * through `deliver(handle, time)`.
   */
  step(until: number, deliver: (h: number, at: number) => void): void {
    if (this.blocked) {
      if (this.wakeAt <= until) {
        this.clock = Math.max(this.clock, this.wakeAt);
        this.busyNs += this.t.contextSwitch;
        this.blocked = false;
        this.wakeAt = Infinity;
        this.wakeups++;
      } else {
        this.clock = Math.max(this.clock, until);
      }
      return;
    }
    let visible = 0;
    while (visible < this.batch && visible < this.queue.count && this.enqueuedAt[this.queue.peek(visible)]! <= this.clock) visible++;
    this.syscalls++;
    if (visible === 0) {
      // The call finds nothing and the thread sleeps until the next enqueue wakes it.
      this.clock += this.t.syscall;
      this.busyNs += this.t.syscall;
      this.blocked = true;
      this.wakeAt = this.queue.count > 0 ? this.enqueuedAt[this.queue.peek(0)]! + this.t.contextSwitch : Infinity;
      return;
    }
    const cost = this.t.syscall + visible * this.t.recvPerPacket;
    this.clock += cost;
    this.busyNs += cost;
    for (let i = 0; i < visible; i++) {
      const h = this.queue.shift();
      this.rmem -= this.t.skbTruesize;
      deliver(h, this.clock);
    }
  }
}
