// Helper calls and BPF-to-BPF call frames.
// A local call saves r6-r9, r10 and the return slot, and gives the callee a fresh 512-byte
// frame below the caller's (r10 -= 512); exit restores them. At most MAX_FRAMES frames.
import { fail } from '../diag/index.js';
import type { Counters } from './counters.js';
import { FRAME_BYTES, MAX_FRAMES, STACK_BYTES, type Memory } from './memory.js';

/** What a helper sees: the registers (lo/hi words, r_i at 2i), memory, counters. */
export interface HelperContext {
  /** r0..r10 as int32 words: r_i low word at [2i], high word at [2i + 1]. */
  readonly regs: Int32Array;
  readonly memory: Memory;
  readonly counters: Counters;
  /** Slot of the call instruction, for diagnostics. */
  readonly pc: number;
  /** Set the return value. */
  setR0(lo: number, hi: number): void;
  /** End the program after this helper returns, with r0 as its result. */
  stop(): void;
}

/** A helper: reads r1..r5 from `vm.regs`, sets r0 (setR0 or regs[0..1]). May throw a fault. */
export type HelperFn = (vm: HelperContext) => void;

const WORDS = 11; // r6..r10 lo/hi and the return slot

export class Frames {
  depth = 0;
  private readonly saved = new Int32Array(MAX_FRAMES * WORDS);

  /** Enter a callee; returns nothing, throws a `limit` error past MAX_FRAMES. */
  push(R: Int32Array, mem: Memory, counters: Counters, returnPc: number, pc: number): void {
    if (this.depth + 1 >= MAX_FRAMES) {
      fail('limit', `call nesting exceeds ${MAX_FRAMES} frames`, { pc, condition: `frames <= ${MAX_FRAMES}` });
    }
    const b = this.depth * WORDS;
    for (let i = 0; i < 10; i++) this.saved[b + i] = R[12 + i]!; // a loop: subarray would allocate
    this.saved[b + 10] = returnPc;
    this.depth++;
    R[20] = (R[20]! - FRAME_BYTES) | 0;
    mem.setStackLow(STACK_BYTES - FRAME_BYTES * (this.depth + 1));
    counters.localCalls++;
  }

  /** Leave a callee: restores the caller's registers and returns the slot to continue at. */
  pop(R: Int32Array, mem: Memory): number {
    this.depth--;
    const b = this.depth * WORDS;
    for (let i = 0; i < 10; i++) R[12 + i] = this.saved[b + i]!;
    mem.setStackLow(STACK_BYTES - FRAME_BYTES * (this.depth + 1));
    return this.saved[b + 10]!;
  }

  reset(mem: Memory): void {
    this.depth = 0;
    mem.setStackLow(STACK_BYTES - FRAME_BYTES);
  }
}

/** The fault for a call to a helper id nobody registered. */
export function unknownHelper(id: number, pc: number): never {
  return fail('fault', `call to unknown helper ${id}`, { pc, condition: 'the helper id is registered' });
}
