// Translate a pre-decoded program into the source of one JavaScript function.
// Registers are locals (r0l, r0h, ... r10h). Two layouts of the basic blocks, in slot order:
// - forward jumps only (most XDP programs): straight code, each jump target closing a
//   labelled block opened at the top, so a jump is `break bT;` and V8 sees one acyclic body;
// - otherwise the cases of a `switch (pc)` inside `for (;;)`: falling through to the next
//   block falls into the next case, taken jumps go back to the dispatch. Near the budget
//   the run resumes in the interpreter's loop, which ends it where the interpreter would.
// Each block adds its length to `n` on entry. A fault names its slot through
// `at`, and the catch takes back the instructions of the block that did not run (REM).
// Calls spill the registers the callee may read to the register file R and reload them.
import type { Insn } from '../../isa/index.js';
import { REGION_TAG, STACK, STACK_BYTES } from '../memory.js';
import type { Program } from '../program.js';
import { basicBlocks, targetOf, writesR10, type Block } from './blocks.js';
import { alu32, alu64, condition, hi, lit, lo } from './emit-alu.js';
import { atomicOp, legacyLoad, load, store, type MemContext } from './emit-mem.js';

export interface Compiled {
  /** The body of `new Function('ctx', body)`; it returns `run(args)`. */
  source: string;
  /** Instructions after each slot in its block (for the count when a fault ends a run). */
  rem: Int32Array;
  /**
   * Forward jumps only and no local calls: the blocks are straight code in labelled blocks
   * (a jump is a `break`), with no dispatch and no budget checks; a run executes at most
   * `maxInsns` instructions, so the caller checks the budget against that once per run.
   */
  structured: boolean;
  maxInsns: number;
}

const regs = (from: number, to: number, f: (i: number) => string): string => {
  let s = '';
  for (let i = from; i <= to; i++) s += f(i);
  return s;
};
const spill = (from: number, to: number): string => regs(from, to, (i) => `R[${2 * i}] = ${lo(i)}; R[${2 * i + 1}] = ${hi(i)}; `);
const reload = (from: number, to: number): string => regs(from, to, (i) => `${lo(i)} = R[${2 * i}]; ${hi(i)} = R[${2 * i + 1}]; `);

/** How a jump to a slot is written: `pc = T; continue;` in the switch, `break bT;` when structured. */
type JumpTo = (target: number) => string;

export function compileProgram(P: Program, proven: ReadonlySet<number>): Compiled {
  const blocks = basicBlocks(P);
  const rem = new Int32Array(P.n + 1);
  for (const b of blocks) b.insns.forEach((insn, k) => { rem[insn.slot] = b.insns.length - 1 - k; });
  // The interpreter takes over at this slot, with the instructions before it in the block counted.
  const bail = (slot: number): string => `${spill(0, 10)}at = -1; return execute(vm, R, P, mem, frames, budget, null, ${slot}, n - ${rem[slot]! + 1});`;
  const m: MemContext = { r10Fixed: !writesR10(P), proven, bail };
  const structured = P.insns.every((insn) => insn.spec.shape !== 'call_local' && (targetOf(insn) < 0 || targetOf(insn) > insn.slot));
  const body = structured ? structuredBody(P, blocks, m) : switchBody(P, blocks, m);
  const source = `"use strict";
const { vm, R, mem, frames, counters, T, H, REM, execute, P, pastEnd, mulhu32, udiv64, sdiv64, umod64, smod64, lsh64, rsh64, arsh64,
  udiv32, sdiv32, umod32, smod32, bswap16, bswap32, loadPacket, atomic } = ctx;
return function run(a) {
  let r0l = 0, r0h = 0, r1l = a[0], r1h = a[1], r2l = a[2], r2h = a[3], r3l = a[4], r3h = a[5], r4l = a[6], r4h = a[7], r5l = a[8], r5h = a[9];
  let r6l = 0, r6h = 0, r7l = 0, r7h = 0, r8l = 0, r8h = 0, r9l = 0, r9h = 0, r10l = ${STACK_BYTES}, r10h = ${REGION_TAG + STACK};
  const tb = mem.tables, CNT = tb.count, V = tb.views, B = tb.base, L = tb.len, LO = tb.low, W = tb.writable, A = tb.accesses, CP = tb.ctxPtr;
  const SV = V[0], SB = B[0], budget = vm.budget;
  let t = 0, o = 0, p = 0, r = 0, at = -1, n = 0, pc = 0;
  try {
${body}
  } catch (e) {
    if (at >= 0) vm.executed = n - REM[at];
    throw e;
  }
};`;
  return { source, rem, structured, maxInsns: P.insns.length };
}

