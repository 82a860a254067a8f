// The memory model: a pointer is a region tag plus an offset.
// A 64-bit address has the region in its high word (REGION_TAG + index) and the byte offset
// within the region in its low word, so pointer arithmetic, comparisons (data + 14 > data_end)
// and spilling a pointer to the stack all work on plain 64-bit values. Address 0 (NULL) and
// any high word that names no region fault. Each region is a window [base, base + length) of
// a Uint8Array, so a mempool or a map's value storage is exposed without copying. Memory
// allocates its own long-lived bytes (stack, context tables; the frame and maps ask through
// alloc) from its arena, a WebAssembly.Memory the interpreter's Wasm core works in.
import { fail } from '../diag/index.js';
import { createArena, type Arena } from './arena.js';

/** High word of region 0; region i has high word REGION_TAG + i. */
export const REGION_TAG = 0x100;
/** Fixed regions every Memory has. Map values and global data get ids from registerRegion. */
export const STACK = 0, CTX = 1, PACKET = 2;
/** Bytes per stack frame and the deepest call chain (RFC 9669 and the kernel: 512, 8). */
export const FRAME_BYTES = 512, MAX_FRAMES = 8;
export const STACK_BYTES = FRAME_BYTES * MAX_FRAMES;

export type RegionKind = 'stack' | 'ctx' | 'packet' | 'map' | 'global' | 'other';

const EMPTY = new Uint8Array(0);

/** Read-only view of Memory's per-region arrays (indexed by region id); see Memory.tables. */
export interface RegionTables {
  readonly count: number;
  /** The whole byte array behind each region (the window starts at base[r]). */
  readonly u8s: readonly Uint8Array[];
  readonly views: readonly DataView[];
  readonly base: Int32Array;
  readonly len: Int32Array;
  readonly low: Int32Array;
  readonly writable: Uint8Array;
  readonly accesses: Float64Array;
  /** The arena offset of each region's byte array (-1: not in the arena). */
  readonly arenaOff: Int32Array;
  /** Pointer-valued context fields by ctx offset: flag 1 where a field is a pointer, and its words. */
  readonly ctxPtrFlag: Uint8Array;
  readonly ctxPtrLo: Int32Array;
  readonly ctxPtrHi: Int32Array;
  readonly ctxInArena: boolean;
  readonly ctxFlagAt: number;
  readonly ctxLoAt: number;
  readonly ctxHiAt: number;
}

export class Memory {
  /** Number of regions (ids 0 .. count-1). */
  count = 0;
  readonly names: string[] = [];
  readonly kinds: RegionKind[] = [];
  private u8s: Uint8Array[] = [];
  private views: DataView[] = [];
  private base = new Int32Array(16);
  private len = new Int32Array(16);
  /** Lowest valid offset: 0, except the stack, where it is the bottom of the current frame. */
  private low = new Int32Array(16);
  private writable = new Uint8Array(16);
  /** Offset in the arena of each region's byte array, or -1 when it is not in the arena. */
  private arenaOff = new Int32Array(16);
  /** Accesses (loads, stores, atomics) per region, since creation or resetCounts(). */
  accesses = new Float64Array(16);
  /** DataView and whole byte array of the region found by the last `at()`. */
  view: DataView = new DataView(new ArrayBuffer(0));
  u8: Uint8Array = EMPTY;
  /** Region index and offset within it found by the last `at()`. */
  region = 0;
  offset = 0;
  /**
   * The interpreter's region cache, three ways filled by every `at()` that succeeds: the packet
   * (p*), the stack (s*) and the last other region (c*). A way holds its region's tag, window
   * [l, h), base and view, and `*wh`, the window's end for stores (0 when the region is
   * read-only). An access whose high word is a way's tag and whose offset falls in its window is
   * the one `at()` would find, so the loop reads the way's view at base + offset without the
   * tables. A cleared way has tag 0 and h = wh = 0: the window is empty (l >= 0), so no address,
   * not even one whose high word is 0, can hit it. A change to a region's window or bytes
   * clears the way that holds it. Hits are counted in `*pending` until flush.
   */
  pt = 0;
  pl = 0;
  ph = 0;
  pwh = 0;
  pb = 0;
  pv: DataView = new DataView(new ArrayBuffer(0));
  ppending = 0;
  st = 0;
  sl = 0;
  sh = 0;
  swh = 0;
  sb = 0;
  sv: DataView = new DataView(new ArrayBuffer(0));
  spending = 0;
  ct = 0;
  cl = 0;
  ch = 0;
  cwh = 0;
  cb = 0;
  cv: DataView = new DataView(new ArrayBuffer(0));
  /** The region of the c* way (its hits are counted there), and the offset that filled it. */
  cr = 0;
  co = 0;
  pending = 0;
  /**
   * Counts changes Memory sees to region windows, bytes or context pointers: rebinding, and
   * every store or context-pointer change that goes through it. The Wasm core keeps its copies
   * across a step when this did not move (helpers, which write behind Memory's back, never
   * get that benefit).
   */
  epoch = 0;
  /** The WebAssembly memory the stack, the context tables and the Wasm cores live in (see arena.ts). */
  declare readonly arena: Arena | null;
  /**
   * Whether the context pointer tables below are in the arena (the Wasm core reads them there),
   * and their arena offsets (flags, low words, high words). Kept as numbers because the core
   * reads them on every entry, and `byteOffset` cost several ns each there.
   */
  ctxInArena = false;
  ctxFlagAt = 0;
  ctxLoAt = 0;
  ctxHiAt = 0;
  /**
   * Pointer-valued context fields, indexed by ctx offset (see setCtxPointer). Set once in the
   * constructor and only replaced when they grow: V8 treats a field assigned once as constant,
   * and the compiled tier's code, which holds this Memory as a constant, then reads them for
   * free. (`declare`: no field definition that would make the constructor's the second write.)
   */
  private declare ctxPtrFlag: Uint8Array;
  private declare ctxPtrLo: Int32Array;
  private declare ctxPtrHi: Int32Array;

