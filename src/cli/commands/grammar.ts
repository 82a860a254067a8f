// `xdplab grammar --html OUT.html`: railroad diagrams of every grammar in grammar/ (one
// diagram per nonterminal), drawn with nearley's own grammar of .ne files and the
// railroad-diagrams package nearley ships with (what nearley-railroad does, as a library).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import nearley from 'nearley';
import { fail } from '../../diag/index.js';
import { action, writeOutput } from '../util.js';

const require = createRequire(import.meta.url);

/** A parsed .ne item as nearley's bootstrapped grammar yields it (the parts we draw). */
interface NeRule { name?: string; rules?: { tokens: Tok[] }[] }
type Tok = string | { literal?: string; token?: string; subexpression?: { tokens: Tok[] }[]; ebnf?: Tok; modifier?: string; mixin?: unknown; macrocall?: unknown } | RegExp;

/** The grammar/ folder: --dir, or the one above this file (src/ or dist/src/). */
function grammarDir(dir?: string): string {
  if (dir) return resolve(dir);
  let d = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const g = join(d, 'grammar');
    if (existsSync(g) && readdirSync(g).some((n) => n.endsWith('.ne'))) return g;
    d = dirname(d);
  }
  return fail('io', 'cannot find the grammar/ folder; pass --dir');
}

function parseNe(text: string, file: string): NeRule[] {
  const lang = nearley.Grammar.fromCompiled(require('nearley/lib/nearley-language-bootstrapped.js') as nearley.CompiledRules);
  const p = new nearley.Parser(lang);
  try { p.feed(text); } catch (e) { fail('grammar', `${file}: nearley cannot read it: ${(e as Error).message.split('\n')[0]}`); }
  if (!p.results[0]) fail('grammar', `${file}: incomplete grammar`);
  return p.results[0] as NeRule[];
}

type RR = Record<string, new (...a: unknown[]) => { toString(): string }>;

function render(rr: RR, tok: Tok): unknown {
  if (typeof tok === 'string') return new rr.NonTerminal!(tok);
  if (tok instanceof RegExp) return new rr.Terminal!(tok.toString());
  if (tok.subexpression) return new rr.Choice!(0, tok.subexpression.map((s) => new rr.Sequence!(s.tokens.map((t) => render(rr, t)))));
  if (tok.ebnf) {
    const inner = render(rr, tok.ebnf);
    if (tok.modifier === ':+') return new rr.OneOrMore!(inner);
    if (tok.modifier === ':*') return new rr.ZeroOrMore!(inner);
    return new rr.Optional!(inner);
  }
  if (tok.literal !== undefined) return new rr.Terminal!(JSON.stringify(tok.literal));
  if (tok.token !== undefined) return new rr.Terminal!('%' + tok.token);
  return new rr.Comment!('macro');
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** HTML with one section per grammar and one diagram per nonterminal. */
export function grammarHtml(dir?: string): { html: string; grammars: { name: string; rules: string[] }[] } {
  const rr = require('railroad-diagrams') as RR;
  const g = grammarDir(dir);
  const files = readdirSync(g).filter((n) => n.endsWith('.ne')).sort();
  const grammars: { name: string; rules: string[] }[] = [];
  const sections: string[] = [];
  for (const f of files) {
    const rules = new Map<string, { tokens: Tok[] }[]>();
    for (const item of parseNe(readFileSync(join(g, f), 'utf8'), f)) {
      if (item.name && item.rules) rules.set(item.name, [...(rules.get(item.name) ?? []), ...item.rules]);
    }
    const name = f.slice(0, -3);
    grammars.push({ name, rules: [...rules.keys()] });
    const body = [...rules].map(([rule, alts]) => {
      // railroad-diagrams 1.0 takes arrays of items.
      const d = new rr.Diagram!([new rr.Choice!(0, alts.map((a) => new rr.Sequence!(a.tokens.map((t) => render(rr, t)))))]);
      return `<h3 id="${esc(name)}-${esc(rule)}"><code>${esc(rule)}</code></h3>\n<div class="rule">${d.toString()}</div>`;
    });
    sections.push(`<section><h2>${esc(f)}</h2>\n${body.join('\n')}\n</section>`);
  }
  const css = readFileSync(join(dirname(require.resolve('railroad-diagrams')), 'railroad-diagrams.css'), 'utf8');
  const html = `<!DOCTYPE html>\n<html>\n<head>\n<meta charset="UTF-8">\n<title>xdplab grammars</title>\n<style>\n${css}\nbody { font-family: sans-serif; }\n</style>\n</head>\n<body>\n<h1>xdplab grammars</h1>\n${sections.join('\n')}\n</body>\n</html>\n`;
  return { html, grammars };
}

export function register(program: Command): void {
  program
    .command('grammar')
    .description('draw railroad diagrams of the grammars in grammar/ (assembly, rules, packet notation)')
    .requiredOption('--html <out>', 'write an HTML page with one SVG diagram per grammar rule')
    .option('--dir <dir>', 'folder of .ne grammars (default: the grammar/ folder of this installation)')
    .addHelpText('after', `
Example:
  $ xdplab grammar --html grammars.html
`)
    .action(action((o: { html: string; dir?: string }) => {
      const { html, grammars } = grammarHtml(o.dir);
      writeOutput(o.html, html);
      process.stdout.write(`${o.html}: ${grammars.map((g) => `${g.name} (${g.rules.length} rules)`).join(', ')}\n`);
    }));
}
