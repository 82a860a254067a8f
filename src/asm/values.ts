// Registers, numbers and their range checks, with errors that point at the token.
import { locate, type Diagnostic } from '../diag/index.js';
import type { Token } from './lexer.js';
import type { NumLit, RegTok } from './ast.js';

/** Thrown to abandon the current line; the assembler collects it and goes on. */
export class LineAbort {
  constructor(readonly diag: Diagnostic) {}
}

/** Where the current line is, for diagnostics. */
export class LineCtx {
  constructor(readonly file: string, readonly source: string, readonly lineStart: number) {}

  /** Abandon this line with an error under `at` (a token or an offset within the line). */
  fail(at: Token | { offset: number; length: number }, message: string, notes?: string[]): never {
    const length = 'text' in at ? at.text.length : at.length;
    throw new LineAbort({ kind: 'asm', message, where: locate(this.file, this.source, this.lineStart + at.offset, length), notes });
  }
}

export interface Reg { n: number; wide: boolean; tok: RegTok }

/** `r0`..`r10`, `w0`..`w10`, `%r0`..`%r10`. The `w` form means a 32-bit operation. */
export function reg(ctx: LineCtx, tok: RegTok): Reg {
  const t = tok.text;
  const m = /^(%r|r|w)([0-9]+)$/.exec(t);
  const prefix = m?.[1] ?? (t.startsWith('%') ? '%r' : t[0]!);
  const n = m ? Number(m[2]) : NaN;
  if (!m || n > 10 || (m[2]!.length > 1 && m[2]![0] === '0')) {
    ctx.fail(tok, `unknown register '${t}'; expected ${prefix}0 to ${prefix}10`);
  }
  return { n, wide: prefix !== 'w', tok };
}

/** The value of a number literal as written (sign applied), or an error for a malformed one. */
export function bigValue(ctx: LineCtx, lit: NumLit): { value: bigint; hex: boolean } {
  const t = lit.tok.text;
  if (!/^(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(t)) {
    ctx.fail(lit.tok, `'${t}' is not a number; write decimal digits or 0x and hex digits`);
  }
  const v = BigInt(t);
  return { value: lit.sign?.text === '-' ? -v : v, hex: /^0x/i.test(t) };
}

const span = (lit: NumLit): { offset: number; length: number } => {
  const start = lit.sign ? lit.sign.offset : lit.tok.offset;
  return { offset: start, length: lit.tok.offset + lit.tok.text.length - start };
};
const shown = (lit: NumLit): string => (lit.sign?.text ?? '') + lit.tok.text;

/**
 * A signed field of `bits` bits. Decimal must be in the signed range; hex may also be written
 * as the unsigned bit pattern (0xffffffff means -1 for 32 bits), as the conformance suite does.
 */
export function field(ctx: LineCtx, lit: NumLit, bits: 16 | 32, what: string): number {
  const { value, hex } = bigValue(ctx, lit);
  const min = -(1n << BigInt(bits - 1));
  const max = (1n << BigInt(bits - 1)) - 1n;
  const umax = (1n << BigInt(bits)) - 1n;
  if (value >= min && value <= max) return Number(value);
  if (hex && value > max && value <= umax) return Number(BigInt.asIntN(bits, value));
  const hexMax = '0x' + umax.toString(16);
  ctx.fail(span(lit), `${what} ${shown(lit)} does not fit in ${bits} bits`, [
    `decimal ${what}s range from ${min} to ${max}; hex up to ${hexMax} gives the same bits`,
  ]);
}

export const imm32 = (ctx: LineCtx, lit: NumLit): number => field(ctx, lit, 32, 'immediate');
export const off16 = (ctx: LineCtx, lit: NumLit): number => field(ctx, lit, 16, 'offset');

/** A 64-bit immediate (lddw): signed or unsigned 64-bit. Returns [low, high] int32 words. */
export function imm64(ctx: LineCtx, lit: NumLit): [number, number] {
  const { value } = bigValue(ctx, lit);
  if (value < -(1n << 63n) || value >= 1n << 64n) {
    ctx.fail(span(lit), `immediate ${shown(lit)} does not fit in 64 bits`);
  }
  const u = BigInt.asUintN(64, value);
  return [Number(BigInt.asIntN(32, u)), Number(BigInt.asIntN(32, u >> 32n))];
}

/** A relative jump written as a number: must be in range of the field that holds it. */
export function relative(ctx: LineCtx, lit: NumLit, bits: 16 | 32): number {
  const { value } = bigValue(ctx, lit);
  const max = (1n << BigInt(bits - 1)) - 1n;
  if (value < -max - 1n || value > max) {
    ctx.fail(span(lit), `jump offset ${shown(lit)} does not fit in ${bits} bits`, [
      `a ${bits === 16 ? 'jump' : 'long jump or call'} reaches ${-max - 1n} to ${max} slots`,
    ]);
  }
  return Number(value);
}

export { span as numSpan };
