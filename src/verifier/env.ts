// What the transfer functions share while one program is analysed.
import type { Insn } from '../isa/index.js';
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
}
