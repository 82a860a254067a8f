// Structure checks before any abstract interpretation (check_subprogs, check_cfg and the
// per-instruction field checks of do_check): functions, jump targets, reachability,
// reserved fields, registers, constant operands the kernel rejects outright.
import { jumpTarget, type Insn } from '../isa/index.js';
import { checkKfunc } from './kfunc.js';
import { CALLBACK_HELPERS } from './precision.js';
import { reject } from './reject.js';
import type { VerifierInput } from './types.js';

export interface Cfg {
  bySlot: (Insn | undefined)[];
  /** First slot of each function, sorted; 0 is the main program. */
  subprogs: number[];
  /** Function (first slot) each slot belongs to. */
  subprogOf: Int32Array;
  /** Slots where states are compared and stored. */
  prune: Uint8Array;
  /** Static call graph: function -> called functions (callbacks included). */
  calls: Map<number, Set<number>>;
  /** Functions whose address is taken (lddw src=4): bpf_loop callbacks. */
  callbacks: number[];
  /** Slots reached by a jump or a call return, recorded in the path history (jmp points). */
  jmpPoint: Uint8Array;
  /** Calls of callback-calling helpers: a checkpoint is always taken there. */
  callsCallback: Uint8Array;
}

const isJump = (i: Insn): boolean => i.spec.shape === 'ja' || i.spec.shape === 'ja32' || i.spec.shape === 'jcond_imm' || i.spec.shape === 'jcond_reg';
const usesSrcReg = (i: Insn): boolean => ['alu_reg', 'movsx', 'ldx', 'ldxs', 'stx', 'atomic', 'jcond_reg'].includes(i.spec.shape);

export function buildCfg(input: VerifierInput, offload = false): Cfg {
  const insns = input.insns;
  const last = insns[insns.length - 1];
  const n = last ? last.slot + (last.spec.shape === 'lddw' ? 2 : 1) : 0;
  if (n === 0) reject('last insn is not an exit or jmp', 'the program is empty', undefined, 0);
  const bySlot: (Insn | undefined)[] = new Array(n).fill(undefined);
  for (const i of insns) bySlot[i.slot] = i;

  // Fields and operands, in program order (the kernel checks them as it meets them; a
  // malformed instruction is rejected whether or not it is reachable).
  for (const i of insns) checkFields(input, i, n, offload);

  const starts = new Set<number>([0]);
  const calls = new Map<number, Set<number>>();
  const targetOf = (i: Insn): number | undefined =>
    i.spec.shape === 'call_local' || (i.spec.shape === 'lddw' && i.src === 4) ? i.slot + 1 + i.imm : undefined;
  for (const i of insns) {
    const t = targetOf(i);
    if (t === undefined) continue;
    if (t < 0 || t >= n || bySlot[t] === undefined) reject('call to invalid destination', `the call at ${i.slot} targets slot ${t}, which is not an instruction of the program`, undefined, i.slot);
    starts.add(t);
  }
  const subprogs = [...starts].sort((a, b) => a - b);
  const subprogOf = new Int32Array(n);
  subprogs.forEach((s, k) => subprogOf.fill(s, s, subprogs[k + 1] ?? n));
  for (const s of subprogs) calls.set(s, new Set());
  for (const i of insns) {
    const t = targetOf(i);
    if (t !== undefined) calls.get(subprogOf[i.slot]!)!.add(t);
  }

  for (let k = 0; k < subprogs.length; k++) {
    const start = subprogs[k]!, end = subprogs[k + 1] ?? n;
    for (let s = start; s < end; s++) {
      const i = bySlot[s];
      if (!i || !isJump(i)) continue;
      const t = jumpTarget(i)!;
      if (t < start || t >= end) reject(`jump out of range from insn ${s} to ${t}`, `the jump at ${s} goes to ${t}, outside ${t < 0 || t >= n ? 'the program' : 'its function'} (slots ${start}..${end - 1})`, undefined, s);
    }
    let lastSlot = end - 1;
    if (bySlot[lastSlot] === undefined && lastSlot > start) lastSlot--;
    const li = bySlot[lastSlot]!;
    if (li.spec.shape !== 'exit' && li.spec.shape !== 'ja' && li.spec.shape !== 'ja32') {
      reject('last insn is not an exit or jmp', `the ${k === 0 && subprogs.length === 1 ? 'program' : 'function'} can fall off its end after slot ${lastSlot}: it must end with exit or a jump`, undefined, lastSlot);
    }
  }

  // Every instruction must be reachable; jumps must land on instructions.
  const prune = new Uint8Array(n);
  const jmpPoint = new Uint8Array(n);
  const callsCallback = new Uint8Array(n);
  const seen = new Uint8Array(n);
  const work: number[] = [0];
  const visit = (from: number, to: number): void => {
    if (bySlot[to] === undefined) reject(`jump into the middle of ldimm64 insn ${to - 1}`, `the jump at ${from} lands on the second half of the 64-bit load at ${to - 1}`, undefined, from);
    if (!seen[to]) { seen[to] = 1; work.push(to); }
  };
  seen[0] = 1;
  while (work.length) {
    const s = work.pop()!;
    const i = bySlot[s]!;
    const next = s + (i.spec.shape === 'lddw' ? 2 : 1);
    const sh = i.spec.shape;
    if (sh === 'exit') continue;
    if (sh === 'ja' || sh === 'ja32') { const t = jumpTarget(i)!; prune[t] = 1; jmpPoint[t] = 1; visit(s, t); continue; }
    if (sh === 'jcond_imm' || sh === 'jcond_reg') {
      const t = jumpTarget(i)!;
      // The kernel's prune points: the jump itself and its target, not the fall-through.
      prune[s] = 1; prune[t] = 1; jmpPoint[t] = 1;
      visit(s, t);
    }
    const t = targetOf(i);
    if (t !== undefined) { visit(s, t); prune[t] = 1; jmpPoint[t] = 1; prune[s] = 1; }
    if (sh === 'call' && CALLBACK_HELPERS.has(i.imm)) { callsCallback[s] = 1; prune[s] = 1; jmpPoint[s] = 1; }
    if (sh === 'call' || sh === 'call_local' || sh === 'call_kfunc' || t !== undefined) { prune[next] = 1; jmpPoint[next] = 1; }
    if (next < n) visit(s, next);
  }
  for (let s = 0; s < n; s++) {
    if (bySlot[s] && !seen[s]) reject(`unreachable insn ${s}`, `instruction ${s} can never run: no path from the entry reaches it`, undefined, s);
  }
  const callbacks = insns.filter((i) => i.spec.shape === 'lddw' && i.src === 4).map((i) => i.slot + 1 + i.imm);
  return { bySlot, subprogs, subprogOf, prune, calls, callbacks, jmpPoint, callsCallback };
}

