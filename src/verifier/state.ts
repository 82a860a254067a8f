// The abstract machine state: call frames (registers and a 512-byte stack each) and the
// references a path holds. Registers and spilled registers are immutable values; a state
// copy copies arrays, never registers.
import { NOT_INIT, ptrReg, type Reg } from './reg.js';

export const STACK_SIZE = 512;
export const MAX_CALL_FRAMES = 8;

/** Per-byte stack contents (the kernel's STACK_INVALID/MISC/ZERO/SPILL). */
export const enum Slot { INVALID = 0, MISC = 1, ZERO = 2, SPILL = 3 }

export interface Frame {
  regs: Reg[];
  /** Byte i describes fp - 512 + i. */
  bytes: Uint8Array;
  /** Spilled registers per 8-byte slot k (fp - 512 + 8k); with the spill's width in bytes. */
  spills: ({ reg: Reg; size: number } | undefined)[];
  /** Slot of the call instruction that created this frame (-1 for the main program). */
  callsite: number;
  /** Slot of the first instruction of this frame's function. */
  subprog: number;
  frameno: number;
  /** bpf_loop callback frame: on exit, control returns to the helper call (which may run it again). */
  callback?: boolean;
  /** Callback iterations explored so far from this frame's current callback call (callback_depth). */
  cbDepth: number;
}

/**
 * One record of the instruction history since the state's last checkpoint (the kernel's
 * insn_hist), newest first: instructions reached by a jump or a call (with the instruction
 * executed before them), register spills and fills (the stack slot), and scalars linked by
 * a shared id at a branch. Precision backtracking walks it backwards.
 */
export interface Hist {
  idx: number;
  prev: number;
  /** Spill or fill of a register: frame * 64 + 8-byte slot index; -1 if none. */
  stack: number;
  /** Scalars sharing an id at a branch: frame << 7 | regno, or frame << 7 | 64 + slot. */
  linked?: readonly number[];
  up?: Hist;
}

/** Branch decisions from entry, as a persistent list. */
export interface PathStep { pc: number; taken: boolean; prev?: PathStep }

export interface Checkpoint {
  /** Scalars here may be marked precise by backtracking (a private copy). */
  state: State;
  /** Live descendants: paths and checkpoints that still run from here. */
  branches: number;
  parent?: Checkpoint;
}

export interface State {
  frames: Frame[];
  /** Acquired references (ringbuf reservations): id and the slot that acquired it. */
  refs: { id: number; pc: number; what?: string }[];
  pc: number;
  path?: PathStep;
  parent?: Checkpoint;
  /** History since the last checkpoint (`first` is the slot that checkpoint was taken at). */
  hist?: Hist;
  histLen: number;
  first: number;
  /** Slot executed before `pc` on this path (-1 at the entry); `last` is it as of the last prune check. */
  prevPc: number;
  last: number;
  /** Set by a stack access that spilled or filled a register: frame * 64 + slot (else -1). */
  acc: number;
}

export function newFrame(frameno: number, callsite: number, subprog: number): Frame {
  const regs: Reg[] = new Array(11).fill(NOT_INIT);
  regs[10] = ptrReg('fp', { frame: frameno });
  return { regs, bytes: new Uint8Array(STACK_SIZE), spills: new Array(STACK_SIZE / 8).fill(undefined), callsite, subprog, frameno, cbDepth: 0 };
}

export function cloneFrame(f: Frame): Frame {
  return { ...f, regs: f.regs.slice(), bytes: f.bytes.slice(), spills: f.spills.slice() };
}

export function cloneState(s: State): State {
  return {
    frames: s.frames.map(cloneFrame), refs: s.refs.slice(), pc: s.pc, path: s.path, parent: s.parent,
    hist: s.hist, histLen: s.histLen, first: s.first, prevPc: s.prevPc, last: s.last, acc: -1,
  };
}

/** A fresh state at `pc` in a single frame for the function starting at `subprog`. */
export function entryState(pc: number): State {
  return { frames: [newFrame(0, -1, pc)], refs: [], pc, histLen: 0, first: pc, prevPc: -1, last: -1, acc: -1 };
}

export const top = (s: State): Frame => s.frames[s.frames.length - 1]!;

/** Apply `f` to every register and spilled register in every frame (for packet ranges, null checks). */
export function mapAllRegs(s: State, f: (r: Reg) => Reg): void {
  for (const fr of s.frames) {
    for (let i = 0; i < fr.regs.length; i++) fr.regs[i] = f(fr.regs[i]!);
    for (let k = 0; k < fr.spills.length; k++) {
      const sp = fr.spills[k];
      if (sp) { const r = f(sp.reg); if (r !== sp.reg) fr.spills[k] = { reg: r, size: sp.size }; }
    }
  }
}
