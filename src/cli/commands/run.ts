// `xdplab run OBJ --data-in FILE`: BPF_PROG_TEST_RUN in the VM, printed like `bpftool prog run`.
import type { Command } from 'commander';
import { fail } from '../../diag/index.js';
import { loadObject, parseGlobalOption, parseMapSizeOption, splitGlobalLines, type GlobalSetting } from '../../elf/index.js';
import { parseSetup } from '../../maps/index.js';
import { parsePacket } from '../../packet/index.js';
import { loadRuntime, hostCpus, type Runtime, type TestRunResult } from '../../vm/runtime/index.js';
import type { Tier } from '../../vm/index.js';
import { parseRoutes, type RedirectTarget } from '../../vm/helpers/index.js';
import { verifiedSlots } from '../../verifier/index.js';
import { NicFibLookup, SmartNic, parseSetup as parseNicSetup } from '../../smartnic/index.js';
import { action, intOption, readInput, readText, tierOption, TIER_HELP, writeOutput } from '../util.js';

export interface CommonRuntimeOptions {
  prog?: string; setup?: string; cpus?: string; seed?: string; fib?: string;
  /** vRouter tables (YAML) whose FIB answers bpf_fib_lookup. */
  tables?: string;
  /** Execution tier: interp or compiled (the default). */
  tier?: string;
  /** false with --no-verify: run without the verifier (and without dropping any check). */
  verify?: boolean;
  /** Load-time settings (libbpf before bpf_object__load): see src/elf/object-options.ts. */
  rodata?: string[]; mapSize?: string[]; type?: string; coreBtf?: string;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** Load OBJ with the options `run` and `map dump` share. */
export function openRuntime(file: string, o: CommonRuntimeOptions, needProgram: boolean): Runtime {
  const setup = o.setup === undefined ? undefined : splitGlobalLines(readText(o.setup), o.setup); // `rodata NAME VALUE` lines
  const globals: GlobalSetting[] = [...(setup?.settings ?? []), ...(o.rodata ?? []).map(parseGlobalOption)];
  if (o.type !== undefined && o.type !== 'xdp') fail('usage', `--type takes xdp (the only program type xdplab runs), got '${o.type}'`);
  const mapSizes: Record<string, number> = {};
  for (const a of o.mapSize ?? []) parseMapSizeOption(a, mapSizes);
  const coreTarget = o.coreBtf === undefined ? undefined : o.coreBtf === 'kernel' || o.coreBtf === 'bundled' ? o.coreBtf : { path: o.coreBtf };
  const obj = loadObject(readInput(file), file, { globals, mapSizes, type: o.type as 'xdp' | undefined, coreTarget });
  for (const w of obj.warnings ?? []) process.stderr.write(`warning: ${w}\n`);
  let prog = o.prog;
  // `map dump` needs no program; pick the first XDP one so an object with several still loads.
  if (!needProgram && prog === undefined) prog = obj.programs.find((p) => p.type === 'xdp' && p.attach === 'xdp')?.name;
  if (prog === undefined && obj.programs.length === 0) fail('usage', `${file} holds no programs`);
  return loadRuntime(obj, {
    prog,
    provenSafe: o.verify === false || !needProgram ? undefined : verifiedSlots(obj, prog, 'run it anyway, unverified, with --no-verify (checks stay on)'),
    cpus: o.cpus === undefined ? hostCpus() : intOption('--cpus', o.cpus, 1, 4096),
    seed: o.seed === undefined ? undefined : intOption('--seed', o.seed, 0, 0xffffffff),
    setup: setup === undefined ? undefined : parseSetup(setup.rest, o.setup),
    fib: o.tables !== undefined ? tablesFib(o.tables, o.fib) : o.fib === undefined ? undefined : parseRoutes(readText(o.fib), o.fib),
    tier: tierOption(o.tier),
  });
}

/** bpf_fib_lookup from the SmartNIC's FIB of a vRouter table setup. */
function tablesFib(path: string, fib: string | undefined): NicFibLookup {
  if (fib !== undefined) fail('usage', 'give routes with --fib FILE or --tables FILE, not both');
  const nic = new SmartNic();
  nic.apply(parseNicSetup(readText(path), path));
  return new NicFibLookup(nic);
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export function describeRedirect(r: RedirectTarget): string {
  if (r.kind === 'ifindex') return `ifindex ${r.index}`;
  const what = r.kind === 'cpumap' ? `cpu ${r.index}` : r.kind === 'xskmap' ? `queue ${r.index}` : `key ${r.index}`;
  const val = r.value === undefined ? '' : r.kind === 'cpumap' ? ` (qsize ${r.value})` : ` (ifindex ${r.value})`;
  const flags = r.flags ? ` flags 0x${r.flags.toString(16)}` : '';
  return `${r.kind} '${r.map}' ${what}${val}${flags}`;
}

/** Progress on stderr once a run has taken more than a second. */
function progressReporter(): ((done: number, total: number) => void) & { finish(): void } {
  const t0 = Date.now();
  let last = 0, shown = false;
  const tty = process.stderr.isTTY === true;
  const f = (done: number, total: number): void => {
    const now = Date.now();
    if (now - t0 < 1000 || now - last < (tty ? 200 : 5000)) return;
    last = now;
    shown = true;
    const line = `running: ${done}/${total} runs (${Math.floor((100 * done) / total)}%)`;
    process.stderr.write(tty ? `\r${line}` : `${line}\n`);
  };
  return Object.assign(f, { finish: () => { if (shown && tty) process.stderr.write('\r\x1b[K'); } });
}

export function resultJson(rt: Runtime, r: TestRunResult): unknown {
  return {
    retval: r.retval, duration: Math.round(r.durationNs), repeat: r.repeat, data_out: hex(r.dataOut),
    redirect: r.redirect ?? null, trace: r.trace, ...(r.traceDropped ? { trace_dropped: r.traceDropped } : {}),
    events: r.events.map((e) => ({ map: e.map, data: hex(e.data) })), insns: r.insns, tail_calls: r.tailCalls,
    maps: rt.dumpMapsJson(),
  };
}

/** Average ns per run once V8 has optimised the program: ~150 ms of warm-up, then the best of 3. */
function warmDuration(twin: Runtime, packet: Uint8Array, cpu: number, ctxIn?: Uint8Array): number {
  const t0 = performance.now();
  let chunk = 1000;
  while (performance.now() - t0 < 150) {
    const d = twin.testRun(packet, { repeat: chunk, cpu, ctxIn }).durationNs;
    chunk = Math.max(1000, Math.min(1_000_000, Math.round(20e6 / Math.max(d, 1))));
  }
  let best = Infinity;
  for (let i = 0; i < 3; i++) best = Math.min(best, twin.testRun(packet, { repeat: chunk, cpu, ctxIn }).durationNs);
  return best;
}

interface RunOptions extends CommonRuntimeOptions {
  dataIn?: string; packet?: string; dataOut?: string; repeat: string; ctxIn?: string; cpu: string; json?: boolean;
}

export function register(program: Command): void {
  program
    .command('run')
    .description('run an XDP program on a packet, like `bpftool prog run` (BPF_PROG_TEST_RUN)')
    .argument('<object>', 'BPF object (.o) from clang -target bpf')
    .option('--prog <name>', 'program (function or section name) when the object has several')
    .option('--data-in <file>', 'the packet (raw bytes, from the Ethernet header on)')
    .option('--packet <text>', "the packet in the packet notation instead of --data-in: 'eth()/ipv4()/udp(dport=53)'")
    .option('--data-out <file>', 'write the packet after the run (data_meta to data_end, as the kernel)')
    .option('--repeat <n>', 'run this many times on the same frame (not reset between runs, as the kernel)', '1')
    .option('--setup <file>', 'map updates before the run: `name MAP key BYTES value BYTES` lines (bpftool syntax)')
    .option('--ctx-in <file>', 'struct xdp_md bytes (24), as bpftool ctx_in: data = metadata length, data_end = packet size')
    .option('--cpu <n>', 'CPU the program runs on (bpf_get_smp_processor_id, per-CPU map copies)', '0')
    .option('--cpus <n>', 'possible CPUs, the copies per-CPU maps hold (default: this host)')
    .option('--seed <n>', 'seed of bpf_get_prandom_u32')
    .option('--tables <file>', 'vRouter table setup (YAML, as `xdplab tables`): bpf_fib_lookup answers from the SmartNIC FIB')
    .option('--fib <file>', 'routes for bpf_fib_lookup: `10.0.0.0/8 dev 2 smac MAC dmac MAC` lines')
    .option('--rodata <name=value>', 'set a global (const volatile) variable before load; repeatable: port=53, mac=02:00:00:00:00:01', collect)
    .option('--map-size <name=n>', 'max_entries of a map before load (maps declared with 0 need one); repeatable', collect)
    .option('--type <type>', 'program type for sections libbpf does not recognise (xdp)')
    .option('--core-btf <btf>', 'CO-RE target: kernel, bundled, or a BTF file (default: the kernel\'s, else bundled)')
    .option('--no-verify', 'run even when the verifier rejects the program (every memory access stays checked)')
    .option('--tier <tier>', TIER_HELP)
    .option('--json', 'print retval, data_out (hex), redirect, trace output and every map (bpftool map dump -j shape)')
    .addHelpText('after', `
Prints \`Return value: N, duration (average): Nns\` as bpftool does; trace_printk output and a
redirect target follow. Packets must be 14 to 3520 bytes (one frame), as the kernel's test run.

Examples:
  $ xdplab run programs/xdp/drop_udp.o --data-in pkt.bin --data-out out.bin
  $ xdplab run programs/xdp/proto_count.o --data-in pkt.bin --repeat 1000000
  $ xdplab run programs/xdp/drop_udp.o --packet 'eth()/ipv4()/udp(dport=9999)'
  $ xdplab run programs/xdp/drop_udp.o --packet 'eth()/ipv4()/udp()' --tier interp --repeat 1000000
  $ xdplab run prog.o --prog xdp_main --setup maps.setup --json
  $ xdplab run programs/realworld/rodata_filter.o --rodata blocked_port=53 --data-in pkt.bin
  $ xdplab run programs/realworld/unsized_map.o --map-size flows=1024 --data-in pkt.bin
A setup file may also set globals with \`rodata NAME VALUE\` lines.`)
    .action(action((file: string, o: RunOptions) => {
      if (o.dataIn !== undefined && o.packet !== undefined) fail('usage', 'give the packet with --data-in FILE or --packet TEXT, not both');
      if (o.dataIn === undefined && o.packet === undefined) fail('usage', 'give the packet with --data-in FILE (raw bytes from the Ethernet header on) or --packet TEXT (packet notation)');
      const packet = o.packet !== undefined ? parsePacket(o.packet, '--packet') : readInput(o.dataIn!);
      const repeat = intOption('--repeat', o.repeat, 1, 1e9);
      const rt = openRuntime(file, o, true);
      const progress = progressReporter();
      const r = rt.testRun(packet, {
        repeat, cpu: intOption('--cpu', o.cpu, 0, 4095), ctxIn: o.ctxIn === undefined ? undefined : readInput(o.ctxIn), progress,
      });
      progress.finish();
      // The first runs time V8 compiling the program (even a million runs of 20 ns average in
      // 10 ns of it); like bpftool's figure, which times an already JIT-compiled program, report
      // a warm one: the same run repeated on a twin runtime whose maps nobody reads.
      r.durationNs = warmDuration(openRuntime(file, o, true), packet, intOption('--cpu', o.cpu, 0, 4095), o.ctxIn === undefined ? undefined : readInput(o.ctxIn));
      if (o.dataOut !== undefined) writeOutput(o.dataOut, r.dataOut);
      if (o.json) { process.stdout.write(JSON.stringify(resultJson(rt, r)) + '\n'); return; }
      let s = `Return value: ${r.retval}, duration${repeat > 1 ? ' (average)' : ''}: ${Math.round(r.durationNs)}ns\n`;
      if (r.redirect) s += `Redirect: ${describeRedirect(r.redirect)}\n`;
      for (const line of r.trace) s += `trace: ${line.replace(/\n$/, '')}\n`;
      if (r.traceDropped) s += `trace: (${r.traceDropped} more lines not kept)\n`;
      process.stdout.write(s);
    }));
}
