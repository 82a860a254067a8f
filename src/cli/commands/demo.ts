// `xdplab demo`: what `npm start` runs. A short tour (assemble a filter, run it and a
// clang-built object on three packets), then the comparison on the bundled programs, rule sets,
// topologies and traffic: what each costs the host CPU at every placement, printed and written
// as the HTML report (default ./xdplab-report.html). Topologies run through the pipeline.
import type { Command } from 'commander';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble } from '../../asm/index.js';
import {
  compare, compareJson, formatHeader, formatPaths, formatTable, offloadSource, loadTraffic, openSubject, parseRate, readCostProfile, readNicProfile, reportHtml,
  type CompareResult, type Subject, type Traffic,
} from '../../cost/index.js';
import { loadObject, writeObject, type BpfObject } from '../../elf/index.js';
import { parsePacket } from '../../packet/index.js';
import { loadRuntime } from '../../vm/runtime/index.js';
import { verifiedSlots } from '../../verifier/index.js';
import { action, readInput, readText, writeOutput } from '../util.js';
import { compareTopologyFile, isTopology, progressBar } from './compare.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const ACTIONS = ['XDP_ABORTED', 'XDP_DROP', 'XDP_PASS', 'XDP_TX', 'XDP_REDIRECT'];

const PACKETS: [string, string][] = [
  ['UDP to port 53', 'eth()/ipv4(src=10.0.0.1, dst=10.0.0.2)/udp(sport=12345, dport=53)/pad(min=60)'],
  ['UDP to port 9999', 'eth()/ipv4(src=10.0.0.1, dst=10.0.0.2)/udp(sport=12345, dport=9999)/pad(min=60)'],
  ['ARP frame', 'eth(type=0x0806)/pad(min=60)'],
];

/** What the demo compares: a bundled XDP filter, a map-using program, a rule set and two topologies, each over its traffic. */
export const DEMO_CASES: { input: string; traffic: string; what: string }[] = [
  { input: 'programs/xdp/drop_udp.o', traffic: 'programs/traffic/profiles/imix.yaml', what: 'an XDP filter (clang-built) on an everyday IMIX edge mix' },
  { input: 'programs/bench/flow_count.o', traffic: 'programs/traffic/profiles/udp-64.yaml', what: 'per-flow counting in a hash map on 64-byte UDP, the packets-per-second worst case' },
  { input: 'programs/rules/dns_ntp_amp.rules', traffic: 'programs/traffic/profiles/amp-attack.yaml', what: 'a rule set (compiled to XDP and to SmartNIC tables) under a reflection attack' },
  { input: 'programs/topologies/xdp-filter-kernel.yaml', traffic: 'programs/traffic/udp-mix.pcap', what: 'the XDP filter in the kernel\'s native hook in front of the stack, run through the pipeline' },
  { input: 'programs/topologies/vrouter-offload.yaml', traffic: 'programs/traffic/overlay.pcapng', what: 'the vRouter overlay with its tables on the SmartNIC, flow misses falling back to the host' },
];

function tour(out: string[]): void {
  const asmFile = join(root, 'programs', 'asm', 'ipv4_only.s');
  const asm = assemble(readText(asmFile), asmFile);
  out.push(`== assembled programs/asm/ipv4_only.s: ${asm.insns.length} instructions, ${asm.bytes.length} bytes`);
  const asmObj = loadObject(writeObject({ programs: [{ name: 'ipv4_only', section: 'xdp', insns: asm.insns }], maps: [], license: 'GPL' }), 'ipv4_only.o');
  runAll('programs/asm/ipv4_only.s', asmObj, out);
  const objFile = join(root, 'programs', 'xdp', 'drop_udp.o');
  runAll('programs/xdp/drop_udp.o (clang -target bpf)', loadObject(readInput(objFile), objFile), out);
}

function runAll(title: string, obj: BpfObject, out: string[]): void {
  // As `xdplab run` does: verified, then in the compiled tier without the proven checks.
  const rt = loadRuntime(obj, { cpus: 1, provenSafe: verifiedSlots(obj) });
  out.push(`== ${title}, verified, in the compiled tier`);
  for (const [name, text] of PACKETS) {
    const r = rt.testRun(parsePacket(text, 'demo packet'));
    out.push(`  ${name.padEnd(18)} -> ${ACTIONS[r.retval] ?? r.retval}  (${r.insns} instructions)`);
  }
}

export interface DemoOptions {
  /** Where to write the HTML report (relative to the current directory); null: do not write it. */
  html?: string | null;
  rate?: string;
  profile?: string;
  /** Progress on stderr: 'bar' (a terminal), 'lines' (one line per step) or 'none'. */
  progress?: 'bar' | 'lines' | 'none';
}

export interface DemoResult {
  text: string;
  results: CompareResult[];
  htmlFile?: string;
}

