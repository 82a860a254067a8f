// `xdplab compare`: a program or a rule set run over traffic in the VM, its measured per-packet
// work priced for every placement by the cost model. The traffic is split by XDP verdict
// (each verdict takes its own path through the host); every placement's figures are the
// traffic-weighted mix of its verdict groups, and Mpps per core comes from the mixed
// saturation cycles, so a 90% drop / 10% pass filter is priced as such. The verifier checks the
// program first: a rejected program is an error (exit 1), and its offload reasons price
// xdp-offload (compare-verify). Topologies are priced from a pipeline run (compare-topology).
import { PLACEMENTS, programFromCounters, type StackPath } from './input.js';
import type { PlacementCost } from './model.js';
import { cycleBudget, frameTimeNs, lineRateMpps } from './linerate.js';
import type { CostProfile } from './profile.js';
import { combine, coresFor, histogram, type Group, type PlacementResult } from './compare-combine.js';
import { distribution, measure, type Distribution, type Measurement } from './compare-measure.js';
import { offeredMpps, parseRate, type Rate } from './compare-rate.js';
import { planSmartnic, type SmartnicPlan } from './compare-smartnic.js';
import { NO_TABLE_FORM, subjectRuntime, type Subject, type SubjectKind } from './compare-subject.js';
import type { TopologyFacts } from './compare-topology-types.js';
import type { Traffic } from './compare-traffic.js';
import { verifierCheck, type OffloadAnswer } from './compare-verify.js';
import { helperName } from '../isa/index.js';
import type { Tier } from '../vm/index.js';
import type { NicProfile } from '../smartnic/index.js';
import type { OffloadReason } from '../verifier/index.js';

export { coresFor, type PlacementResult };

export interface CompareResult {
  subject: { kind: SubjectKind | 'topology'; file: string; name: string; program: string; staticInsns: number };
  traffic: { source: string; name: string; frames: number; meanFrameBytes: number; sizes: { bytes: number; count: number }[] };
  profile: { name: string; file: string; ghz: number; description: string };
  nic?: { name: string; description: string };
  rate: { text: string; offeredMpps: number; gbps: number | null };
  measured: {
    packets: number;
    skipped: number;
    verdicts: Record<string, number>;
    insns: Distribution;
    helperCalls: Distribution;
    mapAccesses: Distribution;
    /** [instructions, packets] pairs, fewest instructions first. */
    insnsHistogram: [number, number][];
    /** Mean calls per packet by helper name, and operations per packet by map name. */
    helpers: Record<string, number>;
    maps: Record<string, number>;
  };
  placements: PlacementResult[];
  /** The 64-byte line-rate reference at 10 GbE, priced at the profile's clock. */
  lineRate: { gbps: number; frameBytes: number; mpps: number; frameNs: number; budgetCycles: number; ghz: number };
  smartnic?: SmartnicPlan['entries'];
  /** Who said whether the program can be offloaded, and the verifier's reasons (pc, map, text, severity). */
  offload?: { checkedBy: 'verifier' | 'cost model'; reasons: OffloadReason[]; note?: string };
  /** A topology comparison: what the pipeline run measured (per-path counts, programs, NIC tables). */
  topology?: TopologyFacts;
  notes: string[];
}

export interface CompareOptions {
  profile: CostProfile;
  /** NIC profile for the smartnic placement of rule sets. */
  nic: NicProfile;
  /** Offered rate (default 10G line rate for the traffic's size mix). */
  rate?: Rate;
  progress?: (done: number, total: number) => void;
  /** Where passed packets go in the Linux stack (default: the cost model's, delivery to a local socket). */
  passTo?: StackPath;
  /** Execution tier the program is measured in (default compiled; counts are the same in both). */
  tier?: Tier;
}

