// `xdplab compare TOPOLOGY --traffic ...`: a topology run through the pipeline, then priced per
// placement from what the run measured. The function is the topology's XDP program (on the NIC,
// in the kernel hook or in a DPDK application): its runs by verdict, executed instructions per
// verdict and the VM's helper and map counters give the verdict groups, as `compare` gets them
// by running a program itself. A vRouter topology (tables on the NIC) has no program: its groups
// are the NIC's outcomes, and the smartnic placement costs host cycles only for the packets its
// tables sent to the host (flow misses, what the NIC cannot do).
import type { CounterSnapshot } from '../vm/index.js';
import { helperName } from '../isa/index.js';
import { cycleBudget, frameTimeNs, lineRateMpps } from './linerate.js';
import { PLACEMENTS, VERDICTS, programFromCounters, type CostInput, type ProgramRun, type StackPath, type Verdict } from './input.js';
import { combine, type Blocked, type Group } from './compare-combine.js';
import { offloadJson, type CompareOptions, type CompareResult } from './compare.js';
import { offeredMpps, parseRate } from './compare-rate.js';
import { openSubject, NO_TABLE_FORM, type Subject } from './compare-subject.js';
import type { ProgramTally, TopologyFacts, TopologyRun } from './compare-topology-types.js';
import { verifierCheck, type OffloadAnswer } from './compare-verify.js';

const STACK: Record<'local' | 'forward' | 'drop', StackPath> = { local: 'local', forward: 'forward', drop: 'raw-drop' };

const NO_PROGRAM = 'the topology runs vRouter tables on the NIC, not an XDP program: there is no program to place here';

