// "Expected ..." for a syntax error from a nearley parser: the terminals the last column that
// still had live states was waiting for. When the failure was an unexpected token, nearley has
// already pushed an empty column for it, so the column one further back is read. Each grammar
// says a terminal in its own words (`describe`) and orders the list (`rank`).

/** A grammar symbol a nearley state waits on: a literal, a token type, or a rule name (string). */
export interface Terminal { literal?: string; type?: string }

export function expectedNext(
  parser: unknown, failedOnToken: boolean,
  describe: (sym: Terminal, rule: string) => string | undefined, rank: (words: string) => number,
): string[] {
  type State = { rule: { name: string; symbols: unknown[] }; dot: number };
  const table = (parser as { table: { states: State[] }[] }).table;
  const column = table[table.length - (failedOnToken ? 2 : 1)];
  if (!column) return [];
  const seen = new Set<string>();
  for (const state of column.states) {
    const sym = state.rule.symbols[state.dot] as Terminal | string | undefined;
    if (!sym || typeof sym === 'string') continue;
    const words = sym.literal !== undefined ? `'${sym.literal}'` : describe(sym, state.rule.name);
    if (words !== undefined) seen.add(words);
  }
  return [...seen].sort((a, b) => rank(a) - rank(b));
}

/** "a, b or c"; past `cap` items the rest become "more". */
export function orList(items: readonly string[], cap = Infinity): string {
  const list = items.length > cap ? [...items.slice(0, cap), 'more'] : items;
  if (list.length <= 1) return list.join('');
  return `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
}
