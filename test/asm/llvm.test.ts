// Differential tests against LLVM 14: llvm-mc assembles the same LLVM-syntax lines to the
// same bytes; for forms llvm-mc 14 cannot parse (atomic fetch/xchg/cmpxchg), llvm-objdump
// prints our bytes back as the text we assembled. Skipped where the tools are missing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemble } from '../../src/asm/index.js';
import { repoRoot } from '../conformance-data.js';

const have = (cmd: string): boolean => spawnSync(cmd, ['--version'], { encoding: 'utf8' }).status === 0;
const hasMc = have('llvm-mc');
const hasObjdump = hasMc && have('llvm-objdump');
if (!hasMc) console.log('skipping llvm-mc differential tests: llvm-mc is not installed');
if (!hasObjdump) console.log('skipping llvm-objdump round-trip tests: llvm-objdump is not installed');

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

/** A broad sample of what llvm-mc 14 (with +alu32) accepts. */
function sample(): string[] {
  const out: string[] = [];
  // '%=' (mod) is missing: LLVM 14 has no BPF mod at all; we accept LLVM 17+'s '%='.
  const alu = ['=', '+=', '-=', '*=', '/=', '|=', '&=', '^=', '<<=', '>>=', 's>>='];
  for (const p of ['r', 'w']) {
    for (const op of alu) {
      out.push(`${p}3 ${op} ${p}7`, `${p}3 ${op} 5`, `${p}0 ${op} -1`);
    }
    out.push(`${p}2 = -${p}2`, `${p}1 = 0x7fffffff`, `${p}1 = 0xffffffff`, `${p}1 = -2147483648`);
  }
  const cmp = ['==', '!=', '>', '>=', '<', '<=', 's>', 's>=', 's<', 's<='];
  for (const p of ['r', 'w']) {
    for (const c of cmp) out.push(`if ${p}1 ${c} ${p}9 goto +3`, `if ${p}4 ${c} -7 goto -3`, `if ${p}10 ${c} 0x10 goto +0`);
  }
  for (const w of ['be', 'le']) for (const n of [16, 32, 64]) out.push(`r4 = ${w}${n} r4`);
  for (const n of [8, 16, 32, 64]) {
    out.push(`r0 = *(u${n} *)(r1 + 4)`, `r9 = *(u${n} *)(r10 - 32768)`, `*(u${n} *)(r10 - 8) = r1`, `*(u${n} *)(r2 + 32767) = r0`);
  }
  for (const n of [8, 16, 32]) out.push(`w0 = *(u${n} *)(r1 + 4)`, `*(u${n} *)(r10 - 8) = w3`);
  for (const n of [8, 16, 32]) out.push(`r0 = *(u${n} *)skb[12]`, `r0 = *(u${n} *)skb[r3]`);
  out.push('lock *(u64 *)(r0 + 0) += r1', 'lock *(u64 *)(r10 - 16) |= r2', 'lock *(u64 *)(r1 + 8) &= r3', 'lock *(u64 *)(r1 + 8) ^= r4');
  out.push('lock *(u32 *)(r0 + 0) += w1', 'lock *(u32 *)(r10 - 16) |= w2', 'lock *(u32 *)(r1 + 8) &= w3', 'lock *(u32 *)(r1 + 8) ^= w4');
  out.push('r1 = 0 ll', 'r1 = 0x123456789 ll', 'r2 = -1 ll', 'r3 = 18446744073709551615 ll', 'r4 = -9223372036854775808 ll');
  out.push('goto +2', 'goto -1', 'goto +32767', 'goto -32768', 'call 1', 'call 0x7fffffff', 'exit');
  return out;
}

/** llvm-mc's encodings, one per input line, in order. */
function llvmMc(lines: string[]): string[] {
  const r = spawnSync('llvm-mc', ['-triple', 'bpf', '-mattr=+alu32', '-show-encoding'], { input: lines.join('\n') + '\n', encoding: 'utf8' });
  assert.is(r.stderr, '', 'llvm-mc rejected part of the sample');
  return [...r.stdout.matchAll(/encoding: \[([^\]]*)\]/g)].map((m) => m[1]!.split(',').map((b) => b.replace(/^0x/, '').padStart(2, '0')).join(' '));
}

