// Measuring a program over traffic in the VM: each frame is one BPF_PROG_TEST_RUN on a runtime
// that keeps its maps between frames (flow tables fill, counters count), and the VM's counters
// are read after every frame. Per frame we keep executed instructions, helper calls and map
// operations (for the distributions); the counters are summed per XDP verdict, because each
// verdict takes a different path through the host (drop recycles a page, pass builds an skb).
import type { CounterSnapshot } from '../vm/index.js';
import type { Runtime } from '../vm/runtime/index.js';
import { MAX_FRAME } from '../packet/index.js';
import { verdictOf, type Verdict } from './input.js';
import type { Frame } from './compare-traffic.js';

export interface VerdictGroup {
  verdict: Verdict;
  /** The XDP return value that gave it (for programFromCounters). */
  retval: number;
  /** Indexes into the measured frames. */
  frames: number[];
  /** Counters summed over this group's frames (runs = frames). */
  counters: CounterSnapshot;
  meanWireBytes: number;
}

export interface Distribution {
  mean: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface Measurement {
  /** Frames run (frames longer than the test run takes are skipped). */
  packets: number;
  skipped: number;
  groups: VerdictGroup[];
  /** Per measured frame, in order. */
  insns: Float64Array;
  helperCalls: Float64Array;
  mapAccesses: Float64Array;
  /** Which frame of the traffic each measured frame is. */
  frameIndex: Int32Array;
}

const emptySnapshot = (): CounterSnapshot => ({ runs: 0, insns: 0, localCalls: 0, helperCalls: {}, mapAccesses: {}, memoryAccesses: {} });

function addRecord(acc: Record<string, number>, now: Record<string, number>, before: Record<string, number>): number {
  let total = 0;
  for (const [k, v] of Object.entries(now)) {
    const d = v - (before[k] ?? 0);
    if (d !== 0) { acc[k] = (acc[k] ?? 0) + d; total += d; }
  }
  return total;
}

/** Run every frame once; `progress(done, total)` is called every few hundred frames. */
export function measure(rt: Runtime, frames: readonly Frame[], progress?: (done: number, total: number) => void): Measurement {
  const n = frames.length;
  const insns = new Float64Array(n), helperCalls = new Float64Array(n), mapAccesses = new Float64Array(n);
  const frameIndex = new Int32Array(n);
  const groups = new Map<number, VerdictGroup & { bytes: number }>();
  rt.counters.reset(rt.memory);
  let before = rt.counters.snapshot(rt.memory);
  let k = 0, skipped = 0;
  for (let i = 0; i < n; i++) {
    if (progress && i % 256 === 0) progress(i, n);
    const f = frames[i]!;
    if (f.data.length > MAX_FRAME) { skipped++; continue; }
    const r = rt.testRun(f.data);
    const now = rt.counters.snapshot(rt.memory);
    let g = groups.get(r.retval);
    if (!g) {
      g = { verdict: verdictOf(r.retval), retval: r.retval, frames: [], counters: emptySnapshot(), meanWireBytes: 0, bytes: 0 };
      groups.set(r.retval, g);
    }
    g.frames.push(i);
    g.bytes += f.wireBytes;
    const c = g.counters;
    c.runs += 1;
    c.insns += now.insns - before.insns;
    c.localCalls += now.localCalls - before.localCalls;
    insns[k] = now.insns - before.insns;
    helperCalls[k] = addRecord(c.helperCalls, now.helperCalls, before.helperCalls);
    mapAccesses[k] = addRecord(c.mapAccesses, now.mapAccesses, before.mapAccesses);
    addRecord(c.memoryAccesses, now.memoryAccesses, before.memoryAccesses);
    frameIndex[k] = i;
    k++;
    before = now;
  }
  progress?.(n, n);
  const list = [...groups.values()].sort((a, b) => b.frames.length - a.frames.length).map(({ bytes, ...g }) => ({ ...g, meanWireBytes: bytes / g.frames.length }));
  return { packets: k, skipped, groups: list, insns: insns.subarray(0, k), helperCalls: helperCalls.subarray(0, k), mapAccesses: mapAccesses.subarray(0, k), frameIndex: frameIndex.subarray(0, k) };
}

/** Mean and quantiles (nearest rank) of per-packet values. */
export function distribution(values: ArrayLike<number>): Distribution {
  const n = values.length;
  if (n === 0) return { mean: 0, min: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const s = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of s) sum += v;
  const q = (p: number): number => s[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))]!;
  return { mean: sum / n, min: s[0]!, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: s[n - 1]! };
}
