// Where the tests find the repository's files (they run from dist*/test/rules).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const EXAMPLES = join(ROOT, 'programs', 'rules');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'rules');
export const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** Every example rule set (top level of programs/rules; lib/ holds included files). */
export const exampleFiles = (): string[] => readdirSync(EXAMPLES).filter((n) => n.endsWith('.rules')).sort().map((n) => join(EXAMPLES, n));
