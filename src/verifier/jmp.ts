// Conditional jumps (check_cond_jmp_op): decide the outcome where the state already does,
// otherwise split the state and refine each side: scalar bounds (with linked copies),
// NULL checks of lookup results, and packet ranges from comparisons with data_end.
import type { Insn } from '../isa/index.js';
import { readReg } from './alu.js';
import type { Env } from './env.js';
import { reject } from './reject.js';
import { AT_PKT_END, BEYOND_PKT_END, constReg, isNullable, isPointer, scalarReg, type Reg } from './reg.js';
import { MAX_PACKET_OFF } from './access.js';
import { isConst, known } from './scalar.js';
import { branchTaken, flip, negate, refine, type CondOp } from './scalar-branch.js';
import { cloneState, mapAllRegs, top, type State } from './state.js';

export interface JumpOutcome {
  /** State continuing at the next instruction (null: that side cannot happen). */
  fall: State | null;
  /** State continuing at the jump target. */
  taken: State | null;
  /** The known values decided the outcome: registers whose values mattered (precision). */
  decided?: number[];
}

const NOT_NULL = new Set(['fp', 'ctx', 'map_value', 'map_ptr', 'ringbuf_mem', 'func']);

export function condJump(env: Env, st: State, insn: Insn): JumpOutcome {
  const op = insn.spec.op as CondOp;
  const width = insn.spec.width as 32 | 64;
  const d = readReg(st, insn.dst);
  const isReg = insn.spec.shape === 'jcond_reg';
  const s = isReg ? readReg(st, insn.src) : scalarReg(known(BigInt(insn.imm)));
  const only = (taken: boolean): JumpOutcome => (taken ? { fall: null, taken: st } : { fall: st, taken: null });

  if (!isPointer(d) && !isPointer(s)) {
    const t = branchTaken(d.b, s.b, op, width);
    if (t !== -1) return { ...only(t === 1), decided: isReg ? [insn.dst, insn.src] : [insn.dst] };
    const other = cloneState(st);
    return {
      taken: refineScalars(other, insn, d, s, op, width),
      fall: refineScalars(st, insn, d, s, negate(op), width),
    };
  }
  // A pointer against NULL.
  const ptrVsZero = (p: Reg, z: Reg): boolean => isPointer(p) && !isPointer(z) && isConst(z.b) && z.b.t.v === 0n && width === 64;
  if ((op === 'jeq' || op === 'jne') && (ptrVsZero(d, s) || ptrVsZero(s, d))) {
    const p = isPointer(d) ? d : s;
    if (isNullable(p)) {
      const other = cloneState(st);
      markNull(op === 'jeq' ? other : st, p, true);
      markNull(op === 'jeq' ? st : other, p, false);
      return { taken: other, fall: st };
    }
    if (NOT_NULL.has(p.type)) return { ...only(op === 'jne'), decided: [...(isPointer(d) ? [] : [insn.dst]), ...(isReg && !isPointer(s) ? [insn.src] : [])] };
  }
  if (width === 64 && isPointer(d) && isPointer(s)) {
    const pkt = pktCompare(st, insn, d, s, op);
    if (pkt) return pkt;
  }
  if (!env.priv) reject(`R${isPointer(d) ? insn.dst : insn.src} pointer comparison prohibited`, 'comparing pointers (other than packet pointers with data_end) needs CAP_PERFMON');
  return { taken: cloneState(st), fall: st };
}

function refineScalars(st: State, insn: Insn, d: Reg, s: Reg, op: CondOp, width: 32 | 64): State | null {
  const r = refine(d.b, s.b, op, width);
  if (!r) return null;
  const fr = top(st);
  setLinked(st, insn.dst, { ...d, b: r[0] });
  if (insn.spec.shape === 'jcond_reg') setLinked(st, insn.src, { ...fr.regs[insn.src]!, b: r[1] });
  return st;
}

/** Set a scalar register; copies sharing its id learn the same bounds. */
function setLinked(st: State, regno: number, r: Reg): void {
  top(st).regs[regno] = r;
  if (r.id === 0) return;
  mapAllRegs(st, (x) => (x.type === 'scalar' && x.id === r.id ? { ...x, b: r.b } : x));
}

function markNull(st: State, p: Reg, isNull: boolean): void {
  const id = p.id;
  if (isNull && p.refId) st.refs = st.refs.filter((x) => x.id !== p.refId);
  mapAllRegs(st, (x) => {
    if (x.id !== id || !isNullable(x)) return x;
    if (isNull) return constReg(0n);
    return { ...x, type: x.type.slice(0, -'_or_null'.length) as Reg['type'], id: 0 };
  });
}

/** `pkt' OP pkt_end` in any orientation (and pkt_meta' OP pkt). */
function pktCompare(st: State, insn: Insn, d: Reg, s: Reg, op: CondOp): JumpOutcome | null {
  const isEndFor = (p: Reg, e: Reg): boolean =>
    (p.type === 'pkt' && e.type === 'pkt_end') || (p.type === 'pkt_meta' && e.type === 'pkt' && e.off === 0 && isConst(e.b) && e.b.t.v === 0n && e.id === 0);
  let pkt: Reg, pktRegno: number, rel: CondOp;
  if (isEndFor(d, s)) { pkt = d; pktRegno = insn.dst; rel = op; } else if (isEndFor(s, d)) { pkt = s; pktRegno = insn.src; rel = flip(op); } else return null;
  // rel is now "pkt' rel end". For each side: the relation that holds there.
  const decide = (r: CondOp): 0 | 1 | -1 => {
    if (pkt.range >= 0) return -1;
    if ((r === 'jgt' || r === 'jle') && pkt.range === BEYOND_PKT_END) return r === 'jgt' ? 1 : 0;
    if ((r === 'jge' || r === 'jlt') && (pkt.range === BEYOND_PKT_END || pkt.range === AT_PKT_END)) return r === 'jge' ? 1 : 0;
    return -1;
  };
  if (!['jgt', 'jge', 'jlt', 'jle'].includes(rel)) return { taken: cloneState(st), fall: st };
  const t = decide(rel);
  if (t === 1) return { taken: st, fall: null };
  if (t === 0) return { taken: null, fall: st };
  const other = cloneState(st);
  applyPkt(other, pkt, pktRegno, rel);
  applyPkt(st, pkt, pktRegno, negate(rel));
  return { taken: other, fall: st };
}

/** Learn from "pkt' rel end" holding. */
function applyPkt(st: State, pkt: Reg, regno: number, rel: CondOp): void {
  if (rel === 'jle' || rel === 'jlt') {
    const rightOpen = rel === 'jlt';
    if (pkt.off < 0 || (pkt.off === 0 && rightOpen)) return;
    if (pkt.b.umax > BigInt(MAX_PACKET_OFF) || pkt.b.umax + BigInt(pkt.off) > BigInt(MAX_PACKET_OFF)) return;
    const range = pkt.off + (rightOpen ? 1 : 0);
    mapAllRegs(st, (x) => (x.type === pkt.type && x.id === pkt.id && x.range >= 0 && x.range < range ? { ...x, range } : x));
  } else {
    top(st).regs[regno] = { ...top(st).regs[regno]!, range: rel === 'jgt' ? BEYOND_PKT_END : AT_PKT_END };
  }
}
