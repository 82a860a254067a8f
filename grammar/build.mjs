// Compiles every grammar/NAME.ne with nearleyc into src/NAME/generated/NAME.ts (git-ignored).
// Grammars declare `@preprocessor typescript`, so tsc compiles the output with the rest of src
// and it lands in dist beside its wrapper; a grammar without it gets NAME.js (not copied by tsc).
// The grammar's wrapper in src/NAME/ is the only importer. Skips work when up to date.
import { readdirSync, readFileSync, statSync, mkdirSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = createRequire(import.meta.url);
const nearleyc = join(dirname(require.resolve('nearley/package.json')), 'bin', 'nearleyc.js');

for (const f of readdirSync(here).filter((n) => n.endsWith('.ne'))) {
  const name = f.slice(0, -3);
  const outDir = join(root, 'src', name, 'generated');
  const src = join(here, f);
  const ext = /^@preprocessor\s+typescript\b/m.test(readFileSync(src, 'utf8')) ? 'ts' : 'js';
  const out = join(outDir, `${name}.${ext}`);
  // Includes (grammar/*.ne included by others) make any .ne newer than out a reason to rebuild.
  const newest = Math.max(...readdirSync(here).filter((n) => n.endsWith('.ne')).map((n) => statSync(join(here, n)).mtimeMs));
  if (existsSync(out) && statSync(out).mtimeMs >= newest) continue;
  mkdirSync(outDir, { recursive: true });
  execFileSync(process.execPath, [nearleyc, src, '-o', out], { stdio: 'inherit' });
}
