// A loaded object ready to run, like the kernel after `bpftool prog loadall`: maps created and
// initialised, lddw resolved to map pointers and global-data addresses, map value storage
// exposed as memory regions, one interpreter per program sharing memory and counters (so
// tail calls find the object's other programs), and BPF_PROG_TEST_RUN's behaviour in testRun.
import { fail } from '../../diag/index.js';
import { findProgram, type BpfObject, type BpfProgram } from '../../elf/index.js';
import { dumpJson, formatDump, type BpfMap, type SetupEntry } from '../../maps/index.js';
import type { Insn } from '../../isa/index.js';
import { Counters } from '../counters.js';
import { Interpreter } from '../interp.js';
import { CTX, Memory } from '../memory.js';
import { checkHelperCalls, xdpHelpers, type FibLookup, type HelperEnv, type RedirectTarget } from '../helpers/index.js';
import { XdpFrame, checkXdpInput } from '../xdp/index.js';
import { hostCpus } from './cpus.js';
import { createMaps, selectCpu, type LiveMaps } from './maps.js';
import { applySetup } from './setup.js';

export interface RuntimeOptions {
  /** The program testRun runs (name or section); required when the object has several. */
  prog?: string;
  /** Possible CPUs (copies in per-CPU maps); default: this host's, as bpftool shows them. */
  cpus?: number;
  /** Map updates applied after load. */
  setup?: readonly SetupEntry[];
  /** Seed of bpf_get_prandom_u32. */
  seed?: number;
  /** Execution tier; only the interpreter exists so far. */
  tier?: 'interp';
  fib?: FibLookup;
  /** Instruction budget per run (default: the interpreter's). */
  budget?: number;
}

export interface TestRunOptions {
  repeat?: number;
  /** struct xdp_md bytes, as bpftool's ctx_in. */
  ctxIn?: Uint8Array;
  cpu?: number;
  /** Called every few thousand runs with the runs done so far. */
  progress?: (done: number, total: number) => void;
}

export interface TestRunResult {
  /** r0 of the last run (u32), as the kernel's retval. */
  retval: number;
  /** The frame from data_meta to data_end after the last run. */
  dataOut: Uint8Array;
  redirect?: RedirectTarget;
  trace: string[];
  /** trace_printk lines not kept (more than TRACE_MAX). */
  traceDropped: number;
  events: { map: string; data: Uint8Array }[];
  /** Wall-clock average per run. */
  durationNs: number;
  /** Instructions executed by the last run (tail-called programs included), and by all runs. */
  insns: number;
  insnsTotal: number;
  repeat: number;
  tailCalls: number;
}

const MAX_TAIL_CALL_CNT = 33;

export class Runtime {
  readonly memory = new Memory();
  readonly counters = new Counters();
  readonly maps: LiveMaps;
  readonly program: BpfProgram;
  private readonly vms: Interpreter[] = [];
  private readonly env: HelperEnv;
  private readonly frame: XdpFrame;
  private readonly cpus: number;
  private pendingTail = -1;
  private tails = 0;

  constructor(readonly object: BpfObject, opts: RuntimeOptions = {}) {
    if (opts.tier !== undefined && opts.tier !== 'interp') fail('usage', `unknown tier '${opts.tier}'; available: interp`);
    this.program = findProgram(object, opts.prog);
    if (this.program.type !== 'xdp') fail('usage', `${object.file}: program ${this.program.name} (section ${this.program.section}) is not an XDP program`);
    if (this.program.attach === 'devmap' || this.program.attach === 'cpumap') {
      fail('usage', `${object.file}: ${this.program.name} is a ${this.program.attach} program (section ${this.program.section}); the kernel's test run refuses those (EINVAL)`);
    }
    this.cpus = opts.cpus ?? hostCpus();
    if (!Number.isInteger(this.cpus) || this.cpus < 1 || this.cpus > 4096) fail('usage', `cpus must be from 1 to 4096, got ${opts.cpus}`);
    const ids = new Map(object.programs.map((p, i): [string, number] => [p.name, i + 1]));
    this.maps = createMaps(object, this.memory, this.cpus, 0, (n) => ids.get(n), (id) => id >= 1 && id <= object.programs.length);
    this.frame = new XdpFrame(this.memory);
    let seed = (opts.seed ?? 0) >>> 0;
    const self = this;
    this.env = {
      frame: this.frame, cpu: 0, trace: [], traceDropped: 0, events: [], clock: { ns: 1_000_000_000n }, fib: opts.fib,
      mapAt: (r) => this.maps.ptrOwner.get(r),
      valueMapAt: (r) => this.maps.valueOwner.get(r),
      valueRegion: (m) => this.maps.regionOf.get(m)!,
      random: () => { // mulberry32: small, seeded, good enough for sampling decisions
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return (t ^ (t >>> 14)) >>> 0;
      },
      tailCall: (map, index) => self.tailCall(map, index),
    };
    const helpers = xdpHelpers(this.env);
    const resolve = (insn: Insn) => {
      const i = insn.imm;
      if (i < 0 || i >= this.maps.list.length) fail('elf', `${object.file}: lddw at insn ${insn.slot} names map ${i}, but the object has ${this.maps.list.length}`, { pc: insn.slot });
      return insn.src === 1
        ? { lo: 0, hi: this.memory.tag(this.maps.ptrRegion[i]!) }
        : { lo: insn.imm64hi, hi: this.memory.tag(this.maps.valueRegion[i]!) };
    };
    for (const p of object.programs) {
      if (p.type !== 'xdp') { this.vms.push(undefined as unknown as Interpreter); continue; }
      checkHelperCalls(p.insns, helpers, `${object.file}: program ${p.name}`);
      const vm = new Interpreter(p.insns, { helpers, resolveLddw: resolve, memory: this.memory, counters: this.counters, budget: opts.budget });
      vm.setArgPointer(1, CTX, 0);
      this.vms.push(vm);
    }
    if (opts.setup) this.setup(opts.setup);
  }

