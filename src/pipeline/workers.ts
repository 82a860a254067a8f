// Lanes on worker threads (node:worker_threads): lane i runs on worker i % W, where W is the
// workers asked for but at most one per core besides the main thread's. Rounds are
// pipelined: each worker has DEPTH input and DEPTH output buffers (SharedArrayBuffers), round r
// uses slot r % DEPTH, so the main thread stages round r+1 (and reads the output of finished
// rounds) while the workers run round r. Three counters per worker, bumped with Atomics:
//   CMD  rounds handed to the worker (main),
//   DONE rounds finished + 1 (worker; 1 once its lanes are built),
//   ACK  rounds whose output the main thread has read (main), so the worker may reuse the slot.
// The main thread waits only when the slot it needs is still busy, or at the end. The rounds and
// their byte layout are LocalRunner's and outputs are read in round order, so results are the same.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { inputBytes, outputBytes, Stager, type Consume, type LaneRunner } from './runner.js';
import type { Topology } from './topology.js';

export const CMD = 0, DONE = 1, STATUS = 2, ACK = 3;
/** Rounds in flight per worker (input and output slots). */
export const DEPTH = 16;
/** How long the main thread waits for a round before declaring a worker stuck (ms). */
const ROUND_TIMEOUT = 600_000;

/**
 * Workers are started once per process and reused by later runs (loading the modules and the
 * kernel BTF in a fresh thread costs more than a short run); unref'd, so they never keep the
 * process alive.
 */
const idle: Worker[] = [];

function spawn(url: URL): Worker {
  const w = new Worker(url);
  w.unref();
  // A worker that died (it should not) is dropped from the pool.
  w.on('exit', () => { const i = idle.indexOf(w); if (i >= 0) idle.splice(i, 1); });
  w.on('error', () => undefined);
  return w;
}

interface Slot {
  worker: Worker;
  ctl: Int32Array;
  stagers: Stager[];
  outs: Uint8Array[];
}

export class WorkerRunner implements LaneRunner {
  private readonly slots: Slot[] = [];
  /** Rounds flushed, and rounds handed back to the caller. */
  private sent = 0;
  private read = 0;
  private finalRound = -1;
  private closed = false;

  constructor(topoFile: string, topo: Topology, readonly lanes: number, workers: number, capture: boolean) {
    const url = new URL('./worker.js', import.meta.url);
    // The main thread reads the source, stages and reads outputs: busy too. More busy threads
    // than cores would only take turns, so at most one worker thread per other core.
    const threads = Math.max(1, Math.min(workers, availableParallelism() - 1));
    for (let w = 0; w < threads; w++) {
      const ids: number[] = [];
      for (let i = w; i < lanes; i += threads) ids.push(i);
      if (ids.length === 0) break;
      const ctl = new Int32Array(new SharedArrayBuffer(16));
      const inputs = Array.from({ length: DEPTH }, () => new Uint8Array(new SharedArrayBuffer(inputBytes())));
      const outs = Array.from({ length: DEPTH }, () => new Uint8Array(new SharedArrayBuffer(outputBytes(topo, ids.length, capture))));
      const worker = idle.pop() ?? spawn(url);
      worker.postMessage({ topoFile, tier: topo.tier, ids, capture, ctl, inputs, outs, depth: DEPTH });
      this.slots.push({ worker, ctl, stagers: inputs.map((b) => new Stager(b)), outs });
    }
    // No waiting here: the workers build their lanes while the main thread stages the first rounds.
  }

  private slotOf(lane: number): Slot {
    return this.slots[lane % this.slots.length]!;
  }

  stage(lane: number, port: number, time: number, bytes: Uint8Array, off: number, len: number): void {
    this.slotOf(lane).stagers[this.sent % DEPTH]!.add(lane, port, time, bytes, off, len);
  }

  flush(untilNs: number, final: boolean, consume: Consume): void {
    const r = this.sent; // this round, 0-based
    for (const s of this.slots) {
      s.stagers[r % DEPTH]!.seal(untilNs, final);
      Atomics.store(s.ctl, CMD, r + 1);
      Atomics.notify(s.ctl, CMD);
    }
    this.sent = r + 1;
    if (final) this.finalRound = r;
    // Hand back what has finished; block only for the round whose input slot comes next
    // (round sent - DEPTH), or for everything at the end.
    const need = final ? this.sent : this.sent - DEPTH + 1;
    while (this.read < this.sent && (this.read < need || this.finished(this.read))) {
      const k = this.read;
      for (const s of this.slots) this.wait(s, k);
      consume(this.slots.map((s) => s.outs[k % DEPTH]!), k === this.finalRound);
      for (const s of this.slots) {
        s.stagers[k % DEPTH]!.reset();
        Atomics.store(s.ctl, ACK, k + 1);
        Atomics.notify(s.ctl, ACK);
      }
      this.read = k + 1;
    }
  }

  /** Every worker has finished round k (0-based). */
  private finished(k: number): boolean {
    for (const s of this.slots) {
      this.check(s);
      if (Atomics.load(s.ctl, DONE) < k + 2) return false;
    }
    return true;
  }

  private check(s: Slot): void {
    const n = Atomics.load(s.ctl, STATUS);
    if (n !== 0) throw new Error(`pipeline worker failed: ${new TextDecoder().decode(s.outs[0]!.slice(0, n))}`);
  }

  private wait(s: Slot, k: number): void {
    const deadline = Date.now() + ROUND_TIMEOUT;
    for (;;) {
      const done = Atomics.load(s.ctl, DONE);
      this.check(s);
      if (done >= k + 2) return; // DONE holds rounds finished + 1
      if (Date.now() > deadline) throw new Error('pipeline worker did not finish a round in time');
      Atomics.wait(s.ctl, DONE, done, 1000);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.slots) {
      Atomics.store(s.ctl, CMD, -1);
      Atomics.notify(s.ctl, CMD);
      Atomics.store(s.ctl, ACK, 0x7fffffff);
      Atomics.notify(s.ctl, ACK);
      // The worker leaves the round loop and waits for its next job (kept for later runs).
      idle.push(s.worker);
    }
  }
}
