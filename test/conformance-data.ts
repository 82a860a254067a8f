// Shared access to ../shared/conformance for tests: the suite's files and the reference assembly.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
