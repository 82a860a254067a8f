// Benchmarks for `xdplab bench`: the bundled objects in programs/bench (loaded by the object
// runtime, maps filled from their setup files) and two bytecode programs, timed per tier.
// Timing lives here so the CLI stays thin; tests never assert on it. A figure is ns per
// vm.run() on a loaded frame (the packet stays in place between runs, as in the kernel's
// test run with repeat), the fastest of several batches, in CPU time of this process (so a
// loaded machine does not count other processes' time). The pipeline figure (pipeline.ts)
// is Mpps through Runtime.runBurst.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../diag/index.js';
import { loadObject, type BpfObject } from '../elf/index.js';
import { byName, make, type Insn, type Shape } from '../isa/index.js';
import { parseSetup } from '../maps/index.js';
import { CompiledVM, type Tier } from './compiled/index.js';
import { Interpreter } from './interp.js';
import type { HelperFn } from './call.js';
import { PACKET, STACK } from './memory.js';
import { loadRuntime } from './runtime/index.js';

export interface BenchCase {
  name: string;
  description: string;
  /** The object file and its setup file, for object benchmarks (and the kernel). */
  object?: string;
  setup?: string;
  /** The packet each run sees. */
  packet: Uint8Array;
  /** A VM of the given tier, ready to run (packet loaded); r0 of a run is the verdict. */
  make(tier: Tier): Interpreter;
  /** Slots a verifier proved in bounds, by program name (object benchmarks, compiled tier). */
  proven?(object: BpfObject): ReadonlyMap<string, ReadonlySet<number>>;
}

export interface TierResult {
  tier: Tier;
  nsPerRun: number;
  mpps: number;
  insnsPerRun: number;
  insnsPerSecond: number;
  /** r0 of the run (low word), e.g. the XDP action. */
  retval: number;
  runs: number;
}

/** An Ethernet / IPv4 / UDP frame of `size` bytes, 192.168.1.7:12345 -> 10.1.2.3:9999, valid checksum. */
export function udpPacket(size: number): Uint8Array {
  if (size < 42) fail('usage', `a UDP packet needs at least 42 bytes, not ${size}`);
  const b = new Uint8Array(size);
  b.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00], 0);
  const ipLen = size - 14, udpLen = size - 34;
  b.set([0x45, 0, ipLen >> 8, ipLen & 255, 0, 1, 0x40, 0, 64, 17, 0, 0, 192, 168, 1, 7, 10, 1, 2, 3], 14);
  let s = 0;
  for (let i = 14; i < 34; i += 2) s += (b[i]! << 8) | b[i + 1]!;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  s = ~s & 0xffff;
  b[24] = s >> 8; b[25] = s & 255;
  b.set([0x30, 0x39, 0x27, 0x0f, udpLen >> 8, udpLen & 255, 0, 0], 34);
  for (let i = 42; i < size; i++) b[i] = (i * 31 + 7) & 0xff;
  return b;
}

/** The object benchmarks in programs/bench: name, packet size, what it shows. */
const OBJECTS: { name: string; size: number; description: string }[] = [
  { name: 'drop_udp', size: 64, description: 'parse Ethernet/IPv4/UDP, drop one port' },
  { name: 'swap_tx', size: 64, description: 'swap MAC/IP/ports, TTL-1 with checksum fix, XDP_TX' },
  { name: 'csum_1500', size: 1500, description: 'ones\' complement sum over 1500 bytes (loop)' },
  { name: 'flow_count', size: 64, description: '5-tuple hash map counter (lookup hit, 2 atomics)' },
  { name: 'lpm_fib', size: 64, description: 'LPM-trie FIB, next-hop MAC rewrite, redirect' },
];

/**
 * The benchmark objects found in `dir`. `proven` gives, per object, the slots a verifier proved
 * in bounds (by program name), so the compiled tier runs as it does after verification.
 */
