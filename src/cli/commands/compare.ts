// `xdplab compare PROGRAM|RULES|TOPOLOGY --traffic PCAP|PROFILE`: what the program, rule set or
// topology costs the host CPU at each placement, measured over the traffic (in the VM, or by a
// pipeline run for a topology) and priced by a cost profile.
import type { Command } from 'commander';
import {
  compare, compareJson, compareTopology, verifyTopologyPrograms, formatCompare, openSubject, parseRate, readCostProfile, readNicProfile, loadTraffic, reportHtml, DEFAULT_NIC,
  DEFAULT_PROFILE, type CompareResult, type CostProfile, type Rate, type StackPath,
} from '../../cost/index.js';
import { fail } from '../../diag/index.js';
import { loadTopology, measureTopology } from '../../pipeline/index.js';
import type { NicProfile } from '../../smartnic/index.js';
import { action, tierOption, TIER_HELP, writeOutput } from '../util.js';
import type { Tier } from '../../vm/index.js';

interface Opts { tier?: string; passTo?: string; traffic?: string; rate: string; profile?: string; nic: string; html?: string; json?: boolean; prog?: string; setup?: string; quiet?: boolean }

export const isTopology = (file: string): boolean => /\.ya?ml$/i.test(file);

/** A topology compared: run through the pipeline on the traffic (progress: packets in so far), then priced per placement. */
export async function compareTopologyFile(file: string, traffic: string, o: { profile: CostProfile; nic: NicProfile; rate: Rate; passTo?: StackPath; progress?: (packets: number) => void; tier?: Tier }): Promise<CompareResult> {
  const topo = loadTopology(file);
  verifyTopologyPrograms([topo.nic.xdp, topo.host?.xdp, topo.host?.program]);
  const run = await measureTopology(file, { traffic, progress: o.progress, tier: o.tier });
  return compareTopology(run, { profile: o.profile, nic: o.nic, rate: o.rate, passTo: o.passTo });
}

/** A progress bar on stderr (only where stderr is a terminal, so pipes and tests stay clean). */
export function progressBar(label: string, enabled = process.stderr.isTTY === true): ((done: number, total: number) => void) & { finish(): void } {
  let last = -1;
  const f = (done: number, total: number): void => {
    if (!enabled) return;
    const pct = Math.floor((100 * done) / Math.max(1, total));
    if (pct === last) return;
    last = pct;
    const w = 30, fill = Math.round((w * pct) / 100);
    process.stderr.write(`\r${label} [${'#'.repeat(fill)}${'.'.repeat(w - fill)}] ${String(pct).padStart(3)}%`);
  };
  return Object.assign(f, { finish: () => { if (enabled && last >= 0) process.stderr.write('\r\x1b[K'); } });
}

/** Packets so far on stderr (a terminal only) where the total is not known in advance. */
function packetCounter(label: string, enabled = process.stderr.isTTY === true): ((n: number) => void) & { finish(): void } {
  let last = 0;
  const f = (n: number): void => {
    if (!enabled || n - last < 1000) return;
    last = n;
    process.stderr.write(`\r${label}: ${n} packets`);
  };
  return Object.assign(f, { finish: () => { if (enabled && last > 0) process.stderr.write('\r\x1b[K'); } });
}