export async function demo(opts: DemoOptions = {}): Promise<DemoResult> {
  const out: string[] = ['xdplab demo: what does this rule set cost, and where should it run?', ''];
  tour(out);
  const profile = readCostProfile(opts.profile);
  const nic = readNicProfile();
  const rate = parseRate(opts.rate ?? '10G');
  const mode = opts.progress ?? 'none';
  const results: CompareResult[] = [];
  // Traffic is read up front so the progress bar knows the total (a topology's run counts the same frames).
  const cases = DEMO_CASES.map((c) => ({
    ...c, topology: isTopology(c.input), frames: loadTraffic(join(root, c.traffic)) as Traffic,
    subject: isTopology(c.input) ? undefined : openSubject(join(root, c.input)) as Subject,
  }));
  const total = cases.reduce((s, c) => s + c.frames.frames.length, 0);
  let done = 0;
  const bar = progressBar('xdplab demo', mode === 'bar');
  try {
    for (const [i, c] of cases.entries()) {
      const n = c.frames.frames.length;
      if (mode === 'lines') process.stderr.write(`[${i + 1}/${cases.length}] ${c.topology ? 'running' : 'measuring'} ${c.input} over ${c.frames.name} (${n} frames)\n`);
      const step = (d: number): void => bar(done + Math.min(d, n), total);
      const r = c.subject
        ? compare(c.subject, c.frames, { profile, nic, rate, progress: step })
        : await compareTopologyFile(join(root, c.input), join(root, c.traffic), { profile, nic, rate, progress: step });
      done += n;
      bar(done, total);
      // Show paths relative to the checkout, wherever it is.
      r.subject.file = c.input;
      r.traffic.source = c.traffic;
      if (r.topology) r.topology.file = c.input;
      results.push(r);
    }
  } finally { bar.finish(); }

  out.push('', `== comparison: profile ${profile.name} (${profile.ghz} GHz), NIC ${nic.name}, offered ${rate.text} line rate for each traffic's size mix`);
  results.forEach((r, i) => {
    out.push('', `-- ${DEMO_CASES[i]!.input}: ${DEMO_CASES[i]!.what}`, ...formatHeader(r).map((l) => `   ${l}`));
    const paths = formatPaths(r);
    if (paths.length) out.push('', '   pipeline run, packets per path:', ...paths.map((l) => `     ${l}`));
    out.push('', ...formatTable(r.placements).map((l) => `   ${l}`));
    for (const p of r.placements) for (const reason of p.reasons) out.push(`   ${p.name} not possible: ${reason}`);
    if (r.offload?.checkedBy === 'cost model') out.push(`   xdp-offload: ${offloadSource(r)}`);
    const sn = r.placements.find((p) => p.name === 'smartnic')!;
    if (r.topology?.nic && sn.offloadable) {
      const t = r.topology.nic;
      out.push(`   smartnic: ${sn.hostCyclesPerPacket.toFixed(0)} host cycles/packet, only for the ${t.fallback} of ${t.in} packets (${(100 * t.fallbackFraction).toFixed(1)}%) the NIC tables sent to the host; the other ${t.handled} cost the host nothing`);
    }
    const best = [...r.placements].filter((p) => p.offloadable && p.mppsPerCore !== null).sort((a, b) => a.hostCyclesPerPacket - b.hostCyclesPerPacket)[0];
    if (best) out.push(`   cheapest host placement: ${best.name}, ${best.hostCyclesPerPacket.toFixed(0)} cycles/packet, ${best.mppsPerCore!.toFixed(2)} Mpps per core`);
  });
  const lr = results[0]!.lineRate;
  out.push('', `line rate: ${lr.gbps} GbE at ${lr.frameBytes} B is ${lr.mpps.toFixed(2)} Mpps, ${lr.frameNs.toFixed(1)} ns per frame = ${lr.budgetCycles.toFixed(0)} cycles at ${lr.ghz} GHz (${(lr.frameNs * 2).toFixed(0)} at 2 GHz)`);
  let htmlFile: string | undefined;
  if (opts.html !== null) {
    htmlFile = resolve(opts.html ?? 'xdplab-report.html');
    writeOutput(htmlFile, reportHtml(results, profile, { subtitle: 'xdplab demo: the bundled programs, rule sets, topologies and traffic' }));
    out.push('', `HTML report with charts: ${htmlFile}`);
  }
  out.push('', 'Next: xdplab compare --help (your own program, rules, topology or pcap), xdplab pipeline --help, xdplab run --help');
  return { text: out.join('\n') + '\n', results, htmlFile };
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('the bundled programs, rule sets and traffic: what each costs the host CPU at every placement, with an HTML report')
    .option('--html <file>', 'where to write the HTML report', 'xdplab-report.html')
    .option('--no-html', 'do not write the HTML report')
    .option('--rate <rate>', 'offered rate for every comparison (10G, 25G, 14.88Mpps, ...)', '10G')
    .option('--profile <file>', 'host cost profile (.json path or name)')
    .option('--json', 'print every comparison as JSON: { comparisons: [ { placements: [...] , ... } ] }')
    .addHelpText('after', `
Runs a short tour (assemble, run) and then \`xdplab compare\` on a bundled XDP filter, a
map-using program, a rule set and two topologies (the XDP filter in the kernel hook, the
vRouter overlay on the SmartNIC; run through the pipeline), each over bundled traffic, prints
the table per placement (and the per-path counts of the topology runs) and writes a
self-contained HTML report with charts (default ./xdplab-report.html).
Takes a few seconds; progress goes to stderr.

Example:
  $ xdplab demo
  $ xdplab demo --rate 25G --html /tmp/report.html
  $ npm start        # builds, then runs this`)
    .action(action(async (o: { html: string | false; rate: string; profile?: string; json?: boolean }) => {
      const r = await demo({ html: o.html === false ? null : o.html, rate: o.rate, profile: o.profile, progress: process.stderr.isTTY ? 'bar' : 'lines' });
      if (o.json) process.stdout.write(compareJson({ comparisons: r.results, html: r.htmlFile ?? null }));
      else process.stdout.write(r.text);
    }));
}
