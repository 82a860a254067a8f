// The token stream for grammar/packet.ne (nearley's lexer interface). Hand-written so token
// kinds are ours: a `word` is anything made of letters, digits and `_ . : -` (names, numbers,
// MACs, IPv4 and IPv6 addresses, hex), a `string` is double-quoted; the field decides what a
// word means. Whitespace, newlines and `#` comments are skipped.
import { drain, scanAt, type ScanRules } from '../diag/index.js';

export type TokenType = 'word' | 'string' | 'op' | 'error';

export interface Token {
  readonly type: TokenType;
  readonly value: string;
  readonly text: string;
  /** Character offset in the text given to reset(). */
  readonly offset: number;
}

const RULES: ScanRules<TokenType> = [
  ['skip', /(?:\s+|#.*)+/y],
  ['word', /[A-Za-z0-9_.:-]+/y],
  ['string', /"(?:[^"\\\n]|\\.)*"/y],
  ['op', /[()/,=]/y],
  ['error', /"[^\n]*|./y],
];

export class NotationLexer {
  private text = '';
  private pos = 0;

  reset(chunk: string): void {
    this.text = chunk;
    this.pos = 0;
  }

  next(): Token | undefined {
    for (let m = scanAt(RULES, this.text, this.pos); m; m = scanAt(RULES, this.text, this.pos)) {
      const start = this.pos;
      this.pos += m.text.length;
      if (m.type !== 'skip') return { type: m.type, value: m.text, text: m.text, offset: start };
    }
    return undefined;
  }

  save(): Record<string, never> { return {}; }
  formatError(token: Token): string { return `unexpected '${token.text}'`; }
  has(type: string): boolean { return type === 'word' || type === 'string'; }
}

export const lexer = new NotationLexer();

/** All tokens of a text (for error positions at the end of input). */
export function tokenize(text: string): Token[] {
  return drain(new NotationLexer(), text);
}

/** The contents of a string token: `\"`, `\\`, `\n`, `\t`, `\xNN`. */
export function unquote(text: string): string {
  return text.slice(1, -1).replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, e: string) =>
    e[0] === 'x' ? String.fromCharCode(parseInt(e.slice(1), 16)) : e === 'n' ? '\n' : e === 't' ? '\t' : e);
}
