// LLVM BPF syntax (as llvm-objdump -d prints clang-built code) to instructions.
// For instructions that LLVM 14 cannot print or parse we accept the syntax of LLVM 17+:
//   r1 = (s8)r2 (movsx), r0 s/= r1 (sdiv), r0 s%= r1 (smod), r1 = *(s8 *)(r2 + 4) (ldxs),
//   r0 = bswap16 r0 (bswap), gotol +70000 (ja32), r0 %= r1 (mod; LLVM 14 has no BPF mod),
//   *(u32 *)(r10 - 4) = 7 (st with an immediate), if r1 & r2 goto +1 (jset).
// Atomics name their size in the cast, so `lock *(u32 *)(r1 + 0) += r2` (llvm-objdump without
// +alu32) and `... += w2` (with it) are the same instruction.
import type { OpSpec, Shape } from '../isa/index.js';
import type { NumLit, RegTok, Stmt, MemRef } from './ast.js';
import type { Token } from './lexer.js';
import { findSpec, specsOfShape } from './specs.js';
import { withTarget, type Pending } from './pending.js';
import { imm32, imm64, off16, reg, type LineCtx, type Reg } from './values.js';

// Operator spellings (syntax, not opcodes): op token -> the table's semantic op.
const ALU_OPS: Record<string, string> = {
  '=': 'mov', '+=': 'add', '-=': 'sub', '*=': 'mul', '/=': 'div', '%=': 'mod', '|=': 'or', '&=': 'and',
  '^=': 'xor', '<<=': 'lsh', '>>=': 'rsh', 's>>=': 'arsh', 's/=': 'sdiv', 's%=': 'smod',
};
const JMP_OPS: Record<string, string> = {
  '==': 'jeq', '!=': 'jne', '>': 'jgt', '>=': 'jge', '<': 'jlt', '<=': 'jle',
  's>': 'jsgt', 's>=': 'jsge', 's<': 'jslt', 's<=': 'jsle', '&': 'jset',
};
const LOCK_OPS: Record<string, string> = { '+=': 'add', '|=': 'or', '&=': 'and', '^=': 'xor' };

type Ctx = LineCtx;

function spec(ctx: Ctx, at: Token, shape: Shape, op: string, width: number, what: string, filter?: (s: OpSpec) => boolean): OpSpec {
  const s = findSpec(shape, op, width, filter);
  if (!s) ctx.fail(at, `there is no ${what}`);
  return s;
}

const isNum = (x: RegTok | NumLit): x is NumLit => (x as NumLit).kind === 'num';

function sameWidth(ctx: Ctx, dst: Reg, src: Reg): void {
  if (dst.wide !== src.wide) {
    const want = (dst.wide ? 'r' : 'w') + src.n;
    ctx.fail(src.tok, `'${src.tok.text}' mixes 32-bit and 64-bit registers; write '${want}' to match '${dst.tok.text}'`);
  }
}

function sameReg(ctx: Ctx, dst: Reg, src: Reg, what: string): void {
  if (dst.n !== src.n) ctx.fail(src.tok, `${what} works in place: write '${dst.tok.text}' here`);
}

/** A memory access size cast: `u8`..`u64`, or `s8`..`s32` for sign-extending loads. */
function size(ctx: Ctx, tok: Token, allowed: Shape, signed = false): number {
  const m = /^([us])(8|16|32|64)$/.exec(tok.text);
  const widths = [...new Set(specsOfShape(allowed).map((s) => s.width))];
  const prefix = signed ? 's' : 'u';
  if (!m || m[1] !== prefix || !widths.includes(Number(m[2]) as 8)) {
    ctx.fail(tok, `unknown access size '${tok.text}'; expected ${widths.map((w) => prefix + w).join(', ')}`);
  }
  return Number(m[2]);
}

function mem(ctx: Ctx, m: MemRef): { base: Reg; off: number } {
  const base = reg(ctx, m.base);
  if (!base.wide) ctx.fail(m.base, `an address register is 64-bit: write 'r${base.n}', not '${m.base.text}'`);
  return { base, off: m.off ? off16(ctx, m.off) : 0 };
}

