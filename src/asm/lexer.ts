// The token stream for grammar/asm.ne: one source line at a time, nearley's lexer interface.
// Hand-written (no moo) so the token kinds are ours and errors can name them in plain words.
// Whitespace and comments (`;`, `//`, `#` to the end of the line) are dropped here.
import { drain, scanAt, type ScanRules } from '../diag/index.js';

export type TokenType = 'reg' | 'preg' | 'num' | 'ident' | 'ann' | 'op' | 'error';

export interface Token {
  readonly type: TokenType;
  /** The text as written; nearley matches grammar literals against it. */
  readonly value: string;
  readonly text: string;
  /** Character offset within the line. */
  readonly offset: number;
  readonly line: number;
  readonly col: number;
}

// Ordered: the first rule that matches at a position wins (operators starting with `s`
// come before identifiers so `s>=` is one token, and `s8` is still an identifier).
const RULES: ScanRules<TokenType> = [
  ['skip', /[ \t\r]+|;.*|\/\/.*|#.*/y],
  ['reg', /[rw][0-9]+(?![\w.$])/y],
  ['preg', /%[A-Za-z_][\w]*/y],
  ['num', /[0-9][\w]*/y],
  ['op', /s>>=|s>=|s<=|s\/=|s%=|s>|s</y],
  ['ident', /[A-Za-z_.$][\w.$]*/y],
  // llvm-objdump's symbolic jump target, e.g. `<LBB0_7>` or `<.text+0x118>`.
  ['ann', /<[^<>\s=][^<>]*>/y],
  ['op', /<<=|>>=|==|!=|>=|<=|\+=|-=|\*=|\/=|%=|\|=|&=|\^=|[=<>&+\-*()[\],:]/y],
  ['error', /./y],
];

/** A nearley-compatible lexer over one line. */
export class LineLexer {
  private text = '';
  private pos = 0;
  private line = 1;

  reset(chunk: string, state?: { line?: number }): void {
    this.text = chunk;
    this.pos = 0;
    this.line = state?.line ?? 1;
  }

  next(): Token | undefined {
    for (let m = scanAt(RULES, this.text, this.pos); m; m = scanAt(RULES, this.text, this.pos)) {
      const start = this.pos;
      this.pos += m.text.length;
      if (m.type !== 'skip') return { type: m.type, value: m.text, text: m.text, offset: start, line: this.line, col: start + 1 };
    }
    return undefined;
  }

  save(): { line: number } {
    return { line: this.line };
  }

  formatError(token: Token): string {
    return `unexpected '${token?.text ?? ''}'`;
  }

  has(type: string): boolean {
    return RULES.some(([t]) => t === type);
  }
}

export const lexer = new LineLexer();

/** All tokens of a line (for tests and for error recovery). */
export function tokenize(line: string): Token[] {
  return drain(new LineLexer(), line);
}