/** Price a pipeline run per placement. Throws XdplabError (exit 1) when the verifier rejects its program. */
export function compareTopology(run: TopologyRun, opts: CompareOptions): CompareResult {
  const p = opts.profile;
  const rate = opts.rate ?? parseRate('10G');
  const w = run.wire;
  const meanFrameBytes = w.frames > 0 ? w.bytes / w.frames : 64;
  const offered = offeredMpps(rate, meanFrameBytes);
  const t = run.topology;
  const fallbackPath = t.host?.path === 'dpdk' ? 'dpdk' as const : 'kernel' as const;
  const stack = opts.passTo ?? STACK[t.host?.stack ?? 'local'];
  const notes: string[] = [];
  if (!run.totals.balanced) notes.push('the pipeline run did not account for every packet');

  const main = mainProgram(run.programs);
  let groups: Group[];
  let subject: Subject | undefined;
  let offload: OffloadAnswer | undefined;
  const blocked: Blocked = {};
  let tally: ProgramTally | undefined;
  if (main) {
    tally = main.sum;
    subject = openSubject(tally.rules ?? tally.object!, { prog: tally.prog, setupFile: tally.setup });
    offload = verifierCheck(subject);
    groups = programGroups(tally, subject, offered, stack, meanFrameBytes);
    if (main.others.length) notes.push(`priced: the program at ${main.sum.where}; also in the topology, not priced: ${main.others.join(', ')}`);
    notes.push('helper calls and map operations per packet are run means (the pipeline counts them per program, not per packet); instructions are per verdict');
  } else if (t.nic.tables) {
    groups = tableGroups(run, offered, stack, fallbackPath, meanFrameBytes);
    for (const pl of ['xdp-offload', 'xdp-native', 'xdp-generic'] as const) blocked[pl] = [NO_PROGRAM];
    notes.push('kernel and dpdk price the vRouter\'s work as plain forwarding (tx), drops and local delivery (fallbacks): the vRouter module\'s own table lookups on the host are not modelled');
  } else {
    groups = [{ fraction: 1, input: { program: emptyProgram('pass'), packetBytes: meanFrameBytes, offeredMpps: offered, stackPath: stack } }];
    notes.push('the topology runs no program and no NIC tables: every placement is priced with an empty program');
  }
  if (!t.nic.tables) {
    for (const g of groups) g.input.smartnic = { fallbackFraction: 1, fallbackPath, reasons: [tally?.rules ? `compare the rule set itself (xdplab compare ${tally.rules}) for its SmartNIC table placement` : NO_TABLE_FORM] };
  }
  const placements = PLACEMENTS.map((pl) => combine(p, pl, groups, offered, offload, blocked));
  const lr = lineRateMpps(64, 10);
  const trafficName = run.traffic.replace(/^.*\//, '');
  return {
    subject: {
      kind: 'topology', file: t.file, name: t.file.replace(/^.*\//, ''),
      program: subject ? `${tally!.program}` : t.nic.tables ? 'vRouter tables' : 'none', staticInsns: subject ? programInsns(subject) : 0,
    },
    traffic: { source: run.traffic, name: trafficName, frames: w.frames, meanFrameBytes, sizes: w.sizes },
    profile: { name: p.name, file: p.file, ghz: p.ghz, description: p.description },
    ...(t.nic.tables ? { nic: { name: t.nic.profile ?? opts.nic.name, description: t.nic.profile ? `from ${t.file}` : opts.nic.description } } : {}),
    rate: { text: rate.text, offeredMpps: offered, gbps: rate.kind === 'link' ? rate.gbps : null },
    measured: measured(run, tally),
    placements,
    lineRate: { gbps: 10, frameBytes: 64, mpps: lr, frameNs: frameTimeNs(64, 10), budgetCycles: cycleBudget(lr, p.ghz), ghz: p.ghz },
    ...(offload ? { offload: offloadJson(offload) } : {}),
    topology: facts(run, main?.sum),
    notes,
  };
}

/**
 * Verify the programs a topology names before it runs (exit 1 with the verifier's headline when
 * one is rejected: no placement can load it). `refs` as the topology gives them.
 */
export function verifyTopologyPrograms(refs: readonly ({ object?: string; rules?: string; prog?: string; setup?: string } | undefined)[]): void {
  for (const r of refs) if (r && (r.object || r.rules)) verifierCheck(openSubject((r.rules ?? r.object)!, { prog: r.prog, setupFile: r.setup }));
}

/** The program that saw the most runs, its instances summed (one per host queue). */
function mainProgram(list: readonly ProgramTally[]): { sum: ProgramTally; others: string[] } | undefined {
  if (list.length === 0) return undefined;
  const key = (x: ProgramTally): string => `${x.object ?? x.rules}|${x.program}|${x.mode === 'offload' ? 'nic' : 'host'}`;
  const byKey = new Map<string, ProgramTally[]>();
  for (const x of list) byKey.set(key(x), [...(byKey.get(key(x)) ?? []), x]);
  const runs = (xs: ProgramTally[]): number => xs.reduce((s, x) => s + x.counters.runs, 0);
  const ranked = [...byKey.values()].sort((a, b) => runs(b) - runs(a));
  const sum = ranked[0]!.reduce(add);
  if (ranked[0]!.length > 1) sum.where = ranked[0]!.map((x) => x.where).join(', ');
  return { sum, others: ranked.slice(1).map((xs) => `${xs[0]!.program} at ${xs.map((x) => x.where).join(', ')}`) };
}

function add(a: ProgramTally, b: ProgramTally): ProgramTally {
  const rec = <K extends string | number>(x: Record<K, number>, y: Record<K, number>): Record<K, number> => {
    const out = { ...x };
    for (const [k, v] of Object.entries(y) as [K, number][]) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  const hist = new Map<number, number>(a.insnsHistogram);
  for (const [k, n] of b.insnsHistogram) hist.set(k, (hist.get(k) ?? 0) + n);
  const c: CounterSnapshot = {
    runs: a.counters.runs + b.counters.runs, insns: a.counters.insns + b.counters.insns, localCalls: a.counters.localCalls + b.counters.localCalls,
    helperCalls: rec(a.counters.helperCalls, b.counters.helperCalls), mapAccesses: rec(a.counters.mapAccesses, b.counters.mapAccesses),
    memoryAccesses: rec(a.counters.memoryAccesses, b.counters.memoryAccesses),
  };
  return {
    ...a, verdicts: a.verdicts.map((v, i) => v + (b.verdicts[i] ?? 0)), insnsByVerdict: a.insnsByVerdict.map((v, i) => v + (b.insnsByVerdict[i] ?? 0)),
    insnsHistogram: [...hist].sort((x, y) => x[0] - y[0]), counters: c,
  };
}

/** One group per XDP verdict: its runs and instructions, helper and map work at the run's mean. */
function programGroups(tally: ProgramTally, s: Subject, offered: number, stack: StackPath, packetBytes: number): Group[] {
  const total = Math.max(1, tally.counters.runs);
  const scale = (r: Record<string | number, number>, f: number): Record<string, number> => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v * f]));
  const out: Group[] = [];
  tally.verdicts.forEach((runs, v) => {
    if (runs <= 0) return;
    const f = runs / total;
    const c = tally.counters;
    const snap: CounterSnapshot = {
      runs, insns: tally.insnsByVerdict[v]!, localCalls: c.localCalls * f,
      helperCalls: scale(c.helperCalls, f), mapAccesses: scale(c.mapAccesses, f), memoryAccesses: scale(c.memoryAccesses, f),
    };
    const program = programFromCounters(snap, s.object.maps, v);
    const input: CostInput = { program, packetBytes, offeredMpps: offered, ...(program.verdict === 'pass' ? { stackPath: stack } : {}) };
    out.push({ fraction: f, input });
  });
  return out;
}

