// The interpreter's Wasm core: a second body for the interpreter's loop, compiled from
// wasm/*.mjs, that runs the common instructions (ALU, jumps, lddw, loads, stores and atomic
// add/or/and/xor that hit a cache way, exit from the main frame) on i64 registers. Everything
// else it hands back one instruction at a time to the loop in loop.ts, the reference, which
// shares its registers: the Interpreter's `regs` is a view of the core's block.
//
// The core runs in its Memory's arena (arena.ts). A region whose bytes are in the arena (the
// stack, the XDP frame's page and context) is accessed in place. Any other region is copied
// into a mirror in the arena on entry and, when the core wrote it, back on leaving; between
// the two nothing else runs, so a mirror cannot go stale while the core runs.
import { CORE_WASM, LAYOUT, PARAM } from './generated/core-wasm.js';
import type { Arena } from '../arena.js';
import { CTX, PACKET, REGION_TAG, STACK, STACK_BYTES, type Memory } from '../memory.js';
import type { Program } from '../program.js';



let compiled: WebAssembly.Module | null | undefined;

/** The core's module, compiled once per process (null where WebAssembly is missing). */
function coreModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(Buffer.from(CORE_WASM, 'base64')) : null;
  }
  return compiled;
}

/** Mirror sizes: the largest packet and context windows copied in, and the chunk of another region. */
const PKT_MAX = 16384, CTX_MAX = 256, OTHER_CHUNK = 128;

/** Windows longer than this are copied with TypedArray.set (shorter ones word by word). */
const SET_COPY = 256;

/**
 * A copy of a region's window in the arena (made on first need). A long window is copied with
 * TypedArray.set through subarrays kept while the same window repeats; making them per copy
 * would allocate on every run.
 */
class Mirror {
  src: DataView;
  from = 0;
  len = 0;
  private srcBytes: Uint8Array | null = null;
  private srcSub: Uint8Array = EMPTY;
  private ownSub: Uint8Array = EMPTY;
  constructor(readonly at: number, readonly dv: DataView, private readonly u8: Uint8Array) { this.src = dv; }

  /** Copy `len` bytes of `src` (the view of `bytes`) from `from` in; returns the mirror's arena address. */
  fill(bytes: Uint8Array, src: DataView, from: number, len: number): number {
    this.src = src; this.from = from; this.len = len;
    if (len <= SET_COPY) copy(src, from, this.dv, this.at, len);
    else {
      if (bytes !== this.srcBytes || from !== this.srcSub.byteOffset - bytes.byteOffset || len !== this.srcSub.length) {
        this.srcBytes = bytes; this.srcSub = bytes.subarray(from, from + len);
      }
      if (this.ownSub.length !== len) this.ownSub = this.u8.subarray(this.at, this.at + len);
      this.ownSub.set(this.srcSub);
    }
    return this.at;
  }

  back(): void {
    if (this.len <= SET_COPY) copy(this.dv, this.at, this.src, this.from, this.len);
    else this.srcSub.set(this.ownSub);
  }
}

const EMPTY = new Uint8Array(0);

export class WasmCore {
  /** r0..r10 as int32 words, in the core's block. */
  readonly regs: Int32Array;
  /** The initial r1..r5 of every run as int32 words (Interpreter.args), in the core's block. */
  readonly args: Int32Array;
  /** Exit state of the last run: the slot to continue at and the instructions executed. */
  pc = 0;
  n = 0;
  /** Memory's epoch when the ways were last filled. */
  private epoch = -1;
  /** Memory's other way (tag, filling offset) when it was last taken. */
  private othTag = 0;
  private othCo = 0;
  /** Whether any way is a copy: then a helper cannot be made from inside the core. */
  get mirrored(): boolean { return this.pktMirrored || this.ctxMirrored || this.othMirrored; }
  /** Whether the packet and other ways are mirrors (copied back when written). */
  private pktMirrored = false;
  private ctxMirrored = false;
  private othMirrored = false;
  private pktMirror: Mirror | null = null;
  private ctxMirror: Mirror | null = null;
  private othMirror: Mirror | null = null;
  /** The parameter block (Int32Array over the arena: index = rb / 4 + PARAM.x). */
  private readonly I: Int32Array;
  private readonly p: number;
  private readonly dv: DataView;
  private readonly exec: (lim: number, rb: number) => number;

