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

/** Helper ids below this are counted in a typed array (the kernel's ids are far below it). */
export const FAST_IDS = 1024;

export class Counters {
  // runs, insns and localCalls live in a Float64Array: as plain fields they would start as
  // small integers and change representation past 2^31 (a busy benchmark gets there in
  // seconds), which makes V8 throw away the code that uses this object, again and again.
  private readonly totals = new Float64Array(3);
  get runs(): number { return this.totals[0]!; }
  set runs(v: number) { this.totals[0] = v; }
  get insns(): number { return this.totals[1]!; }
  set insns(v: number) { this.totals[1] = v; }
  get localCalls(): number { return this.totals[2]!; }
  set localCalls(v: number) { this.totals[2] = v; }
  /** Helper calls by id (ids below FAST_IDS; others in `otherHelpers`). */
  readonly helperById = new Float64Array(FAST_IDS);
  private readonly otherHelpers = new Map<number, number>();
  /** Map operations by slot (see mapSlot); names in `mapNames`. */
  mapCounts = new Float64Array(64);
  private readonly mapNames: string[] = [];
  private readonly mapIndex = new Map<string, number>();

  helper(id: number): void {
    if (id >= 0 && id < FAST_IDS) this.helperById[id]++;
    else this.otherHelpers.set(id, (this.otherHelpers.get(id) ?? 0) + 1);
  }

  /** The slot of a map name in `mapCounts` (hot paths resolve it once, then count by slot). */
  mapSlot(map: string): number {
    let i = this.mapIndex.get(map);
    if (i === undefined) {
      i = this.mapNames.length;
      this.mapNames.push(map);
      this.mapIndex.set(map, i);
      if (i >= this.mapCounts.length) { const g = new Float64Array(this.mapCounts.length * 2); g.set(this.mapCounts); this.mapCounts = g; }
    }
    return i;
  }

  /** Called by map helpers (lookup, update, delete, ...) with the map's name. */
  mapAccess(map: string, n = 1): void {
    this.mapCounts[this.mapSlot(map)] += n;
  }

  reset(memory?: Memory): void {
    this.totals.fill(0);
    this.helperById.fill(0); this.otherHelpers.clear(); this.mapCounts.fill(0);
    memory?.resetCounts();
  }

  /** Helper calls by id (ids with at least one call). */
  get helperCalls(): Map<number, number> {
    const out = new Map<number, number>();
    for (let id = 0; id < FAST_IDS; id++) if (this.helperById[id]! > 0) out.set(id, this.helperById[id]!);
    for (const [id, n] of this.otherHelpers) out.set(id, n);
    return out;
  }

  /** Map operations by map name (maps with at least one). */
  get mapAccesses(): Map<string, number> {
    const out = new Map<string, number>();
    this.mapNames.forEach((name, i) => { if (this.mapCounts[i]! > 0) out.set(name, this.mapCounts[i]!); });
    return out;
  }

  /** Plain data (JSON-ready); memory accesses come from the Memory given. */
  snapshot(memory?: Memory): CounterSnapshot {
    const memoryAccesses: Record<string, number> = {};
    if (memory) {
      memory.flush(); // the interpreter's cache hits not yet counted
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
