// Stack slot liveness (the kernel's stack liveness, 6.18): which 8-byte stack slots of a
// frame may still be read before they are written, from an instruction on. The reads and
// writes are the ones seen while verifying (a pointer into the stack can come from
// anywhere), per instruction; a caller's slots read through a pointer by a callee count at
// the call. Stored states forget dead slots when first used for pruning.
import type { Cfg } from './cfg.js';
import { jumpTarget } from '../isa/index.js';

const SLOTS = 64;

export class StackLive {
  private readonly n: number;
  /** Per instruction, two 32-bit words: slots it may read (any visit). */
  private readonly reads: Uint32Array;
  /** Slots every visit of the instruction overwrites completely (own frame). */
  private readonly must: Uint32Array;
  private readonly visited: Uint8Array;
  private readonly liveIn: Uint32Array;
  private dirty = false;
  private wlo = 0;
  private whi = 0;

  constructor(private readonly cfg: Cfg) {
    this.n = cfg.bySlot.length;
    this.reads = new Uint32Array(this.n * 2);
    this.must = new Uint32Array(this.n * 2);
    this.visited = new Uint8Array(this.n);
    this.liveIn = new Uint32Array(this.n * 2);
  }

  /** The instruction about to run (writes it makes are collected until `end`). */
  begin(): void { this.wlo = 0; this.whi = 0; }

  end(slot: number): void {
    const i = slot * 2;
    if (!this.visited[slot]) { this.visited[slot] = 1; this.must[i] = this.wlo; this.must[i + 1] = this.whi; this.dirty = true; return; }
    const lo = (this.must[i]! & this.wlo) >>> 0, hi = (this.must[i + 1]! & this.whi) >>> 0;
    if (lo !== this.must[i] || hi !== this.must[i + 1]) { this.must[i] = lo; this.must[i + 1] = hi; this.dirty = true; }
  }

  /** Slots k0..k1 (8-byte slot indexes, fp-512 = 0) may be read at instruction `at`. */
  read(at: number, k0: number, k1: number): void {
    for (let k = Math.max(k0, 0); k <= Math.min(k1, SLOTS - 1); k++) {
      const w = at * 2 + (k >> 5), b = 1 << (k & 31);
      if (!(this.reads[w]! & b)) { this.reads[w]! |= b; this.dirty = true; }
    }
  }

  /** The running instruction overwrites slots k0..k1 of its own frame completely. */
  write(k0: number, k1: number): void {
    for (let k = Math.max(k0, 0); k <= Math.min(k1, SLOTS - 1); k++) {
      if (k < 32) this.wlo |= 1 << k; else this.whi |= 1 << (k - 32);
    }
  }

  /** Is slot k possibly read from instruction `at` on (before being overwritten)? */
  alive(at: number, k: number): boolean {
    if (this.dirty) this.solve();
    return (this.liveIn[at * 2 + (k >> 5)]! & (1 << (k & 31))) !== 0;
  }

  private solve(): void {
    this.dirty = false;
    const { bySlot } = this.cfg;
    const live = this.liveIn;
    for (let changed = true; changed;) {
      changed = false;
      for (let s = this.n - 1; s >= 0; s--) {
        const insn = bySlot[s];
        if (!insn) continue;
        const sh = insn.spec.shape;
        let lo = 0, hi = 0;
        if (sh !== 'exit') {
          const next = s + (sh === 'lddw' ? 2 : 1);
          if (sh !== 'ja' && sh !== 'ja32' && next < this.n) { lo |= live[next * 2]!; hi |= live[next * 2 + 1]!; }
          const t = sh === 'ja' || sh === 'ja32' || sh === 'jcond_imm' || sh === 'jcond_reg' ? jumpTarget(insn) : undefined;
          if (t !== undefined && t >= 0 && t < this.n) { lo |= live[t * 2]!; hi |= live[t * 2 + 1]!; }
        }
        const m = this.visited[s] ? this.must : undefined;
        lo = (this.reads[s * 2]! | (lo & ~(m ? m[s * 2]! : 0))) >>> 0;
        hi = (this.reads[s * 2 + 1]! | (hi & ~(m ? m[s * 2 + 1]! : 0))) >>> 0;
        if (lo !== live[s * 2] || hi !== live[s * 2 + 1]) { live[s * 2] = lo; live[s * 2 + 1] = hi; changed = true; }
      }
    }
  }
}
