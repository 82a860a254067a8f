// The VM counts, the cost model prices: one place that holds what a run did.
// Instructions are counted by the loop (one local counter, added here per run); helper calls
// by id on the call path; map accesses by the maps layer's helpers through mapAccess();
// loads and stores per memory region by Memory.at (read through snapshot()).
import type { Memory } from './memory.js';

export interface CounterSnapshot {
  runs: number;
  /** Executed instructions (lddw counts once). */
  insns: number;
  /** BPF-to-BPF calls. */
  localCalls: number;
  /** Helper calls by helper id. */
  helperCalls: Record<number, number>;
  /** Map operations reported by map helpers, by map name. */
  mapAccesses: Record<string, number>;
  /** Loads, stores and atomics by memory region name (map value regions included). */
  memoryAccesses: Record<string, number>;
}

export class Counters {
  runs = 0;
  insns = 0;
  localCalls = 0;
  readonly helperCalls = new Map<number, number>();
  readonly mapAccesses = new Map<string, number>();

  helper(id: number): void {
    this.helperCalls.set(id, (this.helperCalls.get(id) ?? 0) + 1);
  }

  /** Called by map helpers (lookup, update, delete, ...) with the map's name. */
  mapAccess(map: string, n = 1): void {
    this.mapAccesses.set(map, (this.mapAccesses.get(map) ?? 0) + n);
  }

  reset(memory?: Memory): void {
    this.runs = 0; this.insns = 0; this.localCalls = 0;
    this.helperCalls.clear(); this.mapAccesses.clear();
    memory?.resetCounts();
  }

  /** Plain data (JSON-ready); memory accesses come from the Memory given. */
  snapshot(memory?: Memory): CounterSnapshot {
    const memoryAccesses: Record<string, number> = {};
    if (memory) {
      for (let r = 0; r < memory.count; r++) {
        const n = memory.accesses[r]!;
        if (n > 0) memoryAccesses[memory.names[r]!] = (memoryAccesses[memory.names[r]!] ?? 0) + n;
      }
    }
    return {
      runs: this.runs, insns: this.insns, localCalls: this.localCalls,
      helperCalls: Object.fromEntries(this.helperCalls), mapAccesses: Object.fromEntries(this.mapAccesses), memoryAccesses,
    };
  }
}
