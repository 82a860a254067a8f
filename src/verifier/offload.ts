// NIC offload (XDP_FLAGS_HW_MODE, the Linux nfp driver's rules): what keeps a program that the
// kernel accepts from running on the NIC, each reason tied to an instruction or a map so the
// pipeline and the cost model can name it. Facts: domain.md §3 (nfp bpf/verifier.c, jit.c,
// kernel/bpf/offload.c).
import { MAP_TYPE } from '../elf/index.js';
import { HELPER_NAMES, helperName } from '../isa/index.js';
import type { InsnFacts } from './facts.js';
import type { Facts } from './facts.js';
import type { VerifierInput, VerifyOptions, VerifyResult } from './types.js';
import { analyse } from './verify.js';

export interface OffloadLimits {
  /** Program length the firmware accepts, in BPF instructions (the NIC reports NFP instructions). */
  maxInsns: number;
  /** Stack the firmware gives a program (NFP_NET_CFG_BPF_STACK_SZ x 64 bytes). */
  stackBytes: number;
  /** Packet bytes the NIC holds inline (BPF_INL_MTU x 64 - 32); undefined: not checked. */
  packetSplit?: number;
}

/** Assumed firmware figures (the real ones are reported by the card at probe time). */
export const DEFAULT_OFFLOAD_LIMITS: OffloadLimits = { maxInsns: 4096, stackBytes: 512 };

export interface OffloadReason {
  pc?: number;
  map?: string;
  text: string;
  /** 'blocks': the load with XDP_FLAGS_HW_MODE fails; 'changes': it loads but behaves differently. */
  severity: 'blocks' | 'changes';
}

export interface OffloadResult {
  offloadable: boolean;
  reasons: OffloadReason[];
  /** The kernel verifier's verdict for the program loaded for the device. */
  verify: VerifyResult;
}

const NIC_HELPERS = new Set(['map_lookup_elem', 'map_update_elem', 'map_delete_elem', 'xdp_adjust_head', 'xdp_adjust_tail', 'get_prandom_u32', 'perf_event_output']);
const NIC_POINTERS = new Set(['ctx', 'fp', 'pkt', 'map_value']);
const U32_MAX = 0xffffffffn;
const mapTypeName = (t: number): string => Object.entries(MAP_TYPE).find(([, v]) => v === t)?.[0].toLowerCase() ?? `type ${t}`;

export function offloadCheck(input: VerifierInput, opts: Omit<VerifyOptions, 'target' | 'log'> & { limits?: Partial<OffloadLimits> } = {}): OffloadResult {
  const limits = { ...DEFAULT_OFFLOAD_LIMITS, ...opts.limits };
  const facts: Facts = new Map();
  const verify = analyse(input, { ...opts, target: 'hw' }, facts);
  const reasons: OffloadReason[] = [];
  const block = (text: string, where: { pc?: number; map?: string } = {}): void => { reasons.push({ ...where, text, severity: 'blocks' }); };
  if (!verify.ok) block('the kernel verifier rejects the program', { pc: verify.errors[0]!.pc });

  const used = new Set<number>();
  for (const i of input.insns) {
    if (i.spec.shape === 'lddw' && (i.src === 1 || i.src === 2)) used.add(i.imm);
    if (i.spec.shape === 'call') {
      const name = HELPER_NAMES[i.imm];
      if (name === undefined || !NIC_HELPERS.has(name)) block(`${helperName(i.imm)} is not supported by the NIC (unsupported function id ${i.imm})`, { pc: i.slot });
    }
    if (i.spec.shape === 'call_kfunc') block('kernel functions (kfuncs) cannot be called on the NIC', { pc: i.slot });
    if (i.spec.version === 4) block(`the NIC JIT has no ${i.spec.name} (a cpu v4 instruction)`, { pc: i.slot });
  }
  for (const k of [...used].sort((a, b) => a - b)) {
    const m = input.maps[k];
    if (!m) continue;
    if (m.initialData !== undefined) block(`global data (${m.name}) lives in an mmapable array, which cannot be offloaded`, { map: m.name });
    else if (m.type !== MAP_TYPE.ARRAY && m.type !== MAP_TYPE.HASH && m.type !== MAP_TYPE.PERF_EVENT_ARRAY) {
      block(`map ${m.name} (${mapTypeName(m.type)}) cannot be offloaded: only array and hash maps can (perf event arrays stay on the host)`, { map: m.name });
    } else if (m.flags !== 0) block(`map ${m.name} has flags 0x${m.flags.toString(16)}; offloaded maps take none`, { map: m.name });
  }
  for (const [pc, f] of [...facts].sort((a, b) => a[0] - b[0])) insnReasons(input, pc, f, limits, reasons);
  if (verify.ok && verify.maxStackDepth > limits.stackBytes) block(`the program uses ${verify.maxStackDepth} bytes of stack; the NIC gives it ${limits.stackBytes}`);
  const n = input.insns.length;
  if (n > limits.maxInsns) block(`the program has ${n} instructions; the NIC holds at most ${limits.maxInsns}`);
  return { offloadable: !reasons.some((r) => r.severity === 'blocks'), reasons, verify };
}

function insnReasons(input: VerifierInput, pc: number, f: InsnFacts, limits: OffloadLimits, out: OffloadReason[]): void {
  const insn = input.insns.find((i) => i.slot === pc);
  if (!insn) return;
  const block = (text: string): void => { out.push({ pc, text, severity: 'blocks' }); };
  const sh = insn.spec.shape;
  for (const t of f.bases) if (!NIC_POINTERS.has(t)) block(`access through a ${t === 'pkt_meta' ? 'packet metadata' : t} pointer; the NIC handles only ctx, stack, packet and map value pointers`);
  if (f.varStack) block('stack access at a variable offset is not supported on the NIC');
  if ((sh === 'st' || sh === 'stx') && f.bases.has('map_value')) block('map writes not supported on the NIC: change values with bpf_map_update_elem or an atomic add');
  if (sh === 'atomic') {
    const op = insn.spec.op;
    if (op !== 'add') block(`atomic ${op} is not supported on the NIC: only atomic add (no fetch)`);
    else if ([...f.bases].some((t) => t !== 'map_value')) block('the NIC does atomic add on map values only');
  }
  if (sh === 'st' || sh === 'stx') {
    if (f.bases.has('ctx')) out.push({ pc, text: 'writes ctx->rx_queue_index: queue selection works only where the firmware supports it', severity: 'changes' });
  }
  if (limits.packetSplit !== undefined && f.pktEnd > limits.packetSplit) block(`packet access up to byte ${f.pktEnd} may lie beyond the NIC's packet split boundary (${limits.packetSplit} bytes)`);
  const op = insn.spec.op;
  if ((sh === 'alu_imm' || sh === 'alu_reg') && op === 'mul' && f.maxOperand > U32_MAX) block('multiplication with an operand wider than 32 bits is not supported on the NIC');
  if ((sh === 'alu_imm' || sh === 'alu_reg') && (op === 'div' || op === 'mod')) {
    if (!f.constDivisor) block(`${op === 'div' ? 'division' : 'modulo'} by a register: the NIC divides only by a constant (reciprocal multiply)`);
    else if (f.maxOperand > U32_MAX) block(`${op === 'div' ? 'division' : 'modulo'} of a value wider than 32 bits is not supported on the NIC`);
  }
  if (sh === 'exit' && f.returns.has(4)) out.push({ pc, text: 'may return XDP_REDIRECT, which the NIC treats as XDP_ABORTED (the packet is dropped)', severity: 'changes' });
}
