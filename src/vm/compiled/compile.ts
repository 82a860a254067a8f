// Translate a pre-decoded program into the source of one JavaScript function.
// Registers are locals (r0l, r0h, ... r10h). Two layouts of the basic blocks, in slot order:
// - natural loops, contiguous and nested (most XDP programs; layout.ts): straight code with
//   labelled loops and blocks, a jump is `break bT;` or `continue LH;`, and the budget is
//   checked at the header, once per iteration (once per group of trips of an unrolled loop);
//   known high words (high.ts) turn tag tests and carries into literals or speculation tests;
// - otherwise (BPF-to-BPF calls, irreducible jumps) the cases of a `switch (pc)` inside
//   `for (;;)`: falling through to the next block falls into the next case, taken jumps go
//   back to the dispatch, and each block checks the budget.
// Near the budget the run resumes in the interpreter's loop, which ends it where the
// interpreter would. Each block adds its length to `n` on entry. There is no try/catch (it
// would keep `n` and the access counts in memory): before anything that may throw (a helper,
// an atomic through the register file, a call frame, running past the end) the code stores
// the count without the rest of its block in vm.executed and flushes the access counts.
// Helper calls spill the registers the callee may read to the register file R and reload them.
import type { Insn } from '../../isa/index.js';
import { PACKET, REGION_TAG, STACK, STACK_BYTES } from '../memory.js';
import type { Program } from '../program.js';
import { basicBlocks, targetOf, writesR10, type Block } from './blocks.js';
import { alu32, alu64, condition, lit, lo, hi } from './emit-alu.js';
import { HELPER_MAP_LOOKUP, helperCall, inlineLookup, reload, spill, type InlineMap, type InlineMaps } from './emit-call.js';
import { atomicOp, legacyLoad, load, regionLocals, store, type MemContext } from './emit-mem.js';
import { guessRegions, SCALAR } from './guess.js';
import { addHigh, highWords, isKnown, stateAt, type HighWords } from './high.js';
import { checkGap, structure, structuredBody } from './layout.js';

export interface Compiled {
  /** The body of `new Function('ctx', body)`; it returns `run(args)`. */
  source: string;
  /** Instructions after each slot in its block (for the count when a fault ends a run). */
  rem: Int32Array;
  /**
   * Structured layout: a run checks the budget only at loop headers, so the caller runs the
   * interpreter instead when the budget is below `maxInsns` (the longest acyclic path).
   */
  structured: boolean;
  maxInsns: number;
  /** Inlined lookups: the InlineMap of the lookup at slot s is `inline.get(s)`. */
  inline: Map<number, InlineMap>;
}

/** How a jump to a slot is written. */
type JumpTo = (target: number) => string;

export interface CompileInput {
  proven: ReadonlySet<number>;
  maps?: InlineMaps;
  /** Slot in Counters.mapCounts of a map name. */
  mapSlot(name: string): number;
  /** Region tags r1-r5 hold at entry ([1]..[5]; 0 for a number): where the guesses start. */
  entry?: Int32Array;
  /** The context's pointer fields now: the tag of the pointer at a context offset, if any (high.ts). */
  ctxField?(offset: number): number | undefined;
  /** r1's low word now (the context's offset). */
  ctxBase?: number;
  /** Slots not to speculate at (high.ts); -r for the entry tag of register r. */
  noSpec?: ReadonlySet<number>;
  /** Regions the memory has now (default 16). */
  regions?: number;
}

