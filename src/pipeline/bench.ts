// `xdplab bench --pipeline` (wired by the CLI): wall-clock figures, never asserted in tests.
//  1. A 10-million-packet pcap (64-byte UDP, generated into a temp dir) streamed through the
//     pcap source in constant memory: packets per second and RSS before and after.
//  2. Packets per second of wall clock for each bundled topology on generated traffic.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, tap, defaultIfEmpty } from 'rxjs';
import { profilesDir } from '../cost/index.js';
import { Mempool, PcapWriter } from '../packet/index.js';
import type { Burst } from './burst.js';
import { runPipeline } from './run.js';
import { generatorSource, pcapSource } from './sources.js';
import { parseTrafficProfile } from './traffic.js';
import type { Tier } from '../vm/index.js';

export interface PipelineBenchResult {
  pcap: { packets: number; bytes: number; writeSeconds: number; streamSeconds: number; packetsPerSecond: number; rssBeforeMiB: number; rssAfterMiB: number; rssPeakMiB: number };
  /** The big pcap through one topology, when asked (`streamTopology`). */
  stream?: { topology: string; packets: number; seconds: number; packetsPerSecond: number; rssAfterMiB: number; balanced: boolean };
  topologies: { topology: string; traffic: string; packets: number; seconds: number; packetsPerSecond: number; workers: number; balanced: boolean }[];
}

export interface PipelineBenchOptions {
  /** Packets in the big pcap (default 10 million). */
  pcapPackets?: number;
  /** Packets per topology run (default 200k). */
  packets?: number;
  /** Also stream the big pcap through this bundled topology (name). */
  streamTopology?: string;
  workers?: number;
  /** Execution tier of the XDP programs (default compiled). */
  tier?: Tier;
  log?: (line: string) => void;
}

const MiB = (n: number): number => Math.round((n / 1048576) * 10) / 10;

/** programs/topologies of this checkout (next to programs/profiles). */
function topologiesDir(): string {
  return join(profilesDir(), '..', 'topologies');
}

export async function benchPipeline(opts: PipelineBenchOptions = {}): Promise<PipelineBenchResult> {
  const log = opts.log ?? (() => undefined);
  const n = opts.pcapPackets ?? 10_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'xdplab-bench-'));
  try {
    const file = join(dir, 'big.pcap');
    log(`writing ${n} packets to ${file}`);
    let t0 = performance.now();
    const profile = parseTrafficProfile('rate: { percent: 100 }\nsize: 64\nstreams: [{ flows: 65536, src: 10.0.0.0/8, dport: 7000 }]\n', 'bench');
    const w = new PcapWriter(file);
    await lastValueFrom(generatorSource(profile, { limit: n, burst: 256 }).pipe(tap((b: Burst) => {
      for (let i = 0; i < b.n; i++) { const h = b.handles[i]!; w.write(b.pool.data(h), b.time[i]!); b.pool.free(h); }
    }), defaultIfEmpty(null)));
    w.close();
    const writeSeconds = (performance.now() - t0) / 1000;
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before, count = 0;
    t0 = performance.now();
    await lastValueFrom(pcapSource(file, { pool: new Mempool(64), burst: 32 }).pipe(tap((b: Burst) => {
      count += b.n;
      for (let i = 0; i < b.n; i++) b.pool.free(b.handles[i]!);
      if ((count & 0xfffff) < 32) peak = Math.max(peak, process.memoryUsage().rss);
    }), defaultIfEmpty(null)));
    const streamSeconds = (performance.now() - t0) / 1000;
    const after = process.memoryUsage().rss;
    const result: PipelineBenchResult = {
      pcap: { packets: count, bytes: statSync(file).size, writeSeconds, streamSeconds, packetsPerSecond: count / streamSeconds, rssBeforeMiB: MiB(before), rssAfterMiB: MiB(after), rssPeakMiB: MiB(Math.max(peak, after)) },
      topologies: [],
    };
    log(`streamed ${count} packets in ${streamSeconds.toFixed(1)} s; RSS ${result.pcap.rssBeforeMiB} -> ${result.pcap.rssAfterMiB} MiB`);
    if (opts.streamTopology) {
      const topo = join(topologiesDir(), `${opts.streamTopology}.yaml`);
      const s = await runPipeline(topo, { traffic: file, workers: opts.workers, tier: opts.tier });
      result.stream = { topology: opts.streamTopology, packets: s.in, seconds: s.wall.seconds, packetsPerSecond: s.wall.packetsPerSecond, rssAfterMiB: MiB(process.memoryUsage().rss), balanced: s.balanced };
      log(`${opts.streamTopology}: ${s.in} packets, ${Math.round(s.wall.packetsPerSecond)} pps`);
    }
    const traffic = join(topologiesDir(), '..', 'traffic');
    for (const f of readdirSync(topologiesDir()).filter((x) => x.endsWith('.yaml')).sort()) {
      const tr = join(traffic, f.startsWith('vrouter') ? 'vrouter-vms.yaml' : 'imix-10g.yaml');
      const s = await runPipeline(join(topologiesDir(), f), { traffic: tr, packets: opts.packets ?? 200_000, workers: opts.workers, tier: opts.tier });
      result.topologies.push({ topology: f.replace(/\.yaml$/, ''), traffic: tr.split('/').pop()!, packets: s.in, seconds: s.wall.seconds, packetsPerSecond: s.wall.packetsPerSecond, workers: opts.workers ?? 0, balanced: s.balanced });
      log(`${f}: ${Math.round(s.wall.packetsPerSecond)} pps`);
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
