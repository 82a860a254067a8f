// A loaded object ready to run, like the kernel after `bpftool prog loadall`: maps created and
// initialised, lddw resolved to map pointers and global-data addresses, map value storage
// exposed as memory regions, one VM per program sharing memory and counters (so tail calls
// find the object's other programs), BPF_PROG_TEST_RUN's behaviour in testRun, and runBurst,
// the per-burst hot path of a pipeline: the program on mbufs of a Mempool, in place.
// VMs are of the tier asked for (default: the compiled tier, with map lookups inlined).
import { fail } from '../../diag/index.js';
import { findProgram, unknownSectionMessage, type BpfObject, type BpfProgram } from '../../elf/index.js';
import { dumpJson, formatDump, type BpfMap, type SetupEntry } from '../../maps/index.js';
import type { Insn } from '../../isa/index.js';
import { Counters } from '../counters.js';
import type { Interpreter } from '../interp.js';
import { CTX, Memory } from '../memory.js';
import { createVM, type Tier } from '../compiled/index.js';
import { checkHelperCalls, xdpHelpers, type FibLookup, type HelperEnv, type RedirectTarget } from '../helpers/index.js';
import { copyRedirect, VirtualClock } from '../helpers/env.js';
import { SLOT_SIZE, type Mempool } from '../../packet/index.js';
import { inlineMaps } from './inline.js';
import { XdpFrame, checkXdpInput } from '../xdp/index.js';
import { hostCpus } from './cpus.js';
import { arenaBytesFor, createMaps, selectCpu, type LiveMaps } from './maps.js';
import { applySetup } from './setup.js';
import { lowerPrograms } from './kfuncs-lower.js';

export interface RuntimeOptions {
  /**
   * Per program name: slots whose memory accesses a verifier proved in bounds on every path.
   * The compiled tier drops those checks. Ignored for a program the loader rewrote (kfuncs,
   * bpf_loop inlining), since its slots no longer match what was verified.
   */
  provenSafe?: ReadonlyMap<string, ReadonlySet<number>>;
  /** The program testRun runs (name or section); required when the object has several. */
  prog?: string;
  /** Possible CPUs (copies in per-CPU maps); default: this host's, as bpftool shows them. */
  cpus?: number;
  /** Map updates applied after load. */
  setup?: readonly SetupEntry[];
  /** Seed of bpf_get_prandom_u32. */
  seed?: number;
  /** Execution tier: 'compiled' (the default) or 'interp' (the reference interpreter). */
  tier?: Tier;
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
  readonly memory: Memory;
  readonly counters = new Counters();
  readonly maps: LiveMaps;
  readonly program: BpfProgram;
  private readonly vms: Interpreter[] = [];
  private readonly env: HelperEnv;
  private readonly frame: XdpFrame;
  private readonly cpus: number;
  private pendingTail = -1;
  private tails = 0;
  /** Instructions of the last packet (tail calls included). */
  private lastInsns = 0;
  private readonly tailKey = new Uint8Array(4);
  private readonly tailKeyView = new DataView(this.tailKey.buffer);
  /** The execution tier of the programs. */
  readonly tier: Tier;
  private readonly mainIndex: number;

