// What users write: both syntaxes, mixed, with labels and comments, to exact bytes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assemble } from '../../src/asm/index.js';

/** Bytes as one hex string per slot. */
const slots = (src: string): string[] => {
  const b = assemble(src).bytes;
  const out: string[] = [];
  for (let i = 0; i < b.length; i += 8) out.push(Array.from(b.subarray(i, i + 8), (x) => x.toString(16).padStart(2, '0')).join(''));
  return out;
};
const one = (src: string): string => slots(src).join(' ');

test('LLVM syntax: loads, stores, ALU, jumps (table-driven)', () => {
  const cases: [string, string][] = [
    ['r0 = *(u32 *)(r1 + 4)', '6110040000000000'],
    ['*(u64 *)(r10 - 8) = r1', '7b1af8ff00000000'],
    ['*(u32 *)(r10 - 4) = 7', '620afcff07000000'],
    ['*(u8 *)(r1 + 0) = w2', '7321000000000000'],
    ['w0 = *(u16 *)(r1 + 2)', '6910020000000000'],
    ['if r1 > r7 goto +24 <LBB0_7>', '2d71180000000000'],
    ['if r1 > r7 goto +24 <.text+0x118>', '2d71180000000000'],
    ['if w1 s< 5 goto -3', 'c601fdff05000000'],
    ['if r1 & r2 goto +1', '4d21010000000000'],
    ['goto +2', '0500020000000000'],
    ['gotol +70000', '0600000070110100'],
    ['w0 += 1', '0400000001000000'],
    ['r0 = -r0', '8700000000000000'],
    ['w3 = -w3', '8403000000000000'],
    ['r1 = (s8)r2', 'bf21080000000000'],
    ['w1 = (s16)w2', 'bc21100000000000'],
    ['r1 = (s32)r2', 'bf21200000000000'],
    ['r0 s/= r1', '3f10010000000000'],
    ['w0 s/= 7', '3400010007000000'],
    ['r0 s%= 3', '9700010003000000'],
    ['r0 %= r1', '9f10000000000000'],
    ['r0 s>>= 2', 'c700000002000000'],
    ['r0 = be16 r0', 'dc00000010000000'],
    ['r0 = le64 r0', 'd400000040000000'],
    ['r0 = bswap32 r0', 'd700000020000000'],
    ['r2 = *(s8 *)(r1 + 4)', '9112040000000000'],
    ['r2 = *(s32 *)(r1 - 4)', '8112fcff00000000'],
    ['r0 = *(u8 *)skb[12]', '300000000c000000'],
    ['r0 = *(u16 *)skb[r1 + 4]', '4810000004000000'],
    ['r0 = *(u32 *)skb[r1]', '4010000000000000'],
    ['call 1', '8500000001000000'],
    ['callx r2', '8d02000000000000'],
    ['exit', '9500000000000000'],
    ['r0 = 0xffffffff', 'b7000000ffffffff'],
  ];
  for (const [src, hex] of cases) assert.is(one(src), hex, src);
});

test('LLVM syntax: atomics', () => {
  const cases: [string, string][] = [
    ['lock *(u64 *)(r0 + 0) += r1', 'db10000000000000'],
    ['lock *(u32 *)(r10 - 8) += r1', 'c31af8ff00000000'], // llvm-objdump without +alu32
    ['lock *(u32 *)(r10 - 8) |= w1', 'c31af8ff40000000'],
    ['r1 = atomic_fetch_add((u64 *)(r10 - 8), r1)', 'db1af8ff01000000'],
    ['w1 = atomic_fetch_xor((u32 *)(r10 - 8), w1)', 'c31af8ffa1000000'],
    ['r0 = xchg_64(r10 - 8, r0)', 'db0af8ffe1000000'],
    ['w0 = xchg32_32(r10 - 8, w0)', 'c30af8ffe1000000'],
    ['r0 = cmpxchg_64(r10 - 8, r0, r1)', 'db1af8fff1000000'],
    ['w0 = cmpxchg32_32(r10 - 8, w0, w1)', 'c31af8fff1000000'],
  ];
  for (const [src, hex] of cases) assert.is(one(src), hex, src);
});