function checkFields(input: VerifierInput, i: Insn, n: number, offload: boolean): void {
  const { spec, slot } = i;
  const sh = spec.shape;
  const bad = (cls: string): never => reject(`${cls} uses reserved fields`, `instruction ${slot} (${spec.name}) has non-zero reserved fields (src=${i.src} off=${i.off} imm=${i.imm})`, undefined, slot);
  if (i.dst > 10) reject(`R${i.dst} is invalid`, `instruction ${slot} names register r${i.dst}; eBPF has r0-r10`, undefined, slot);
  if (usesSrcReg(i) && i.src > 10) reject(`R${i.src} is invalid`, `instruction ${slot} names register r${i.src}; eBPF has r0-r10`, undefined, slot);
  const cls = 'BPF_ALU';
  switch (sh) {
    case 'alu_imm':
    case 'alu_reg':
      if (i.off !== 0 && spec.op !== 'sdiv' && spec.op !== 'smod') bad(cls);
      break;
    case 'neg': if (i.off !== 0) bad(cls); break;
    case 'call_kfunc': {
      const name = input.kfuncs?.get(slot);
      if (name === undefined) reject('calling kernel functions is not supported', `instruction ${slot} calls a kernel function (kfunc) whose name is unknown (no BTF for it)`, undefined, slot);
      checkKfunc(name, slot, offload);
      break;
    }
    case 'callx':
      reject(`unknown opcode ${i.opcode.toString(16)}`, `callx (call through a register) is not accepted by the kernel`, undefined, slot);
    // eslint-disable-next-line no-fallthrough
    case 'lddw':
      if (i.src === 1 && (i.imm < 0 || i.imm >= input.maps.length)) reject(`fd ${i.imm} is not pointing to valid bpf_map`, `the 64-bit load at ${slot} names map #${i.imm}, but the program has ${input.maps.length} maps`, undefined, slot);
      if (i.src === 2) {
        const m = input.maps[i.imm];
        if (!m) reject(`fd ${i.imm} is not pointing to valid bpf_map`, `the 64-bit load at ${slot} names map #${i.imm}, but the program has ${input.maps.length} maps`, undefined, slot);
        if (i.imm64hi < 0 || i.imm64hi >= m.valueSize) reject(`invalid access to map value pointer, value_size=${m.valueSize} off=${i.imm64hi >>> 0}`, `the address of ${m.name}+${i.imm64hi} is outside its ${m.valueSize}-byte value`, undefined, slot);
      }
      if (i.src === 3 || i.src === 5 || i.src === 6) reject('unsupported bpf_ld_imm64 pseudo source', `64-bit load with src=${i.src} (BTF id or map index) is not supported by xdplab`, undefined, slot);
      if (slot + 1 >= n) reject('invalid bpf_ld_imm64 insn', 'the 64-bit load is missing its second half', undefined, slot);
      break;
  }
}
