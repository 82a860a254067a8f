// Helpers the grammar's postprocessors call to build the syntax tree. The parse wrapper sets
// the current file before it feeds the parser (nearley runs postprocessors synchronously).
import type { Pos, Value, Expr } from './ast.js';
import type { Token } from './lexer.js';

let file = '<rules>';
export function setFile(name: string): void { file = name; }

type Spanned = Token | { pos: Pos };

const startOf = (x: Spanned): number => ('pos' in x ? x.pos.offset : x.offset);
const endOf = (x: Spanned): number => ('pos' in x ? x.pos.offset + x.pos.length : x.offset + x.text.length);

/** The position covering `a` through `b` (tokens or nodes). */
export function span(a: Spanned, b: Spanned = a): Pos {
  const s = startOf(a);
  return { file, offset: s, length: Math.max(1, endOf(b) - s) };
}

export function scalar(tok: Token): Value {
  const pos = span(tok);
  switch (tok.type) {
    case 'num': return { t: 'num', v: BigInt(tok.text), pos };
    case 'ip4': return { t: 'ip4', text: tok.text, pos };
    case 'ip6': return { t: 'ip6', text: tok.text, pos };
    case 'mac': return { t: 'mac', text: tok.text.toLowerCase(), pos };
    default: return { t: 'name', name: tok.text, pos };
  }
}

export function field(toks: Token[]): { path: string; pos: Pos } {
  return { path: toks.map((t) => t.text).join('.'), pos: span(toks[0]!, toks[toks.length - 1]!) };
}

export function binary(t: 'and' | 'or', a: Expr, b: Expr): Expr {
  return { t, a, b, pos: span(a, b) };
}

/** Flatten nested token arrays from grouped alternatives into a list of tokens. */
export function tokens(d: unknown): Token[] {
  const out: Token[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object' && 'type' in x && 'offset' in x) out.push(x as Token);
  };
  walk(d);
  return out;
}
