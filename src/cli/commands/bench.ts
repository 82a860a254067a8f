// `xdplab bench`: ns per packet, Mpps and instructions per second for each tier on the bundled
// benchmark programs (programs/bench), beside the kernel's `bpftool prog run repeat N` figure
// for the same object and packet when the kernel can run BPF here.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { fail } from '../../diag/index.js';
import type { BpfObject } from '../../elf/index.js';
import {
  bytecodeBenchCases, helperNsPerRun, objectBenchCases, PipelineBench, runFixed, timeCase, timePipeline, type BenchCase, type PipelineResult, type TierResult, type Tier,
} from '../../vm/index.js';
import { KernelSession, kernelStatus } from '../kernel.js';
import { verifiedSlots } from '../../verifier/index.js';
import { pipelineReport, smartnicReport } from './bench-extra.js';
import { action, intOption } from '../util.js';

interface KernelResult { nsPerRun: number; retval: number; repeat: number }

interface Row {
  name: string;
  description: string;
  tiers: TierResult[];
  kernel?: KernelResult;
  kernelSkipped?: string;
  /** tier ns / kernel ns. */
  ratios?: Partial<Record<Tier, number>>;
  /** ns per run inside helper functions (JavaScript, both tiers), when the interpreter ran. */
  helperNs?: number;
}

/** The compiled tier runs a benchmark as `xdplab run` does: verified, without the proven checks. */
const provenByObject = new Map<string, ReadonlyMap<string, ReadonlySet<number>>>();
function proven(obj: BpfObject): ReadonlyMap<string, ReadonlySet<number>> {
  let p = provenByObject.get(obj.file);
  if (!p) provenByObject.set(obj.file, p = verifiedSlots(obj));
  return p;
}

/** programs/bench, found from this module (src/cli/commands or dist/...) up to the repo. */
function benchDir(): string {
  let dir = fileURLToPath(new URL('.', import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'programs', 'bench');
    if (existsSync(candidate)) return candidate;
    dir = join(dir, '..');
  }
  return fail('io', 'programs/bench (the benchmark objects) was not found beside this installation');
}

/** bpftool prog run repeat N, the fastest of three; N sized from our compiled figure. */
function kernelRun(c: BenchCase, estimateNs: number): KernelResult {
  const k = new KernelSession(c.object!);
  try {
    if (c.setup) for (const line of readFileSync(c.setup, 'utf8').split('\n')) k.update(line);
    const prog = k.programs()[0]!;
    const repeat = Math.max(1000, Math.min(5_000_000, Math.round(100e6 / Math.max(estimateNs, 10))));
    let best: KernelResult | undefined;
    for (let i = 0; i < 3; i++) {
      const r = k.run(prog, c.packet, repeat);
      if (!best || r.durationNs < best.nsPerRun) best = { nsPerRun: r.durationNs, retval: r.retval, repeat };
    }
    return best!;
  } finally {
    k.close();
  }
}

function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
  else process.stderr.write(`${text}\n`);
}

