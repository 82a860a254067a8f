// Building and running a pipeline: source -> [NIC: vRouter tables | offloaded XDP] -> [host
// path: RSS over kernel CPUs or DPDK lcores] with sinks (pcap per port, counters), then the
// summary. Virtual time drives everything; wall-clock speed is measured separately.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, type Observable, type OperatorFunction, defaultIfEmpty, tap } from 'rxjs';
import { fail } from '../diag/index.js';
import { loadTraffic, profilesDir, readCostProfile, type ProgramTally } from '../cost/index.js';
import { Mempool, parsePackets } from '../packet/index.js';
import { SmartNic, defaultProfile, loadProfile, parseSetup } from '../smartnic/index.js';
import { DEFAULT_BURST, type Burst } from './burst.js';
import { RunContext } from './context.js';
import type { LaneReport } from './laneset.js';
import { totals, type PathSummary, type Totals } from './ledger.js';
import { XdpProgram } from './program.js';
import { Rss } from './rss.js';
import { LocalRunner } from './runner.js';
import { generatorSource, pcapSource } from './sources.js';
import { hostStage } from './stage-host.js';
import { smartnicStage } from './stage-tables.js';
import { offloadStage } from './stage-offload.js';
import { plainNicStage } from './stage-nic.js';
import { loadTopology, type Topology } from './topology.js';
import { loadTrafficProfile, type TrafficProfile } from './traffic.js';
import { WorkerRunner } from './workers.js';
import type { Tier } from '../vm/index.js';

export interface RunOptions {
  /** A pcap/pcapng file, a traffic profile (.yaml) or packet notation lines (.pkt/.txt). */
  traffic: string;
  /** Write one pcap per port here. */
  out?: string;
  /** Stop after this many packets (profiles: instead of their own count). */
  packets?: number;
  seed?: number;
  /** Lanes on this many worker threads (0 or 1: in this thread). */
  workers?: number;
  burst?: number;
  /** Ingress port (name or index) for pcap and notation input; default the first port. */
  port?: string;
  /** Virtual time the host runs after the last arrival, ns (default 1 ms). */
  drainNs?: number;
  /** Called after each burst with the packets in so far. */
  progress?: (packets: number) => void;
  /** Execution tier of the XDP programs (default: compiled, after verification). */
  tier?: Tier;
}

export interface Summary extends Totals {
  topology: string;
  traffic: string;
  /** Every packet accounted for (in = tx + redirected + delivered + dropped + queued, per path too). */
  balanced: boolean;
  paths: Record<string, PathSummary>;
  drops: Record<string, number>;
  ports: Record<string, { tx: number; pcap?: string }>;
  virtualNs: number;
  lanes: LaneReport[];
  wall: { seconds: number; packetsPerSecond: number };
  /** What the VM measured per program instance (the NIC's, then each host queue's). */
  programs: ProgramTally[];
  /** Packets the NIC's tables sent to the host, by reason. */
  fallbacks: Record<string, number>;
  /** Frames in: bytes on the wire with FCS (at least 64 each), and how many of each size. */
  wire: { frames: number; bytes: number; sizes: { bytes: number; count: number }[] };
}