export function compileProgram(P: Program, input: CompileInput): Compiled {
  const blocks = basicBlocks(P);
  const rem = new Int32Array(P.n + 1);
  for (const b of blocks) b.insns.forEach((insn, k) => { rem[insn.slot] = b.insns.length - 1 - k; });
  const layout = structure(P, blocks);
  const maps = input.maps;
  const valueTagOf = (t: number): number => {
    const im = maps?.mapAt(t - REGION_TAG);
    return im ? REGION_TAG + im.valueRegion : -1;
  };
  const guesses = guessRegions(P, blocks, valueTagOf, input.entry);
  const H = layout ? highWords(P, blocks, { entry: input.entry, ctxField: input.ctxField, ctxBase: input.ctxBase, noSpec: input.noSpec ?? new Set() }, layout.loops) : null;
  // The interpreter takes over at this slot, with the instructions before it in the block counted.
  // Structured code leaves through the `bail` block, whose end spills once for every exit.
  const bail = (slot: number): string => (layout
    ? `{ pc = ${slot}; n = (n - ${rem[slot]! + 1}) | 0; break bail; }`
    : `${spill(0, 10)}at = -1; return execute(vm, R, P, mem, frames, budget, null, ${slot}, n - ${rem[slot]! + 1}, budget);`);
  const m: MemContext = {
    r10Fixed: !writesR10(P), frame0: layout !== null, proven: input.proven, guess: guesses.base, used: new Set([PACKET]), bail,
    high: (s, r) => (H ? stateAt(H, s)[r]! : NaN), regions: input.regions ?? 16,
  };
  const inline = new Map<number, InlineMap>();
  // Region locals are reloaded after helper calls; the text is filled in once all are known.
  const AFTER = '/*reload*/';
  // A failed speculation (high.ts) counts itself in SB[idx] and leaves for slot `to`, with the
  // `back` instructions not run taken off `n`; at a slot, before it runs (or after).
  const leave = (idx: number, to: number, back: number): string => `{ SB[${idx}] = (SB[${idx}] + 1) | 0; pc = ${to}; n = (n - ${back}) | 0; break bail; }`;
  const specBail = (slot: number, after: boolean): string => (after ? leave(slot, slot + 1, rem[slot]!) : leave(slot, slot, rem[slot]! + 1));
  const ctx: EmitContext = { P, m, inline, maps, guesses: guesses.r1, mapSlot: input.mapSlot, after: AFTER, H, specBail };
  let body: string;
  if (layout) {
    // Blocks entered only by falling through a conditional jump join their predecessor's
    // chain: the chain's length is counted once at its head, and a taken jump out of the
    // middle subtracts what the chain has left (so `n` is exact at every jump target).
    const chains = countChains(P, blocks, layout.loops);
    for (const b of blocks) b.insns.forEach((insn) => { rem[insn.slot] = chains.rest[insn.slot]!; });
    const emitBlock = (b: Block): string => {
      const head = chains.add.get(b.start);
      return [...(head === undefined ? [] : [`n = (n + ${head}) | 0;`]), ...b.insns.map((insn) => {
        const back = chains.rest[insn.slot]!;
        const fix = back > 0 ? `n = (n - ${back}) | 0; ` : '';
        // Backward jumps go to a loop header; forward ones leave a labelled block.
        const jump: JumpTo = (t) => `${fix}${t <= insn.slot ? `continue L${t};` : `break b${t};`}`;
        return `  ${emitInsn(ctx, insn, jumpFor(insn, jump))}`;
      })].join('\n');
    };
    // Once per iteration (per unrolled group): near the budget, the interpreter finishes the run from the header.
    const head = (h: number): string => `if (n > LIM) { pc = ${h}; break bail; }`;
    const entry = [...H!.entry].map(([r, tag]) => `if (${hi(r)} !== ${tag}) ${leave(P.n + r, 0, 0)} ${hi(r)} = ${tag};`).join(' ');
    body = `bail: {\n${entry}\n${structuredBody(P, blocks, layout, emitBlock, head)}\nat = ${P.n}; pastEnd(${P.n});\n}\n`
      + `${spill(0, 10)}return execute(vm, R, P, mem, frames, budget, null, pc, n, budget);`;
  } else body = switchBody(ctx, blocks);
  const { decl, reload: reloadRegions, flush } = regionLocals(m.used, m.frame0, body);
  // Every `return` in the body is a statement of its own block, so the flush can precede it;
  // `at = S;` marks a slot whose next operation may throw.
  body = body.split(AFTER).join(reloadRegions).split('return ').join(`${flush}return `)
    .replace(/\bat = -1; /g, '').replace(/\bat = (\d+);/g, (_, slot: string) => `vm.executed = n - ${rem[Number(slot)]!}; ${flush}`);
  // Tables the body may not use: declared only when it does.
  const optional: [string, string][] = [
    ['CPF', 'tb.ctxPtrFlag'], ['CPL', 'tb.ctxPtrLo'], ['CPH', 'tb.ctxPtrHi'], ['HC', 'counters.helperById'], ['MC', 'counters.mapCounts'],
  ];
  const source = `"use strict";
const { vm, R, mem, frames, counters, T, H, execute, P, pastEnd, mulhu32, udiv64, sdiv64, umod64, smod64, lsh64, rsh64, arsh64,
  udiv32, sdiv32, umod32, smod32, bswap16, bswap32, loadPacket, atomic, IMAPS, SB, ${[...inline.keys()].map((s) => `IM${s}`).join(', ')} } = ctx;
return function run(a) {
  let r0l = 0, r0h = 0, r1l = a[0], r1h = a[1], r2l = a[2], r2h = a[3], r3l = a[4], r3h = a[5], r4l = a[6], r4h = a[7], r5l = a[8], r5h = a[9];
  let r6l = 0, r6h = 0, r7l = 0, r7h = 0, r8l = 0, r8h = 0, r9l = 0, r9h = 0, r10l = ${STACK_BYTES}, r10h = ${REGION_TAG + STACK};
  const tb = mem.tables;
  ${optional.filter(([name]) => new RegExp(`\\b${name}\\b`).test(body)).map(([name, e]) => `const ${name} = ${e};`).join(' ')}
  // n stays an int32 (no overflow checks): past LIM the interpreter's loop takes over, and
  // between two checks at most ${layout ? checkGap(P, layout) : P.insns.length + 1} instructions run.
  const budget = vm.budget, LIM = ${layout ? `Math.min(budget, 0x7fffffff) - ${checkGap(P, layout)}` : `Math.min(budget, 0x7fffffff - ${P.insns.length + 1})`};
  ${decl}
  let t = 0, q = 0, u = 0, o = 0, p = 0, r = 0, n = 0, pc = 0;
${body}
};`;
  return { source, rem, structured: layout !== null, maxInsns: P.insns.length, inline };
}

