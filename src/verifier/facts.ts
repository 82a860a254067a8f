// Facts the analysis collects per instruction for checks that are not the kernel's own
// (NIC offload): which pointer types each memory access used, stack accesses at variable
// offsets, the operand ranges of multiplication and division, packet offsets reached, and
// the return values the program may produce.
import type { Insn } from '../isa/index.js';
import type { RegType } from './reg.js';
import { isConst } from './scalar.js';
import { top, type State } from './state.js';

export interface InsnFacts {
  /** Base pointer types of a load, store or atomic. */
  bases: Set<RegType>;
  varStack: boolean;
  /** Largest operand (unsigned) seen by mul/div/mod; whether the divisor was always constant. */
  maxOperand: bigint;
  constDivisor: boolean;
  /** Highest packet byte offset (from data) an access may touch, exclusive. */
  pktEnd: number;
  /** exit of the main program: r0 may equal these XDP actions. */
  returns: Set<number>;
}

export type Facts = Map<number, InsnFacts>;

function at(f: Facts, slot: number): InsnFacts {
  let x = f.get(slot);
  if (!x) { x = { bases: new Set(), varStack: false, maxOperand: 0n, constDivisor: true, pktEnd: 0, returns: new Set() }; f.set(slot, x); }
  return x;
}

/** Record what the instruction is about to do in state `st` (before it runs). */
export function noteFacts(f: Facts, st: State, insn: Insn): void {
  const regs = top(st).regs;
  const sh = insn.spec.shape;
  if (sh === 'ldx' || sh === 'ldxs' || sh === 'st' || sh === 'stx' || sh === 'atomic') {
    const base = regs[sh === 'ldx' || sh === 'ldxs' ? insn.src : insn.dst]!;
    const x = at(f, insn.slot);
    x.bases.add(base.type);
    if (base.type === 'fp' && !isConst(base.b)) x.varStack = true;
    if ((base.type === 'pkt' || base.type === 'pkt_meta') && base.b.umax < 1n << 32n) {
      const end = Number(base.b.umax) + base.off + insn.off + insn.spec.width / 8;
      if (end > x.pktEnd) x.pktEnd = end;
    }
    return;
  }
  if ((sh === 'alu_imm' || sh === 'alu_reg') && ['mul', 'div', 'mod', 'sdiv', 'smod'].includes(insn.spec.op)) {
    const x = at(f, insn.slot);
    const d = regs[insn.dst]!;
    const s = sh === 'alu_reg' ? regs[insn.src]! : undefined;
    const imm = BigInt.asUintN(64, BigInt(insn.imm));
    for (const v of [d.b.umax, s ? s.b.umax : imm]) if (v > x.maxOperand) x.maxOperand = v;
    if (s && !isConst(s.b)) x.constDivisor = false;
    return;
  }
  if (sh === 'exit' && st.frames.length === 1) {
    const r0 = regs[0]!;
    const x = at(f, insn.slot);
    if (r0.type !== 'scalar') return;
    for (let a = 0; a <= 4; a++) {
      const v = BigInt(a);
      if (v >= r0.b.umin && v <= r0.b.umax && (v & ~r0.b.t.m) === r0.b.t.v) x.returns.add(a);
    }
  }
}
