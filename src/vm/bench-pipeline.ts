// The `pipeline` row of `xdplab bench`: source -> XDP hook -> sink at burst granularity, on
// one core. The source takes bursts of mbufs from a Mempool whose slots were filled once with
// a 64-byte frame (receiving = allocating handles and setting the length, as a driver's RX
// ring refill), the hook is Runtime.runBurst, the sink counts verdicts and frees the mbufs.
// The figure is packets per second of CPU time, in millions (14.88 Mpps is 10 GbE line rate
// for 64-byte frames).
import { readFileSync } from 'node:fs';
import { fail } from '../diag/index.js';
import { loadObject } from '../elf/index.js';
import { parseSetup } from '../maps/index.js';
import { HEADROOM, Mempool, SLOT_SIZE } from '../packet/index.js';
import { cpuNs, udpPacket, type BenchCase } from './bench.js';
import type { Tier } from './compiled/index.js';
import { loadRuntime, type Runtime } from './runtime/index.js';

export interface PipelineResult {
  tier: Tier;
  program: string;
  burst: number;
  frameSize: number;
  mpps: number;
  nsPerPacket: number;
  packets: number;
  /** Packets per XDP action (index = action). */
  verdicts: number[];
}

/** The pipeline's state: a filled mempool, handle and verdict arrays, counts. */
export class PipelineBench {
  readonly rt: Runtime;
  readonly pool: Mempool;
  private readonly handles: Int32Array;
  private readonly verdicts: Int32Array;
  readonly counts = new Float64Array(8);

  constructor(c: BenchCase, tier: Tier, readonly burst = 32, readonly frameSize = 64, capacity = 256) {
    if (!c.object) fail('usage', `the pipeline needs an object benchmark, not ${c.name}`);
    const obj = loadObject(new Uint8Array(readFileSync(c.object)), c.object);
    const provenSafe = tier === 'compiled' ? c.proven?.(obj) : undefined;
    this.rt = loadRuntime(obj, { setup: c.setup ? parseSetup(readFileSync(c.setup, 'utf8'), c.setup) : undefined, cpus: 1, tier, provenSafe });
    this.pool = new Mempool(capacity);
    const frame = udpPacket(frameSize);
    for (let h = 0; h < capacity; h++) this.pool.bytes.set(frame, h * SLOT_SIZE + HEADROOM);
    this.handles = new Int32Array(burst);
    this.verdicts = new Int32Array(burst);
  }

  /** `bursts` bursts through source, hook and sink; allocates nothing. */
  run(bursts: number): void {
    const { pool, handles, verdicts, counts, burst, frameSize, rt } = this;
    for (let b = 0; b < bursts; b++) {
      // Source: a burst of received frames (the bytes are already in the slots).
      if (!pool.allocBulk(handles, burst)) fail('limit', 'pipeline bench: the mempool ran dry');
      for (let i = 0; i < burst; i++) pool.dataLen[handles[i]!] = frameSize;
      // Hook.
      rt.runBurst(pool, handles, burst, verdicts);
      // Sink: count by verdict, recycle the mbufs.
      for (let i = 0; i < burst; i++) {
        counts[verdicts[i]! & 7]++;
        pool.free(handles[i]!);
      }
    }
  }
}

/** Mpps of the pipeline with `c`'s program, fastest of `batches` batches of about batchMs. */
export function timePipeline(c: BenchCase, tier: Tier, batchMs = 200, batches = 5, burst = 32): PipelineResult {
  const p = new PipelineBench(c, tier, burst);
  const warmEnd = process.hrtime.bigint() + BigInt(Math.max(300, batchMs)) * 1_000_000n;
  while (process.hrtime.bigint() < warmEnd) p.run(100);
  let bursts = 1;
  for (;;) {
    const t0 = cpuNs();
    p.run(bursts);
    const ms = (cpuNs() - t0) / 1e6;
    if (ms >= batchMs / 4) { bursts = Math.max(1, Math.round(bursts * batchMs / ms)); break; }
    bursts *= 4;
  }
  let best = Infinity;
  p.counts.fill(0);
  for (let b = 0; b < batches; b++) {
    const t0 = cpuNs();
    p.run(bursts);
    best = Math.min(best, (cpuNs() - t0) / (bursts * burst));
  }
  return {
    tier, program: c.name, burst, frameSize: p.frameSize, mpps: 1e3 / best, nsPerPacket: best, packets: bursts * burst * batches,
    verdicts: Array.from(p.counts.subarray(0, 5)),
  };
}
