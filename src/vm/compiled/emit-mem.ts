// JavaScript source for loads, stores, atomics and legacy packet loads in the compiled tier.
// An address is resolved four ways, all counting the access per region as Memory.at does:
// - r10 + constant offset inside the frame, when nothing writes r10: the stack, no check;
// - a slot in the proven-safe set (from the verifier): no bounds check; the guessed region's
//   locals when the tag matches, else the region from the tag;
// - a base register with a region guess (guess.ts): a fast path over that region's locals
//   (U<k> bytes, V<k> DataView, B<k> window start, L<k> length, W<k> writable), taken when
//   the tag matches and the access is inside the window: a compare against a local length and
//   a direct typed-array access;
// - otherwise (and when the fast path's test fails) the same test as Memory.at, inline over
//   the region tables. When that fails, the run continues in the interpreter's loop from this
//   instruction (`bail`), which faults with the identical message and count, or performs the
//   rare access the inline test leaves out (an offset carrying into the next region's tag).
// Byte accesses index the Uint8Array; wider ones use the DataView (little-endian).
import type { Insn } from '../../isa/index.js';
import { CTX, FRAME_BYTES, REGION_TAG, STACK, STACK_BYTES } from '../memory.js';
import { hi, lit, lo } from './emit-alu.js';
import { SCALAR } from './guess.js';

export interface MemContext {
  /** No instruction writes r10, so r10 is always the top of the current frame. */
  r10Fixed: boolean;
  /** No BPF-to-BPF calls: r10 is the top of frame 0, and the frame's bottom is fixed per run. */
  frame0: boolean;
  /** Slots whose access the verifier proved in bounds. */
  proven: ReadonlySet<number>;
  /** Guessed region tag of the base register, per slot (guess.ts). */
  guess: Int32Array;
  /** Regions whose locals the fast paths use (collected while emitting). */
  used: Set<number>;
  /** Source that ends the run in the interpreter's loop from this slot. */
  bail(slot: number): string;
  /** The known high word of register r before slot s (high.ts), or NaN. */
  high(s: number, r: number): number;
  /** Regions there are when the program is compiled (a known tag names one of them). */
  regions: number;
}

/** The region tag of a base register at a slot: known (high.ts) for sure, else the guess. */
function baseTag(m: MemContext, slot: number, reg: number): { tag: number; sure: boolean } {
  const known = m.high(slot, reg);
  const sure = known >= REGION_TAG && known < REGION_TAG + m.regions;
  return { tag: sure ? known : m.guess[slot]!, sure };
}

/** A fast path's test: the tag unless it is sure, the window unless it is proven; 'true' for neither. */
function fastTest(bh: string, tag: number, sure: boolean, window: string | null): string {
  return [sure ? '' : `${bh} === ${tag}`, window ?? ''].filter(Boolean).join(' && ') || 'true';
}

const SIZES: Record<number, number> = { 0x00: 4, 0x08: 2, 0x10: 1, 0x18: 8 };
export const sizeOf = (insn: Insn): number => SIZES[insn.opcode & 0x18]!;

/** How the bytes are reached once `p` (offset into the region's arrays) is known. */
interface Access { u: string; v: string }

function loadBody(insn: Insn, a: Access): string {
  const dl = lo(insn.dst), dh = hi(insn.dst), signed = insn.spec.shape === 'ldxs';
  switch (sizeOf(insn)) {
    case 1: return signed ? `${dl} = (${a.u}[p] << 24) >> 24; ${dh} = ${dl} >> 31;` : `${dl} = ${a.u}[p]; ${dh} = 0;`;
    case 2: return signed ? `${dl} = ${a.v}.getInt16(p, true); ${dh} = ${dl} >> 31;` : `${dl} = ${a.v}.getUint16(p, true); ${dh} = 0;`;
    case 4: return `${dl} = ${a.v}.getInt32(p, true); ${dh} = ${signed ? `${dl} >> 31` : '0'};`;
    default: return `${dl} = ${a.v}.getInt32(p, true); ${dh} = ${a.v}.getInt32(p + 4, true);`;
  }
}

function storeBody(insn: Insn, a: Access): string {
  const isReg = insn.spec.shape === 'stx';
  const vl = isReg ? lo(insn.src) : lit(insn.imm), vh = isReg ? hi(insn.src) : lit(insn.imm >> 31);
  switch (sizeOf(insn)) {
    case 1: return `${a.u}[p] = ${vl};`;
    case 2: return `${a.v}.setInt16(p, ${vl}, true);`;
    case 4: return `${a.v}.setInt32(p, ${vl}, true);`;
    default: return `${a.v}.setInt32(p, ${vl}, true); ${a.v}.setInt32(p + 4, ${vh}, true);`;
  }
}

