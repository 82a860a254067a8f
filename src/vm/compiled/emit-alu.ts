// JavaScript source for the ALU, ALU64 and JMP/JMP32 conditions of the compiled tier.
// Registers are locals `r<i>l` / `r<i>h` (int32 words). Long operations (division, register
// shifts, byte swaps of 64 bits, multiplication's high word) call the same num/ functions the
// interpreter uses, through the scratch pair T[0], T[1]; everything else is written inline.
import type { Insn } from '../../isa/index.js';

/** Locals of register i. */
export const lo = (i: number): string => `r${i}l`;
export const hi = (i: number): string => `r${i}h`;

/** A JS literal for an int32 (negatives parenthesised). */
export const lit = (v: number): string => (v < 0 ? `(${v})` : String(v));

/** The source operand as (lo, hi) expressions: a register, or imm sign-extended to 64 bits. */
function operand(insn: Insn, wide: boolean): [string, string] {
  if ((insn.opcode & 0x08) !== 0) return [lo(insn.src), hi(insn.src)];
  return [lit(insn.imm), wide ? lit(insn.imm >> 31) : '0'];
}

/** dst = f(dst, src) on 64 bits. */
export function alu64(insn: Insn): string {
  const dl = lo(insn.dst), dh = hi(insn.dst);
  const [bl, bh] = operand(insn, true);
  const viaT = (fn: string, ...args: string[]): string => `${fn}(T, 0, ${[dl, dh, ...args].join(', ')}); ${dl} = T[0]; ${dh} = T[1];`;
  const imm = (insn.opcode & 0x08) === 0;
  switch (insn.opcode >> 4) {
    // The carry (borrow) as a branch, not a select: it is almost never taken, and V8 runs a
    // predictable branch faster (a third off a pointer-walking loop).
    // The sum carries exactly when it is below the operand (dst may be the operand too).
    case 0x0: return `t = (${dl} + ${bl}) | 0; ${bh === '0' ? '' : `${dh} = (${dh} + ${bh}) | 0; `}if ((t >>> 0) < ${imm ? String(insn.imm >>> 0) : `(${bl} >>> 0)`}) ${dh} = (${dh} + 1) | 0; ${dl} = t;`;
    case 0x1: return `t = (${dl} - ${bl}) | 0; ${bh === '0' ? '' : `${dh} = (${dh} - ${bh}) | 0; `}if ((${dl} >>> 0) < (${bl} >>> 0)) ${dh} = (${dh} - 1) | 0; ${dl} = t;`;
    case 0x2: return `t = Math.imul(${dl}, ${bl}); ${dh} = (mulhu32(${dl}, ${bl}) + Math.imul(${dl}, ${bh}) + Math.imul(${dh}, ${bl})) | 0; ${dl} = t;`;
    case 0x3: return viaT(insn.off === 1 ? 'sdiv64' : 'udiv64', bl, bh);
    case 0x4: return `${dl} |= ${bl}; ${dh} |= ${bh};`;
    case 0x5: return `${dl} &= ${bl}; ${dh} &= ${bh};`;
    case 0x6: return imm ? shiftImm('lsh', dl, dh, insn.imm & 63) : viaT('lsh64', bl);
    case 0x7: return imm ? shiftImm('rsh', dl, dh, insn.imm & 63) : viaT('rsh64', bl);
    case 0x8: return `t = -${dl} | 0; ${dh} = (~${dh} + (${dl} === 0 ? 1 : 0)) | 0; ${dl} = t;`;
    case 0x9: return viaT(insn.off === 1 ? 'smod64' : 'umod64', bl, bh);
    case 0xa: return `${dl} ^= ${bl}; ${dh} ^= ${bh};`;
    case 0xb:
      if (insn.off === 0) return `${dl} = ${bl}; ${dh} = ${bh};`;
      if (insn.off === 32) return `${dl} = ${bl}; ${dh} = ${dl} >> 31;`;
      return `${dl} = (${bl} << ${32 - insn.off}) >> ${32 - insn.off}; ${dh} = ${dl} >> 31;`;
    case 0xc: return imm ? shiftImm('arsh', dl, dh, insn.imm & 63) : viaT('arsh64', bl);
    case 0xd: // bswap16/32/64
      if (insn.imm === 16) return `${dl} = bswap16(${dl}); ${dh} = 0;`;
      if (insn.imm === 32) return `${dl} = bswap32(${dl}); ${dh} = 0;`;
      return `t = bswap32(${dh}); ${dh} = bswap32(${dl}); ${dl} = t;`;
    default: throw new Error(`compiled: no ALU64 operation ${insn.opcode}`);
  }
}

/** 64-bit shift by a constant count (already masked to 6 bits). */
function shiftImm(kind: 'lsh' | 'rsh' | 'arsh', dl: string, dh: string, n: number): string {
  if (n === 0) return '';
  if (kind === 'lsh') return n < 32 ? `${dh} = (${dh} << ${n}) | (${dl} >>> ${32 - n}); ${dl} <<= ${n};` : `${dh} = ${dl} << ${n - 32}; ${dl} = 0;`;
  if (kind === 'rsh') return n < 32 ? `${dl} = (${dl} >>> ${n}) | (${dh} << ${32 - n}); ${dh} = ${dh} >>> ${n};` : `${dl} = (${dh} >>> ${n - 32}) | 0; ${dh} = 0;`;
  return n < 32 ? `${dl} = (${dl} >>> ${n}) | (${dh} << ${32 - n}); ${dh} >>= ${n};` : `${dl} = ${dh} >> ${n - 32}; ${dh} >>= 31;`;
}

