// Paths and bytes of the ELF fixtures under test/fixtures/elf.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../conformance-data.js';

export const fixtureDir = join(repoRoot, 'test', 'fixtures', 'elf');
export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(fixtureDir, name)));

/** Run fn and return the message of the XdplabError it throws. */
export function elfError(fn: () => unknown): string {
  try { fn(); } catch (e) {
    const d = (e as { diagnostics?: { kind: string; message: string }[] }).diagnostics?.[0];
    if (!d) throw e;
    if (d.kind !== 'elf') throw new Error(`expected an 'elf' diagnostic, got '${d.kind}': ${d.message}`);
    return d.message;
  }
  throw new Error('expected an error, none was thrown');
}