  /** `arenaBytes`: the size of the arena (default ARENA_BYTES; a runtime adds its maps' storage). */
  constructor(opts: { arenaBytes?: number } = {}) {
    this.arena = createArena(opts.arenaBytes);
    this.ctxPtrFlag = this.alloc(64);
    this.ctxPtrLo = this.allocI32(64);
    this.ctxPtrHi = this.allocI32(64);
    this.placeCtxTables();
    this.registerRegion(this.alloc(STACK_BYTES), true, 'stack', 'stack');
    this.registerRegion(EMPTY, false, 'ctx', 'ctx');
    this.registerRegion(EMPTY, true, 'packet', 'packet');
  }

  /**
   * `size` zeroed bytes, in the arena when it has room and would keep `keep` bytes free (the
   * Wasm core then works on them in place), else a plain array. For bytes that live as long
   * as this Memory.
   */
  alloc(size: number, keep = 0): Uint8Array {
    return this.arena?.alloc(size, keep) ?? new Uint8Array(size);
  }

  private inArena(a: Uint8Array | Int32Array): boolean { return this.arena !== null && a.buffer === this.arena.buffer; }

  private placeCtxTables(): void {
    const f = this.ctxPtrFlag, l = this.ctxPtrLo, h = this.ctxPtrHi;
    this.ctxInArena = this.inArena(f) && this.inArena(l) && this.inArena(h);
    this.ctxFlagAt = f.byteOffset; this.ctxLoAt = l.byteOffset; this.ctxHiAt = h.byteOffset;
  }

  private allocI32(n: number): Int32Array {
    const b = this.alloc(4 * n);
    return new Int32Array(b.buffer, b.byteOffset, n);
  }

  /** Expose `bytes` (not copied) as a new region; returns its id. */
  registerRegion(bytes: Uint8Array, writable: boolean, kind: RegionKind, name: string = kind): number {
    if (!(bytes instanceof Uint8Array)) fail('semantic', `region ${name}: bytes must be a Uint8Array`);
    const id = this.count++;
    if (id >= this.base.length) this.grow();
    this.names[id] = name;
    this.kinds[id] = kind;
    this.writable[id] = writable ? 1 : 0;
    this.setRegion(id, bytes);
    return id;
  }

  /** Rebind a region to new bytes (or a window of them); cheap when the buffer is the same. */
  setRegion(id: number, bytes: Uint8Array, base = 0, length = bytes.length - base): void {
    this.check(id);
    if (!Number.isInteger(base) || !Number.isInteger(length) || base < 0 || length < 0 || base + length > bytes.length) {
      fail('semantic', `region ${this.names[id]}: window ${base}+${length} does not fit in ${bytes.length} bytes`);
    }
    if (this.u8s[id] !== bytes) {
      this.u8s[id] = bytes;
      this.views[id] = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.arenaOff[id] = this.arena === null ? -1 : this.arena.offsetOf(bytes);
    }
    this.base[id] = base;
    this.len[id] = length;
    this.clearWay(id);
    this.epoch++;
  }

  /** Move the window of a region over its current bytes (per packet; allocates nothing). */
  setWindow(id: number, base: number, length: number): void {
    this.setRegion(id, this.u8s[id]!, base, length);
  }