  private constructor(mod: WebAssembly.Module, private readonly arena: Arena, private readonly rb: number, code: Uint8Array, call: HostCall) {
    const inst = new WebAssembly.Instance(mod, { arena: { memory: arena.memory }, host: { call } });
    this.exec = inst.exports.run as (lim: number, rb: number) => number;
    this.I = new Int32Array(arena.buffer);
    this.dv = new DataView(arena.buffer);
    this.p = rb >> 2;
    this.regs = new Int32Array(arena.buffer, rb + LAYOUT.REGS, 22);
    this.args = new Int32Array(arena.buffer, rb + LAYOUT.ARGS, 10);
    this.I[this.p + PARAM.code] = code.byteOffset;
    this.I[this.p + PARAM.r10lo] = STACK_BYTES; // r10: the top of frame 0
    this.I[this.p + PARAM.r10hi] = REGION_TAG + STACK;
  }

  /** A core for `program` in `mem`'s arena, or null when there is no arena, or no room in it. */
  static create(mod: WebAssembly.Module, program: Program, mem: Memory, call: HostCall): WasmCore | null {
    const arena = mem.arena;
    if (arena === null) return null;
    const block = arena.alloc(LAYOUT.BLOCK), code = arena.alloc(program.code.byteLength);
    if (block === null || code === null) return null;
    new Int32Array(code.buffer, code.byteOffset, program.code.length).set(program.code);
    return new WasmCore(mod, arena, block.byteOffset, code, call);
  }

  /**
   * Run from `pc` with `n` instructions executed and call depth `depth`; returns a STATUS.
   * `fresh` (a run's first entry, or after a helper call, which may write memory behind
   * Memory's back) makes the copies again; ways in place are kept unless Memory's epoch moved.
   */
  run(mem: Memory, depth: number, pc: number, n: number, budget: number, fresh: boolean): number {
    const I = this.I, p = this.p;
    // A run's start (slot 0, nothing executed) sets r0-r10 in the core: r1-r5 from args, r10.
    I[p + PARAM.pc] = pc; I[p + PARAM.n] = n; I[p + PARAM.depth] = depth; I[p + PARAM.reset] = (pc | n) === 0 ? 1 : 0;
    const tb = mem.tables;
    // Ways in place stay right until a window moves (the epoch); copies are made again when fresh.
    if (mem.epoch !== this.epoch || (fresh && this.mirrored)) this.enter(mem);
    else {
      // Only the stack's low mark moves without the epoch (calls and returns in the loop).
      if (I[p + PARAM.st] !== 0) I[p + PARAM.sl] = tb.low[STACK]!;
      if (mem.ct !== this.othTag || mem.co !== this.othCo) this.enterOther(mem);
    }
    this.epoch = mem.epoch;
    const status = this.exec(budget, this.rb);
    this.pc = I[p + PARAM.pc]!; this.n = I[p + PARAM.n]!;
    // Hits as Memory counts them; written mirrors back.
    mem.ppending += I[p + PARAM.hp]!; mem.spending += I[p + PARAM.hs]!; mem.pending += I[p + PARAM.ho]!;
    if (I[p + PARAM.hc] !== 0) mem.accesses[CTX] += I[p + PARAM.hc]!;
    if (this.pktMirrored && I[p + PARAM.pd] !== 0) this.pktMirror!.back();
    if (this.othMirrored && I[p + PARAM.od] !== 0) this.othMirror!.back();
    return status;
  }

  private enter(mem: Memory): void {
    const I = this.I, p = this.p, tb = mem.tables;
    this.enterStack(tb);
    // The packet window [low, len).
    const pl = tb.low[PACKET]!, ph = tb.len[PACKET]!, pa = tb.arenaOff[PACKET]!;
    this.pktMirrored = false;
    let pb = -1;
    if (ph > pl) {
      if (pa >= 0) pb = pa + tb.base[PACKET]!;
      else if (ph - pl <= PKT_MAX) {
        this.pktMirror ??= this.mirror(PKT_MAX);
        if (this.pktMirror !== null) { pb = this.pktMirror.fill(tb.u8s[PACKET]!, tb.views[PACKET]!, tb.base[PACKET]! + pl, ph - pl) - pl; this.pktMirrored = true; }
      }
    }
    if (pb >= 0) { I[p + PARAM.pt] = REGION_TAG + PACKET; I[p + PARAM.pl] = pl; I[p + PARAM.ph] = ph; I[p + PARAM.pwh] = tb.writable[PACKET] === 1 ? ph : 0; I[p + PARAM.pb] = pb; }
    else { I[p + PARAM.pt] = 0; I[p + PARAM.ph] = 0; I[p + PARAM.pwh] = 0; }
    // The context (read-only here) and its pointer tables, which must be in the arena.
    const cl = tb.low[CTX]!, ch = tb.len[CTX]!, ca = tb.arenaOff[CTX]!, flags = tb.ctxPtrFlag;
    let cb = -1;
    this.ctxMirrored = false;
    if (ch > cl && tb.ctxInArena) {
      if (ca >= 0) cb = ca + tb.base[CTX]!;
      else if (ch - cl <= CTX_MAX && tb.views[CTX]!.buffer !== tb.views[PACKET]!.buffer) { // a written packet copy would not show
        this.ctxMirror ??= this.mirror(CTX_MAX);
        if (this.ctxMirror !== null) { cb = this.ctxMirror.fill(tb.u8s[CTX]!, tb.views[CTX]!, tb.base[CTX]! + cl, ch - cl) - cl; this.ctxMirrored = true; }
      }
    }
    if (cb >= 0) {
      I[p + PARAM.ct] = REGION_TAG + CTX; I[p + PARAM.cl] = cl; I[p + PARAM.ch] = ch; I[p + PARAM.cb] = cb;
      I[p + PARAM.cf] = tb.ctxFlagAt; I[p + PARAM.clo] = tb.ctxLoAt; I[p + PARAM.chi] = tb.ctxHiAt; I[p + PARAM.cfl] = flags.length;
    } else { I[p + PARAM.ct] = 0; I[p + PARAM.ch] = 0; }
    this.enterOther(mem);
  }