export function objectBenchCases(dir: string, proven?: (object: BpfObject) => ReadonlyMap<string, ReadonlySet<number>>): BenchCase[] {
  return OBJECTS.filter((o) => existsSync(join(dir, `${o.name}.o`))).map((o) => {
    const object = join(dir, `${o.name}.o`);
    const setupFile = join(dir, `${o.name}.setup`);
    const setup = existsSync(setupFile) ? setupFile : undefined;
    const packet = udpPacket(o.size);
    return {
      name: o.name, description: o.description, object, setup, packet, proven,
      make(tier: Tier): Interpreter {
        const obj = loadObject(new Uint8Array(readFileSync(object)), object);
        const provenSafe = tier === 'compiled' && proven ? proven(obj) : undefined;
        const rt = loadRuntime(obj, { setup: setup ? parseSetup(readFileSync(setup, 'utf8'), setup) : undefined, cpus: 1, tier, provenSafe });
        rt.testRun(packet); // loads the frame (data, data_end, ctx) and runs once
        return rt.vm;
      },
    };
  });
}

/** One instruction by conformance mnemonic and operand shape. */
function I(name: string, shape: Shape, f: { dst?: number; src?: number; off?: number; imm?: number } = {}): Insn {
  const spec = byName(name).find((s) => s.shape === shape);
  if (!spec) throw new Error(`bench: no ${name} with shape ${shape}`);
  return make(spec, f);
}

/** r0 = 16-bit sum of the packet at r1, length r2 (even), carries folded twice. */
function checksumProgram(): Insn[] {
  const fold = [I('mov', 'alu_reg', { dst: 1, src: 0 }), I('rsh', 'alu_imm', { dst: 1, imm: 16 }), I('and', 'alu_imm', { dst: 0, imm: 0xffff }), I('add', 'alu_reg', { dst: 0, src: 1 })];
  return [
    I('mov', 'alu_imm', { dst: 0, imm: 0 }), I('mov', 'alu_reg', { dst: 3, src: 1 }), I('mov', 'alu_reg', { dst: 4, src: 1 }), I('add', 'alu_reg', { dst: 4, src: 2 }),
    // loop: r5 = *(u16 *)r3; r0 += r5; r3 += 2; if r3 < r4 goto loop
    I('ldxh', 'ldx', { dst: 5, src: 3, off: 0 }), I('add', 'alu_reg', { dst: 0, src: 5 }), I('add', 'alu_imm', { dst: 3, imm: 2 }), I('jlt', 'jcond_reg', { dst: 3, src: 4, off: -4 }),
    ...fold, ...fold, I('exit', 'exit'),
  ];
}

/** Ten ALU instructions and exit: mostly per-run overhead. */
function straightProgram(): Insn[] {
  return [
    I('mov', 'alu_imm', { dst: 0, imm: 7 }), I('add', 'alu_imm', { dst: 0, imm: 3 }), I('mul', 'alu_imm', { dst: 0, imm: 5 }),
    I('mov', 'alu_reg', { dst: 2, src: 0 }), I('lsh', 'alu_imm', { dst: 2, imm: 7 }), I('xor', 'alu_reg', { dst: 0, src: 2 }),
    I('rsh32', 'alu_imm', { dst: 2, imm: 3 }), I('or', 'alu_reg', { dst: 0, src: 2 }), I('and32', 'alu_imm', { dst: 0, imm: 0xffff }),
    I('sub', 'alu_imm', { dst: 0, imm: 1 }), I('exit', 'exit'),
  ];
}

/** The bytecode benchmarks (no object, no runtime). */
export function bytecodeBenchCases(): BenchCase[] {
  const packet = udpPacket(1500);
  return [
    {
      name: 'loop-1500', description: 'bytecode: 16-bit sum over 1500 bytes (4-instruction loop)', packet,
      make(tier) {
        const vm = tier === 'compiled' ? new CompiledVM(checksumProgram()) : new Interpreter(checksumProgram());
        vm.memory.setRegion(PACKET, packet);
        vm.setArgPointer(1, PACKET, 0);
        vm.setArg(2, packet.length);
        return vm;
      },
    },
    {
      name: 'straight-11', description: 'bytecode: 11 straight-line ALU instructions', packet: new Uint8Array(0),
      make: (tier) => (tier === 'compiled' ? new CompiledVM(straightProgram()) : new Interpreter(straightProgram())),
    },
  ];
}

