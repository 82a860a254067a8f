// What the cost model is given: per-packet measurements of one program run by the VM (executed
// instructions, helper calls by id, map operations priced by structure), its verdict, and the
// traffic and host facts the placements need.
import type { CounterSnapshot } from '../vm/index.js';
import type { MapSpec } from '../elf/index.js';
import { mapUseFromSpec, type MapUse } from './maps.js';

export const PLACEMENTS = ['smartnic', 'xdp-offload', 'xdp-native', 'xdp-generic', 'dpdk', 'kernel'] as const;
export type Placement = typeof PLACEMENTS[number];

/** XDP actions (XDP_ABORTED=0 … XDP_REDIRECT=4); other return values act as aborted. */
export type Verdict = 'aborted' | 'drop' | 'pass' | 'tx' | 'redirect';
export const VERDICTS: readonly Verdict[] = ['aborted', 'drop', 'pass', 'tx', 'redirect'];

export function verdictOf(retval: number): Verdict {
  return VERDICTS[retval] ?? 'aborted';
}

/** What the kernel stack does with a packet: drop early (raw table), drop after conntrack, route and forward, or deliver to a local socket. */
export type StackPath = 'raw-drop' | 'conntrack-drop' | 'forward' | 'local';

export interface ProgramRun {
  /** Executed instructions per packet. */
  insns: number;
  /** Helper calls per packet by helper id. */
  helperCalls: Record<number, number>;
  /** Map operations per packet, with the structure behind each map. */
  maps: MapUse[];
  /** The program reads packet data (not only data/data_end). */
  packetRead: boolean;
  verdict: Verdict;
}

export interface CostInput {
  program: ProgramRun;
  /** Frame size in bytes (default 64). */
  packetBytes?: number;
  /** Offered load in Mpps (default: the path's saturation, for amortisation; no cores figure). */
  offeredMpps?: number;
  /** What the Linux stack does when the function is done there or after XDP_PASS. */
  stackPath?: StackPath;
  /** Routes in the kernel FIB (Linux routing and bpf_fib_lookup); default 1. */
  fibRoutes?: number;
  /** Hot bytes of the FIB (traffic locality); default the whole trie. */
  fibHotBytes?: number;
  /** recvmmsg batch for local delivery (1 = recvmsg per packet). */
  recvBatch?: number;
  /** Reasons the program cannot be offloaded (from `verify --target hw`). */
  offloadReasons?: string[];
  /** SmartNIC placement: share of packets that fall back to the host and where they go. */
  smartnic?: { fallbackFraction: number; fallbackPath: 'kernel' | 'dpdk'; reasons?: string[] };
}

/**
 * Per-packet ProgramRun from the VM's counters over `snapshot.runs` packets.
 * `maps` describes the object's maps (from the ELF); `extra` adds locality per map name.
 */
export function programFromCounters(
  snapshot: CounterSnapshot, maps: readonly MapSpec[], retval: number, extra: Record<string, Partial<MapUse>> = {},
): ProgramRun {
  const runs = Math.max(1, snapshot.runs);
  const helperCalls: Record<number, number> = {};
  for (const [id, n] of Object.entries(snapshot.helperCalls)) helperCalls[Number(id)] = n / runs;
  const uses: MapUse[] = [];
  for (const spec of maps) {
    const n = snapshot.mapAccesses[spec.name] ?? 0;
    if (n > 0) uses.push(mapUseFromSpec(spec, n / runs, extra[spec.name]));
  }
  return {
    insns: snapshot.insns / runs,
    helperCalls,
    maps: uses,
    packetRead: (snapshot.memoryAccesses['packet'] ?? 0) > 0,
    verdict: verdictOf(retval),
  };
}
