// `xdplab asm`: raw bytecode out, hex without -o, exit 2 with a diagnostic on bad input.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'xdplab-asm-cli-'));
const good = join(dir, 'good.s');
writeFileSync(good, 'mov32 %r0, 1 ; conformance\nr0 += 2 ; llvm\nexit\n');

test('-o writes raw bytecode, 8 bytes per slot', () => {
  const out = join(dir, 'good.bin');
  const r = run('asm', good, '-o', out);
  assert.is(r.status, 0, r.stderr);
  assert.is(Buffer.from(readFileSync(out)).toString('hex'), 'b400000001000000' + '0700000002000000' + '9500000000000000');
});

test('without -o prints hex, one slot per line; --hex with -o writes that text', () => {
  const r = run('asm', good);
  assert.is(r.status, 0);
  assert.is(r.stdout, 'b4 00 00 00 01 00 00 00\n07 00 00 00 02 00 00 00\n95 00 00 00 00 00 00 00\n');
  const out = join(dir, 'good.hex');
  assert.is(run('asm', good, '-o', out, '--hex').status, 0);
  assert.is(readFileSync(out, 'utf8'), r.stdout);
});

test('bad input exits 2 with file:line:col and a caret', () => {
  const bad = join(dir, 'bad.s');
  writeFileSync(bad, 'r0 = 1\nr11 = 2\nexit\n');
  const r = run('asm', bad);
  assert.is(r.status, 2);
  assert.is(r.stderr, `${bad}:2:1: error: unknown register 'r11'; expected r0 to r10\n  r11 = 2\n  ^^^\n`);
  assert.is(run('asm', join(dir, 'missing.s')).status, 2);
});

test('--help has an example', () => {
  const r = run('asm', '--help');
  assert.is(r.status, 0);
  assert.match(r.stdout, /Examples:\n {2}\$ xdplab asm /);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