  constructor(readonly object: BpfObject, opts: RuntimeOptions = {}) {
    this.tier = opts.tier ?? 'compiled';
    if (this.tier !== 'interp' && this.tier !== 'compiled') fail('usage', `unknown tier '${String(opts.tier)}'; expected 'interp' or 'compiled'`);
    this.program = findProgram(object, opts.prog);
    if (this.program.type === 'unknown') fail('usage', unknownSectionMessage(object.file, this.program.name, this.program.section));
    if (this.program.type !== 'xdp') fail('usage', `${object.file}: program ${this.program.name} (section ${this.program.section}) is not an XDP program`);
    if (this.program.attach === 'devmap' || this.program.attach === 'cpumap') {
      fail('usage', `${object.file}: ${this.program.name} is a ${this.program.attach} program (section ${this.program.section}); the kernel's test run refuses those (EINVAL)`);
    }
    this.cpus = opts.cpus ?? hostCpus();
    if (!Number.isInteger(this.cpus) || this.cpus < 1 || this.cpus > 4096) fail('usage', `cpus must be from 1 to 4096, got ${opts.cpus}`);
    this.memory = new Memory({ arenaBytes: arenaBytesFor(object, this.cpus) });
    const ids = new Map(object.programs.map((p, i): [string, number] => [p.name, i + 1]));
    this.maps = createMaps(object, this.memory, this.cpus, 0, (n) => ids.get(n), (id) => id >= 1 && id <= object.programs.length);
    this.frame = new XdpFrame(this.memory);
    let seed = (opts.seed ?? 0) >>> 0;
    const self = this;
    this.env = {
      frame: this.frame, cpu: 0, trace: [], traceDropped: 0, events: [], clock: new VirtualClock(1_000_000_000n), fib: opts.fib,
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
    const lowered = lowerPrograms(object, this.env, this.memory, helpers, this.maps); // kfuncs, bpf_loop
    const resolve = (insn: Insn) => {
      const i = insn.imm;
      if (i < 0 || i >= this.maps.list.length) fail('elf', `${object.file}: lddw at insn ${insn.slot} names map ${i}, but the object has ${this.maps.list.length}`, { pc: insn.slot });
      return insn.src === 1
        ? { lo: 0, hi: this.memory.tag(this.maps.ptrRegion[i]!) }
        : { lo: insn.imm64hi, hi: this.memory.tag(this.maps.valueRegion[i]!) };
    };
    // Map names get their counter slots now, so no slot is added during a run.
    for (const m of this.maps.list) this.counters.mapSlot(m.spec.name);
    const inline = inlineMaps(this.maps, this.env);
    for (const p of object.programs) {
      if (p.type !== 'xdp') { this.vms.push(undefined as unknown as Interpreter); continue; }
      const code = lowered.code.get(p)!;
      checkHelperCalls(code, helpers, `${object.file}: program ${p.name}`);
      const provenSafe = code === p.insns ? opts.provenSafe?.get(p.name) : undefined;
      const vm = createVM(code, { tier: this.tier, helpers, resolveLddw: resolve, memory: this.memory, counters: this.counters, budget: opts.budget, inlineMaps: inline, provenSafe });
      vm.setArgPointer(1, CTX, 0);
      this.vms.push(vm);
    }
    this.mainIndex = object.programs.indexOf(this.program);
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
    this.tailKeyView.setUint32(0, index, true);
    const off = map.lookup(this.tailKey, 0, 0);
    if (off < 0) return false;
    const v = map.valueStorage(0);
    const id = (v[off]! | (v[off + 1]! << 8) | (v[off + 2]! << 16) | (v[off + 3]! << 24)) >>> 0;
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
    const main = this.vms[this.mainIndex]!;
    let retval = 0, insns = 0, total = 0, tailCalls = 0;
    const step = 4096;
    const t0 = process.hrtime.bigint();
    for (let r = 0; r < repeat; r++) {
      if (opts.progress && r % step === 0 && r > 0) opts.progress(r, repeat);
      env.clock.advance(1000);
      retval = this.runPacket(main);
      insns = this.lastInsns;
      tailCalls += this.tails;
      total += insns;
    }
    const durationNs = Number(process.hrtime.bigint() - t0) / repeat;
    return {
      retval, dataOut: this.frame.output(), redirect: retval === 4 && env.redirect ? copyRedirect(env.redirect) : undefined, trace: env.trace, traceDropped: env.traceDropped,
      events: env.events, durationNs, insns, insnsTotal: total, repeat, tailCalls,
    };
  }

  /** One packet: the main program and the programs it tail-calls; r0 as a u32. */
  private runPacket(main: Interpreter): number {
    this.tails = 0;
    this.pendingTail = -1;
    let vm = main, insns = 0, retval = 0;
    for (;;) {
      const res = vm.run();
      insns += res.insns;
      retval = res.lo >>> 0;
      if (this.pendingTail < 0) break;
      vm = this.vms[this.pendingTail]!;
      this.pendingTail = -1;
    }
    this.lastInsns = insns;
    return retval;
  }

  /**
   * The XDP hook on a burst: run the program on mbufs `handles[0..n)` of `pool` in place (as
   * a driver does: the frame in its page, headroom and metadata kept), with no allocation.
   * verdicts[i] gets the XDP action; data and metadata moves (adjust_head/tail/meta) are
   * written back to the pool's dataOff/dataLen/metaOff. When `targets` is given, targets[i]
   * gets the redirect's ifindex or map key for XDP_REDIRECT, else -1. The ctx's
   * ingress_ifindex is pool.port[h], rx_queue_index 0. The virtual clock is not advanced
   * (set it per burst: `clock.setNs(t)`). A fault ends the burst with the diagnostic; the
   * packets before it have their verdicts.
   */
  runBurst(pool: Mempool, handles: Int32Array, n: number, verdicts: Int32Array, targets?: Int32Array): void {
    if (!Number.isInteger(n) || n < 0 || n > handles.length || n > verdicts.length || (targets !== undefined && n > targets.length)) {
      fail('usage', `runBurst: ${n} packets do not fit the handle, verdict or target arrays`);
    }
    const main = this.vms[this.mainIndex]!, f = this.frame, bytes = pool.bytes, env = this.env;
    for (let i = 0; i < n; i++) {
      const h = handles[i]!, data = pool.dataOff[h]!;
      f.attach(bytes, h * SLOT_SIZE, pool.metaOff[h]!, data, data + pool.dataLen[h]!);
      f.setIds(pool.port[h]!, 0);
      env.redirect = undefined;
      const v = this.runPacket(main);
      verdicts[i] = v;
      const rd = env.redirect as RedirectTarget | undefined; // set by the helpers during the run
      if (targets !== undefined) targets[i] = v === 4 && rd !== undefined ? rd.index : -1;
      pool.metaOff[h] = f.meta;
      pool.dataOff[h] = f.data;
      pool.dataLen[h] = f.end - f.data;
    }
  }

  /** The VM of the program testRun and runBurst run (of this runtime's tier). */
  get vm(): Interpreter { return this.vms[this.mainIndex]!; }

  /** The virtual clock bpf_ktime_get_ns reads (nanoseconds; testRun adds 1000 per run). */
  get clock(): VirtualClock { return this.env.clock; }

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