/** Run a topology (file path or parsed) on traffic. */
export async function runPipeline(topology: string | Topology, opts: RunOptions): Promise<Summary> {
  const parsed = typeof topology === 'string' ? loadTopology(topology) : topology;
  const topo: Topology = { ...parsed, tier: opts.tier ?? parsed.tier };
  const cost = readCostProfile(topo.costProfile);
  if (opts.out && !existsSync(opts.out)) mkdirSync(opts.out, { recursive: true });
  const run = new RunContext(topo, cost, opts.out);
  const burst = opts.burst ?? DEFAULT_BURST;
  const pool = new Mempool(4 * burst);
  const ifindex = (i: number): number => topo.ports.find((p) => p.ifindex === i)?.index ?? -1;
  const hasHost = topo.host !== undefined;
  const stages: OperatorFunction<Burst, Burst>[] = [];
  run.ledger.path('nic'); // first in the tables; empty when the NIC runs nothing
  if (topo.nic.tables) stages.push(smartnicStage(buildNic(topo), run, hasHost));
  const nicProgram = topo.nic.xdp ? new XdpProgram(topo.nic.xdp, cost, ifindex, topo.tier) : undefined;
  if (nicProgram) stages.push(offloadStage(nicProgram, run, hasHost));
  if (stages.length === 0) stages.push(plainNicStage(run));
  let reports: LaneReport[] = [];
  if (topo.host) {
    const h = topo.host;
    const workers = Math.min(opts.workers ?? 0, h.queues);
    if (workers > 1 && typeof topology !== 'string') fail('usage', 'worker threads need the topology as a file');
    const capture = opts.out !== undefined;
    stages.push(hostStage(run, {
      rss: new Rss(h.queues, h.rss), drainNs: opts.drainNs ?? 1e6, reports: (r) => { reports = r; },
      runner: () => (workers > 1 ? new WorkerRunner(topology as string, topo, h.queues, workers, capture) : new LocalRunner(topo, h.queues, capture)),
    }));
  } else if (!topo.nic.tables && !topo.nic.xdp) {
    fail('semantic', `${topo.file}: the topology has neither a NIC program nor a host path; nothing would handle the packets`);
  }
  const source = makeSource(topo, opts, pool, run);
  let seen = 0;
  const counted = source.pipe(tap((b: Burst) => {
    run.ledger.in += b.n;
    seen += b.n;
    const w = run.wire;
    for (let i = 0; i < b.n; i++) {
      const bytes = Math.max(64, b.pool.dataLen[b.handles[i]!]! + 4);
      w.frames++; w.bytes += bytes;
      w.sizes.set(bytes, (w.sizes.get(bytes) ?? 0) + 1);
    }
    if (b.n > 0) run.lastNs = b.time[b.n - 1]!;
    opts.progress?.(seen);
  }));
  const t0 = performance.now();
  let o: Observable<Burst> = counted;
  for (const s of stages) o = o.pipe(s);
  try {
    await lastValueFrom(o.pipe(defaultIfEmpty(null as unknown as Burst)));
  } finally {
    run.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  // Frames still in the NIC's source pool would be a stage bug: every stage frees or passes on.
  if (pool.available !== pool.capacity) throw new Error(`pipeline: ${pool.capacity - pool.available} mbufs leaked by a stage`);
  const s = summarize(topo, opts, run, reports, seconds);
  if (nicProgram) s.programs.unshift(nicProgram.tally('nic', 'offload'));
  return s;
}

function buildNic(topo: Topology): SmartNic {
  const name = topo.nic.profile;
  let profile = defaultProfile();
  if (name) {
    const file = name.endsWith('.json') ? name : join(profilesDir(), `nic-${name}.json`);
    let text: string;
    try { text = readFileSync(file, 'utf8'); } catch { return fail('io', `${topo.file}: cannot read NIC profile ${file}`); }
    profile = loadProfile(JSON.parse(text), file);
  }
  const nic = new SmartNic(profile);
  const tables = topo.nic.tables!;
  let text: string;
  try { text = readFileSync(tables, 'utf8'); } catch { return fail('io', `${topo.file}: cannot read tables ${tables}`); }
  nic.apply(parseSetup(text, tables));
  return nic;
}

function portIndex(topo: Topology, name: string | undefined): number {
  if (name === undefined) return topo.ports[0]!.index;
  const p = topo.ports.find((q) => q.name === name || String(q.index) === name);
  return p ? p.index : fail('usage', `--port ${name}: the topology's ports are ${topo.ports.map((q) => q.name).join(', ')}`);
}

function makeSource(topo: Topology, opts: RunOptions, pool: Mempool, run: RunContext): Observable<Burst> {
  const t = opts.traffic;
  const base = { pool, burst: opts.burst, limit: opts.packets, reject: () => { run.ledger.in++; run.ledger.path('nic').in++; run.ledger.path('nic').drop('frame size'); } };
  const link = (port: number): number => topo.ports.find((p) => p.index === port)?.linkGbps ?? 10;
  if (/\.(pcap|pcapng|cap)$/i.test(t)) {
    // The pcapng interface names the ingress port when the topology has a port of that index.
    const first = topo.ports[0]!.index;
    const byIface = (i: number): number => (topo.ports.some((p) => p.index === i) ? i : first);
    return pcapSource(t, { ...base, port: opts.port === undefined ? byIface : portIndex(topo, opts.port) });
  }
  let profile: TrafficProfile;
  if (/\.ya?ml$/i.test(t) && isFlowProfile(t)) {
    // programs/traffic/profiles/*.yaml (the `compare` format: notation flows, sizes, seed): its
    // frames, replayed in turn at line rate.
    const tr = loadTraffic(t);
    const frames = tr.frames.map((f) => f.data);
    profile = { file: t, description: tr.description, rate: { kind: 'percent', value: 100 }, packets: frames.length, sizes: [64], sizeCum: [1], cycle: false, streams: [], notation: { frames, port: portIndex(topo, opts.port) } };
  } else if (/\.ya?ml$/i.test(t)) profile = loadTrafficProfile(t);
  else if (/\.(pkt|txt)$/i.test(t)) {
    let text: string;
    try { text = readFileSync(t, 'utf8'); } catch (e) { return fail('io', `cannot read ${t}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
    const frames = parsePackets(text, t);
    profile = { file: t, description: '', rate: { kind: 'percent', value: 100 }, packets: frames.length, sizes: [64], sizeCum: [1], cycle: false, streams: [], notation: { frames, port: portIndex(topo, opts.port) } };
  } else return fail('usage', `--traffic ${t}: expected a .pcap/.pcapng capture, a .yaml traffic profile or a .pkt file of packet notation`);
  for (const s of profile.streams) {
    if (!topo.ports.some((p) => p.index === s.port)) fail('semantic', `${profile.file}: stream port ${s.port} is not a port of ${topo.file}`);
  }
  if (opts.port !== undefined && profile.notation) profile.notation.port = portIndex(topo, opts.port);
  return generatorSource(profile, { ...base, seed: opts.seed, linkGbps: link });
}

function isFlowProfile(file: string): boolean {
  try { return /^flows:/m.test(readFileSync(file, 'utf8')); } catch { return false; }
}

function summarize(topo: Topology, opts: RunOptions, run: RunContext, lanes: LaneReport[], seconds: number): Summary {
  const t = totals(run.ledger);
  const paths: Record<string, PathSummary> = {};
  const drops: Record<string, number> = {};
  const ports: Summary['ports'] = {};
  for (const p of topo.ports) ports[p.name] = { tx: 0, ...(opts.out ? { pcap: join(opts.out, `${p.name}.pcap`) } : {}) };
  for (const [name, p] of run.ledger.paths) {
    const s = p.summary();
    paths[name] = s;
    for (const [r, n] of Object.entries(s.drops)) drops[r] = (drops[r] ?? 0) + n;
    for (const [port, n] of Object.entries(s.ports)) if (ports[port]) ports[port]!.tx += n;
    for (const [target, n] of Object.entries(s.redirects)) {
      const port = target.startsWith('port ') ? ports[target.slice(5)] : undefined;
      if (port) port.tx += n;
    }
  }
  return {
    topology: topo.name, traffic: opts.traffic,
    in: t.in, tx: t.tx, redirected: t.redirected, delivered: t.delivered, dropped: t.dropped, queued: t.queued, balanced: t.balanced,
    paths, drops, ports, virtualNs: run.lastNs, lanes,
    wall: { seconds, packetsPerSecond: seconds > 0 ? t.in / seconds : 0 },
    programs: lanes.flatMap((l) => (l.program ? [l.program] : [])),
    fallbacks: Object.fromEntries([...run.fallbacks].sort((a, b) => b[1] - a[1])),
    wire: { frames: run.wire.frames, bytes: run.wire.bytes, sizes: [...run.wire.sizes].sort((a, b) => a[0] - b[0]).map(([bytes, count]) => ({ bytes, count })) },
  };
}
