// The token stream for grammar/asm.ne: one source line at a time, nearley's lexer interface.
// Hand-written (no moo) so the token kinds are ours and errors can name them in plain words.
// Whitespace and comments (`;`, `//`, `#` to the end of the line) are dropped here.

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
const RULES: [TokenType | 'skip', RegExp][] = [
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
    for (;;) {
      if (this.pos >= this.text.length) return undefined;
      let matched = false;
      for (const [type, re] of RULES) {
        re.lastIndex = this.pos;
        const m = re.exec(this.text);
        if (!m) continue;
        const start = this.pos;
        this.pos += m[0].length;
        matched = true;
        if (type === 'skip') break;
        return { type, value: m[0], text: m[0], offset: start, line: this.line, col: start + 1 };
      }
      if (!matched) return undefined;
    }
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
  const l = new LineLexer();
  l.reset(line);
  const out: Token[] = [];
  for (let t = l.next(); t; t = l.next()) out.push(t);
  return out;
}
