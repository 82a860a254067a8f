// Scanning source text with an ordered table of sticky regular expressions: what the three
// hand-written lexers (assembly, rules, packet notation) share. Each lexer keeps its own token
// kinds and positions; this finds the next match and drains a lexer into an array.

/** Rules in order: the first whose sticky RegExp matches a non-empty text at a position wins. */
export type ScanRules<T extends string> = readonly (readonly [T | 'skip', RegExp])[];

/** The rule matching at `pos` and its text, or undefined at the end (or where nothing matches). */
export function scanAt<T extends string>(rules: ScanRules<T>, text: string, pos: number): { type: T | 'skip'; text: string } | undefined {
  if (pos >= text.length) return undefined;
  for (const [type, re] of rules) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (m && m[0].length > 0) return { type, text: m[0] };
  }
  return undefined;
}

/** Every token a nearley-style lexer gives for `text` (for error positions and tests). */
export function drain<T>(lexer: { reset(chunk: string): void; next(): T | undefined }, text: string): T[] {
  lexer.reset(text);
  const out: T[] = [];
  for (let t = lexer.next(); t; t = lexer.next()) out.push(t);
  return out;
}