export function register(program: Command): void {
  program
    .command('bench')
    .description('measure the tiers on the bundled benchmark programs: ns per packet, Mpps, instructions per second, and the kernel\'s figure')
    .option('--tier <tier>', 'interp, compiled or both', 'both')
    .option('--interp', 'only the reference interpreter (same as --tier interp)')
    .option('--compiled', 'only the compiled tier (same as --tier compiled)')
    .option('--no-pipeline', 'leave out the pipeline row (mempool -> runBurst(drop_udp) -> sink, 64-byte frames)')
    .option('--gc-runs <n>', 'instead of timing: run each program n times after a warm-up, between "gc-check" lines (use with node --trace-gc)')
    .option('--no-kernel', 'do not run the programs in the kernel (bpftool prog run)')
    .option('--program <names>', 'comma-separated benchmark names (default: all)')
    .option('--batch-ms <ms>', 'length of one timed batch in milliseconds', '200')
    .option('--json', 'print the results as JSON')
    .option('--smartnic', 'instead: the SmartNIC FIB (1M prefixes: build, lookups, updates) and flow table (1M flows)')
    .option('--topologies', 'instead: stream a 10-million-packet pcap, then every bundled topology, wall clock')
    .option('--pcap-packets <n>', 'packets in the pcap of --topologies', '10000000')
    .option('--workers <n>', 'with --topologies: host queues on up to N worker threads')
    .addHelpText('after', `
Programs: drop_udp, swap_tx, csum_1500, flow_count, lpm_fib (programs/bench/*.o, rebuilt by
programs/bench/build.sh) and two bytecode programs, loop-1500 and straight-11. A figure is the
fastest of 5 batches of vm.run() on a loaded frame, in CPU time of this process; the kernel's
is bpftool's average for 'prog run ... repeat N' on the same object and packet, fastest of 3,
measured in the same run. The interpreter is also set against a model of uBPF's C interpreter
here: 19 ns per run plus 3.7 ns per executed instruction, with and without the time spent in
helper functions (JavaScript; each call site's call replayed from its recorded state and timed). The compiled tier runs an object as xdplab run does: verified first,
without the bounds checks the verifier proved. The pipeline row is Mpps through Runtime.runBurst: bursts of 32
64-byte frames from a mempool, drop_udp as the XDP program, verdicts counted, mbufs recycled
(14.88 Mpps is 10 GbE line rate).

Allocation check (expect no GC line between the gc-check lines of a program):
  $ node --trace-gc dist/src/cli/main.js bench --gc-runs 1000000

Example:
  $ xdplab bench
  $ xdplab bench --smartnic
  $ xdplab bench --topologies --pcap-packets 1000000
  $ xdplab bench --tier interp --program drop_udp,csum_1500
  $ xdplab bench --json --batch-ms 500 > bench.json`)
    .action(action(async (opts: BenchOptions) => {
      if (opts.smartnic) { process.stdout.write(smartnicReport(opts.json === true, progress)); return; }
      if (!['interp', 'compiled', 'both'].includes(opts.tier)) fail('usage', `--tier is interp, compiled or both, not '${opts.tier}'`);
      const tier = opts.interp && !opts.compiled ? 'interp' : opts.compiled && !opts.interp ? 'compiled' : opts.tier;
      if (opts.topologies) {
        const n = intOption('--pcap-packets', opts.pcapPackets, 1, 1e9);
        // Both tiers (the default) run the topologies in the compiled tier, as the pipeline does.
        const workers = opts.workers === undefined ? undefined : intOption('--workers', opts.workers, 1, 64);
        process.stdout.write(await pipelineReport(opts.json === true, n, workers, progress, tier === 'interp' ? 'interp' : 'compiled'));
        return;
      }
      const batchMs = intOption('--batch-ms', opts.batchMs, 10, 60_000);
      const tiers: Tier[] = tier === 'both' ? ['interp', 'compiled'] : [tier as Tier];
      let cases = [...objectBenchCases(benchDir(), proven), ...bytecodeBenchCases()];
      if (opts.program) {
        const want = opts.program.split(',').map((s) => s.trim()).filter(Boolean);
        const unknown = want.filter((w) => !cases.some((c) => c.name === w));
        if (unknown.length) fail('usage', `no benchmark named ${unknown.join(', ')}; known: ${cases.map((c) => c.name).join(', ')}`);
        cases = cases.filter((c) => want.includes(c.name));
      }
      if (opts.gcRuns !== undefined) return gcCheck(cases, tiers, intOption('--gc-runs', opts.gcRuns, 1, 1e9), opts.pipeline);
      const status = opts.kernel ? kernelStatus() : { ok: false as const, reason: '--no-kernel' };
      const rows: Row[] = [];
      for (const c of cases) {
        const row: Row = { name: c.name, description: c.description, tiers: [] };
        for (const tier of tiers) {
          progress(`bench: ${c.name} (${tier})...`);
          row.tiers.push(timeCase(c, tier, batchMs));
        }
        if (tiers.includes('interp')) row.helperNs = c.object ? helperNsPerRun(c, batchMs) : 0;
        if (c.object && status.ok) {
          progress(`bench: ${c.name} (kernel)...`);
          row.kernel = kernelRun(c, Math.min(...row.tiers.map((t) => t.nsPerRun)));
          row.ratios = Object.fromEntries(row.tiers.map((t) => [t.tier, t.nsPerRun / row.kernel!.nsPerRun]));
        } else row.kernelSkipped = c.object ? status.ok ? undefined : (status as { reason: string }).reason : 'bytecode only';
        rows.push(row);
      }
      const drop = cases.find((c) => c.name === 'drop_udp') ?? objectBenchCases(benchDir(), proven).find((c) => c.name === 'drop_udp');
      const pipeline: PipelineResult[] = [];
      if (opts.pipeline && drop) {
        for (const t of tiers) {
          progress(`bench: pipeline (${t})...`);
          pipeline.push(timePipeline(drop, t, batchMs));
        }
      }
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      if (opts.json) {
        const ubpf = { callNs: UBPF_CALL_NS, insnNs: UBPF_INSN_NS };
        process.stdout.write(JSON.stringify({ batchMs, ubpf, results: rows, pipeline }, null, 2) + '\n');
        return;
      }
      process.stdout.write(formatTable(rows, tiers, status.ok ? undefined : status.reason));
      for (const p of pipeline) {
        process.stdout.write(`pipeline (${p.tier}): ${p.mpps.toFixed(2)} Mpps, ${p.nsPerPacket.toFixed(1)} ns/packet (mempool -> runBurst(${p.program}) -> sink, ${p.frameSize}-byte frames, bursts of ${p.burst})\n`);
      }
    }));
}

