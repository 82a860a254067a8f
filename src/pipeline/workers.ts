// Lanes on worker threads (node:worker_threads): lane i runs on worker i % W. Each worker has
// an input and an output SharedArrayBuffer and a control word pair; a round is: the main thread
// stages frames, bumps the command word and notifies, every worker runs its lanes (in
// parallel), bumps its done word; the main thread waits on each (Atomics.wait), then reads the
// outputs. Same byte layout and same rounds as LocalRunner, so the same results.
import { Worker } from 'node:worker_threads';
import { inputBytes, outputBytes, Stager, type LaneRunner } from './runner.js';
import type { Topology } from './topology.js';

const CMD = 0, DONE = 1, STATUS = 2;
/** How long the main thread waits for a round before declaring a worker stuck (ms). */
const ROUND_TIMEOUT = 600_000;

interface Slot {
  worker: Worker;
  ctl: Int32Array;
  stager: Stager;
  out: Uint8Array;
  seq: number;
}

export class WorkerRunner implements LaneRunner {
  private readonly slots: Slot[] = [];

  constructor(topoFile: string, topo: Topology, readonly lanes: number, workers: number, capture: boolean) {
    const url = new URL('./worker.js', import.meta.url);
    for (let w = 0; w < workers; w++) {
      const ids: number[] = [];
      for (let i = w; i < lanes; i += workers) ids.push(i);
      if (ids.length === 0) break;
      const ctl = new Int32Array(new SharedArrayBuffer(16));
      const input = new Uint8Array(new SharedArrayBuffer(inputBytes()));
      const out = new Uint8Array(new SharedArrayBuffer(outputBytes(topo, ids.length, capture)));
      const worker = new Worker(url, { workerData: { topoFile, ids, capture, ctl, input, out } });
      worker.unref();
      this.slots.push({ worker, ctl, stager: new Stager(input), out, seq: 0 });
    }
    // Wait until every worker has built its lanes (or failed doing so).
    for (const s of this.slots) this.wait(s, 0);
  }

  private slotOf(lane: number): Slot {
    return this.slots[lane % this.slots.length]!;
  }

  stage(lane: number, port: number, time: number, bytes: Uint8Array, off: number, len: number): void {
    this.slotOf(lane).stager.add(lane, port, time, bytes, off, len);
  }

  flush(untilNs: number, final: boolean): Uint8Array[] {
    for (const s of this.slots) {
      s.stager.seal(untilNs, final);
      s.seq++;
      Atomics.store(s.ctl, CMD, s.seq);
      Atomics.notify(s.ctl, CMD);
    }
    for (const s of this.slots) { this.wait(s, s.seq); s.stager.reset(); }
    return this.slots.map((s) => s.out);
  }

  private wait(s: Slot, seq: number): void {
    const deadline = Date.now() + ROUND_TIMEOUT;
    for (;;) {
      const done = Atomics.load(s.ctl, DONE);
      if (Atomics.load(s.ctl, STATUS) !== 0) {
        const n = Atomics.load(s.ctl, STATUS);
        throw new Error(`pipeline worker failed: ${new TextDecoder().decode(s.out.slice(0, n))}`);
      }
      if (done >= seq + 1) return; // DONE holds seq + 1 (1 after start-up)
      if (Date.now() > deadline) throw new Error('pipeline worker did not finish a round in time');
      Atomics.wait(s.ctl, DONE, done, 1000);
    }
  }

  close(): void {
    for (const s of this.slots) {
      Atomics.store(s.ctl, CMD, -1);
      Atomics.notify(s.ctl, CMD);
      void s.worker.terminate();
    }
  }
}