  /** The stack way: Memory's stack is in the arena (unless rebound elsewhere: then no way). */
  private enterStack(tb: Memory['tables']): void {
    const I = this.I, p = this.p, sa = tb.arenaOff[STACK]!;
    if (sa >= 0) {
      const h = tb.len[STACK]!;
      I[p + PARAM.st] = REGION_TAG + STACK; I[p + PARAM.sl] = tb.low[STACK]!; I[p + PARAM.sh] = h; I[p + PARAM.swh] = tb.writable[STACK] === 1 ? h : 0; I[p + PARAM.sb] = sa + tb.base[STACK]!;
    } else { I[p + PARAM.st] = 0; I[p + PARAM.sh] = 0; I[p + PARAM.swh] = 0; }
  }

  /**
   * The last other region Memory's loop way holds (a map value, global data; never the
   * context): in place when in the arena; else a copy of its window when small, or of
   * OTHER_CHUNK bytes from where r0 points into it (a map lookup's result) or from the access
   * that filled the way.
   */
  private enterOther(mem: Memory): void {
    const I = this.I, p = this.p, tb = mem.tables, r = mem.cr;
    let l = mem.cl, h = mem.ch, b = -1;
    this.othTag = mem.ct; this.othCo = mem.co; this.othMirrored = false;
    if (mem.ct !== 0 && r !== CTX && h > l) {
      const a = tb.arenaOff[r]!;
      if (a >= 0) b = a + mem.cb;
      // Not a second copy of bytes another way copies (its writes would not show in the other).
      else if (mem.cv.buffer !== tb.views[PACKET]!.buffer && mem.cv.buffer !== tb.views[CTX]!.buffer) {
        if (h - l > OTHER_CHUNK) {
          const R = this.regs;
          l = R[1] === mem.ct && R[0]! >= l && R[0]! < h ? R[0]! : mem.co;
          h = Math.min(h, l + OTHER_CHUNK);
        }
        this.othMirror ??= this.mirror(OTHER_CHUNK);
        if (this.othMirror !== null) { b = this.othMirror.fill(tb.u8s[r]!, mem.cv, mem.cb + l, h - l) - l; this.othMirrored = true; }
      }
    }
    if (b >= 0) { I[p + PARAM.ot] = mem.ct; I[p + PARAM.ol] = l; I[p + PARAM.oh] = h; I[p + PARAM.owh] = mem.cwh === 0 ? 0 : h; I[p + PARAM.ob] = b; }
    else { I[p + PARAM.ot] = 0; I[p + PARAM.oh] = 0; I[p + PARAM.owh] = 0; }
  }

  private mirror(size: number): Mirror | null {
    const m = this.arena.alloc(size);
    return m === null ? null : new Mirror(m.byteOffset, this.dv, new Uint8Array(this.arena.buffer));
  }
}

/** Copy `len` bytes between views, four at a time (a subarray for TypedArray.set would allocate). */
function copy(from: DataView, f: number, to: DataView, t: number, len: number): void {
  let k = 0;
  for (; k + 4 <= len; k += 4) to.setInt32(t + k, from.getInt32(f + k, true), true);
  for (; k < len; k++) to.setUint8(t + k, from.getUint8(f + k));
}

/**
 * How the core makes a helper call (the call instruction at `pc`, counted in `n`): the host
 * returns a CALL code (see wasm/layout.mjs).
 */
export type HostCall = (pc: number, n: number) => number;

/** A core for `program` in `mem`'s arena, or null where WebAssembly is missing or the arena is full. */
export function createCore(program: Program, mem: Memory, call: HostCall): WasmCore | null {
  const mod = coreModule();
  return mod === null ? null : WasmCore.create(mod, program, mem, call);
}