/** Context fields that hold pointers (xdp_md->data, ...) read as whole pointers. */
const ctxFix = (insn: Insn): string => `if (CPF[o] === 1) { ${lo(insn.dst)} = CPL[o]; ${hi(insn.dst)} = CPH[o]; }`;

const isStackSlot = (insn: Insn, base: number, m: MemContext): boolean =>
  base === 10 && m.r10Fixed && insn.off >= -FRAME_BYTES && insn.off + sizeOf(insn) <= 0;

/**
 * The access with every path: `body(a)` is the load or store once `p` is set, `ctx` whether a
 * load may need the context-pointer fix.
 */
function access(insn: Insn, base: number, write: boolean, m: MemContext, body: (a: Access) => string, ctx: boolean): string {
  const off = insn.off, s = insn.slot, size = sizeOf(insn);
  if (isStackSlot(insn, base, m)) {
    m.used.add(STACK);
    const at = m.frame0 ? `p = B0 + ${STACK_BYTES + off};` : `p = B0 + r10l + ${lit(off)};`;
    return `a0 = (a0 + 1) | 0; ${at} ${body({ u: 'U0', v: 'V0' })}`;
  }
  const bl = lo(base), bh = hi(base);
  const generic = (): string => {
    const at = `r = ${bh} - ${REGION_TAG}; o = (${bl} + ${lit(off)}) | 0;`;
    const g = { u: 'tb.u8s[r]', v: 'tb.views[r]' };
    const fix = ctx ? ` if (r === ${CTX}) { ${ctxFix(insn)} }` : '';
    if (m.proven.has(s)) return `${at} tb.accesses[r]++; p = tb.base[r] + o; ${body(g)}${fix}`;
    return `${at} if (${bl} < 0 || (r >>> 0) >= tb.count || o < tb.low[r] || o > tb.len[r] - ${size}${write ? ' || tb.writable[r] !== 1' : ''}) { ${m.bail(s)} } tb.accesses[r]++; p = tb.base[r] + o; ${body(g)}${fix}`;
  };
  // A known high word (high.ts) is the region for sure; otherwise the guess is tested.
  const { tag, sure } = baseTag(m, s, base);
  if (tag <= SCALAR) return generic();
  const k = tag - REGION_TAG;
  m.used.add(k);
  const low = k === STACK ? (m.frame0 ? ` && o >= LO0` : ` && o >= tb.low[0]`) : '';
  // A proven access needs only the region right: the bounds were proven for whichever it is.
  const cond = fastTest(bh, tag, sure, m.proven.has(s) ? null : `(${bl} | o) >= 0${low} && o <= L${k} - ${size}${write ? ` && W${k}` : ''}`);
  const fast = `a${k} = (a${k} + 1) | 0; p = B${k} + o; ${k === CTX && ctx ? `${ctxFix(insn)} else { ${body({ u: `U${k}`, v: `V${k}` })} }` : body({ u: `U${k}`, v: `V${k}` })}`;
  if (cond === 'true') return `o = (${bl} + ${lit(off)}) | 0; ${fast}`;
  return `o = (${bl} + ${lit(off)}) | 0; if (${cond}) { ${fast} } else { ${generic()} }`;
}

/** ldx / ldxs: dst = *(size *)(src + off). */
export function load(insn: Insn, m: MemContext): string {
  return access(insn, insn.src, false, m, (a) => loadBody(insn, a), sizeOf(insn) >= 4 && !isStackSlot(insn, insn.src, m));
}

/** st / stx: *(size *)(dst + off) = imm or src. */
export function store(insn: Insn, m: MemContext): string {
  return access(insn, insn.dst, true, m, (a) => storeBody(insn, a), false);
}

/** Atomics through the interpreter's routine on the register file. */
function atomicCall(insn: Insn): string {
  const regs = [...new Set([0, insn.dst, insn.src])];
  const spill = regs.map((i) => `R[${2 * i}] = ${lo(i)}; R[${2 * i + 1}] = ${hi(i)};`).join(' ');
  const reload = [...new Set([0, insn.src])].map((i) => `${lo(i)} = R[${2 * i}]; ${hi(i)} = R[${2 * i + 1}];`).join(' ');
  return `${spill} at = ${insn.slot}; atomic(mem, R, ${insn.opcode}, ${2 * insn.dst}, ${2 * insn.src}, ${lit(insn.off)}, ${lit(insn.imm)}, ${insn.slot}); ${reload}`;
}

