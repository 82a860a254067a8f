// What `xdplab compare TOPOLOGY` is given by a pipeline run (src/pipeline measureTopology) and
// what it reports back about it. Plain data: program tallies cross worker threads as JSON.
import type { CounterSnapshot } from '../vm/index.js';

/** What the VM measured for one program instance of a pipeline run. */
export interface ProgramTally {
  /** Where it ran: 'nic' (offloaded) or a host queue ('host q0'). */
  where: string;
  mode: 'offload' | 'native' | 'generic' | 'dpdk';
  object?: string;
  rules?: string;
  prog?: string;
  setup?: string;
  /** The program's name in the object. */
  program: string;
  /** Runs by XDP action (index XDP_ABORTED=0 .. XDP_REDIRECT=4). */
  verdicts: number[];
  /** Executed instructions by XDP action. */
  insnsByVerdict: number[];
  /** [instructions, runs] pairs, fewest instructions first. */
  insnsHistogram: [number, number][];
  /** The VM's counters over all runs (helper calls, map operations, memory accesses). */
  counters: CounterSnapshot;
}

/** Packets of one pipeline path and where they ended. */
export interface PathCounts {
  in: number;
  tx: number;
  redirected: number;
  delivered: number;
  dropped: number;
  queued: number;
  /** Handed on to the next path (NIC to host). */
  passed: number;
  drops: Record<string, number>;
}

/** A topology run on traffic, as the cost model needs it. */
export interface TopologyRun {
  topology: {
    file: string;
    name: string;
    description: string;
    /** Host cost profile the topology names. */
    costProfile: string;
    nic: { profile?: string; tables?: string; offload: boolean };
    host?: { path: 'kernel' | 'dpdk'; queues: number; stack: 'local' | 'forward' | 'drop' };
  };
  traffic: string;
  totals: { in: number; tx: number; redirected: number; delivered: number; dropped: number; queued: number; balanced: boolean };
  paths: Record<string, PathCounts>;
  programs: ProgramTally[];
  /** Packets the NIC tables sent to the host, by reason. */
  fallbacks: Record<string, number>;
  wire: { frames: number; bytes: number; sizes: { bytes: number; count: number }[] };
  virtualNs: number;
}

/** What a topology comparison reports about the run (CompareResult.topology). */
export interface TopologyFacts {
  file: string;
  name: string;
  description: string;
  /** 'tables' (vRouter on the NIC), 'offload' (XDP on the NIC), 'native'/'generic' (kernel XDP), 'dpdk', 'kernel'. */
  function: string;
  totals: TopologyRun['totals'];
  paths: Record<string, PathCounts>;
  /** Program instances and their runs by verdict. */
  programs: { where: string; mode: ProgramTally['mode']; file: string; program: string; runs: number; verdicts: Record<string, number> }[];
  /** NIC tables: packets handled on the NIC, sent to the host (fallbacks) and why. */
  nic?: { in: number; handled: number; fallback: number; fallbackFraction: number; reasons: Record<string, number> };
  virtualNs: number;
}
