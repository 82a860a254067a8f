// Where lanes run: in this thread, or on worker threads (workers.ts). Both take frames staged
// per round through the same byte layout (laneset.ts), so their results are identical.
import { IN_HEADER, IN_RECORD, FLAG_FINAL, LaneSet, OUT_RECORD, pad8 } from './laneset.js';
import type { Topology } from './topology.js';

/** A round ends before it would exceed either bound (the same rule in every runner). */
export const ROUND_PACKETS = 4096;
export const ROUND_BYTES = 4 << 20;
const MAX_RECORD = IN_RECORD + 3528;

export type Consume = (outs: Uint8Array[], final: boolean) => void;

export interface LaneRunner {
  readonly lanes: number;
  /** Append a frame for `lane`. */
  stage(lane: number, port: number, time: number, bytes: Uint8Array, off: number, len: number): void;
  /**
   * End the staged round: the lanes run it up to `untilNs`. Rounds finish in order; `consume`
   * gets each finished round's output buffers (one per lane set), valid only during the call.
   * A runner may hand back earlier rounds while later ones still run; a final flush hands back
   * every round left.
   */
  flush(untilNs: number, final: boolean, consume: Consume): void;
  close(): void;
}

/** Bytes a frame of `len` takes in an input buffer. */
export const IN_RECORD_BYTES = (len: number): number => IN_RECORD + pad8(len);

export function inputBytes(): number {
  return IN_HEADER + ROUND_BYTES + ROUND_PACKETS * IN_RECORD + MAX_RECORD;
}

/** Upper bound of one round's output: the round's frames plus all a lane can hold. */
export function outputBytes(topo: Topology, lanes: number, capture: boolean): number {
  const h = topo.host!;
  const nports = Math.max(...topo.ports.map((p) => p.index)) + 1;
  const held = nports * (h.rxDesc + h.txDesc) + Math.ceil(h.socket.rcvbuf / 256) + 1024;
  const events = ROUND_PACKETS + lanes * held;
  return 16 + events * (OUT_RECORD + (capture ? 3528 : 0)) + (1 << 20);
}

/** Writes staged frames into an input buffer. */
export class Stager {
  count = 0;
  pos = IN_HEADER;
  private readonly dv: DataView;
  constructor(readonly buf: Uint8Array) {
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  add(lane: number, port: number, time: number, bytes: Uint8Array, off: number, len: number): void {
    const p = this.pos;
    this.dv.setUint16(p, lane, true); this.dv.setUint16(p + 2, port, true); this.dv.setUint32(p + 4, len, true);
    this.dv.setFloat64(p + 8, time, true);
    this.buf.set(bytes.subarray(off, off + len), p + IN_RECORD);
    this.pos = p + IN_RECORD + pad8(len);
    this.count++;
  }

  seal(untilNs: number, final: boolean): void {
    this.dv.setUint32(0, this.count, true);
    this.dv.setUint32(4, final ? FLAG_FINAL : 0, true);
    this.dv.setFloat64(8, untilNs, true);
  }

  reset(): void {
    this.count = 0;
    this.pos = IN_HEADER;
  }
}

export class LocalRunner implements LaneRunner {
  private readonly set: LaneSet;
  private readonly stager = new Stager(new Uint8Array(inputBytes()));
  private readonly out: Uint8Array;

  constructor(topo: Topology, readonly lanes: number, capture: boolean) {
    this.set = new LaneSet(topo, Array.from({ length: lanes }, (_, i) => i), capture);
    this.out = new Uint8Array(outputBytes(topo, lanes, capture));
  }

  stage(lane: number, port: number, time: number, bytes: Uint8Array, off: number, len: number): void {
    this.stager.add(lane, port, time, bytes, off, len);
  }

  flush(untilNs: number, final: boolean, consume: Consume): void {
    this.stager.seal(untilNs, final);
    this.set.process(this.stager.buf, this.out);
    this.stager.reset();
    consume([this.out], final);
  }

  close(): void { /* nothing held */ }
}
