// The conformance-syntax formatter against the suite itself: disassembling each test's
// bytecode gives back the test's own asm lines, up to number spelling and label names.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode, formatConformance, slotsOf } from '../../src/isa/index.js';
import { assembled, conformanceDir, hexBytes } from '../conformance-data.js';

/** The asm lines of a .data file: labels (name -> slot) and instruction lines. */
function asmOf(text: string): { labels: Map<string, number>; lines: string[] } {
  let inAsm = false;
  const labels = new Map<string, number>();
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line.includes('--')) { inAsm = line.includes('asm'); continue; }
    if (!inAsm || !line) continue;
    const first = line.split(/\s+/)[0]!;
    if (first.endsWith(':')) { labels.set(first.slice(0, -1), lines.length); continue; }
    lines.push(line);
  }
  return { labels, lines };
}

// Canonical operands: numbers as BigInt text of the width they fill, memory as [%rN+off].
function canon(line: string, width64: boolean): string[] {
  const toks = line.replace(/,/g, ' ').split(/\s+/).filter(Boolean);
  return toks.map((t) => {
    const mem = /^\[(%r\d+)(?:([+-])(0x[0-9a-f]+|\d+))?\]$/i.exec(t);
    if (mem) return `[${mem[1]}${mem[3] ? (mem[2] === '-' ? -1 : 1) * Number(mem[3]) : 0}]`;
    if (/^[+-]?(0x[0-9a-f]+|\d+)$/i.test(t)) {
      const neg = t.startsWith('-');
      let v = BigInt(t.replace(/^[+-]/, ''));
      if (neg) v = -v;
      return (width64 ? BigInt.asIntN(64, v) : BigInt.asIntN(32, v)).toString();
    }
    return t.replace(/^swap(\d+)$/, 'bswap$1').replace(/^(add|mov|neg|sub)64$/, '$1');
  });
}

test('conformance programs disassemble back to their own asm', () => {
  let checked = 0;
  for (const t of assembled()) {
    const { labels, lines } = asmOf(readFileSync(join(conformanceDir, 'tests', t.file), 'utf8'));
    if (lines.length === 0) continue;
    const insns = decode(hexBytes(t.program_hex), t.file);
    // Label slots: the asm line index counts instructions, our slots count lddw twice.
    const slotOfLine: number[] = [];
    let slot = 0;
    insns.forEach((insn) => { slotOfLine.push(slot); slot += slotsOf(insn); });
    slotOfLine.push(slot);
    assert.is(insns.length, lines.length, `${t.file}: instruction count`);
    insns.forEach((insn, i) => {
      const mine = formatConformance(insn);
      let theirs = lines[i]!;
      // Replace label targets with the relative slot count we print.
      theirs = theirs.replace(/([\s,])([A-Za-z_]\w*)$/, (all, sep: string, name: string) => {
        const at = name === 'exit' && !labels.has('exit') ? lines.findIndex((l) => l === 'exit') : labels.get(name);
        if (at === undefined || /^%r/.test(name)) return all;
        const rel = slotOfLine[at]! - insn.slot - 1;
        return `${sep}${rel < 0 ? rel : '+' + rel}`;
      });
      const wide = insn.spec.shape === 'lddw';
      assert.equal(canon(mine, wide), canon(theirs, wide), `${t.file} line ${i}: ${mine} vs ${lines[i]}`);
      checked++;
    });
  }
  assert.ok(checked > 2000, `checked ${checked} instructions`);
});

test.run();
