// A worker thread running some lanes of a topology (see workers.ts for the protocol).
import { workerData } from 'node:worker_threads';
import { LaneSet } from './laneset.js';
import { loadTopology } from './topology.js';

const CMD = 0, DONE = 1, STATUS = 2;
const { topoFile, ids, capture, ctl, input, out } = workerData as {
  topoFile: string; ids: number[]; capture: boolean; ctl: Int32Array; input: Uint8Array; out: Uint8Array;
};

function failed(e: unknown): void {
  const msg = new TextEncoder().encode(e instanceof Error ? e.message : String(e));
  out.set(msg.subarray(0, Math.min(msg.length, out.length)));
  Atomics.store(ctl, STATUS, Math.max(1, Math.min(msg.length, out.length)));
  Atomics.notify(ctl, DONE);
}

try {
  const set = new LaneSet(loadTopology(topoFile), ids, capture);
  Atomics.store(ctl, DONE, 1);
  Atomics.notify(ctl, DONE);
  let seen = 0;
  for (;;) {
    Atomics.wait(ctl, CMD, seen);
    const cmd = Atomics.load(ctl, CMD);
    if (cmd < 0) break;
    if (cmd === seen) continue;
    seen = cmd;
    set.process(input, out);
    Atomics.store(ctl, DONE, seen + 1);
    Atomics.notify(ctl, DONE);
  }
} catch (e) {
  failed(e);
}