test('LLVM syntax: 64-bit immediates take two slots', () => {
  assert.equal(slots('r1 = 0 ll'), ['1801000000000000', '0000000000000000']);
  assert.equal(slots('r1 = 0x123456789 ll'), ['1801000089674523', '0000000001000000']);
  assert.equal(slots('r2 = -1 ll'), ['18020000ffffffff', '00000000ffffffff']);
  assert.equal(slots('ld_pseudo r1, 1, 3'), ['1811000003000000', '0000000000000000']);
});

test('calls: helper, local (llvm-objdump prints `call -1` for a relocated local call), callx', () => {
  assert.is(one('call -1'), '85100000ffffffff');
  assert.is(one('call +3'), '8510000003000000');
  assert.is(one('call %r2'), '8d02000000000000');
  assert.is(one('call helper 5'), '8500000005000000');
  assert.is(one('call runtime 7'), '8520000007000000');
  assert.equal(slots('call local f\nexit\nf:\nexit'), ['8510000001000000', '9500000000000000', '9500000000000000']);
  assert.equal(slots('call f\nexit\nf: exit'), ['8510000001000000', '9500000000000000', '9500000000000000']);
});

test('conformance syntax: every operand shape', () => {
  const cases: [string, string][] = [
    ['mov32 %r0, 1', 'b400000001000000'],
    ['mov %r0, -1', 'b7000000ffffffff'],
    ['add64 %r1, %r2', '0f21000000000000'],
    ['neg32 %r3', '8403000000000000'],
    ['movsx1664 %r1, %r2', 'bf21100000000000'],
    ['sdiv32 %r1, 3', '3401010003000000'],
    ['le16 %r1', 'd401000010000000'],
    ['swap64 %r1', 'd701000040000000'],
    ['ldxw %r0, [%r1+4]', '6110040000000000'],
    ['ldxdw %r0, [%r1]', '7910000000000000'],
    ['ldxsh %r0, [%r1+0x2]', '8910020000000000'],
    ['stb [%r10-1], 0xff', '720affffff000000'],
    ['stxdw [%r10-8], %r1', '7b1af8ff00000000'],
    ['lock fetch add [%r10-8], %r1', 'db1af8ff01000000'],
    ['lock xchg32 [%r10-8], %r1', 'c31af8ffe1000000'],
    ['lock cmpxchg [%r10-8], %r1', 'db1af8fff1000000'],
    ['jeq %r1, 0, +3', '1501030000000000'],
    ['jsle32 %r1, %r2, -1', 'de21ffff00000000'],
    ['ja32 +1', '0600000001000000'],
    ['ldabsh 12', '280000000c000000'],
    ['ldindb %r1, 4', '5010000004000000'],
  ];
  for (const [src, hex] of cases) assert.is(one(src), hex, src);
  assert.equal(slots('lddw %r0, 0x123456789'), ['1800000089674523', '0000000001000000']);
});

test('labels: own line, before an instruction, forward and backward, implicit exit', () => {
  const src = [
    'start:',
    '  mov32 %r0, 0',
    'loop: add32 %r0, 1',
    '  jlt %r0, 3, loop',
    '  if r0 == 7 goto out',
    '  jeq %r0, 3, exit',
    'out:',
    '  goto start',
    '  exit',
  ].join('\n');
  const r = assemble(src);
  assert.equal(r.labels, new Map([['start', 0], ['loop', 1], ['out', 5], ['exit', 6]]));
  assert.equal(r.insns.map((i) => (i.spec.shape === 'ja32' ? i.imm : i.off)), [0, 0, -2, 1, 1, -6, 0]);
});

test('comments (; // #), blank lines, tabs and mixed syntaxes in one file', () => {
  const src = '\t; header\n\n# conformance-file style\nmov32 %r0, 1 // trailing\n\tr0 += 2 ; another\nexit # done\n';
  assert.equal(slots(src), ['b400000001000000', '0700000002000000', '9500000000000000']);
});

test('insns carry slots; lddw counts two', () => {
  const r = assemble('r1 = 1 ll\nr0 = 0\nexit');
  assert.equal(r.insns.map((i) => i.slot), [0, 2, 3]);
  assert.is(r.bytes.length, 32);
});

test('CRLF line endings', () => {
  assert.equal(slots('r0 = 1\r\nexit\r\n'), ['b700000001000000', '9500000000000000']);
});

test.run();
