// What grammar/asm.ne produces for one line. The grammar fixes the structure only; names
// (mnemonics, size casts, byte-swap and atomic function names) are checked against the
// opcode table by the lowering passes, so nothing here lists opcodes.
import type { Token } from './lexer.js';

/** A register token: `r3`, `w3` (LLVM syntax) or `%r3` (conformance syntax). */
export type RegTok = Token;

/** An integer as written: optional sign token and the number token. */
export interface NumLit { kind: 'num'; sign?: Token; tok: Token }

/** `(r10 - 8)` / `[%r10-8]`: base register and optional signed offset. */
export interface MemRef { kind: 'mem'; base: RegTok; off?: NumLit; open: Token }

/** A jump or call target: a relative slot count or a label name. */
export type Target = NumLit | { kind: 'label'; tok: Token };

/** One operand of a mnemonic-first line (conformance syntax, `exit`, `call`, `goto`, ...). */
export type Operand = (
  | { kind: 'reg'; tok: RegTok }
  | NumLit
  | MemRef
  | { kind: 'label'; tok: Token }
) & { comma?: Token };

export type Stmt =
  | { t: 'generic'; mnemonic: Token; operands: Operand[] }
  | { t: 'alu'; dst: RegTok; op: Token; src: RegTok | NumLit }
  | { t: 'neg'; dst: RegTok; src: RegTok }
  | { t: 'movsx'; dst: RegTok; cast: Token; src: RegTok }
  | { t: 'end'; dst: RegTok; name: Token; src: RegTok }
  | { t: 'lddw'; dst: RegTok; value: NumLit }
  | { t: 'ldx'; dst: RegTok; size: Token; mem: MemRef }
  | { t: 'ldpkt'; dst: RegTok; size: Token; index?: RegTok; off?: NumLit; open: Token }
  | { t: 'st'; size: Token; mem: MemRef; src: RegTok | NumLit }
  | { t: 'lock'; size: Token; mem: MemRef; op: Token; src: RegTok }
  | { t: 'afetch'; dst: RegTok; fn: Token; size: Token; mem: MemRef; src: RegTok }
  | { t: 'xchg'; dst: RegTok; fn: Token; mem: MemRef; src: RegTok; src2?: RegTok }
  | { t: 'if'; kw: Token; a: RegTok; cmp: Token; b: RegTok | NumLit; target: Target };

export interface Line { labels: Token[]; stmt: Stmt | null }
