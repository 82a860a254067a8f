// The program a spec tests: a BPF object (.o), eBPF assembly (.s, assembled and wrapped as one
// XDP program in section `xdp`), or a rule set (.rules, compiled; elements declared in its sets
// become setup entries applied first).
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { assemble } from '../asm/index.js';
import { fail } from '../diag/index.js';
import { loadObject, writeObject, type BpfObject } from '../elf/index.js';
import { parseSetup, type SetupEntry } from '../maps/index.js';
import { loadRules, rulesObject, rulesSetup } from '../rules/index.js';

export interface OpenedProgram { object: BpfObject; setup: SetupEntry[] }

export const PROGRAM_KINDS = ['.o', '.s', '.rules'];

export function readBytes(path: string, shown: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    return fail('io', `cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** `path` is the resolved file; `shown` the name used in messages. */
export function openProgram(path: string, shown: string): OpenedProgram {
  const ext = extname(path);
  if (ext === '.s') {
    const text = Buffer.from(readBytes(path, shown)).toString('utf8');
    const { insns } = assemble(text, shown);
    const name = basename(path, ext).replace(/[^A-Za-z0-9_]/g, '_').slice(0, 15) || 'prog';
    return { object: loadObject(writeObject({ programs: [{ name, section: 'xdp', insns }], maps: [], license: 'GPL' }), shown), setup: [] };
  }
  if (ext === '.rules') {
    readBytes(path, shown); // the io error names the file as the spec wrote it
    const rs = loadRules(path);
    const name = 'xdp_rules';
    return { object: loadObject(rulesObject(rs, name), shown), setup: parseSetup(rulesSetup(rs), `${shown} (set elements)`) };
  }
  return { object: loadObject(readBytes(path, shown), shown), setup: [] };
}