/** Any control flow: the blocks are the cases of `switch (pc)` in `for (;;)`. */
function switchBody(P: Program, blocks: Block[], m: MemContext): string {
  const out = blocks.map((b) => {
    const len = b.insns.length;
    // A block that jumps back to its own start (a tight loop) loops in place: `continue` of
    // its own `for`, no dispatch. Other jumps go back to the switch.
    const self = targetOf(b.insns[len - 1]!) === b.start;
    const jump: JumpTo = (t) => (self && t === b.start ? 'continue;' : `pc = ${t}; continue dispatch;`);
    // Near the budget: hand the rest of the run to the interpreter's loop (it counts one by one).
    const head = `case ${b.start}:${self ? ' for (;;) {' : ''} if ((n += ${len}) > budget) { n -= ${len}; ${spill(0, 10)}at = -1; return execute(vm, R, P, mem, frames, budget, null, ${b.start}, n); }`;
    return [head, ...b.insns.map((insn) => `  ${emitInsn(P, insn, m, jump)}`), ...(self ? ['  break; }'] : [])].join('\n');
  });
  // The sentinel: execution fell through past the last instruction.
  out.push(`case ${P.n}: at = ${P.n}; pastEnd(${P.n});`);
  return `dispatch: for (;;) {\nswitch (pc) {\n${out.join('\n')}\n}\n}`;
}

/** Forward jumps only: every jump target opens a labelled block at the top, closed just before it. */
function structuredBody(P: Program, blocks: Block[], m: MemContext): string {
  const targets = [...new Set(P.insns.map(targetOf).filter((t) => t >= 0))].sort((x, y) => y - x);
  const jump: JumpTo = (t) => `break b${t};`;
  const out = targets.map((t) => `b${t}: {`);
  for (const b of blocks) {
    if (targets.includes(b.start)) out.push(`} // b${b.start}`);
    out.push(`n += ${b.insns.length};`);
    for (const insn of b.insns) out.push(`  ${emitInsn(P, insn, m, jump)}`);
  }
  if (targets.includes(P.n)) out.push(`} // b${P.n}`);
  out.push(`at = ${P.n}; pastEnd(${P.n});`);
  return out.join('\n');
}

function emitInsn(P: Program, insn: Insn, m: MemContext, jump: JumpTo): string {
  const s = insn.slot;
  switch (insn.spec.shape) {
    case 'alu_imm': case 'alu_reg': case 'neg': case 'movsx': case 'end':
      return (insn.opcode & 7) === 0x07 ? alu64(insn) : alu32(insn);
    case 'lddw': return `${lo(insn.dst)} = ${lit(P.imm[s]!)}; ${hi(insn.dst)} = ${lit(P.imm[s + 1]!)};`;
    case 'ldx': case 'ldxs': return load(insn, m);
    case 'st': case 'stx': return store(insn, m);
    case 'atomic': return atomicOp(insn);
    case 'ldabs': case 'ldind': return legacyLoad(insn);
    case 'ja': case 'ja32': {
      const t = targetOf(insn);
      return t === s + 1 ? '' : jump(t);
    }
    case 'jcond_imm': case 'jcond_reg': {
      const t = targetOf(insn);
      return t === s + 1 ? '' : `if (${condition(insn)}) { ${jump(t)} }`;
    }
    case 'exit':
      if (jump(0).startsWith('break')) return 'R[0] = r0l; R[1] = r0h; return n;'; // no local calls: depth 0
      return `if (frames.depth === 0) { R[0] = r0l; R[1] = r0h; return n; } at = ${s}; pc = frames.pop(R, mem); ${reload(6, 10)}continue;`;
    case 'call_local':
      return `${spill(6, 10)}at = ${s}; frames.push(R, mem, counters, ${s + 1}, ${s}); r10l = R[20]; pc = ${targetOf(insn)}; continue;`;
    case 'call': // a helper: it reads r1-r5 (and may leave r0 alone) from R and sets r0
      return `${spill(0, 5)}at = ${s}; vm.pc = ${s}; H[${s}](vm); counters.helper(${insn.imm}); ${reload(0, 5)}if (vm.stopped) return n;`;
    case 'callx':
      return `${spill(0, 10)}at = ${s}; vm.call(${insn.opcode}, ${s}); ${reload(0, 10)}if (vm.stopped) return n;`;
    default:
      throw new Error(`compiled: no translation for ${insn.spec.name} at slot ${s}`);
  }
}