const ATOMIC_OPS: Record<number, (a: string, b: string) => string> = {
  0x00: (a, b) => `(${a} + ${b}) | 0`, 0x40: (a, b) => `${a} | ${b}`, 0x50: (a, b) => `${a} & ${b}`, 0xa0: (a, b) => `${a} ^ ${b}`,
};

/**
 * Atomic add/or/and/xor (and their fetch forms) on a guessed region: inline in the fast path.
 * Everything else (xchg, cmpxchg, unguessed bases) goes through atomic() on the register file.
 */
export function atomicOp(insn: Insn, m: MemContext): string {
  const f = ATOMIC_OPS[insn.imm & ~1];
  const { tag, sure } = baseTag(m, insn.slot, insn.dst);
  if (!f || tag <= SCALAR) return atomicCall(insn);
  const wide = (insn.opcode & 0x18) === 0x18, size = wide ? 8 : 4, k = tag - REGION_TAG;
  const bl = lo(insn.dst), bh = hi(insn.dst), sl = lo(insn.src), sh = hi(insn.src);
  m.used.add(k);
  const V = `V${k}`;
  const low = k === STACK ? (m.frame0 ? ' && o >= LO0' : ' && o >= tb.low[0]') : '';
  let body = `t = ${V}.getInt32(p, true); `;
  if (!wide) body += `${V}.setInt32(p, ${f('t', sl)}, true);${(insn.imm & 1) ? ` ${sl} = t; ${sh} = 0;` : ''}`;
  else {
    const hiOp = (insn.imm & ~1) === 0x00 ? `(q + ${sh} + ((u >>> 0) < (t >>> 0) ? 1 : 0)) | 0` : f('q', sh);
    body += `q = ${V}.getInt32(p + 4, true); u = ${f('t', sl)}; ${V}.setInt32(p, u, true); ${V}.setInt32(p + 4, ${hiOp}, true);`;
    if (insn.imm & 1) body += ` ${sl} = t; ${sh} = q;`;
  }
  // Proven in bounds: only the region (unless known) is tested.
  const cond = fastTest(bh, tag, sure, m.proven.has(insn.slot) ? null : `(${bl} | o) >= 0${low} && o <= L${k} - ${size} && W${k}`);
  if (cond === 'true') return `o = (${bl} + ${lit(insn.off)}) | 0; a${k} = (a${k} + 1) | 0; p = B${k} + o; ${body}`;
  return `o = (${bl} + ${lit(insn.off)}) | 0; if (${cond}) { a${k} = (a${k} + 1) | 0; p = B${k} + o; ${body} } else { ${atomicCall(insn)} }`;
}

/** ldabs / ldind: r0 = big-endian packet bytes; out of bounds ends the program with r0 = 0. */
export function legacyLoad(insn: Insn): string {
  const offset = insn.spec.shape === 'ldabs' ? lit(insn.imm) : `(${lo(insn.src)} + ${lit(insn.imm)}) | 0`;
  return `if (!loadPacket(mem, R, ${insn.opcode}, ${offset})) { R[0] = 0; R[1] = 0; return n; } r0l = R[0]; r0h = R[1];`;
}

/**
 * Locals of the regions the fast paths use, read once per run and reloaded after helper
 * calls (which may move the packet): U<k> bytes, V<k> DataView, B<k> window start, L<k>
 * length, W<k> writable; only those `body` mentions.
 */
export function regionLocals(used: ReadonlySet<number>, frame0: boolean, body: string): { decl: string; reload: string; flush: string } {
  const ids = [...used].sort((a, b) => a - b);
  const fields = (k: number): [string, string][] => ([
    [`U${k}`, `tb.u8s[${k}]`], [`V${k}`, `tb.views[${k}]`], [`B${k}`, `tb.base[${k}]`], [`L${k}`, `tb.len[${k}]`], [`W${k}`, `tb.writable[${k}] === 1`],
  ] as [string, string][]).filter(([name]) => new RegExp(`\\b${name}\\b`).test(body));
  const decl = ids.map((k) => `let ${[...fields(k).map(([n, e]) => `${n} = ${e}`), `a${k} = 0`].join(', ')};`);
  if (used.has(STACK) && frame0) decl.push('const LO0 = tb.low[0];');
  const reload = ids.filter((k) => k !== STACK).flatMap((k) => fields(k).map(([n, e]) => `${n} = ${e};`)).join(' ');
  // Fast-path accesses are counted in int32 locals a<k> (`a = (a + 1) | 0`: `a++` would need
  // an overflow check that costs as much as the access), added to the region counts before
  // every return and anything that may throw (and zeroed, so a count is never added twice).
  const flush = ids.map((k) => `tb.accesses[${k}] += a${k}; a${k} = 0; `).join('');
  return { decl: decl.join('\n  '), reload, flush };
}
