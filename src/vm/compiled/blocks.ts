// Basic blocks of a pre-decoded program, for the compiled tier.
// A block starts at slot 0, at every jump or call target, after every jump, call and exit,
// and at the sentinel slot `n`. Calls end their block so a helper that throws leaves the
// instruction count exact; instructions are counted once per block on entry.
import type { Insn } from '../../isa/index.js';
import type { Program } from '../program.js';

export interface Block {
  /** Slot of the first instruction. */
  start: number;
  insns: Insn[];
}

/** Does this instruction end its block (a jump, a call, an exit)? */
export function endsBlock(insn: Insn): boolean {
  const sh = insn.spec.shape;
  return sh === 'ja' || sh === 'ja32' || sh === 'jcond_imm' || sh === 'jcond_reg' || sh === 'exit'
    || sh === 'call' || sh === 'call_local' || sh === 'callx';
}

/** Jump or call target of an instruction, or -1. */
export function targetOf(insn: Insn): number {
  switch (insn.spec.shape) {
    case 'ja': case 'jcond_imm': case 'jcond_reg': return insn.slot + 1 + insn.off;
    case 'ja32': case 'call_local': return insn.slot + 1 + insn.imm;
    default: return -1;
  }
}

/** The blocks in slot order (the last may fall through to the sentinel slot `n`). */
export function basicBlocks(P: Program): Block[] {
  const leader = new Uint8Array(P.n + 1);
  leader[0] = 1;
  leader[P.n] = 1;
  for (const insn of P.insns) {
    const t = targetOf(insn);
    if (t >= 0) leader[t] = 1;
    if (endsBlock(insn)) leader[insn.slot + 1] = 1;
  }
  const blocks: Block[] = [];
  let cur: Block | null = null;
  for (const insn of P.insns) {
    if (leader[insn.slot] === 1 || cur === null) {
      cur = { start: insn.slot, insns: [] };
      blocks.push(cur);
    }
    cur.insns.push(insn);
  }
  return blocks;
}

/** Whether any instruction writes r10 (the verifier forbids it; the interpreter allows it). */
export function writesR10(P: Program): boolean {
  for (const insn of P.insns) {
    const sh = insn.spec.shape;
    const dstWrite = sh === 'alu_imm' || sh === 'alu_reg' || sh === 'neg' || sh === 'end' || sh === 'movsx'
      || sh === 'ldx' || sh === 'ldxs' || sh === 'lddw';
    if (dstWrite && insn.dst === 10) return true;
    if (sh === 'atomic' && (insn.imm & 1) === 1 && insn.src === 10) return true;
  }
  return false;
}
