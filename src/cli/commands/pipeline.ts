// `xdplab pipeline TOPOLOGY --traffic PCAP|PROFILE`: run traffic through a topology (NIC, XDP
// hook, DPDK or kernel host path) on virtual time; a summary per path, pcaps per port.
import type { Command } from 'commander';
import { formatSummary, runPipeline, summaryJson } from '../../pipeline/index.js';
import { action, intOption, tierOption, TIER_HELP } from '../util.js';

interface Opts { traffic: string; out?: string; json?: boolean; packets?: string; seed?: string; workers?: string; port?: string; burst?: string; drainUs?: string; tier?: string }

/** A progress bar on stderr, for runs long enough to want one (a TTY, or above 1M packets). */
function progressBar(total: number | undefined): ((n: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  const t0 = Date.now();
  return (n) => {
    const now = Date.now();
    if (now - last < 200 || now - t0 < 500) return;
    last = now;
    const frac = total ? Math.min(1, n / total) : 0;
    const bar = total ? `[${'#'.repeat(Math.round(frac * 30)).padEnd(30)}] ${(frac * 100).toFixed(0)}% ` : '';
    process.stderr.write(`\r${bar}${n} packets, ${Math.round(n / ((now - t0) / 1000))} pps `);
  };
}

export function register(program: Command): void {
  program
    .command('pipeline')
    .description('run traffic (pcap/pcapng, a generated profile or packet notation) through a topology on virtual time')
    .argument('<topology>', 'topology file (programs/topologies/*.yaml)')
    .requiredOption('--traffic <file>', 'a .pcap/.pcapng capture, a traffic profile (.yaml) or packet notation lines (.pkt)')
    .option('--out <dir>', 'write one pcap per port here')
    .option('--json', 'print the summary as JSON (totals, per path, per drop reason)')
    .option('--packets <n>', 'stop after N packets (profiles and replays: generate N)')
    .option('--seed <n>', 'seed of generated traffic (default 1)')
    .option('--workers <n>', 'run the host queues on up to N worker threads, at most one per spare core (same results as one thread)')
    .option('--port <name>', 'ingress port for pcap and notation input (default: the pcapng interface, else the first port)')
    .option('--burst <n>', 'packets per rx burst (default 32)')
    .option('--drain-us <n>', 'virtual microseconds the host keeps running after the last arrival (default 1000)')
    .option('--tier <tier>', TIER_HELP)
    .addHelpText('after', '\nExamples:\n'
      + '  $ xdplab pipeline programs/topologies/xdp-filter-kernel.yaml --traffic programs/traffic/udp-mix.pcap\n'
      + '  $ xdplab pipeline programs/topologies/dpdk-forwarder.yaml --traffic programs/traffic/imix-10g.yaml --out out/ --json\n'
      + '  $ xdplab pipeline programs/topologies/vrouter-offload.yaml --traffic programs/traffic/vrouter-vms.yaml --packets 1000000 --workers 2\n'
      + '\nConservation: in = tx + redirected + delivered + dropped + queued, overall and per path.')
    .action(action(async (topology: string, opts: Opts) => {
      const packets = opts.packets === undefined ? undefined : intOption('--packets', opts.packets, 1);
      const bar = progressBar(packets);
      const s = await runPipeline(topology, {
        traffic: opts.traffic, out: opts.out, packets,
        seed: opts.seed === undefined ? undefined : intOption('--seed', opts.seed, 0, 0xffffffff),
        workers: opts.workers === undefined ? undefined : intOption('--workers', opts.workers, 1, 64),
        burst: opts.burst === undefined ? undefined : intOption('--burst', opts.burst, 1, 512),
        drainNs: opts.drainUs === undefined ? undefined : intOption('--drain-us', opts.drainUs, 0) * 1000,
        port: opts.port, progress: bar, tier: tierOption(opts.tier),
      });
      if (bar) process.stderr.write('\r\x1b[K');
      process.stdout.write(opts.json ? JSON.stringify(summaryJson(s), null, 2) + '\n' : formatSummary(s));
      return s.balanced ? 0 : 1;
    }));
}
