// A worker thread running some lanes of a topology (see workers.ts for the protocol). It stays
// alive between runs: each message is a job (a topology's lane set and its buffers).
import { parentPort } from 'node:worker_threads';
import { LaneSet } from './laneset.js';
import { loadTopology } from './topology.js';
import type { Tier } from '../vm/index.js';

const CMD = 0, DONE = 1, STATUS = 2, ACK = 3;

interface Job { topoFile: string; tier?: Tier; ids: number[]; capture: boolean; ctl: Int32Array; inputs: Uint8Array[]; outs: Uint8Array[]; depth: number }

function failed(job: Job, e: unknown): void {
  const out = job.outs[0]!;
  const msg = new TextEncoder().encode(e instanceof Error ? e.message : String(e));
  out.set(msg.subarray(0, Math.min(msg.length, out.length)));
  Atomics.store(job.ctl, STATUS, Math.max(1, Math.min(msg.length, out.length)));
  Atomics.notify(job.ctl, DONE);
}

function runJob(job: Job): void {
  const { topoFile, ids, capture, ctl, inputs, outs, depth } = job;
  const set = new LaneSet({ ...loadTopology(topoFile), tier: job.tier }, ids, capture);
  Atomics.store(ctl, DONE, 1);
  Atomics.notify(ctl, DONE);
  // Rounds run strictly in order: round k (0-based) once it is sent, and once the main thread
  // has read round k - depth, whose output slot it reuses. CMD < 0 ends the job.
  for (let k = 0; ; k++) {
    for (let c = Atomics.load(ctl, CMD); c >= 0 && c <= k; c = Atomics.load(ctl, CMD)) Atomics.wait(ctl, CMD, c);
    if (Atomics.load(ctl, CMD) < 0) return;
    for (let a = Atomics.load(ctl, ACK); a < k - depth + 1; a = Atomics.load(ctl, ACK)) Atomics.wait(ctl, ACK, a);
    if (Atomics.load(ctl, CMD) < 0) return;
    set.process(inputs[k % depth]!, outs[k % depth]!);
    Atomics.store(ctl, DONE, k + 2);
    Atomics.notify(ctl, DONE);
  }
}

parentPort!.on('message', (job: Job) => {
  try {
    runJob(job);
  } catch (e) {
    failed(job, e);
  }
});
