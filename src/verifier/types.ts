// The verifier's input and result values. The CLI formats results; nothing here prints.
import type { MapSpec } from '../elf/index.js';
import type { Insn } from '../isa/index.js';
import type { GlobalProto } from './globals.js';

export interface SourceLine { file: string; line: number; col: number; text: string }

export interface VerifierInput {
  /** Decoded, linked program: lddw src=1 names maps[imm], src=2 maps[imm] at offset imm64hi. */
  insns: readonly Insn[];
  maps: readonly MapSpec[];
  progType: 'xdp';
  /** XDP attach point: devmap programs may read egress_ifindex. */
  attach?: 'xdp' | 'devmap' | 'cpumap';
  /** Source line for a slot, where line info exists. */
  lineInfo?: (slot: number) => SourceLine | undefined;
  /** Function names by first slot (main program at 0), for messages. */
  funcNames?: ReadonlyMap<number, string>;
  /** kfunc calls: slot -> kernel function name (from the object's BTF). */
  kfuncs?: ReadonlyMap<number, string>;
  /**
   * Global functions by first slot, with their BTF prototypes: each is verified on its own
   * (once), and calls to it only check the arguments. Functions not listed are static.
   */
  globals?: ReadonlyMap<number, GlobalProto>;
}

export interface VerifyOptions {
  /**
   * 'root': CAP_SYS_ADMIN/CAP_PERFMON rules (uninitialised stack reads and pointer leaks allowed).
   * 'bpf_net_admin': CAP_BPF + CAP_NET_ADMIN only: those are rejected.
   */
  caps?: 'root' | 'bpf_net_admin';
  /** Record a per-instruction log (kernel log level 2 style). */
  log?: boolean;
  /** Processed-instruction budget (kernel: 1,000,000). */
  insnLimit?: number;
  /**
   * 'hw': the program is loaded for NIC offload (prog_ifindex set): the kernel then also lets it
   * write ctx->rx_queue_index. The NIC's own limits are checked by offloadCheck.
   */
  target?: 'host' | 'hw';
}

export interface PathDecision { pc: number; taken: boolean }

export interface VerifierError {
  /** Slot of the failing instruction (-1 for whole-program checks). */
  pc: number;
  /** Our explanation, one sentence. */
  headline: string;
  /** What the kernel's verifier prints for the same problem. */
  kernelMessage: string;
  /** Register (and stack) state at the failure, kernel notation: `R1=ctx()`. */
  registers: string[];
  /** Branch decisions from entry that lead to the failure. */
  path: PathDecision[];
  /** A concrete situation that reaches the failure, where one can be derived. */
  counterexample?: string;
  source?: SourceLine;
}

export interface VerifyResult {
  ok: boolean;
  /** Instructions processed, counted as the kernel counts them. */
  processedInsns: number;
  /** Deepest stack use of the main program plus its callees, bytes. */
  maxStackDepth: number;
  /** Stack depth per function (main first), as the kernel's `stack depth 8+16`. */
  stackDepths: number[];
  /** States stored for pruning, and how many paths pruning cut. */
  totalStates: number;
  prunedPaths: number;
  errors: VerifierError[];
  log?: string[];
  /**
   * Slots of the loads, stores and atomics whose memory access is proven in bounds on every
   * path (empty when rejected): the compiled VM tier may skip their bounds checks.
   */
  provenSafe: ReadonlySet<number>;
}