/**
 * A timing loop of its own for each measurement (a fresh function, so V8's feedback for
 * `vm.run()` stays monomorphic instead of mixing tiers and programs).
 */
function timingLoop(): (vm: Interpreter, runs: number) => void {
  return new Function('vm', 'runs', 'for (let i = 0; i < runs; i++) vm.run();') as (vm: Interpreter, runs: number) => void;
}

/** Nanoseconds of CPU time (user + system) this process has used. */
export function cpuNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

/** Run a case exactly `runs` times after a warm-up (for `node --trace-gc` checks); returns the VM. */
export function runFixed(c: BenchCase, tier: Tier, runs: number, before?: () => void): Interpreter {
  const vm = c.make(tier);
  const loop = timingLoop();
  loop(vm, 20_000);
  before?.();
  loop(vm, runs);
  return vm;
}

/** Time `vm.run()`: warm up and calibrate, then `batches` batches of ~batchMs; the fastest wins. */
export function timeCase(c: BenchCase, tier: Tier, batchMs = 200, batches = 5): TierResult {
  const vm = c.make(tier);
  const loop = timingLoop();
  const first = vm.run();
  const insnsPerRun = first.insns, retval = first.lo >>> 0;
  // Warm up for at least 300 ms whatever the batch length, so V8 has optimised the run.
  const warmEnd = process.hrtime.bigint() + BigInt(Math.max(300, batchMs)) * 1_000_000n;
  while (process.hrtime.bigint() < warmEnd) loop(vm, 1000);
  const { ns: best, n: runs } = fastestNs((n) => loop(vm, n), batchMs, batches);
  return { tier, nsPerRun: best, mpps: 1e3 / best, insnsPerRun, insnsPerSecond: insnsPerRun * 1e9 / best, retval, runs: runs * batches };
}

/**
 * Nanoseconds per run spent inside helper functions (JavaScript, the same for both tiers), so
 * the interpreter's own cost can be set apart: one run records each helper call site's
 * registers and stack; then each site's helper is called again and again from that state,
 * timed, less the cost of restoring the registers alone, times its calls per run.
 */
export function helperNsPerRun(c: BenchCase, batchMs = 100): number {
  const vm = c.make('interp');
  const sites = new Map<number, { fn: HelperFn; regs: Int32Array; stack: Uint8Array; calls: number }>();
  vm.wrapHelpers((fn, pc) => (v) => {
    let s = sites.get(pc);
    if (s === undefined) sites.set(pc, s = { fn, regs: v.regs.slice(), stack: v.memory.regionBytes(STACK).slice(), calls: 0 });
    s.calls++;
    fn(v);
  });
  vm.run();
  let total = 0;
  for (const [pc, s] of sites) {
    vm.memory.regionBytes(STACK).set(s.stack);
    vm.pc = pc;
    const R = vm.regs, regs = s.regs, fn = s.fn;
    const withFn = timeLoop(() => { R.set(regs); fn(vm); }, batchMs);
    const alone = timeLoop(() => { R.set(regs); }, batchMs);
    total += Math.max(0, withFn - alone) * s.calls;
  }
  return total;
}

/** ns per call of `f`: warmed up, then the fastest of 5 batches of about batchMs / 5. */
function timeLoop(f: () => void, batchMs: number): number {
  for (let i = 0; i < 20_000; i++) f();
  return fastestNs((n) => { for (let i = 0; i < n; i++) f(); }, batchMs / 5, 5).ns;
}

/**
 * `batch(n)` runs n units: find the n that takes about batchMs of CPU time, then time
 * `batches` batches of it; returns the fastest batch's ns per unit and n.
 */
function fastestNs(batch: (n: number) => void, batchMs: number, batches: number): { ns: number; n: number } {
  let n = 1;
  for (;;) {
    const t0 = cpuNs();
    batch(n);
    const ms = (cpuNs() - t0) / 1e6;
    if (ms >= batchMs / 4) { n = Math.max(1, Math.round(n * batchMs / ms)); break; }
    n *= 4;
  }
  let ns = Infinity;
  for (let b = 0; b < batches; b++) {
    const t0 = cpuNs();
    batch(n);
    ns = Math.min(ns, (cpuNs() - t0) / n);
  }
  return { ns, n };
}
