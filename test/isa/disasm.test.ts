// The instruction formatters: llvm-objdump text for every OPCODES entry (against the LLVM 14
// fixture), the conformance syntax, jump annotations.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPCODES, lookup, make, formatInsn, formatConformance, byName, type OpSpec } from '../../src/isa/index.js';
import { repoRoot } from '../conformance-data.js';

interface Case {
  name: string; opcode: number; match: OpSpec['match'];
  fields: { dst: number; src: number; off: number; imm: number; imm64hi: number };
  llvm14: string; llvm14Alu32: string; expect?: string; expectAlu32?: string; why?: string;
}
const fixture = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/disasm/llvm14.json'), 'utf8')) as { cases: Case[] };
const key = (s: { name: string; opcode: number; match: OpSpec['match'] }): string => `${s.name}/${s.opcode}/${JSON.stringify(s.match)}`;

test('the LLVM 14 fixture covers every OPCODES entry', () => {
  const covered = new Set(fixture.cases.map(key));
  for (const spec of OPCODES) assert.ok(covered.has(key(spec)), `no fixture case for ${spec.name} (opcode ${spec.opcode})`);
});

test('every entry prints what llvm-objdump 14 prints, or the documented LLVM 17+ text', () => {
  for (const c of fixture.cases) {
    const spec = lookup(c.opcode, c.fields.src, c.fields.off, c.fields.imm);
    assert.ok(spec, `fixture case ${c.name} does not decode`);
    assert.is(spec!.name, c.name);
    const insn = make(spec!, c.fields);
    const what = `${c.name} ${JSON.stringify(c.fields)}`;
    assert.is(formatInsn(insn), c.expect ?? c.llvm14, what);
    assert.is(formatInsn(insn, { alu32: true }), c.expectAlu32 ?? c.llvm14Alu32, `${what} (alu32)`);
    if (c.expect !== undefined) assert.ok(c.why && !c.why.includes('UNEXPLAINED'), `${what}: a difference from LLVM 14 needs a reason`);
    assert.not.ok(formatInsn(insn).includes('unknown'), what);
  }
});

test('only cpu v4 and LLVM 14 gaps differ from LLVM 14', () => {
  const differing = new Set(fixture.cases.filter((c) => c.expect !== undefined).map((c) => c.name));
  // Everything clang -O2 -target bpf emits by default must match LLVM 14 exactly.
  for (const name of ['mov', 'add32', 'ldxw', 'stxdw', 'lddw', 'jgt', 'jne32', 'call', 'exit', 'lock add', 'be16', 'ja']) {
    assert.not.ok(differing.has(name), name);
  }
});

const one = (name: string, f: Parameters<typeof make>[1] = {}) => make(byName(name)[0]!, f);

test('spellings from llvm-objdump', () => {
  assert.is(formatInsn(one('ldxw', { dst: 0, src: 1, off: 4 })), 'r0 = *(u32 *)(r1 + 4)');
  assert.is(formatInsn(one('ldxw', { dst: 0, src: 1, off: 4 }), { alu32: true }), 'w0 = *(u32 *)(r1 + 4)');
  assert.is(formatInsn(one('stxdw', { dst: 10, src: 1, off: -8 })), '*(u64 *)(r10 - 8) = r1');
  assert.is(formatInsn(one('add32', { dst: 0, imm: 1 })), 'w0 += 1');
  assert.is(formatInsn(one('lock add', { dst: 0, src: 1 })), 'lock *(u64 *)(r0 + 0) += r1');
  assert.is(formatInsn(one('lddw', { dst: 1 })), 'r1 = 0 ll');
  assert.is(formatInsn(one('lddw', { dst: 1, imm: 0, imm64hi: -1 })), 'r1 = -4294967296 ll');
  assert.is(formatInsn(one('call', { imm: 1 })), 'call 1');
  assert.is(formatInsn(one('exit')), 'exit');
});

test('jumps carry the label the caller names for the target slot', () => {
  const jgt = make(OPCODES.find((s) => s.name === 'jgt' && s.shape === 'jcond_reg')!, { dst: 1, src: 7, off: 24 }, 10);
  assert.is(formatInsn(jgt, { label: (slot) => (slot === 35 ? 'LBB0_7' : undefined) }), 'if r1 > r7 goto +24 <LBB0_7>');
  assert.is(formatInsn(jgt), 'if r1 > r7 goto +24');
  const back = make(byName('ja')[0]!, { off: -3 }, 5);
  assert.is(formatInsn(back, { label: (slot) => `L${slot}` }), 'goto -3 <L3>');
  const gotol = make(byName('ja32')[0]!, { imm: 100 }, 0);
  assert.is(formatInsn(gotol, { label: (slot) => `L${slot}` }), 'gotol +100 <L101>');
});

test('conformance syntax', () => {
  const jeq = OPCODES.find((s) => s.name === 'jeq' && s.shape === 'jcond_imm')!;
  const cases: [string, string][] = [
    [formatConformance(one('mov32', { dst: 0, imm: 1 })), 'mov32 %r0, 1'],
    [formatConformance(one('ldxw', { dst: 0, src: 1, off: 4 })), 'ldxw %r0, [%r1+4]'],
    [formatConformance(one('stxdw', { dst: 10, src: 1, off: -8 })), 'stxdw [%r10-8], %r1'],
    [formatConformance(one('stw', { dst: 1, imm: -1 })), 'stw [%r1], -1'],
    [formatConformance(make(jeq, { dst: 1, imm: 0, off: 3 })), 'jeq %r1, 0, +3'],
    [formatConformance(make(jeq, { dst: 1, imm: 0, off: 3 }), { label: () => 'exit' }), 'jeq %r1, 0, exit'],
    [formatConformance(one('lock fetch add32', { dst: 10, src: 1, off: -4 })), 'lock fetch add32 [%r10-4], %r1'],
    [formatConformance(one('lddw', { dst: 0, imm: 0x55667788, imm64hi: 0x11223344 })), 'lddw %r0, 0x1122334455667788'],
    [formatConformance(one('lddw', { dst: 0, imm: -2, imm64hi: -1 })), 'lddw %r0, -2'],
    [formatConformance(one('neg32', { dst: 3 })), 'neg32 %r3'],
    [formatConformance(one('be16', { dst: 0 })), 'be16 %r0'],
    [formatConformance(one('movsx832', { dst: 0, src: 1 })), 'movsx832 %r0, %r1'],
    [formatConformance(one('callx', { dst: 2 })), 'call %r2'],
    [formatConformance(one('call local', { imm: -4 })), 'call local -4'],
    [formatConformance(one('ja32', { imm: 2 })), 'ja32 +2'],
  ];
  for (const [got, want] of cases) assert.is(got, want);
});

test.run();
