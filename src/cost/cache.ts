// Expected latency of one memory access into a table of a given size: the fraction of the
// table resident in each cache level (uniform access over the hot bytes, each level holding as
// much of it as fits) times that level's latency.
import type { CostProfile } from './profile.js';

export interface Residency {
  l1: number;
  l2: number;
  l3: number;
  ram: number;
}

/** Fractions of a working set of `bytes` resident in L1, L2, L3 and RAM (they sum to 1). */
export function residency(p: CostProfile, bytes: number): Residency {
  const ws = Math.max(bytes, 1);
  const in1 = Math.min(1, p.get('memory.l1Size') / ws);
  const in2 = Math.min(1, p.get('memory.l2Size') / ws);
  const in3 = Math.min(1, p.get('memory.l3Size') / ws);
  return { l1: in1, l2: in2 - in1, l3: in3 - in2, ram: 1 - in3 };
}

/** Expected cycles of one access into `bytes` of hot data; `remote` adds the NUMA penalty to RAM. */
export function accessCycles(p: CostProfile, bytes: number, remote = false): number {
  const r = residency(p, bytes);
  const ram = p.get('memory.ramLatency') + (remote ? p.get('memory.remoteNumaExtra') : 0);
  return r.l1 * p.get('memory.l1Latency') + r.l2 * p.get('memory.l2Latency') + r.l3 * p.get('memory.l3Latency') + r.ram * ram;
}
