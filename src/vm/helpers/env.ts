// What helpers share with the runtime: the frame, the maps behind map pointers, the CPU, the
// captured trace, the virtual clock and PRNG, the FIB, and where a redirect or tail call goes.
// Helpers read r1..r5 through the small accessors below (int32 pairs, as the VM keeps them).
import { fail } from '../../diag/index.js';
import type { BpfMap } from '../../maps/index.js';
import type { HelperContext } from '../call.js';
import { CTX, REGION_TAG } from '../memory.js';
import type { XdpFrame } from '../xdp/context.js';
import type { FibLookup } from './fib.js';

/**
 * Where XDP_REDIRECT sends the frame (bpf_redirect_info as the helpers left it). The helpers
 * reuse one object per kind: copy it (copyRedirect) to keep it past the next run.
 */
export interface RedirectTarget {
  /** `ifindex` for bpf_redirect; the map type name for bpf_redirect_map. */
  kind: 'ifindex' | 'devmap' | 'devmap_hash' | 'cpumap' | 'xskmap';
  /** The ifindex (bpf_redirect) or the map key. */
  index: number;
  map?: string;
  /** What the map slot holds: an ifindex (devmap), a queue size (cpumap). */
  value?: number;
  /** BPF_F_BROADCAST / BPF_F_EXCLUDE_INGRESS, when given. */
  flags?: number;
}

/** A copy of a redirect target without the fields that are not set. */
export function copyRedirect(t: RedirectTarget): RedirectTarget {
  const out: RedirectTarget = { kind: t.kind, index: t.index };
  if (t.map !== undefined) out.map = t.map;
  if (t.value !== undefined) out.value = t.value;
  if (t.flags !== undefined) out.flags = t.flags;
  return out;
}

export interface HelperEnv {
  frame: XdpFrame;
  cpu: number;
  /** The map a map pointer (its region id) names. */
  mapAt(region: number): BpfMap | undefined;
  /** The map whose value storage is this region (ring buffer samples). */
  valueMapAt(region: number): BpfMap | undefined;
  /** Region id of a map's value storage (the current CPU's copy for per-CPU maps). */
  valueRegion(map: BpfMap): number;
  /** trace_printk lines, at most TRACE_MAX; the rest are counted in traceDropped. */
  trace: string[];
  traceDropped: number;
  /** Virtual nanoseconds since boot; advanced by the runtime per run. */
  clock: VirtualClock;
  random(): number;
  fib?: FibLookup;
  redirect?: RedirectTarget;
  /** Set by bpf_tail_call: the program to continue with. */
  tailCall(map: BpfMap, index: number): boolean;
  /** Perf events and ring buffer samples the program produced. */
  events: { map: string; data: Uint8Array }[];
}

export const TRACE_MAX = 10_000;

/**
 * Virtual time in nanoseconds as a u64 in two int32 words (no BigInt per run). `ns` reads and
 * sets it as a BigInt, for the edges.
 */
export class VirtualClock {
  /** [0] low word, [1] high word. */
  readonly words = new Int32Array(2);
  constructor(ns = 0n) { this.ns = ns; }
  get lo(): number { return this.words[0]!; }
  get hi(): number { return this.words[1]!; }
  /** Add `d` nanoseconds (0 <= d < 2^32). */
  advance(d: number): void {
    const w = this.words, l = (w[0]! >>> 0) + d;
    w[0] = l | 0;
    if (l > 0xffffffff) w[1] = (w[1]! + 1) | 0;
  }
  /** Set from a number of nanoseconds (an integer below 2^53). */
  setNs(ns: number): void {
    this.words[0] = ns % 4294967296 | 0;
    this.words[1] = Math.floor(ns / 4294967296) | 0;
  }
  get ns(): bigint { return (BigInt(this.words[1]! >>> 0) << 32n) | BigInt(this.words[0]! >>> 0); }
  set ns(v: bigint) {
    this.words[0] = Number(BigInt.asUintN(32, v)) | 0;
    this.words[1] = Number(BigInt.asUintN(32, v >> 32n)) | 0;
  }
}

export const u32 = (vm: HelperContext, r: number): number => vm.regs[2 * r]! >>> 0;
export const i32 = (vm: HelperContext, r: number): number => vm.regs[2 * r]! | 0;
export const hi = (vm: HelperContext, r: number): number => vm.regs[2 * r + 1]!;
/** A register as an unsigned 64-bit BigInt (edges only: printk, flags). */
export const u64 = (vm: HelperContext, r: number): bigint =>
  (BigInt(vm.regs[2 * r + 1]! >>> 0) << 32n) | BigInt(vm.regs[2 * r]! >>> 0);

/** r0 = a signed 32-bit result (errno returns are sign-extended to 64 bits). */
export function ret(vm: HelperContext, v: number): void { vm.setR0(v | 0, v < 0 ? -1 : 0); }
export function retU64(vm: HelperContext, v: bigint): void {
  vm.setR0(Number(v & 0xffffffffn) | 0, Number((v >> 32n) & 0xffffffffn) | 0);
}

/** The map an argument register points to (an lddw of a map); a fault otherwise. */
export function mapArg(vm: HelperContext, env: HelperEnv, r: number, what: string): BpfMap {
  const region = hi(vm, r) - REGION_TAG;
  const map = env.mapAt(region);
  if (!map || vm.regs[2 * r] !== 0) {
    fail('fault', `${what}: r${r} (${vm.memory.describe(vm.regs[2 * r]!, hi(vm, r))}) is not a map`, { pc: vm.pc, condition: `r${r} is a map pointer (lddw of a map)` });
  }
  return map;
}

/** Check that r1 is the XDP context (the helpers that take `struct xdp_md *`). */
export function ctxArg(vm: HelperContext, what: string): void {
  if (hi(vm, 1) - REGION_TAG !== CTX || vm.regs[2] !== 0) {
    fail('fault', `${what}: r1 (${vm.memory.describe(vm.regs[2]!, hi(vm, 1))}) is not the context`, { pc: vm.pc, condition: 'r1 == ctx' });
  }
}

/** Checked bytes [r, r + size) of any readable (or writable) region (a view, not a copy). */
export function memArg(vm: HelperContext, r: number, size: number, write: boolean): Uint8Array {
  return vm.memory.slice(vm.regs[2 * r]!, hi(vm, r), size, write, vm.pc);
}

// Map helpers are hot: instead of a subarray per call, they get the region's whole byte array
// and an offset into it.
/** The byte array holding [r, r + size) after a bounds check; the offset is in `argOff`. */
export let argOff = 0;
export function argBytes(vm: HelperContext, r: number, size: number, write: boolean): Uint8Array {
  const mem = vm.memory;
  argOff = mem.at(vm.regs[2 * r]!, hi(vm, r), 0, size, write, vm.pc);
  return mem.u8;
}