(hasMc ? test : test.skip)('llvm-mc 14 and xdplab encode the same bytes', () => {
  const lines = sample();
  const want = llvmMc(lines);
  assert.is(want.length, lines.length);
  const bad = lines.map((l, i) => [l, hex(assemble(l).bytes), want[i]] as const).filter(([, got, w]) => got !== w);
  assert.equal(bad.map(([l, got, w]) => `${l}: xdplab ${got}, llvm-mc ${w}`), []);
});

(hasMc ? test : test.skip)('a whole sample file assembles to the concatenated encodings', () => {
  const lines = sample();
  assert.is(hex(assemble(lines.join('\n')).bytes), llvmMc(lines).join(' '));
});

/** Forms llvm-mc 14 cannot parse but llvm-objdump 14 prints (with --mattr=+alu32). */
const printedOnly = [
  'r1 = atomic_fetch_add((u64 *)(r10 - 8), r1)',
  'r2 = atomic_fetch_or((u64 *)(r1 + 16), r2)',
  'r3 = atomic_fetch_and((u64 *)(r0 + 0), r3)',
  'r4 = atomic_fetch_xor((u64 *)(r10 - 8), r4)',
  'w1 = atomic_fetch_add((u32 *)(r10 - 8), w1)',
  'w2 = atomic_fetch_or((u32 *)(r10 - 4), w2)',
  'w3 = atomic_fetch_and((u32 *)(r10 - 4), w3)',
  'w4 = atomic_fetch_xor((u32 *)(r10 - 4), w4)',
  'r1 = xchg_64(r10 - 8, r1)',
  'w1 = xchg32_32(r10 - 8, w1)',
  'r0 = cmpxchg_64(r10 - 8, r0, r1)',
  'w0 = cmpxchg32_32(r10 - 8, w0, w1)',
  'r0 = *(u16 *)skb[r1]',
  'call -1',
];

(hasObjdump ? test : test.skip)('llvm-objdump 14 prints xdplab bytes back as the source text', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xdplab-asm-'));
  try {
    const bytes = assemble(printedOnly.join('\n')).bytes;
    writeFileSync(join(dir, 'a.s'), `\t.text\n\t.byte ${Array.from(bytes).join(',')}\n`);
    const mc = spawnSync('llvm-mc', ['-triple', 'bpf', '-filetype=obj', join(dir, 'a.s'), '-o', join(dir, 'a.o')], { encoding: 'utf8' });
    assert.is(mc.status, 0, mc.stderr);
    const od = spawnSync('llvm-objdump', ['-d', '--mattr=+alu32', '--no-show-raw-insn', join(dir, 'a.o')], { encoding: 'utf8' });
    const printed = [...od.stdout.matchAll(/^\s+\d+:\s+(.*)$/gm)].map((m) => m[1]!.trim());
    assert.equal(printed, printedOnly);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

(hasObjdump ? test : test.skip)('every line llvm-objdump prints for the clang-built programs assembles to its bytes', () => {
  const dir = join(repoRoot, 'programs', 'xdp');
  const objects = readdirSync(dir).filter((f) => f.endsWith('.o'));
  assert.ok(objects.length > 0);
  let lines = 0;
  const bad: string[] = [];
  for (const f of objects) {
    for (const mattr of [[], ['--mattr=+alu32']]) {
      const od = spawnSync('llvm-objdump', ['-d', ...mattr, join(dir, f)], { encoding: 'utf8' });
      // `  12:\t18 01 00 ... 00\tr1 = 0 ll`: the raw bytes (8 or 16) and the text.
      for (const m of od.stdout.matchAll(/^\s+\d+:\s+((?:[0-9a-f]{2}[ \t]){8,16})\s*(.*)$/gm)) {
        lines++;
        const want = m[1]!.replace(/\s/g, '').replace(/(..)(?!$)/g, '$1 ');
        const got = hex(assemble(m[2]!, f).bytes);
        if (got !== want) bad.push(`${f}: ${m[2]}: ${got} != ${want}`);
      }
    }
  }
  assert.ok(lines > 100, `only ${lines} instruction lines found`);
  assert.equal(bad, []);
});

test.run();
