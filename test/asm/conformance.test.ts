// Every conformance test's `-- asm` section assembles to exactly the reference assembler's bytes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assemble } from '../../src/asm/index.js';
import { assembled, conformanceDir } from '../conformance-data.js';
import { parseConformanceFile } from '../conformance-file.js';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

const expected = assembled();

test('assembled.jsonl covers all 313 test files', () => {
  assert.is(expected.length, 313);
});

test('every conformance asm section assembles to the reference bytes', () => {
  const mismatches: string[] = [];
  for (const t of expected) {
    const file = parseConformanceFile(readFileSync(join(conformanceDir, 'tests', t.file), 'utf8'));
    try {
      const got = hex(assemble(file.asmText, t.file).bytes);
      if (got !== t.program_hex) mismatches.push(`${t.file}:\n  got      ${got}\n  expected ${t.program_hex}`);
    } catch (e) {
      mismatches.push(`${t.file}: ${(e as Error).message}`);
    }
  }
  assert.equal(mismatches, [], mismatches.slice(0, 5).join('\n'));
});

test.run();
