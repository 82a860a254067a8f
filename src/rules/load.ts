// Reading rule sets: parse a file, follow `include "other.rules"` (relative to the including
// file, each file once, cycles refused), then check the whole as one rule set.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fail, locate } from '../diag/index.js';
import type { Stmt } from './ast.js';
import type { Ruleset } from './ir.js';
import { parseText } from './parse.js';
import { check } from './check.js';

export interface LoadOptions {
  /** Read an included file (default: the file system). Throw to refuse. */
  readFile?: (path: string) => string;
}

/** Parse and check rules given as text. Includes are resolved relative to `file`. */
export function compileRulesText(source: string, file = '<rules>', opts: LoadOptions = {}): Ruleset {
  const sources = new Map<string, string>();
  const stmts = expand(source, file, sources, opts.readFile ?? defaultRead, []);
  return check(stmts, sources);
}

/** Parse and check a rules file. */
export function loadRules(path: string, opts: LoadOptions = {}): Ruleset {
  const read = opts.readFile ?? defaultRead;
  let text: string;
  try { text = read(path); } catch (e) { return fail('io', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  return compileRulesText(text, path, opts);
}

function defaultRead(path: string): string { return readFileSync(path, 'utf8'); }

function expand(source: string, file: string, sources: Map<string, string>, read: (p: string) => string, stack: string[]): Stmt[] {
  sources.set(file, source);
  const out: Stmt[] = [];
  for (const s of parseText(source, file)) {
    if (s.t !== 'include') { out.push(s); continue; }
    const where = locate(file, source, s.pos.offset, s.pos.length);
    const path = resolve(dirname(file), s.path);
    if (stack.includes(path) || path === resolve(file)) fail('semantic', `include cycle: ${[...stack, resolve(file), path].map((p) => p.split('/').pop()).join(' -> ')}`, { where });
    if (sources.has(path)) continue; // included before: once is enough
    let text: string;
    try { text = read(path); } catch (e) {
      return fail('io', `cannot include ${s.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { where });
    }
    out.push(...expand(text, path, sources, read, [...stack, resolve(file)]));
  }
  return out;
}