interface BenchOptions {
  tier: string; interp?: boolean; compiled?: boolean; kernel: boolean; pipeline: boolean; gcRuns?: string;
  program?: string; batchMs: string; json?: boolean; smartnic?: boolean; topologies?: boolean; pcapPackets: string; workers?: string;
}

/**
 * Run every program (and the pipeline) a fixed number of times between two marker lines on
 * stdout, so `node --trace-gc` output (also on stdout) shows any collection inside them.
 */
function gcCheck(cases: BenchCase[], tiers: Tier[], runs: number, pipeline: boolean): void {
  for (const c of cases) {
    for (const t of tiers) {
      runFixed(c, t, runs, () => process.stdout.write(`gc-check: ${c.name} ${t}: ${runs} runs: begin\n`));
      process.stdout.write(`gc-check: ${c.name} ${t}: end\n`);
    }
  }
  const drop = objectBenchCases(benchDir(), proven).find((c) => c.name === 'drop_udp');
  if (!pipeline || !drop) return;
  for (const t of tiers) {
    const p = new PipelineBench(drop, t);
    p.run(1000);
    const bursts = Math.ceil(runs / p.burst);
    process.stdout.write(`gc-check: pipeline ${t}: ${bursts * p.burst} packets: begin\n`);
    p.run(bursts);
    process.stdout.write(`gc-check: pipeline ${t}: end\n`);
  }
}

/** uBPF's C interpreter on this machine (issue 5): about 19 ns per call and 3.7 per executed instruction. */
export const UBPF_CALL_NS = 19, UBPF_INSN_NS = 3.7;
const ubpfNs = (insns: number): number => UBPF_CALL_NS + UBPF_INSN_NS * insns;

function formatTable(rows: Row[], tiers: Tier[], kernelReason?: string): string {
  const interp = tiers.includes('interp');
  const head = ['program', 'insns/run', ...tiers.flatMap((t) => [`${t} ns`, `${t} Mpps`, `${t} M insn/s`]), 'kernel ns', ...tiers.map((t) => `${t}/kernel`),
    ...(interp ? ['helpers ns', 'uBPF model ns', 'interp/uBPF', 'less helpers'] : [])];
  const fmt = (x: number | undefined, d: number): string => (x === undefined ? '-' : x.toFixed(d));
  const body = rows.map((r) => {
    const it = r.tiers.find((t) => t.tier === 'interp');
    return [
      r.name, String(r.tiers[0]!.insnsPerRun),
      ...r.tiers.flatMap((t) => [fmt(t.nsPerRun, 1), fmt(t.mpps, 2), fmt(t.insnsPerSecond / 1e6, 0)]),
      r.kernel ? String(r.kernel.nsPerRun) : '-',
      ...tiers.map((t) => (r.ratios?.[t] === undefined ? '-' : `${r.ratios[t]!.toFixed(2)}x`)),
      ...(it ? [fmt(r.helperNs, 1), fmt(ubpfNs(it.insnsPerRun), 1), `${(it.nsPerRun / ubpfNs(it.insnsPerRun)).toFixed(2)}x`,
        `${((it.nsPerRun - (r.helperNs ?? 0)) / ubpfNs(it.insnsPerRun)).toFixed(2)}x`] : []),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  let out = `${line(head)}\n${body.map(line).join('\n')}\n`;
  for (const r of rows) {
    const rv = [...new Set([...r.tiers.map((t) => t.retval), ...(r.kernel ? [r.kernel.retval] : [])])];
    if (rv.length > 1) out += `note: ${r.name}: the return values differ (${r.tiers.map((t) => `${t.tier} ${t.retval}`).join(', ')}${r.kernel ? `, kernel ${r.kernel.retval}` : ''})\n`;
  }
  if (kernelReason) out += `kernel: not measured (${kernelReason})\n`;
  if (interp) {
    out += `uBPF model: ${UBPF_CALL_NS} ns per run + ${UBPF_INSN_NS} ns per executed instruction (uBPF's C interpreter here). Helpers run in JavaScript\n`
      + `and are included in interp ns; helpers ns is their share (each call replayed and timed), "less helpers" the interpreter's own.\n`;
  }
  return out;
}