  /**
   * setRegion for the per-packet path: the caller guarantees that `id` exists and that the
   * window fits in `bytes` (a DataView is made only when the array changes).
   */
  bindUnchecked(id: number, bytes: Uint8Array, base: number, length: number): void {
    if (this.u8s[id] !== bytes) {
      this.u8s[id] = bytes;
      this.views[id] = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.arenaOff[id] = this.arena === null ? -1 : this.arena.offsetOf(bytes);
    }
    this.base[id] = base;
    this.len[id] = length;
    this.clearWay(id);
    this.epoch++;
  }

  /** The bytes and window of a region. */
  regionBytes(id: number): Uint8Array {
    this.check(id);
    return this.u8s[id]!.subarray(this.base[id], this.base[id]! + this.len[id]!);
  }

  regionLength(id: number): number { this.check(id); return this.len[id]!; }

  /** High word of pointers into region `id`. */
  tag(id: number): number { this.check(id); return REGION_TAG + id; }

  /**
   * Make a 4- or 8-byte context field read as a pointer (like the kernel's rewrite of
   * xdp_md->data into a real pointer): a load at ctx+offset yields (lo, hi) in full.
   */
  setCtxPointer(offset: number, lo: number, hi: number): void {
    this.epoch++;
    if ((offset & 0xffff) === offset && offset < this.ctxPtrFlag.length) { // the per-packet path (xdp_md's fields)
      this.ctxPtrFlag[offset] = 1; this.ctxPtrLo[offset] = lo; this.ctxPtrHi[offset] = hi;
      return;
    }
    if (!Number.isInteger(offset) || offset < 0 || offset > 0xffff) fail('semantic', `context pointer field at offset ${offset}: offsets are 0 to 65535`);
    while (offset >= this.ctxPtrFlag.length) {
      const n = this.ctxPtrFlag.length * 2;
      const f = this.alloc(n), l = this.allocI32(n), h = this.allocI32(n);
      f.set(this.ctxPtrFlag); l.set(this.ctxPtrLo); h.set(this.ctxPtrHi);
      this.ctxPtrFlag = f; this.ctxPtrLo = l; this.ctxPtrHi = h;
      this.placeCtxTables();
    }
    this.ctxPtrFlag[offset] = 1;
    this.ctxPtrLo[offset] = lo;
    this.ctxPtrHi[offset] = hi;
  }

  /** Whether a load at this ctx offset reads a pointer field (see setCtxPointer). */
  isCtxPointer(offset: number): boolean { return this.ctxPtrFlag[offset] === 1; }
  ctxPointerLo(offset: number): number { return this.ctxPtrLo[offset]!; }
  ctxPointerHi(offset: number): number { return this.ctxPtrHi[offset]!; }

  /**
   * The region tables, for the compiled tier's inline bounds checks (the same test as `at`).
   * Read them again per run: the arrays are replaced when more than 16 regions are registered.
   */
  get tables(): RegionTables { return this as unknown as RegionTables; }

  /** Bottom of the current stack frame (the interpreter moves it on calls and returns). */
  setStackLow(low: number): void { this.low[STACK] = low; this.sl = low; }

  /** Clear the cache way that holds region `id` (its window or bytes changed). */
  private clearWay(id: number): void {
    if (id === PACKET) { this.pt = 0; this.ph = 0; this.pwh = 0; } else if (id === STACK) { this.st = 0; this.sh = 0; this.swh = 0; }
    if (this.ct === REGION_TAG + id) { this.ct = 0; this.ch = 0; this.cwh = 0; }
  }

  /**
   * Bounds-check an access of `size` bytes at the 64-bit address (lo, hi) + off: returns the
   * byte offset into `this.view`, or throws a `fault` naming the instruction, the address and
   * the size. Sets `view`, `region` and `offset` (the offset within the region).
   */
  at(lo: number, hi: number, off: number, size: number, write: boolean, pc: number): number {
    // The common case first: a non-negative low word and no carry into the tag (then the sum
    // is the offset; the window test keeps it below 2^31).
    const r = hi - REGION_TAG, o = lo + off;
    if (write) this.epoch++;
    if (lo >= 0 && r >= 0 && r < this.count && o >= this.low[r]! && o <= this.len[r]! - size && (!write || this.writable[r] === 1)) return this.enter(r, o);
    return this.carryAt(lo, hi, off, size, write, pc);
  }

  /** `at` for the rest: a 64-bit add of the signed 16-bit offset whose carry or borrow moves the tag. */
  private carryAt(lo: number, hi: number, off: number, size: number, write: boolean, pc: number): number {
    let u = (lo >>> 0) + off;
    if (u >= 4294967296) { u -= 4294967296; hi = (hi + 1) | 0; } else if (u < 0) { u += 4294967296; hi = (hi - 1) | 0; }
    const o = u | 0; // region offsets are below 2^31; larger ones turn negative and fail below
    const r = hi - REGION_TAG;
    if (r >= 0 && r < this.count && o >= this.low[r]! && o + size <= this.len[r]! && (write ? this.writable[r] === 1 : true)) return this.enter(r, o);
    return this.fault(o, hi, size, write, pc);
  }

