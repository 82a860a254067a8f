// Whole-program listings: llvm-objdump's symbol rules, raw bytecode, and malformed input.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XdplabError } from '../../src/diag/index.js';
import { byName, encode, make, listSection, listBytecode } from '../../src/isa/index.js';
import { readElf } from '../../src/elf/index.js';
import { disasmBytes } from '../../src/cli/commands/disasm.js';
import { repoRoot } from '../conformance-data.js';

const ja = (off: number) => make(byName('ja')[0]!, { off });
const mov = (imm: number) => make(byName('mov')[0]!, { dst: 0, imm });
const exit = make(byName('exit')[0]!);
const prog = encode([mov(1), ja(1), mov(2), ja(-4), ja(100), exit]);

test('one header per address: the last symbol by name; section and file symbols are skipped', () => {
  const text = listSection({
    name: 'xdp', bytes: prog,
    symbols: [
      { name: 'xdp', value: 0, kind: 'section' }, { name: 'f.c', value: 0, kind: 'file' },
      { name: 'prog', value: 0, kind: 'other' },
      { name: 'zed', value: 24, kind: 'other' }, { name: 'alpha', value: 24, kind: 'other' },
    ],
  });
  assert.is(text, [
    '', 'Disassembly of section xdp:', '', '0000000000000000 <prog>:',
    '       0:\tr0 = 1',
    '       1:\tgoto +1 <zed>',
    '       2:\tr0 = 2', '', '0000000000000018 <zed>:',
    '       3:\tgoto -4 <prog>',
    '       4:\tgoto +100 <zed+0x330>',
    '       5:\texit', '',
  ].join('\n'));
});

test('without a symbol at offset 0 the section name stands in; jumps before it wrap', () => {
  const text = listSection({ name: '.text', bytes: encode([ja(-3), exit]), symbols: [] });
  assert.match(text, '0000000000000000 <.text>:\n       0:\tgoto -3 <.text+0xfffffffffffffff0>\n');
});

test('raw bytes and relocations, as llvm-objdump -d -r shows them', () => {
  const lddw = make(byName('lddw')[0]!, { dst: 1 });
  const text = listSection({
    name: 'xdp', bytes: encode([lddw, exit]), symbols: [{ name: 'f', value: 0, kind: 'other' }],
    relocs: [{ offset: 0, type: 'R_BPF_64_64', symbol: 'my_map' }],
  }, { raw: true, relocs: true });
  assert.match(text, '       0:\t18 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00\tr1 = 0 ll\n\t\t0000000000000000:  R_BPF_64_64\tmy_map\n       2:\t95 00 00 00 00 00 00 00\texit\n');
});

test('raw bytecode lists with slot numbers; conformance syntax reassembles', () => {
  assert.is(listBytecode(prog, 'p.bin'), '\np.bin:\traw bytecode, 6 instructions in 6 slots\n\n       0:\tr0 = 1\n       1:\tgoto +1\n       2:\tr0 = 2\n       3:\tgoto -4\n       4:\tgoto +100\n       5:\texit\n');
  assert.is(listBytecode(encode([mov(1), exit]), 'p.bin', { syntax: 'conformance' }), '# p.bin: raw bytecode, 2 instructions in 2 slots\n\tmov %r0, 1\n\texit\n');
});

function errorOf(fn: () => unknown): string {
  try { fn(); } catch (e) {
    assert.instance(e, XdplabError);
    return (e as XdplabError).diagnostics.map((d) => d.message).join('\n');
  }
  throw new Error('expected an error');
}

test('malformed input gets a clear diagnostic naming the file', () => {
  assert.match(errorOf(() => disasmBytes(new Uint8Array(12), 'x.bin')), 'x.bin is 12 bytes, not a whole number of 8-byte instructions');
  assert.match(errorOf(() => disasmBytes(Uint8Array.from([0xff, 0, 0, 0, 0, 0, 0, 0]), 'x.bin')), 'x.bin: unknown opcode 0xff at slot 0');
  assert.match(errorOf(() => disasmBytes(Uint8Array.from([0x18, 1, 0, 0, 0, 0, 0, 0]), 'x.bin')), 'x.bin: lddw at slot 0 is missing its second half');
  assert.match(errorOf(() => disasmBytes(new Uint8Array(0), 'x.bin')), 'x.bin is empty');
  const obj = readFileSync(join(repoRoot, 'programs/xdp/drop_udp.o'));
  assert.match(errorOf(() => disasmBytes(obj.subarray(0, 100), 'cut.o')), /^cut\.o: /);
  assert.match(errorOf(() => disasmBytes(obj, 'drop_udp.o', { section: 'nope' })), 'drop_udp.o has no section named nope');
  assert.match(errorOf(() => disasmBytes(obj, 'drop_udp.o', { section: 'license' })), 'section license in drop_udp.o holds no instructions');
  // An unknown opcode inside an object names the file and the section.
  const bad = Uint8Array.from(obj);
  bad[readElf(bad, 'drop_udp.o').sectionByName('xdp')!.offset + 8] = 0xff;
  assert.is(errorOf(() => disasmBytes(bad, 'drop_udp.o')), 'drop_udp.o section xdp: unknown opcode 0xff at slot 1');
});

// The compiled CLI next to this compiled test (dist-*/test/isa -> dist-*/src/cli).
const main = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

test('the CLI exits 2 with a one-line diagnostic, no stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xdplab-disasm-'));
  const bad = join(dir, 'bad.bin');
  writeFileSync(bad, Uint8Array.from([0xff, 0, 0, 0, 0, 0, 0, 0]));
  const r = spawnSync(process.execPath, [main, 'disasm', bad], { encoding: 'utf8' });
  assert.is(r.status, 2);
  assert.is(r.stdout, '');
  assert.match(r.stderr, 'unknown opcode 0xff at slot 0');
  assert.not.match(r.stderr, /\n\s+at /);
  const ok = spawnSync(process.execPath, [main, 'disasm', join(repoRoot, 'programs/xdp/xdp_pass.o')], { encoding: 'utf8' });
  assert.is(ok.status, 0);
  assert.is(ok.stdout.split('\n').slice(-2).join('\n'), '       1:\texit\n');
  const help = spawnSync(process.execPath, [main, 'disasm', '--help'], { encoding: 'utf8' });
  assert.is(help.status, 0);
  assert.match(help.stdout, 'xdplab disasm programs/xdp/drop_udp.o');
});

test('a reader that closes the pipe early (| head) ends the CLI quietly, exit 0', () => {
  // `true` exits before the CLI writes, so every write meets a closed pipe (EPIPE).
  const obj = join(repoRoot, 'programs/xdp/drop_udp.o');
  const r = spawnSync('bash', ['-c', 'node "$0" disasm "$1" | true; echo "status=${PIPESTATUS[0]}"', main, obj], { encoding: 'utf8' });
  assert.is(r.stdout.trim(), 'status=0');
  assert.is(r.stderr, '');
});

test.run();