function emptyProgram(verdict: Verdict): ProgramRun {
  return { insns: 0, helperCalls: {}, maps: [], packetRead: false, verdict };
}

/** vRouter tables on the NIC: forwarded (and held), dropped, and sent to the host. */
function tableGroups(run: TopologyRun, offered: number, stack: StackPath, fallbackPath: 'kernel' | 'dpdk', packetBytes: number): Group[] {
  const nic = run.paths['nic'];
  const n = Math.max(1, nic?.in ?? 0);
  const share: [Verdict, number, number][] = [
    ['tx', (nic?.tx ?? 0) + (nic?.redirected ?? 0) + (nic?.queued ?? 0), 0],
    ['drop', nic?.dropped ?? 0, 0],
    ['pass', nic?.passed ?? 0, 1],
  ];
  return share.filter(([, k]) => k > 0).map(([verdict, k, fb]) => ({
    fraction: k / n,
    input: {
      program: emptyProgram(verdict), packetBytes, offeredMpps: offered,
      stackPath: verdict === 'tx' ? 'forward' : verdict === 'drop' ? 'raw-drop' : stack,
      smartnic: { fallbackFraction: fb, fallbackPath, reasons: [] },
    },
  }));
}

function programInsns(s: Subject): number {
  return (s.prog ? s.object.programs.find((p) => p.name === s.prog || p.section === s.prog) : s.object.programs[0])?.insns.length ?? 0;
}

function measured(run: TopologyRun, tally: ProgramTally | undefined): CompareResult['measured'] {
  const runs = tally?.counters.runs ?? 0;
  const verdicts: Record<string, number> = {};
  const helpers: Record<string, number> = {};
  const maps: Record<string, number> = {};
  let calls = 0, ops = 0;
  if (tally) {
    tally.verdicts.forEach((k, v) => { if (k > 0) verdicts[VERDICTS[v]!] = k; });
    for (const [id, k] of Object.entries(tally.counters.helperCalls)) { helpers[helperName(Number(id))] = k / Math.max(1, runs); calls += k; }
    for (const [name, k] of Object.entries(tally.counters.mapAccesses)) { maps[name] = k / Math.max(1, runs); ops += k; }
  }
  const h = tally?.insnsHistogram ?? [];
  const flat = (mean: number) => ({ mean, min: mean, p50: mean, p90: mean, p99: mean, max: mean });
  return {
    packets: runs, skipped: 0, verdicts,
    insns: fromHistogram(h), insnsHistogram: h,
    helperCalls: flat(calls / Math.max(1, runs)), mapAccesses: flat(ops / Math.max(1, runs)), helpers, maps,
  };
}

/** Mean and nearest-rank quantiles from [value, count] pairs. */
function fromHistogram(h: readonly [number, number][]): CompareResult['measured']['insns'] {
  const n = h.reduce((s, [, k]) => s + k, 0);
  if (n === 0) return { mean: 0, min: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const q = (p: number): number => {
    const rank = Math.min(n, Math.max(1, Math.ceil(p * n)));
    let seen = 0;
    for (const [v, k] of h) { seen += k; if (seen >= rank) return v; }
    return h[h.length - 1]![0];
  };
  return { mean: h.reduce((s, [v, k]) => s + v * k, 0) / n, min: h[0]![0], p50: q(0.5), p90: q(0.9), p99: q(0.99), max: h[h.length - 1]![0] };
}

function facts(run: TopologyRun, main: ProgramTally | undefined): TopologyFacts {
  const t = run.topology;
  const nic = run.paths['nic'];
  const fn = t.nic.tables ? 'tables' : t.nic.offload ? 'offload' : main ? main.mode : t.host?.path ?? 'kernel';
  return {
    file: t.file, name: t.name, description: t.description, function: fn, totals: run.totals, paths: run.paths,
    programs: run.programs.map((x) => ({
      where: x.where, mode: x.mode, file: x.rules ?? x.object ?? '', program: x.program, runs: x.counters.runs,
      verdicts: Object.fromEntries(x.verdicts.map((k, v) => [VERDICTS[v]!, k] as [string, number]).filter(([, k]) => k > 0)),
    })),
    ...(t.nic.tables && nic ? {
      nic: { in: nic.in, handled: nic.in - nic.passed, fallback: nic.passed, fallbackFraction: nic.passed / Math.max(1, nic.in), reasons: run.fallbacks },
    } : {}),
    virtualNs: run.virtualNs,
  };
}