export function lowerLlvm(ctx: Ctx, s: Exclude<Stmt, { t: 'generic' }>): Pending {
  switch (s.t) {
    case 'alu': {
      const dst = reg(ctx, s.dst);
      const op = ALU_OPS[s.op.text]!;
      const width = dst.wide ? 64 : 32;
      if (isNum(s.src)) {
        return { spec: spec(ctx, s.op, 'alu_imm', op, width, `${width}-bit '${s.op.text}' with an immediate`), fields: { dst: dst.n, imm: imm32(ctx, s.src) } };
      }
      const src = reg(ctx, s.src);
      sameWidth(ctx, dst, src);
      return { spec: spec(ctx, s.op, 'alu_reg', op, width, `${width}-bit '${s.op.text}' with a register`), fields: { dst: dst.n, src: src.n } };
    }
    case 'neg': {
      const dst = reg(ctx, s.dst), src = reg(ctx, s.src);
      sameWidth(ctx, dst, src);
      sameReg(ctx, dst, src, 'negation');
      return { spec: spec(ctx, s.dst, 'neg', 'neg', dst.wide ? 64 : 32, 'negation'), fields: { dst: dst.n } };
    }
    case 'movsx': {
      const dst = reg(ctx, s.dst), src = reg(ctx, s.src);
      sameWidth(ctx, dst, src);
      const width = dst.wide ? 64 : 32;
      const froms = specsOfShape('movsx').filter((x) => x.width === width).map((x) => x.match.off!);
      const bits = /^s(8|16|32)$/.exec(s.cast.text) ? Number(s.cast.text.slice(1)) : NaN;
      if (!froms.includes(bits)) {
        ctx.fail(s.cast, `unknown cast '(${s.cast.text})' for a ${width}-bit register; expected ${froms.map((b) => `(s${b})`).join(', ')}`);
      }
      return { spec: spec(ctx, s.cast, 'movsx', 'movsx', width, 'sign-extending move', (x) => x.match.off === bits), fields: { dst: dst.n, src: src.n } };
    }
    case 'end': {
      const dst = reg(ctx, s.dst), src = reg(ctx, s.src);
      sameReg(ctx, dst, src, 'a byte swap');
      const swaps = specsOfShape('end');
      const found = swaps.find((x) => x.name === s.name.text);
      if (!found) ctx.fail(s.name, `unknown byte swap '${s.name.text}'; expected ${swaps.map((x) => x.name).join(', ')}`);
      return { spec: found, fields: { dst: dst.n } };
    }
    case 'lddw': {
      const dst = reg(ctx, s.dst);
      if (!dst.wide) ctx.fail(s.dst, `a 64-bit immediate load needs a 64-bit register: write 'r${dst.n}'`);
      const [lo, hi] = imm64(ctx, s.value);
      return { spec: spec(ctx, s.dst, 'lddw', 'lddw', 64, '64-bit load', (x) => x.match.src === 0), fields: { dst: dst.n, imm: lo, imm64hi: hi } };
    }
    case 'ldx': {
      const dst = reg(ctx, s.dst);
      const signed = s.size.text.startsWith('s');
      const shape = signed ? 'ldxs' : 'ldx';
      const w = size(ctx, s.size, shape, signed);
      const { base, off } = mem(ctx, s.mem);
      return { spec: spec(ctx, s.size, shape, shape, w, 'such load'), fields: { dst: dst.n, src: base.n, off } };
    }
    case 'ldpkt': {
      const dst = reg(ctx, s.dst);
      if (dst.n !== 0 || !dst.wide) ctx.fail(s.dst, `legacy packet loads always write r0, not '${s.dst.text}'`);
      const shape = s.index ? 'ldind' : 'ldabs';
      const w = size(ctx, s.size, shape);
      const idx = s.index ? reg(ctx, s.index) : undefined;
      const imm = s.off ? imm32(ctx, s.off) : 0;
      return { spec: spec(ctx, s.size, shape, shape, w, 'such packet load'), fields: { src: idx?.n ?? 0, imm } };
    }
    case 'st': {
      const { base, off } = mem(ctx, s.mem);
      if (isNum(s.src)) {
        const w = size(ctx, s.size, 'st');
        return { spec: spec(ctx, s.size, 'st', 'st', w, 'such store'), fields: { dst: base.n, off, imm: imm32(ctx, s.src) } };
      }
      const src = reg(ctx, s.src);
      const w = size(ctx, s.size, 'stx');
      return { spec: spec(ctx, s.size, 'stx', 'stx', w, 'such store'), fields: { dst: base.n, src: src.n, off } };
    }
    case 'lock': {
      const op = LOCK_OPS[s.op.text];
      if (!op) ctx.fail(s.op, `unknown atomic operation '${s.op.text}'; expected ${Object.keys(LOCK_OPS).join(', ')}`);
      return atomic(ctx, s.size, op, s.mem, reg(ctx, s.src), s.op);
    }
    case 'afetch': {
      const m = /^atomic_fetch_(\w+)$/.exec(s.fn.text);
      const ops = specsOfShape('atomic').filter((x) => x.op.startsWith('fetch_')).map((x) => 'atomic_' + x.op);
      if (!m || !ops.includes(s.fn.text)) ctx.fail(s.fn, `unknown atomic function '${s.fn.text}'; expected ${[...new Set(ops)].join(', ')}`);
      const dst = reg(ctx, s.dst), src = reg(ctx, s.src);
      sameReg(ctx, dst, src, 'an atomic fetch');
      return atomic(ctx, s.size, 'fetch_' + m[1], s.mem, src, s.fn);
    }
    case 'xchg': {
      // xchg_64 / xchg32_32 (dst = src) and cmpxchg_64 / cmpxchg32_32 (dst = old = r0/w0).
      const m = /^(xchg|cmpxchg)(_64|32_32)$/.exec(s.fn.text);
      const cmp = m?.[1] === 'cmpxchg';
      if (!m || cmp !== (s.src2 !== undefined)) {
        const want = s.src2 ? 'cmpxchg_64 or cmpxchg32_32' : 'xchg_64 or xchg32_32';
        ctx.fail(s.fn, `unknown atomic function '${s.fn.text}'; expected ${want}`);
      }
      const w = m[2] === '_64' ? 64 : 32;
      const dst = reg(ctx, s.dst), src = reg(ctx, s.src);
      if (cmp) {
        if (dst.n !== 0) ctx.fail(s.dst, `cmpxchg returns the old value in ${w === 64 ? 'r0' : 'w0'}, not '${s.dst.text}'`);
        if (src.n !== 0) ctx.fail(s.src, `cmpxchg compares with ${w === 64 ? 'r0' : 'w0'}, not '${s.src.text}'`);
        return atomic(ctx, w === 64 ? 'u64' : 'u32', 'cmpxchg', s.mem, reg(ctx, s.src2!), s.fn);
      }
      sameReg(ctx, dst, src, 'an exchange');
      return atomic(ctx, w === 64 ? 'u64' : 'u32', 'xchg', s.mem, src, s.fn);
    }
    case 'if': {
      const a = reg(ctx, s.a);
      const width = a.wide ? 64 : 32;
      const op = JMP_OPS[s.cmp.text]!;
      if (isNum(s.b)) {
        return withTarget(ctx, spec(ctx, s.cmp, 'jcond_imm', op, width, 'such jump'), { dst: a.n, imm: imm32(ctx, s.b) }, s.target);
      }
      const b = reg(ctx, s.b);
      sameWidth(ctx, a, b);
      return withTarget(ctx, spec(ctx, s.cmp, 'jcond_reg', op, width, 'such jump'), { dst: a.n, src: b.n }, s.target);
    }
  }
}

/** Atomic read-modify-write; the size token decides 32 or 64 bits (the register letter does not). */
function atomic(ctx: Ctx, sizeTok: Token | 'u32' | 'u64', op: string, m: MemRef, src: Reg, at: Token): Pending {
  const w = typeof sizeTok === 'string' ? Number(sizeTok.slice(1)) : size(ctx, sizeTok, 'atomic');
  const { base, off } = mem(ctx, m);
  return { spec: spec(ctx, at, 'atomic', op, w, `${w}-bit atomic ${op}`), fields: { dst: base.n, src: src.n, off } };
}
