// `xdplab compare PROGRAM|RULES --traffic PCAP|PROFILE`: what the program or rule set costs the
// host CPU at each placement, measured over the traffic in the VM and priced by a cost profile.
import type { Command } from 'commander';
import {
  compare, compareJson, formatCompare, openSubject, parseRate, readCostProfile, readNicProfile, loadTraffic, reportHtml, DEFAULT_NIC,
  DEFAULT_PROFILE, type CompareResult,
} from '../../cost/index.js';
import { fail } from '../../diag/index.js';
import { action, writeOutput } from '../util.js';

interface Opts { passTo: string; traffic?: string; rate: string; profile: string; nic: string; html?: string; json?: boolean; prog?: string; setup?: string; quiet?: boolean }

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

export function register(program: Command): void {
  program
    .command('compare')
    .description('offload vs host CPU cost: run a program or rule set over traffic and price it on every placement')
    .argument('<input>', 'XDP object (.o), eBPF assembly (.s) or rule set (.rules); a topology (.yaml) needs the pipeline')
    .option('--traffic <file>', 'traffic: a capture (.pcap, .pcapng) or a traffic profile (.yaml/.json, see programs/traffic/profiles)')
    .option('--rate <rate>', 'offered rate: link speed (10G, 25G, 100Gbps; line rate for the traffic\'s size mix, with preamble and gap) or packets (14.88Mpps, 1000000pps)', '10G')
    .option('--profile <file>', `host cost profile: a .json path or a name from programs/profiles (host-NAME.json)`, DEFAULT_PROFILE)
    .option('--nic <file>', 'NIC profile for the smartnic placement of rule sets: a .json path or a name (nic-NAME.json)', DEFAULT_NIC)
    .option('--pass-to <path>', 'where passed packets go in the Linux stack: local (a socket receiver) or forward (routed out)', 'local')
    .option('--prog <name>', 'program (function or section name) when the object has several')
    .option('--setup <file>', 'map contents before the run (bpftool map update lines); default NAME.setup next to the input, if any')
    .option('--html <out.html>', 'also write the self-contained HTML report with charts')
    .option('--json', 'print the comparison as JSON: { placements: [{ name, hostCyclesPerPacket, mppsPerCore, coresNeeded, offloadable, reasons, breakdown }], ... }')
    .addHelpText('after', `
Every frame of the traffic runs once through the program in the VM (maps keep their state from
frame to frame); executed instructions, helper calls and map operations are measured per packet
and priced by the cost profile for each placement: smartnic (rule sets only: table entries on
the NIC, the rest falls back to the host), xdp-offload, xdp-native, xdp-generic, dpdk, kernel.
Mpps per core is the traffic-weighted mix of the verdicts' paths; cores are for the offered rate.

Examples:
  $ xdplab compare programs/xdp/drop_udp.o --traffic programs/traffic/profiles/imix.yaml
  $ xdplab compare programs/rules/dns_ntp_amp.rules --traffic programs/traffic/profiles/amp-attack.yaml --rate 25G --html amp.html
  $ xdplab compare prog.o --traffic capture.pcap --rate 14.88Mpps --profile server-2ghz --json
  $ xdplab compare edge.rules --traffic t.yaml --nic programs/profiles/nic-small.json`)
    .action(action((input: string, o: Opts) => {
      if (!o.traffic) fail('usage', 'compare needs --traffic FILE: a capture (.pcap, .pcapng) or a traffic profile (.yaml, see programs/traffic/profiles)');
      if (o.passTo !== 'local' && o.passTo !== 'forward') fail('usage', `--pass-to wants local or forward, not '${o.passTo}'`);
      const rate = parseRate(o.rate);
      const profile = readCostProfile(o.profile);
      const nic = readNicProfile(o.nic);
      const subject = openSubject(input, { prog: o.prog, setupFile: o.setup });
      const traffic = loadTraffic(o.traffic);
      const bar = progressBar(`measuring ${subject.name}`);
      let r: CompareResult;
      try { r = compare(subject, traffic, { profile, nic, rate, progress: bar, passTo: o.passTo }); } finally { bar.finish(); }
      if (o.html) writeOutput(o.html, reportHtml([r], profile, { subtitle: `xdplab compare ${input} --traffic ${o.traffic} --rate ${o.rate}` }));
      process.stdout.write(o.json ? compareJson(r) : formatCompare(r) + (o.html ? `\nreport written to ${o.html}\n` : ''));
    }));
}
