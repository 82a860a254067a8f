// `xdplab compile` and `xdplab grammar` as a user runs them: outputs, reports, exit codes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isElf } from '../../src/elf/index.js';
import { grammarHtml } from '../../src/cli/commands/grammar.js';
import { EXAMPLES, MAIN, ROOT } from './paths.js';

const run = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'xdplab-rules-cli-'));
const acl = join(EXAMPLES, 'edge_acl.rules');

test('compile -o writes an ELF object and prints the summary and offload report', () => {
  const out = join(dir, 'acl.o');
  const r = run('compile', acl, '-o', out);
  assert.is(r.status, 0, r.stderr);
  assert.ok(isElf(new Uint8Array(readFileSync(out))));
  assert.match(r.stdout, /edge_acl.rules: 6 rules \+ default, \d+ instructions, maps: blocked4, dropped, web/);
  assert.match(r.stdout, /bogon_src\s+acl\s+3 entries/);
  assert.match(r.stdout, /no_blocked\s+ebpf\s+matches set blocked4/);
});

test('--emit asm prints llvm-objdump syntax; --emit tables prints JSON entries', () => {
  const asm = run('compile', acl, '--emit', 'asm');
  assert.is(asm.status, 0, asm.stderr);
  assert.match(asm.stdout, /^r6 = r1$/m);
  assert.match(asm.stdout, /^; rule no_blocked$/m);
  assert.match(asm.stdout, /^ld_pseudo\tr1, 1, 0$/m);
  const tables = run('compile', acl, '--emit', 'tables');
  assert.is(tables.status, 0, tables.stderr);
  const t = JSON.parse(tables.stdout) as { acl: { rule: string; src: string }[]; report: { rule: string; target: string }[] };
  assert.equal(t.acl.map((e) => e.src), ['0.0.0.0/8', '127.0.0.0/8', '224.0.0.0/4']);
  assert.is(t.report.length, 6);
});

test('--setup writes the declared set elements', () => {
  const setup = join(dir, 'acl.setup');
  assert.is(run('compile', acl, '--emit', 'asm', '-o', join(dir, 'acl.s'), '--setup', setup, '-q').status, 0);
  assert.is(readFileSync(setup, 'utf8'), 'name blocked4 key hex 18 00 00 00 cb 00 71 00 value 1\n');
});

test('bad input exits 2 with file:line:col, the line and a caret', () => {
  const bad = join(dir, 'bad.rules');
  writeFileSync(bad, 'counter c\nrule a: tcp dport 99999 => count c, drop\n');
  const r = run('compile', bad, '-o', join(dir, 'bad.o'));
  assert.is(r.status, 2);
  assert.is(r.stderr, `${bad}:2:19: error: 99999 is out of range for tcp dport (0 to 65535)\n  rule a: tcp dport 99999 => count c, drop\n                    ^^^^^\n`);
  assert.is(run('compile', join(dir, 'missing.rules'), '-o', join(dir, 'x.o')).status, 2);
  assert.is(run('compile', acl).status, 2, 'obj needs -o');
  assert.is(run('compile', acl, '--emit', 'svg').status, 2);
});

test('--help has an example', () => {
  for (const cmd of ['compile', 'grammar']) {
    const r = run(cmd, '--help');
    assert.is(r.status, 0);
    assert.match(r.stdout, /Example/);
  }
});

test('grammar --html writes an SVG diagram for every rule of every grammar', () => {
  const out = join(dir, 'g.html');
  const r = run('grammar', '--html', out);
  assert.is(r.status, 0, r.stderr);
  const html = readFileSync(out, 'utf8');
  const { grammars } = grammarHtml();
  const files = readdirSync(join(ROOT, 'grammar')).filter((n) => n.endsWith('.ne')).map((n) => n.slice(0, -3)).sort();
  assert.equal(grammars.map((g) => g.name), files);
  assert.ok(files.includes('rules') && files.includes('asm'));
  for (const g of grammars) {
    assert.ok(g.rules.length > 0, g.name);
    for (const rule of g.rules) {
      const at = html.indexOf(`<h3 id="${g.name}-${rule}">`);
      assert.ok(at >= 0, `${g.name}: ${rule} has a heading`);
      assert.match(html.slice(at, html.indexOf('</div>', at)), /<svg[^>]*class="railroad-diagram"/, `${g.name}: ${rule} has a diagram`);
    }
  }
  assert.ok(grammars.find((g) => g.name === 'rules')!.rules.includes('action'));
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