/**
 * Counting chains: `add` maps a chain's first slot to its length; `rest[s]` is the number of
 * the chain's instructions after slot s. A block joins the chain of the block before it when
 * that block ends with a conditional jump and nothing else jumps to it (nor is it a loop header).
 */
function countChains(P: Program, blocks: Block[], loops: ReadonlyMap<number, number>): { add: Map<number, number>; rest: Int32Array } {
  const target = new Uint8Array(P.n + 1);
  for (const insn of P.insns) { const t = targetOf(insn); if (t >= 0) target[t] = 1; }
  const add = new Map<number, number>();
  const rest = new Int32Array(P.n + 1);
  let chain: Block[] = [];
  const close = (): void => {
    if (chain.length === 0) return;
    let left = 0;
    for (let i = chain.length - 1; i >= 0; i--) {
      const ins = chain[i]!.insns;
      for (let k = ins.length - 1; k >= 0; k--) { rest[ins[k]!.slot] = left; left++; }
    }
    add.set(chain[0]!.start, left);
    chain = [];
  };
  blocks.forEach((b, i) => {
    const prev = i > 0 ? blocks[i - 1]!.insns : null;
    const last = prev ? prev[prev.length - 1]!.spec.shape : '';
    const joins = (last === 'jcond_imm' || last === 'jcond_reg') && target[b.start] === 0 && !loops.has(b.start);
    if (!joins) close();
    chain.push(b);
  });
  close();
  return { add, rest };
}

/** Everything emitInsn needs. */
interface EmitContext {
  P: Program;
  m: MemContext;
  inline: Map<number, InlineMap>;
  maps: InlineMaps | undefined;
  /** Guessed r1 tag per helper-call slot. */
  guesses: Int32Array;
  mapSlot(name: string): number;
  after: string;
  /** Known high words (structured layouts), and the exit of a failed speculation. */
  H: HighWords | null;
  specBail(slot: number, after: boolean): string;
}

/** A jump that falls through to the next slot needs no code. */
const jumpFor = (insn: Insn, jump: JumpTo): JumpTo => (t) => (t === insn.slot + 1 ? '' : jump(t));

/** Any control flow: the blocks are the cases of `switch (pc)` in `for (;;)`. */
function switchBody(ctx: EmitContext, blocks: Block[]): string {
  const P = ctx.P;
  const out = blocks.map((b) => {
    const len = b.insns.length;
    // A block that jumps back to its own start (a tight loop) loops in place: `continue` of
    // its own `for`, no dispatch. Other jumps go back to the switch.
    const self = targetOf(b.insns[len - 1]!) === b.start;
    const jump: JumpTo = (t) => (self && t === b.start ? 'continue;' : `pc = ${t}; continue dispatch;`);
    // Near the budget: hand the rest of the run to the interpreter's loop (it counts one by one).
    const head = `case ${b.start}:${self ? ' for (;;) {' : ''} if ((n = (n + ${len}) | 0) > LIM) { n -= ${len}; ${spill(0, 10)}at = -1; return execute(vm, R, P, mem, frames, budget, null, ${b.start}, n, budget); }`;
    return [head, ...b.insns.map((insn) => `  ${emitInsn(ctx, insn, jumpFor(insn, jump), true)}`), ...(self ? ['  break; }'] : [])].join('\n');
  });
  // The sentinel: execution fell through past the last instruction.
  out.push(`case ${P.n}: at = ${P.n}; pastEnd(${P.n});`);
  return `dispatch: for (;;) {\nswitch (pc) {\n${out.join('\n')}\n}\n}`;
}

