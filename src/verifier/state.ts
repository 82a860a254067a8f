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
  /** bpf_loop callback frame: on exit, control returns after the helper call. */
  callback?: boolean;
}

/** Branch decisions from entry, as a persistent list. */
export interface PathStep { pc: number; taken: boolean; prev?: PathStep }

export interface Checkpoint {
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
}

export function newFrame(frameno: number, callsite: number, subprog: number): Frame {
  const regs: Reg[] = new Array(11).fill(NOT_INIT);
  regs[10] = ptrReg('fp', { frame: frameno });
  return { regs, bytes: new Uint8Array(STACK_SIZE), spills: new Array(STACK_SIZE / 8).fill(undefined), callsite, subprog, frameno };
}

export function cloneFrame(f: Frame): Frame {
  return { ...f, regs: f.regs.slice(), bytes: f.bytes.slice(), spills: f.spills.slice() };
}

export function cloneState(s: State): State {
  return { frames: s.frames.map(cloneFrame), refs: s.refs.slice(), pc: s.pc, path: s.path, parent: s.parent };
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