  /** Legacy packet loads (ldabs/ldind): byte offset into the packet view, or -1 when out of bounds. */
  packetAt(offset: number, size: number): number {
    if (offset < 0 || offset + size > this.len[PACKET]!) return -1;
    return this.enter(PACKET, offset);
  }

  /** A found access to region r at offset o: count it, fill r's cache way; returns the byte offset in `view`. */
  private enter(r: number, o: number): number {
    const v = this.views[r]!, b = this.base[r]!, t = REGION_TAG + r, h = this.len[r]!, wh = this.writable[r] === 1 ? h : 0;
    this.view = v;
    this.u8 = this.u8s[r]!;
    this.region = r;
    this.offset = o;
    this.accesses[r]++;
    if (r === PACKET) {
      this.pt = t; this.pl = this.low[r]!; this.ph = h; this.pwh = wh; this.pb = b; this.pv = v;
    } else if (r === STACK) {
      this.st = t; this.sl = this.low[r]!; this.sh = h; this.swh = wh; this.sb = b; this.sv = v;
    } else {
      if (this.pending !== 0) { this.accesses[this.cr] += this.pending; this.pending = 0; }
      this.ct = t; this.cl = this.low[r]!; this.ch = h; this.cwh = wh; this.cb = b; this.cv = v; this.cr = r; this.co = o;
    }
    return b + o;
  }

  /** Add the cache's hits to `accesses` (a run's end and counter snapshots call it). */
  flush(): void {
    if ((this.pending | this.spending | this.ppending) === 0) return;
    this.accesses[this.cr] += this.pending;
    this.accesses[STACK] += this.spending;
    this.accesses[PACKET] += this.ppending;
    this.pending = 0; this.spending = 0; this.ppending = 0;
  }

  /** A checked view of memory for helpers: the bytes [addr, addr + size). */
  slice(lo: number, hi: number, size: number, write: boolean, pc: number): Uint8Array {
    if (!Number.isInteger(size) || size < 0) fail('fault', `helper asked for ${size} bytes of memory`, { pc });
    const p = this.at(lo, hi, 0, size, write, pc);
    return this.u8s[this.region]!.subarray(p, p + size);
  }

  /** Human name of an address: `packet+62`, `stack-8` (from the frame top), `NULL`, or hex. */
  describe(lo: number, hi: number): string {
    const r = hi - REGION_TAG;
    if (r >= 0 && r < this.count) {
      if (r === STACK) return `stack+${lo} (frame offset ${lo - (this.low[STACK]! + FRAME_BYTES)})`;
      return `${this.names[r]}${lo < 0 ? '' : '+'}${lo}`;
    }
    if ((lo | hi) === 0) return 'address 0 (NULL)';
    return `address 0x${(hi >>> 0).toString(16)}${(lo >>> 0).toString(16).padStart(8, '0')}`;
  }

  resetCounts(): void { this.accesses.fill(0); this.pending = 0; this.spending = 0; this.ppending = 0; }

  private fault(lo: number, hi: number, size: number, write: boolean, pc: number): never {
    const what = `${write ? 'write' : 'read'} of ${size} byte${size === 1 ? '' : 's'} at ${this.describe(lo, hi)}`;
    const r = hi - REGION_TAG;
    if (r >= 0 && r < this.count) {
      if (write && this.writable[r] !== 1) fail('fault', `${what}: ${this.names[r]} is read-only`, { pc });
      if (r === STACK) {
        fail('fault', `${what} is outside the current stack frame`, {
          pc, condition: `${this.low[STACK]} <= offset && offset + ${size} <= ${this.len[STACK]}`,
        });
      }
      fail('fault', `${what} is out of bounds (${this.names[r]} is ${this.len[r]} bytes)`, {
        pc, condition: `0 <= offset && offset + ${size} <= ${this.len[r]}`,
      });
    }
    fail('fault', `${what}: not a pointer into any memory region`, { pc });
  }

  private check(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.count) fail('semantic', `no memory region ${id}`);
  }

  private grow(): void {
    const n = this.base.length * 2;
    const g = <T extends Int32Array | Uint8Array | Float64Array>(a: T, make: (n: number) => T): T => { const b = make(n); b.set(a); return b; };
    this.base = g(this.base, (k) => new Int32Array(k));
    this.len = g(this.len, (k) => new Int32Array(k));
    this.low = g(this.low, (k) => new Int32Array(k));
    this.writable = g(this.writable, (k) => new Uint8Array(k));
    this.arenaOff = g(this.arenaOff, (k) => new Int32Array(k));
    this.accesses = g(this.accesses, (k) => new Float64Array(k));
  }
}
