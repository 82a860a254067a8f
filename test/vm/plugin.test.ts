// The conformance plugin as the runner uses it: one process per test, program on stdin.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembled } from '../conformance-data.js';

const plugin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'conformance-plugin.js');
const byName = new Map(assembled().map((t) => [t.file, t]));

/** The runner's encoding: two hex digits and two spaces per byte. */
const runnerHex = (hex: string): string => hex.split(/\s+/).filter(Boolean).map((b) => b + '  ').join('');

function run(args: string[], stdin: string): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [plugin, ...args], { input: stdin, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

test('the built plugin starts with a shebang', () => {
  assert.ok(readFileSync(plugin, 'utf8').startsWith('#!/usr/bin/env node\n'));
});

test('a test with memory: MEM argument, program on stdin, r0 in hex', () => {
  const t = byName.get('ldxh.data')!;
  const r = run([runnerHex(t.mem_hex)], runnerHex(t.program_hex) + '\n');
  assert.is(r.code, 0, r.out);
  assert.is(r.out, '0x' + BigInt(t.expected_result).toString(16) + '\n');
});

test('a test without memory, with plugin options and empty arguments', () => {
  const t = byName.get('alu64-arith.data')!;
  const r = run(['--tier', 'interp', '', '--debug'], runnerHex(t.program_hex) + '\n');
  assert.is(r.code, 0, r.out);
  assert.is(BigInt(r.out.trim()), BigInt(t.expected_result));
});

test('--program passes the program as an argument; full 64-bit results', () => {
  const t = byName.get('lddw2.data')!;
  const r = run(['--program', t.program_hex.replace(/\s+/g, '')], '');
  assert.is(r.code, 0, r.out);
  assert.is(BigInt(r.out.trim()), BigInt(t.expected_result));
});

test('a malformed program exits 1 with a message on stdout', () => {
  const r = run([], '95 00 00 00 00 00 00 00 b7 00 00 00\n');
  assert.is(r.code, 1);
  assert.match(r.out, /program is 12 bytes, not a whole number of 8-byte instructions/);
  const bad = run([], 'b7 00 zz\n');
  assert.is(bad.code, 1);
  assert.match(bad.out, /'zz' at byte 2 is not a hex byte/);
});

test('a fault and a runaway program exit 1 with a message', () => {
  const fault = run(['01  02  '], runnerHex('61 10 00 00 00 00 00 00 95 00 00 00 00 00 00 00'));
  assert.is(fault.code, 1);
  assert.match(fault.out, /insn 0: error: read of 4 bytes at packet\+0 is out of bounds \(packet is 2 bytes\)/);
  const loop = run(['--budget', '1000'], runnerHex('05 00 ff ff 00 00 00 00 95 00 00 00 00 00 00 00'));
  assert.is(loop.code, 1);
  assert.match(loop.out, /did not finish within 1000 instructions/);
});

test('--elf and unknown tiers are refused with exit 1', () => {
  assert.match(run(['--elf'], '').out, /ELF input/);
  assert.is(run(['--elf'], '').code, 1);
  assert.match(run(['--tier', 'jit'], '95 00 00 00 00 00 00 00').out, /tier 'jit' is not available/);
  assert.match(run(['--engine', 'c'], '95 00 00 00 00 00 00 00').out, /--engine is wasm .* or js .*, not 'c'/);
});

test('--engine js and wasm give the same r0 on a packet sum', () => {
  // r0 = mem[0] + mem[1] (ldxb r2, [r1]; ldxb r0, [r1+1]; add r0, r2; exit)
  const prog = runnerHex('71 12 00 00 00 00 00 00 71 10 01 00 00 00 00 00 0f 20 00 00 00 00 00 00 95 00 00 00 00 00 00 00');
  for (const engine of ['js', 'wasm']) {
    const r = run(['05 07', '--engine', engine], prog);
    assert.equal([r.code, r.out.trim()], [0, '0xc'], engine);
  }
});

test.run();
