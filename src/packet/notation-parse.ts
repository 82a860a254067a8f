// Runs grammar/packet.ne over one packet's text and owns the zero/one/many-parses policy:
// no parse becomes "unexpected X; expected Y" at the offending token (never nearley's text),
// one parse is the syntax tree, several would be a grammar bug.
import nearley from 'nearley';
import { expectedNext, orList } from '../diag/index.js';
import grammar from './generated/packet.js';
import { tokenize, type Token } from './notation-lexer.js';

const compiled = nearley.Grammar.fromCompiled(grammar as unknown as nearley.CompiledRules);

export interface ArgNode { key: Token; value: Token }
export interface LayerNode { name: Token; args: ArgNode[] }

export interface SyntaxError { message: string; offset: number; length: number }

export type ParseResult = { ok: true; layers: LayerNode[] } | { ok: false; error: SyntaxError };

export function parseSyntax(text: string): ParseResult {
  const parser = new nearley.Parser(compiled);
  try {
    parser.feed(text);
  } catch (e) {
    const tok = (e as { token?: Token }).token;
    return { ok: false, error: unexpected(parser, tok, text) };
  }
  const results = parser.results as LayerNode[][];
  if (results.length === 1) return { ok: true, layers: results[0]! };
  if (results.length === 0) return { ok: false, error: unexpected(parser, undefined, text) };
  return { ok: false, error: { message: 'this packet can be read in more than one way (an xdplab grammar bug; please report it)', offset: 0, length: text.length } };
}

function unexpected(parser: nearley.Parser, tok: Token | undefined, text: string): SyntaxError {
  const expected = expectations(parser, tok !== undefined);
  const want = expected.length ? `; expected ${orList(expected)}` : '';
  if (!tok) {
    const toks = tokenize(text);
    const last = toks[toks.length - 1];
    if (!last) return { message: 'empty packet; expected a layer such as eth(...)', offset: 0, length: 1 };
    return { message: `unexpected end of packet after '${last.text}'${want}`, offset: last.offset + last.text.length, length: 1 };
  }
  if (tok.type === 'error') {
    const what = tok.text.startsWith('"') ? 'unterminated string' : `unexpected character '${tok.text}'`;
    return { message: `${what}${want}`, offset: tok.offset, length: tok.text.length };
  }
  const rest = expected.length ? want : "; expected '/' and another layer, or the end of the packet";
  return { message: `unexpected '${tok.text}'${rest}`, offset: tok.offset, length: tok.text.length };
}

/** What the parser would have accepted next, in plain words: layer, field or value, then literals. */
function expectations(parser: nearley.Parser, failedOnToken: boolean): string[] {
  const describe = (_: unknown, rule: string): string =>
    rule.startsWith('layer') || rule.startsWith('packet') ? 'a layer name' : rule.startsWith('arg') ? 'a field name' : 'a value';
  return expectedNext(parser, failedOnToken, describe, (s) => (s.startsWith("'") ? 1 : 0));
}

