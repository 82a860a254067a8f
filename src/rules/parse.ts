// Runs the nearley grammar over a rules file and owns the zero/one/many-parses policy:
// zero parses become a plain-words "expected ..." diagnostic at the offending token, one parse
// is the answer, several would be a grammar bug and are reported as such.
import nearley from 'nearley';
import { expectedNext, orList, fail, locate } from '../diag/index.js';
import grammar from './generated/rules.js';
import { setFile } from './build.js';
import { tokenize, type Token } from './lexer.js';
import type { Stmt } from './ast.js';

const compiled = nearley.Grammar.fromCompiled(grammar as unknown as nearley.CompiledRules);

/** The compiled grammar (for sentence generation in tests). */
export const rulesGrammar = compiled;

/** Parse one file's text into statements (includes are not followed here; see load.ts). */
export function parseText(source: string, file = '<rules>'): Stmt[] {
  setFile(file);
  const parser = new nearley.Parser(compiled);
  try {
    parser.feed(source);
  } catch (e) {
    const tok = (e as { token?: Token }).token;
    return syntaxError(parser, tok, source, file);
  }
  const results = parser.results as Stmt[][];
  if (results.length === 0) return syntaxError(parser, undefined, source, file);
  if (results.length > 1) {
    fail('grammar', 'this rule set can be read in more than one way (an xdplab grammar bug; please report it)', {
      where: locate(file, source, 0, 1),
    });
  }
  return results[0]!;
}

function syntaxError(parser: nearley.Parser, tok: Token | undefined, source: string, file: string): never {
  const expected = expectations(parser, tok !== undefined);
  const want = expected.length ? `; expected ${orList(expected, 10)}` : '';
  if (!tok) {
    const toks = tokenize(source);
    const last = toks[toks.length - 1];
    const at = last ? last.offset : 0;
    const after = last ? ` after '${last.text}'` : '';
    fail('grammar', `unexpected end of file${after}${want}`, { where: locate(file, source, at, last?.text.length ?? 1) });
  }
  const what = tok.type === 'error' ? `character '${tok.text}'` : `'${tok.text}'`;
  const reserved = tok.type === 'kw' && expected.includes('a name') ? [`'${tok.text}' is a reserved word; pick another name`] : undefined;
  fail('grammar', `unexpected ${what}${want}`, { where: locate(file, source, tok.offset, tok.text.length), ...(reserved ? { notes: reserved } : {}) });
}

const KIND_WORDS: Record<string, string> = {
  ident: 'a name', num: 'a number', ip4: 'an IPv4 address', ip6: 'an IPv6 address', mac: 'a MAC address',
  string: 'a quoted file name', kw: 'a keyword',
};

/** What the parser would have accepted next: kinds of token first, then literals. */
function expectations(parser: nearley.Parser, failedOnToken: boolean): string[] {
  return expectedNext(parser, failedOnToken, (sym) => (sym.type === undefined ? undefined : KIND_WORDS[sym.type] ?? sym.type), (s) => (s.startsWith("'") ? 1 : 0));
}

