// Every kind of assembler error: exact text, `file:line:col`, the source line and the caret.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { XdplabError } from '../../src/diag/index.js';
import { assemble } from '../../src/asm/index.js';
import { conformanceDir } from '../conformance-data.js';
import { parseConformanceFile } from '../conformance-file.js';

/** The rendered diagnostics for a source that must fail. */
function errorOf(src: string, file = 'programs/x.s'): string {
  try {
    assemble(src, file);
  } catch (e) {
    assert.ok(e instanceof XdplabError, `not an XdplabError: ${String(e)}`);
    assert.ok(e.diagnostics.every((d) => d.kind === 'asm'));
    return e.message;
  }
  assert.unreachable(`expected an error for: ${src}`);
  return '';
}

/** [source, expected first line, caret line] — the source line is checked too. */
const cases: [string, string, string][] = [
  ['r0 = 1\nr11 = 2', 'programs/x.s:2:1: error: unknown register \'r11\'; expected r0 to r10', '^^^'],
  ['or %r0, %r50', 'programs/x.s:1:9: error: unknown register \'%r50\'; expected %r0 to %r10', '        ^^^^'],
  ['mov32 %r0, %r11', 'programs/x.s:1:12: error: unknown register \'%r11\'; expected %r0 to %r10', '           ^^^^'],
  ['w0 = w12', 'programs/x.s:1:6: error: unknown register \'w12\'; expected w0 to w10', '     ^^^'],
  ['mov32 %r0 1', 'programs/x.s:1:11: error: expected \',\' after the destination register', '          ^'],
  ['ldxq %r0, %r1', 'programs/x.s:1:1: error: unknown mnemonic \'ldxq\'', '^^^^'],
  ['ja out\nexit', 'programs/x.s:1:4: error: label \'out\' is not defined', '   ^^^'],
  ['if r1 > r2 goto nowhere', 'programs/x.s:1:17: error: label \'nowhere\' is not defined', '                ^^^^^^^'],
  ['r0 = 4294967296', 'programs/x.s:1:6: error: immediate 4294967296 does not fit in 32 bits', '     ^^^^^^^^^^'],
  ['mov32 %r0, 2147483648', 'programs/x.s:1:12: error: immediate 2147483648 does not fit in 32 bits', '           ^^^^^^^^^^'],
  ['mov32 %r0, 0x100000000', 'programs/x.s:1:12: error: immediate 0x100000000 does not fit in 32 bits', '           ^^^^^^^^^^^'],
  ['r0 = -2147483649', 'programs/x.s:1:6: error: immediate -2147483649 does not fit in 32 bits', '     ^^^^^^^^^^^'],
  ['ldxb %r0, [%r1+0x10000]', 'programs/x.s:1:15: error: offset +0x10000 does not fit in 16 bits', '              ^^^^^^^^'],
  ['r0 = *(u8 *)(r1 + 32768)', 'programs/x.s:1:17: error: offset +32768 does not fit in 16 bits', '                ^^^^^^^'],
  ['goto +32768', 'programs/x.s:1:6: error: jump offset +32768 does not fit in 16 bits', '     ^^^^^^'],
  ['ldxb %r0, %r1', 'programs/x.s:1:11: error: expected a memory operand like [%r1+4] as operand 2 of \'ldxb\', got a register', '          ^^^'],
  ['lddw %r0', 'programs/x.s:1:1: error: \'lddw\' takes 2 operands: the destination register, a 64-bit immediate; got 1', '^^^^'],
  ['lock or [%r10-8]', 'programs/x.s:1:1: error: \'lock or\' takes 2 operands: a memory operand like [%r10-8], the source register; got 1', '^^^^^^^'],
  ['lock', 'programs/x.s:1:1: error: incomplete mnemonic \'lock\'; expected one of add, and, cmpxchg, fetch, or, xchg, xor after it', '^^^^'],
  ['exit 1', 'programs/x.s:1:6: error: \'exit\' takes 0 operands; got 1', '     ^'],
  ['a:\nexit\na: exit', 'programs/x.s:3:1: error: label \'a\' is already defined on line 1', '^'],
  ['r0 = *(u32 *)(r1 + 4', 'programs/x.s:1:21: error: unexpected end of line after \'4\'; expected \')\'', '                    ^'],
  ['r0 = @', 'programs/x.s:1:6: error: unexpected character \'@\'; expected a register, a number, a name, \'-\', \'(\', \'*\' or \'+\'', '     ^'],
  ['r0 = r1 + 1', 'programs/x.s:1:9: error: unexpected \'+\'; expected the end of the line (or a comment)', '        ^'],
  ['w0 += r1', 'programs/x.s:1:7: error: \'r1\' mixes 32-bit and 64-bit registers; write \'w1\' to match \'w0\'', '      ^^'],
  ['r0 = *(u12 *)(r1 + 0)', 'programs/x.s:1:8: error: unknown access size \'u12\'; expected u8, u16, u32, u64', '       ^^^'],
  ['r0 = 0x1g', 'programs/x.s:1:6: error: \'0x1g\' is not a number; write decimal digits or 0x and hex digits', '     ^^^^'],
  ['r1 = be16 r2', 'programs/x.s:1:11: error: a byte swap works in place: write \'r1\' here', '          ^^'],
];

