// Shared access to ../shared/conformance for tests: the suite's files and the reference assembly.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toHex } from '../src/num/index.js';
import { runConformance, type Interpreter } from '../src/vm/index.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Root of the repository (dist/test/.. /..). */
export const repoRoot = resolve(here, '..', '..');
/** The shared conformance folder, beside the repository. */
export const conformanceDir = process.env.XDPLAB_CONFORMANCE ?? resolve(repoRoot, '..', 'shared', 'conformance');

export interface AssembledTest {
  file: string;
  cpu_version: string;
  groups: string[];
  insn_slots: number;
  program_hex: string;
  mem_hex: string;
  expected_result: string;
  expected_error: string;
}

export function hexBytes(hex: string): Uint8Array {
  const toks = hex.split(/\s+/).filter(Boolean);
  return Uint8Array.from(toks.map((t) => parseInt(t, 16)));
}

export function assembled(): AssembledTest[] {
  const p = join(conformanceDir, 'assembled.jsonl');
  if (!existsSync(p)) throw new Error(`conformance data not found at ${p}`);
  return readFileSync(p, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AssembledTest);
}

export function testFiles(): string[] {
  return readdirSync(join(conformanceDir, 'tests')).filter((f) => f.endsWith('.data')).sort();
}

/**
 * Run every assembled test on a VM from `make` (uBPF's convention); returns one line per test
 * whose r0 differs from the expected result or that threw.
 */
export function conformanceFailures(make: (program: Uint8Array) => Interpreter): string[] {
  const failures: string[] = [];
  for (const t of assembled()) {
    const mem = hexBytes(t.mem_hex);
    try {
      const r = runConformance(make(hexBytes(t.program_hex)), mem.length ? mem : null);
      const got = toHex(r.lo, r.hi);
      const want = '0x' + BigInt(t.expected_result).toString(16);
      if (got !== want) failures.push(`${t.file}: got ${got}, expected ${want}`);
    } catch (e) {
      failures.push(`${t.file}: ${(e as Error).message}`);
    }
  }
  return failures;
}
