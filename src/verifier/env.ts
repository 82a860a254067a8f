// What the transfer functions share while one program is analysed.
import type { Insn } from '../isa/index.js';
import type { State } from './state.js';
import type { VerifierInput } from './types.js';

export interface Env {
  readonly input: VerifierInput;
  /** Instruction at each slot (undefined for the second half of lddw). */
  readonly bySlot: readonly (Insn | undefined)[];
  /** CAP_PERFMON-level rules: uninitialised stack reads and pointer leaks allowed. */
  readonly priv: boolean;
  /** Loading for NIC offload (--target hw): the device's rules for ctx writes apply. */
  readonly offload: boolean;
  /** Map-in-map: the index of the outer map's inner template (appended to input.maps). */
  innerMap(outer: number): number | undefined;
  /** Fresh ids for packet pointers, null-check groups, references. */
  nextId(): number;
  /** Deepest stack byte touched per function (keyed by its first slot). */
  readonly stackDepth: Map<number, number>;
  /**
   * The decision at the current instruction depends on these registers' values (and these
   * stack slots: frame, 8-byte slot index): mark them precise back along the path.
   */
  precise(st: State, regs: readonly number[], slots?: readonly [number, number][]): void;
  /**
   * Stack slots (8-byte slot indexes k0..k1 of frame `frame`) the current instruction may
   * read, or overwrites completely (stack liveness).
   */
  stackUse(st: State, frame: number, k0: number, k1: number, write: boolean): void;
  /** Set once pointer arithmetic needs Spectre masking (explore_alu_limits): scalars compare exactly. */
  readonly flags: {
    aluLimits: boolean;
    /** bpf_loop call slots: still fit for inlining (flags 0, one callback), and that callback. */
    loopInline: Map<number, boolean>;
    loopTarget: Map<number, number>;
  };
}