export function register(program: Command): void {
  program
    .command('compare')
    .description('offload vs host CPU cost: run a program, rule set or topology over traffic and price it on every placement')
    .argument('<input>', 'XDP object (.o), eBPF assembly (.s), rule set (.rules) or topology (.yaml, programs/topologies)')
    .option('--traffic <file>', 'traffic: a capture (.pcap, .pcapng) or a traffic profile (.yaml/.json, see programs/traffic/profiles)')
    .option('--rate <rate>', 'offered rate: link speed (10G, 25G, 100Gbps; line rate for the traffic\'s size mix, with preamble and gap) or packets (14.88Mpps, 1000000pps)', '10G')
    .option('--profile <file>', `host cost profile: a .json path or a name from programs/profiles (host-NAME.json); default ${DEFAULT_PROFILE}, or the topology's`)
    .option('--nic <file>', 'NIC profile for the smartnic placement of rule sets: a .json path or a name (nic-NAME.json)', DEFAULT_NIC)
    .option('--pass-to <path>', 'where passed packets go in the Linux stack: local (a socket receiver) or forward (routed out); default local, or the topology\'s stack')
    .option('--prog <name>', 'program (function or section name) when the object has several')
    .option('--setup <file>', 'map contents before the run (bpftool map update lines); default NAME.setup next to the input, if any')
    .option('--tier <tier>', TIER_HELP)
    .option('--html <out.html>', 'also write the self-contained HTML report with charts')
    .option('--json', 'print the comparison as JSON: { placements: [{ name, hostCyclesPerPacket, mppsPerCore, coresNeeded, offloadable, reasons, breakdown }], ... }')
    .addHelpText('after', `
Every frame of the traffic runs once through the program in the VM (maps keep their state from
frame to frame); executed instructions, helper calls and map operations are measured per packet
and priced by the cost profile for each placement: smartnic (rule sets only: table entries on
the NIC, the rest falls back to the host), xdp-offload, xdp-native, xdp-generic, dpdk, kernel.
Mpps per core is the traffic-weighted mix of the verdicts' paths; cores are for the offered rate.
The verifier checks the program first: a rejected program exits 1 with its reason; xdp-offload
takes its reasons from the verifier's NIC check (xdplab verify --target hw), by instruction.

A topology (.yaml) runs through the pipeline on the traffic (as xdplab pipeline does), and each
placement is priced from what the run measured: its program's runs by verdict, instructions and
helper/map counters; for vRouter tables on the NIC, the packets the tables handled and the ones
that fell back (the smartnic placement costs host cycles only for those). The per-path counts
of the run are printed with the table.

Examples:
  $ xdplab compare programs/xdp/drop_udp.o --traffic programs/traffic/profiles/imix.yaml
  $ xdplab compare programs/rules/dns_ntp_amp.rules --traffic programs/traffic/profiles/amp-attack.yaml --rate 25G --html amp.html
  $ xdplab compare prog.o --traffic capture.pcap --rate 14.88Mpps --profile server-2ghz --json
  $ xdplab compare edge.rules --traffic t.yaml --nic programs/profiles/nic-small.json
  $ xdplab compare programs/topologies/vrouter-offload.yaml --traffic programs/traffic/overlay.pcapng
  $ xdplab compare programs/topologies/xdp-filter-kernel.yaml --traffic programs/traffic/udp-mix.pcap --json`)
    .action(action(async (input: string, o: Opts) => {
      if (!o.traffic) fail('usage', 'compare needs --traffic FILE: a capture (.pcap, .pcapng) or a traffic profile (.yaml, see programs/traffic/profiles)');
      if (o.passTo !== undefined && o.passTo !== 'local' && o.passTo !== 'forward') fail('usage', `--pass-to wants local or forward, not '${o.passTo}'`);
      const passTo = o.passTo as StackPath | undefined;
      const tier = tierOption(o.tier);
      const rate = parseRate(o.rate);
      const nic = readNicProfile(o.nic);
      const profile = readCostProfile(o.profile ?? (isTopology(input) ? loadTopology(input).costProfile : DEFAULT_PROFILE));
      let r: CompareResult;
      if (isTopology(input)) {
        if (o.prog !== undefined || o.setup !== undefined) fail('usage', `--prog and --setup choose the program of an object; the topology ${input} names its programs and their setup itself`);
        const bar = packetCounter(`running ${input.replace(/^.*\//, '')}`);
        try { r = await compareTopologyFile(input, o.traffic, { profile, nic, rate, passTo, progress: bar, tier }); } finally { bar.finish(); }
      } else {
        const subject = openSubject(input, { prog: o.prog, setupFile: o.setup });
        const traffic = loadTraffic(o.traffic);
        const bar = progressBar(`measuring ${subject.name}`);
        try { r = compare(subject, traffic, { profile, nic, rate, progress: bar, passTo: passTo ?? 'local', tier }); } finally { bar.finish(); }
      }
      if (o.html) writeOutput(o.html, reportHtml([r], profile, { subtitle: `xdplab compare ${input} --traffic ${o.traffic} --rate ${o.rate}` }));
      process.stdout.write(o.json ? compareJson(r) : formatCompare(r) + (o.html ? `\nreport written to ${o.html}\n` : ''));
    }));
}
