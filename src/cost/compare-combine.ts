// One placement over a traffic's verdict groups: traffic-weighted cycles and breakdown, the mixed
// saturation rate, and why the placement is impossible. Shared by the program and the topology
// comparisons. The xdp-offload reasons come from the verifier where it answered (compare-verify).
import { estimate } from './model.js';
import { mppsPerCore } from './linerate.js';
import type { CostInput, Placement } from './input.js';
import type { CostProfile } from './profile.js';
import type { OffloadAnswer } from './compare-verify.js';

export interface PlacementResult {
  name: Placement;
  /** Host cycles per packet at the offered rate, traffic-weighted over the verdicts. */
  hostCyclesPerPacket: number;
  /** Packets per second one host core sustains (Mpps); null where the host does no work. */
  mppsPerCore: number | null;
  /** Whole host cores for the offered rate. */
  coresNeeded: number;
  /** Mean latency estimate (ns) of the packets that reach the host; null when none do. */
  latencyNs: number | null;
  /** Whether the program can run at this placement; `reasons` say why not. */
  offloadable: boolean;
  reasons: string[];
  breakdown: { part: string; cycles: number }[];
  notes: string[];
}

/** A share of the traffic that takes one path (one XDP verdict, or one NIC outcome). */
export interface Group { fraction: number; input: CostInput }

/** Reasons a placement is impossible whatever the cost model says (e.g. no program to put there). */
export type Blocked = Partial<Record<Placement, string[]>>;

export function combine(p: CostProfile, placement: Placement, groups: readonly Group[], offered: number, offload?: OffloadAnswer, blocked: Blocked = {}): PlacementResult {
  let cycles = 0, sat = 0, latW = 0, lat = 0;
  const parts = new Map<string, number>();
  const reasons: string[] = [...(blocked[placement] ?? [])];
  const notes: string[] = [];
  const fromVerifier = placement === 'xdp-offload' && offload?.source === 'verifier';
  for (const g of groups) {
    const at = estimate(p, g.input, [placement]).placements[0]!;
    const free = estimate(p, { ...g.input, offeredMpps: undefined }, [placement]).placements[0]!;
    cycles += g.fraction * at.cycles;
    sat += g.fraction * free.cycles;
    for (const b of at.breakdown) parts.set(b.part, (parts.get(b.part) ?? 0) + g.fraction * b.cycles);
    if (at.latencyNs !== null) { lat += g.fraction * at.latencyNs; latW += g.fraction; }
    if (!fromVerifier) addAll(reasons, at.reasons);
    addAll(notes, at.notes.filter((n) => !n.startsWith('host cycles only for the')));
  }
  if (fromVerifier) {
    addAll(reasons, offload!.reasons);
    addAll(notes, offload!.changes.map((c) => `the verifier notes: ${c}`));
  } else if (placement === 'xdp-offload' && offload?.note) addAll(notes, [offload.note]);
  if (placement === 'smartnic' && reasons.length === 0 && groups.some((g) => g.input.smartnic)) {
    const fb = groups.reduce((s, x) => s + x.fraction * (x.input.smartnic?.fallbackFraction ?? 0), 0);
    const path = groups.find((g) => g.input.smartnic)?.input.smartnic?.fallbackPath ?? 'kernel';
    notes.push(`host cycles only for the ${(100 * fb).toFixed(1)}% of packets that fall back to the host (${path} path)`);
  }
  const mpps = sat > 0 ? Math.min(mppsPerCore(sat, p.ghz), p.get('pcie.maxRate') / 1e6) : Infinity;
  return {
    name: placement,
    hostCyclesPerPacket: cycles,
    mppsPerCore: Number.isFinite(mpps) ? mpps : null,
    coresNeeded: coresFor(offered, mpps),
    latencyNs: latW > 0 ? lat / latW : null,
    offloadable: reasons.length === 0,
    reasons,
    breakdown: [...parts].map(([part, c]) => ({ part, cycles: c })).filter((b) => b.cycles > 0),
    notes,
  };
}

/** Whole cores to carry `offeredMpps` at `mpps` per core (0 when the host does no work). */
export function coresFor(offered: number, mpps: number | null): number {
  if (mpps === null || !Number.isFinite(mpps) || offered <= 0) return 0;
  return Math.ceil(offered / mpps - 1e-9);
}

function addAll(into: string[], from: readonly string[]): void {
  for (const x of from) if (!into.includes(x)) into.push(x);
}

/** [value, count] pairs, smallest value first. */
export function histogram(values: ArrayLike<number>): [number, number][] {
  const counts = new Map<number, number>();
  for (let i = 0; i < values.length; i++) counts.set(values[i]!, (counts.get(values[i]!) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0] - b[0]);
}