test('each error names file:line:col, shows the line and a caret, in plain words', () => {
  for (const [src, head, caret] of cases) {
    const lines = errorOf(src).split('\n');
    assert.is(lines[0], head, src);
    const lineNo = Number(/:(\d+):\d+:/.exec(head)![1]);
    assert.is(lines[1], '  ' + src.split('\n')[lineNo - 1], `source line for ${src}`);
    assert.is(lines[2], '  ' + caret, `caret for ${src}`);
  }
});

test('range notes explain decimal and hex', () => {
  const msg = errorOf('mov32 %r0, 2147483648');
  assert.ok(msg.includes('decimal immediates range from -2147483648 to 2147483647; hex up to 0xffffffff gives the same bits'));
});

test('a misspelt mnemonic gets a suggestion', () => {
  assert.ok(errorOf('ldxq %r0, [%r1]').includes("did you mean 'ldxb' or 'ldxh' or 'ldxw'?"));
});

test('label too far for a 16-bit jump', () => {
  const src = ['jeq %r0, 0, far', ...Array(40000).fill('r0 = 0'), 'far:', 'exit'].join('\n');
  assert.is(errorOf(src).split('\n')[0], "programs/x.s:1:13: error: label 'far' is 40000 slots away, too far for a 16-bit jump offset (-32768 to 32767)");
  // gotol (ja32) reaches it.
  assert.is(assemble(src.replace('jeq %r0, 0, far', 'gotol far')).insns[0]!.imm, 40000);
});

test('errors on several lines are all reported, in line order', () => {
  const msg = errorOf('r11 = 1\nexit\nldxq %r0, [%r1]\nja nowhere');
  const heads = msg.split('\n').filter((l) => l.startsWith('programs/'));
  assert.equal(heads.map((l) => l.split(': error')[0]), ['programs/x.s:1:1', 'programs/x.s:3:1', 'programs/x.s:4:4']);
});

test('nearley\'s raw error text never shows', () => {
  for (const src of ['r0 = = 1', 'if goto', '*(u32 *) = 1', 'lock *(u64 *)(r1 + 0) = r1', ')', 'jeq %r1, , 3']) {
    const msg = errorOf(src);
    assert.not.ok(/Instead, I was expecting|based on:|Syntax error/.test(msg), msg);
    assert.ok(msg.startsWith('programs/x.s:1:'), msg);
  }
});

test('the suite\'s own assembler error cases (negative/invalid_*.data) are rejected', () => {
  const dir = join(conformanceDir, 'negative');
  const files = readdirSync(dir).filter((f) => f.startsWith('invalid_') && f.endsWith('.data'));
  assert.ok(files.length >= 10);
  for (const f of files) {
    const parsed = parseConformanceFile(readFileSync(join(dir, f), 'utf8'));
    if (parsed.skipped) continue; // invalid_unknown_directive: a file-format error, not assembly
    assert.throws(() => assemble(parsed.asmText, f), (e: unknown) => e instanceof XdplabError, f);
  }
});

test.run();