  /** Apply `bpftool map update`-style entries. */
  setup(entries: readonly SetupEntry[]): void {
    const ids = this.object.programs.map((p) => p.name);
    applySetup({ maps: this.maps.byName, programId: (n) => (ids.includes(n) ? ids.indexOf(n) + 1 : undefined), programNames: () => ids }, entries);
  }

  map(name: string): BpfMap {
    const m = this.maps.byName.get(name);
    if (!m) fail('usage', `${this.object.file} has no map named '${name}'; it has: ${[...this.maps.byName.keys()].join(', ') || 'none'}`);
    return m;
  }

  private tailCall(map: BpfMap, index: number): boolean {
    if (index >= map.spec.maxEntries || this.tails >= MAX_TAIL_CALL_CNT) return false;
    this.tails++;
    const off = map.lookup(new Uint8Array([index & 0xff, (index >> 8) & 0xff, (index >> 16) & 0xff, index >>> 24]), 0, 0);
    if (off < 0) return false;
    const id = new DataView(map.valueStorage(0).buffer, map.valueStorage(0).byteOffset).getUint32(off, true);
    const vm = this.vms[id - 1];
    if (!vm) return false;
    this.pendingTail = id - 1;
    return true;
  }

  /** BPF_PROG_TEST_RUN: run the program `repeat` times on one frame (not reset between runs). */
  testRun(packet: Uint8Array, opts: TestRunOptions = {}): TestRunResult {
    const repeat = opts.repeat ?? 1;
    if (!Number.isSafeInteger(repeat) || repeat < 1) fail('usage', `repeat must be a positive integer, got ${repeat}`);
    const cpu = opts.cpu ?? 0;
    if (!Number.isInteger(cpu) || cpu < 0 || cpu >= this.cpus) fail('usage', `cpu ${cpu} does not exist; CPUs are 0 to ${this.cpus - 1}`);
    const input = checkXdpInput(packet.length, opts.ctxIn);
    const env = this.env;
    env.cpu = cpu;
    selectCpu(this.maps, this.memory, cpu);
    env.trace = [];
    env.events = [];
    env.redirect = undefined;
    env.traceDropped = 0;
    this.frame.load(packet, input.metaLen);
    this.frame.setIds(input.ingressIfindex, input.rxQueue);
    const main = this.vms[this.object.programs.indexOf(this.program)]!;
    let retval = 0, insns = 0, total = 0, tailCalls = 0;
    const step = 4096;
    const t0 = process.hrtime.bigint();
    for (let r = 0; r < repeat; r++) {
      if (opts.progress && r % step === 0 && r > 0) opts.progress(r, repeat);
      env.clock.ns += 1000n;
      this.tails = 0;
      this.pendingTail = -1;
      let vm = main;
      insns = 0;
      for (;;) {
        const res = vm.run();
        insns += res.insns;
        retval = res.lo >>> 0;
        if (this.pendingTail < 0) break;
        vm = this.vms[this.pendingTail]!;
        this.pendingTail = -1;
      }
      tailCalls += this.tails;
      total += insns;
    }
    const durationNs = Number(process.hrtime.bigint() - t0) / repeat;
    return {
      retval, dataOut: this.frame.output(), redirect: retval === 4 ? env.redirect : undefined, trace: env.trace, traceDropped: env.traceDropped,
      events: env.events, durationNs, insns, insnsTotal: total, repeat, tailCalls,
    };
  }

  /** Every map as `bpftool map dump -j` shows it, by name. */
  dumpMapsJson(): Record<string, unknown[]> {
    const out: Record<string, unknown[]> = {};
    for (const [name, m] of this.maps.byName) out[name] = dumpJson(m);
    return out;
  }

  dumpMapText(name: string): string { return formatDump(this.map(name)); }
}

export function loadRuntime(object: BpfObject, opts: RuntimeOptions = {}): Runtime {
  return new Runtime(object, opts);
}
