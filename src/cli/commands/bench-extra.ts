// The benchmarks of the lower floors that `xdplab bench` runs on request: the SmartNIC's FIB
// and flow table at a million entries (--smartnic), and the packet pipeline on a 10-million-
// packet pcap and every bundled topology (--topologies). Figures only; never asserted in tests.
import type { Tier } from '../../vm/index.js';
import { benchPipeline } from '../../pipeline/index.js';
import { benchSmartnic } from '../../smartnic/index.js';

const fmt = (n: number, digits = 1): string => n.toLocaleString('en-US', { maximumFractionDigits: digits });

export function smartnicReport(json: boolean, log: (s: string) => void): string {
  log('bench: SmartNIC FIB of 1,000,000 prefixes and flow table of 1,000,000 flows...');
  const r = benchSmartnic();
  if (json) return JSON.stringify({ smartnic: r }, null, 2) + '\n';
  return [
    `SmartNIC FIB (${r.fibLayout}): ${fmt(r.fibPrefixes, 0)} prefixes built in ${fmt(r.fibBuildSeconds, 2)} s, ${fmt(r.fibMemoryBytes / 1048576)} MiB`,
    `  lookups: ${fmt(r.fibLookupsPerSecond / 1e6, 2)} M/s one at a time, ${fmt(r.fibBurstLookupsPerSecond / 1e6, 2)} M/s in bursts of 32`,
    `  incremental route updates: ${fmt(r.fibUpdatesPerSecond, 0)} /s`,
    `SmartNIC flow table: ${fmt(r.flows, 0)} flows, ${fmt(r.flowLookupsPerSecond / 1e6, 2)} M lookups/s one at a time, ${fmt(r.flowBurstLookupsPerSecond / 1e6, 2)} M/s in bursts of 32`,
    '',
  ].join('\n');
}

export async function pipelineReport(json: boolean, packets: number | undefined, workers: number | undefined, log: (s: string) => void, tier?: Tier): Promise<string> {
  const r = await benchPipeline({ pcapPackets: packets, streamTopology: 'xdp-filter-kernel', workers, log, tier });
  if (json) return JSON.stringify({ pipeline: r }, null, 2) + '\n';
  const p = r.pcap;
  const lines = [
    `pcap source: ${fmt(p.packets, 0)} packets (${fmt(p.bytes / 1048576)} MiB) streamed at ${fmt(p.packetsPerSecond / 1e6, 2)} M packets/s; RSS ${p.rssBeforeMiB} -> ${p.rssAfterMiB} MiB (peak ${p.rssPeakMiB})`,
  ];
  if (r.stream) lines.push(`  through ${r.stream.topology}: ${fmt(r.stream.packetsPerSecond / 1e3, 0)} k packets/s, RSS after ${r.stream.rssAfterMiB} MiB, ${r.stream.balanced ? 'every packet accounted for' : 'NOT BALANCED'}`);
  lines.push('topologies (wall clock):');
  for (const t of r.topologies) {
    lines.push(`  ${t.topology.padEnd(20)} ${fmt(t.packets, 0)} packets of ${t.traffic}: ${fmt(t.packetsPerSecond / 1e3, 0)} k packets/s${t.workers > 1 ? ` (${t.workers} workers)` : ''}${t.balanced ? '' : ' NOT BALANCED'}`);
  }
  return lines.join('\n') + '\n';
}