function emitInsn(ctx: EmitContext, insn: Insn, jump: JumpTo, frames = false): string {
  const { P, m } = ctx;
  const s = insn.slot;
  switch (insn.spec.shape) {
    case 'alu_imm': case 'alu_reg': case 'neg': case 'movsx': case 'end':
      if (ctx.H && (ctx.H.spec.has(s) || ctx.H.exact.has(s))) return alu64Known(insn, ctx.H, ctx.specBail(s, false));
      return (insn.opcode & 7) === 0x07 ? alu64(insn) : alu32(insn);
    case 'lddw': return `${lo(insn.dst)} = ${lit(P.imm[s]!)}; ${hi(insn.dst)} = ${lit(P.imm[s + 1]!)};`;
    case 'ldx': case 'ldxs': {
      const tag = ctx.H?.spec.get(s);
      if (tag === undefined) return load(insn, m);
      // A context word speculated to be what it was at compile time (a tag, or a number).
      return `${load(insn, m)} if (${hi(insn.dst)} !== ${tag}) ${ctx.specBail(s, true)} ${hi(insn.dst)} = ${tag};`;
    }
    case 'st': case 'stx': return store(insn, m);
    case 'atomic': return atomicOp(insn, m);
    case 'ldabs': case 'ldind': return legacyLoad(insn);
    case 'ja': case 'ja32': return jump(targetOf(insn));
    case 'jcond_imm': case 'jcond_reg': {
      const j = jump(targetOf(insn));
      return j === '' ? '' : `if (${condition(insn)}) { ${j} }`;
    }
    case 'exit':
      if (!frames) return 'R[0] = r0l; R[1] = r0h; return n;'; // no local calls: depth 0
      return `if (frames.depth === 0) { R[0] = r0l; R[1] = r0h; return n; } at = ${s}; pc = frames.pop(R, mem); ${reload(6, 10)}continue;`;
    case 'call_local':
      return `${spill(6, 10)}at = ${s}; frames.push(R, mem, counters, ${s + 1}, ${s}); r10l = R[20]; pc = ${targetOf(insn)}; continue;`;
    case 'call': {
      const tag = ctx.guesses[s]!;
      if (insn.imm === HELPER_MAP_LOOKUP && tag > SCALAR && ctx.maps) {
        const im = ctx.maps.mapAt(tag - REGION_TAG);
        if (im) {
          ctx.inline.set(s, im);
          return inlineLookup(insn, tag - REGION_TAG, im, ctx.mapSlot(im.name), ctx.after);
        }
      }
      return helperCall(insn, ctx.after);
    }
    case 'callx':
      return `${spill(0, 10)}at = ${s}; vm.call(${insn.opcode}, ${s}); ${reload(0, 10)}${ctx.after} if (vm.stopped) { return n; }`;
    default:
      throw new Error(`compiled: no translation for ${insn.spec.name} at slot ${s}`);
  }
}

/**
 * 64-bit add/sub whose result keeps a known high word (high.ts): the high word is a literal;
 * unless the low words' carry is sure (`exact`), a test leaves the run before this slot when
 * the carry is not the expected one.
 */
function alu64Known(insn: Insn, H: HighWords, leave: string): string {
  const s = insn.slot, dl = lo(insn.dst), dh = hi(insn.dst);
  const reg = (insn.opcode & 0x08) !== 0;
  const bl = reg ? lo(insn.src) : lit(insn.imm);
  const st = stateAt(H, s);
  const { high, exact } = addHigh(insn, st);
  if (!isKnown(high)) throw new Error(`compiled: no known high word at slot ${s}`);
  const expect = (reg ? st[insn.src]! : insn.imm >> 31) < 0;
  if (insn.opcode >> 4 === 0x0) {
    if (exact) return `${dl} = (${dl} + ${bl}) | 0; ${dh} = ${high};`;
    // A sum carries exactly when it is below the operand: no need for dst's old value.
    const carry = `(t >>> 0) < ${reg ? `(${bl} >>> 0)` : String(insn.imm >>> 0)}`;
    return `t = (${dl} + ${bl}) | 0; if (${expect ? `!(${carry})` : carry}) ${leave} ${dl} = t; ${dh} = ${high};`;
  }
  if (exact) return `${dl} = (${dl} - ${bl}) | 0; ${dh} = ${high};`;
  const borrow = `(${dl} >>> 0) < (${bl} >>> 0)`;
  return `if (${expect ? `!(${borrow})` : borrow}) ${leave} ${dl} = (${dl} - ${bl}) | 0; ${dh} = ${high};`;
}
