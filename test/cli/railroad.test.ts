// The README links grammar/railroad.html; it must be what `xdplab grammar --html` makes now.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { grammarHtml } from '../../src/cli/commands/grammar.js';
import { repoRoot } from '../conformance-data.js';

test('grammar/railroad.html is up to date with the grammars (regenerate: xdplab grammar --html grammar/railroad.html)', () => {
  const committed = readFileSync(join(repoRoot, 'grammar', 'railroad.html'), 'utf8');
  const { html, grammars } = grammarHtml(join(repoRoot, 'grammar'));
  assert.equal(grammars.map((g) => g.name), ['asm', 'packet', 'rules']);
  assert.ok(html === committed, 'grammar/railroad.html is stale');
});

test.run();
