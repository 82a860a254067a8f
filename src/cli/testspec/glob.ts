// Spec arguments: files, directories (every .yaml/.yml under them) and globs (`*`, `**`, `?`,
// `[abc]`, `{a,b}`), matched by our own small matcher: Node 20 has no fs.glob, and
// path.matchesGlob prints an experimental warning.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../../diag/index.js';

const MAGIC = /[*?[{]/;

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        re += slash ? '(?:[^/]*/)*' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) { re += '\\['; continue; }
      re += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) { re += '\\{'; continue; }
      re += `(?:${glob.slice(i + 1, end).split(',').map((a) => globToRegExp(a).source.slice(1, -1)).join('|')})`;
      i = end;
    } else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function walk(dir: string, out: string[]): void {
  let names: string[];
  try { names = readdirSync(dir).sort(); } catch { return; }
  for (const n of names) {
    if (n.startsWith('.') || n === 'node_modules') continue;
    const p = dir === '.' ? n : join(dir, n);
    let st;
    try { st = statSync(p); } catch { continue; }
    if (st.isDirectory()) walk(p, out);
    else out.push(p);
  }
}

/** Every spec file the arguments name, in order, each once. */
export function expandSpecArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  const add = (f: string): void => { if (!out.includes(f)) out.push(f); };
  for (const arg of args) {
    const pattern = arg.replace(/^\.\//, '');
    if (!MAGIC.test(pattern)) {
      let st;
      try { st = statSync(arg); } catch { fail('io', `cannot read ${arg}: no such file or directory`); }
      if (!st.isDirectory()) { add(arg); continue; }
      const files: string[] = [];
      walk(arg.replace(/\/+$/, '') || '.', files);
      const specs = files.filter((f) => /\.ya?ml$/.test(f));
      if (specs.length === 0) fail('usage', `no .yaml spec files under ${arg}`);
      specs.forEach(add);
      continue;
    }
    const segs = pattern.split('/');
    const firstMagic = segs.findIndex((s) => MAGIC.test(s));
    const base = segs.slice(0, firstMagic).join('/') || (pattern.startsWith('/') ? '/' : '.');
    const files: string[] = [];
    walk(base, files);
    const re = globToRegExp(pattern);
    const hits = files.filter((f) => re.test(f));
    if (hits.length === 0) fail('usage', `no spec files match '${arg}'`);
    hits.forEach(add);
  }
  return out;
}
