// Runs the nearley grammar on one line and owns the zero/one/many-parses policy:
// zero parses become a plain-words "expected ..." message at the offending token,
// one parse is the answer, several would be a grammar bug and are reported as such.
import nearley from 'nearley';
import { expectedNext, orList } from '../diag/index.js';
import grammar from './generated/asm.js';
import { tokenize, type Token } from './lexer.js';
import type { Line } from './ast.js';

const compiled = nearley.Grammar.fromCompiled(grammar as unknown as nearley.CompiledRules);

/** A syntax problem on a line: message and the token (or end-of-line offset) it points at. */
export interface LineError { message: string; offset: number; length: number; notes?: string[] }

export type LineResult = { ok: true; line: Line } | { ok: false; error: LineError };

/** Fast path for blank and comment-only lines (most of a large file). */
const BLANK = /^\s*(?:(?:;|\/\/|#).*)?$/;

export function parseLine(text: string): LineResult {
  if (BLANK.test(text)) return { ok: true, line: { labels: [], stmt: null } };
  const parser = new nearley.Parser(compiled);
  try {
    parser.feed(text);
  } catch (e) {
    const tok = (e as { token?: Token }).token;
    return { ok: false, error: unexpected(parser, tok, text) };
  }
  const results = parser.results as Line[];
  if (results.length === 1) return { ok: true, line: results[0]! };
  if (results.length === 0) return { ok: false, error: unexpected(parser, undefined, text) };
  return {
    ok: false,
    error: { message: 'this line can be read in more than one way (an xdplab grammar bug; please report it)', offset: 0, length: text.length },
  };
}

function unexpected(parser: nearley.Parser, tok: Token | undefined, text: string): LineError {
  const expected = expectations(parser, tok !== undefined);
  const want = expected.length ? `; expected ${orList(expected, 8)}` : '';
  if (!tok) {
    const toks = tokenize(text);
    const last = toks[toks.length - 1];
    const at = last ? last.offset + last.text.length : text.length;
    const after = last ? ` after '${last.text}'` : '';
    return { message: `unexpected end of line${after}${want}`, offset: at, length: 1 };
  }
  const what = tok.type === 'error' ? `character '${tok.text}'` : `'${tok.text}'`;
  // Nothing could follow: the line was complete before this token.
  const rest = expected.length ? want : '; expected the end of the line (or a comment)';
  return { message: `unexpected ${what}${rest}`, offset: tok.offset, length: tok.text.length };
}

// Terminal kinds in plain words.
const KIND_WORDS: Record<string, string> = {
  reg: 'a register', preg: 'a register', num: 'a number', ident: 'a name', ann: "a '<label>' annotation",
};

/** What the parser would have accepted next; registers and numbers first, then names, then punctuation. */
function expectations(parser: nearley.Parser, failedOnToken: boolean): string[] {
  const rank = (s: string): number => (s.startsWith('a register') ? 0 : s.startsWith('a number') ? 1 : s.startsWith('a name') ? 2 : 3);
  return expectedNext(parser, failedOnToken, (sym) => (sym.type === undefined || sym.type === 'ann' ? undefined : KIND_WORDS[sym.type] ?? sym.type), rank);
}