/** dst = f(dst, src) on the low 32 bits, zero-extended. */
export function alu32(insn: Insn): string {
  const dl = lo(insn.dst), dh = hi(insn.dst);
  const [b] = operand(insn, false);
  const set = (e: string): string => `${dl} = ${e}; ${dh} = 0;`;
  switch (insn.opcode >> 4) {
    case 0x0: return set(`(${dl} + ${b}) | 0`);
    case 0x1: return set(`(${dl} - ${b}) | 0`);
    case 0x2: return set(`Math.imul(${dl}, ${b})`);
    case 0x3: return set(`${insn.off === 1 ? 'sdiv32' : 'udiv32'}(${dl}, ${b})`);
    case 0x4: return set(`${dl} | ${b}`);
    case 0x5: return set(`${dl} & ${b}`);
    case 0x6: return set(`${dl} << (${b} & 31)`);
    case 0x7: return set(`(${dl} >>> (${b} & 31)) | 0`);
    case 0x8: return set(`-${dl} | 0`);
    case 0x9: return set(`${insn.off === 1 ? 'smod32' : 'umod32'}(${dl}, ${b})`);
    case 0xa: return set(`${dl} ^ ${b}`);
    case 0xb: return set(insn.off === 0 ? b : `(${b} << ${32 - insn.off}) >> ${32 - insn.off}`);
    case 0xc: return set(`${dl} >> (${b} & 31)`);
    case 0xd: { // le (truncate) or be (swap), width in imm
      const big = (insn.opcode & 0x08) !== 0;
      if (insn.imm === 16) return set(big ? `bswap16(${dl})` : `${dl} & 0xffff`);
      if (insn.imm === 32) return set(big ? `bswap32(${dl})` : dl);
      return big ? `t = bswap32(${dh}); ${dh} = bswap32(${dl}); ${dl} = t;` : '';
    }
    default: throw new Error(`compiled: no ALU operation ${insn.opcode}`);
  }
}

/** The condition of a conditional jump as a JS boolean expression. */
export function condition(insn: Insn): string {
  const code = insn.opcode >> 4;
  if ((insn.opcode & 7) === 0x06) { // JMP32: low words, int32 for signed, >>> 0 for unsigned
    const a = lo(insn.dst), [b] = operand(insn, false);
    const ua = `(${a} >>> 0)`, ub = (insn.opcode & 0x08) !== 0 ? `(${b} >>> 0)` : String(insn.imm >>> 0);
    switch (code) {
      case 0x1: return `${a} === ${b}`;
      case 0x5: return `${a} !== ${b}`;
      case 0x4: return `(${a} & ${b}) !== 0`;
      case 0x2: return `${ua} > ${ub}`;
      case 0x3: return `${ua} >= ${ub}`;
      case 0xa: return `${ua} < ${ub}`;
      case 0xb: return `${ua} <= ${ub}`;
      case 0x6: return `${a} > ${b}`;
      case 0x7: return `${a} >= ${b}`;
      case 0xc: return `${a} < ${b}`;
      case 0xd: return `${a} <= ${b}`;
    }
    throw new Error(`compiled: no JMP32 condition ${insn.opcode}`);
  }
  const al = lo(insn.dst), ah = hi(insn.dst);
  const [bl, bh] = operand(insn, true);
  const isReg = (insn.opcode & 0x08) !== 0;
  const u = (x: string, k: number): string => (isReg ? `(${x} >>> 0)` : String(k >>> 0));
  const ubl = u(bl, insn.imm), ubh = u(bh, insn.imm >> 31);
  // Unsigned a OP b: compare the high words, then the low words when they are equal.
  const ucmp = (op: string): string => `((${ah} >>> 0) ${op[0]} ${ubh} || (${ah} === ${bh} && (${al} >>> 0) ${op} ${ubl}))`;
  const scmp = (op: string): string => `(${ah} ${op[0]} ${bh} || (${ah} === ${bh} && (${al} >>> 0) ${op} ${ubl}))`;
  switch (code) {
    case 0x1: return `${al} === ${bl} && ${ah} === ${bh}`;
    case 0x5: return `${al} !== ${bl} || ${ah} !== ${bh}`;
    case 0x4: return `((${al} & ${bl}) | (${ah} & ${bh})) !== 0`;
    case 0x2: return ucmp('>');
    case 0x3: return ucmp('>=');
    case 0xa: return ucmp('<');
    case 0xb: return ucmp('<=');
    case 0x6: return scmp('>');
    case 0x7: return scmp('>=');
    case 0xc: return scmp('<');
    case 0xd: return scmp('<=');
  }
  throw new Error(`compiled: no JMP condition ${insn.opcode}`);
}