export function compare(subject: Subject, traffic: Traffic, opts: CompareOptions): CompareResult {
  const p = opts.profile;
  const rate = opts.rate ?? parseRate('10G');
  const offered = offeredMpps(rate, traffic.meanFrameBytes);
  const offload = verifierCheck(subject);
  const rt = subjectRuntime(subject, { tier: opts.tier, provenSafe: offload.provenSafe });
  const m = measure(rt, traffic.frames, opts.progress);
  const notes: string[] = [];
  if (m.skipped > 0) notes.push(`${m.skipped} frames longer than 3520 bytes were not run (the test run's limit)`);
  if (m.packets === 0) notes.push('no frame could be run');
  const plan = subject.kind === 'rules' && subject.rules ? planSmartnic(subject.rules, traffic.frames, opts.nic) : undefined;
  if (plan) notes.push(...plan.notes);

  const groups: Group[] = m.groups.map((g) => {
    const program = programFromCounters(g.counters, subject.object.maps, g.retval);
    const fb = plan ? g.frames.reduce((s, i) => s + plan.fallback[i]!, 0) / g.frames.length : 0;
    const smartnic = plan
      ? { fallbackFraction: fb, fallbackPath: 'kernel' as const, reasons: plan.reasons }
      : { fallbackFraction: 1, fallbackPath: 'kernel' as const, reasons: [NO_TABLE_FORM] };
    const stackPath = g.verdict === 'pass' ? opts.passTo : undefined;
    return { fraction: g.frames.length / Math.max(1, m.packets), input: { program, packetBytes: g.meanWireBytes, offeredMpps: offered, smartnic, ...(stackPath ? { stackPath } : {}) } };
  });
  const placements = PLACEMENTS.map((pl) => combine(p, pl, groups, offered, offload));

  const helpers: Record<string, number> = {};
  const maps: Record<string, number> = {};
  const verdicts: Record<string, number> = {};
  for (const g of m.groups) {
    verdicts[g.verdict] = (verdicts[g.verdict] ?? 0) + g.frames.length;
    for (const [id, n] of Object.entries(g.counters.helperCalls)) helpers[helperName(Number(id))] = (helpers[helperName(Number(id))] ?? 0) + n / Math.max(1, m.packets);
    for (const [name, n] of Object.entries(g.counters.mapAccesses)) maps[name] = (maps[name] ?? 0) + n / Math.max(1, m.packets);
  }
  const lr = lineRateMpps(64, 10);
  return {
    subject: { kind: subject.kind, file: subject.file, name: subject.name, program: rt.program.name, staticInsns: rt.program.insns.length },
    traffic: { source: traffic.source, name: traffic.name, frames: traffic.frames.length, meanFrameBytes: traffic.meanFrameBytes, sizes: traffic.sizes },
    profile: { name: p.name, file: p.file, ghz: p.ghz, description: p.description },
    ...(subject.kind === 'rules' ? { nic: { name: opts.nic.name, description: opts.nic.description } } : {}),
    rate: { text: rate.text, offeredMpps: offered, gbps: rate.kind === 'link' ? rate.gbps : null },
    measured: summary(m, verdicts, helpers, maps),
    placements,
    lineRate: { gbps: 10, frameBytes: 64, mpps: lr, frameNs: frameTimeNs(64, 10), budgetCycles: cycleBudget(lr, p.ghz), ghz: p.ghz },
    ...(plan ? { smartnic: plan.entries } : {}),
    offload: offloadJson(offload),
    notes,
  };
}

export function offloadJson(o: OffloadAnswer): NonNullable<CompareResult['offload']> {
  return { checkedBy: o.source, reasons: o.raw, ...(o.note ? { note: o.note } : {}) };
}

function summary(m: Measurement, verdicts: Record<string, number>, helpers: Record<string, number>, maps: Record<string, number>): CompareResult['measured'] {
  return {
    packets: m.packets, skipped: m.skipped, verdicts,
    insns: distribution(m.insns), insnsHistogram: histogram(m.insns), helperCalls: distribution(m.helperCalls), mapAccesses: distribution(m.mapAccesses), helpers, maps,
  };
}

/** Cores needed per placement as the offered link rate goes from 0 to `maxGbps` (for the chart). */
export function coresCurve(r: CompareResult, maxGbps = 100, step = 1): { gbps: number[]; cores: Record<string, number[]> } {
  const gbps: number[] = [];
  for (let g = 0; g <= maxGbps + 1e-9; g += step) gbps.push(+g.toFixed(6));
  const cores: Record<string, number[]> = {};
  for (const pl of r.placements) {
    cores[pl.name] = gbps.map((g) => (pl.offloadable ? coresFor(offeredMpps({ kind: 'link', gbps: g, text: '' }, r.traffic.meanFrameBytes), pl.mppsPerCore) : NaN));
  }
  return { gbps, cores };
}

export type { PlacementCost };
