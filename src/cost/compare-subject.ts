// What `xdplab compare` compares: an XDP object (.o), our assembly (.s), or a rule set (.rules,
// compiled to its XDP object and its SmartNIC tables). A topology (.yaml) is not a subject: it
// runs through the pipeline (measureTopology) and compareTopology prices the run.
// Map contents come from `--setup FILE`, else from a `NAME.setup` next to the input; a rule
// set's own set elements are always applied first.
import { existsSync, readFileSync } from 'node:fs';
import { assemble } from '../asm/index.js';
import { fail } from '../diag/index.js';
import { findProgram, loadObject, writeObject, type BpfObject } from '../elf/index.js';
import { parseSetup, type SetupEntry } from '../maps/index.js';
import { loadRules, rulesObject, rulesSetup, type Ruleset } from '../rules/index.js';
import { loadRuntime, type Runtime } from '../vm/runtime/index.js';
import type { Tier } from '../vm/index.js';

export type SubjectKind = 'program' | 'rules';

export interface Subject {
  kind: SubjectKind;
  file: string;
  /** Short name for tables and charts (the file name). */
  name: string;
  object: BpfObject;
  prog?: string;
  setup: SetupEntry[];
  setupFile?: string;
  rules?: Ruleset;
}

export const TOPOLOGY_NEEDS_PIPELINE = 'a topology (.yaml) is compared by running it through the pipeline (xdplab compare TOPOLOGY.yaml --traffic ...), not opened as a program';

/** The smartnic placement of a program: only a rule set has a table form. */
export const NO_TABLE_FORM = 'a program has no SmartNIC table form: compare its rule set (.rules) instead; xdp-offload runs the program itself on the NIC';

function read(file: string): Uint8Array {
  try { return new Uint8Array(readFileSync(file)); } catch (e) {
    return fail('io', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Open the thing to compare by its extension; `setupFile` overrides the sibling NAME.setup. */
export function openSubject(file: string, opts: { prog?: string; setupFile?: string } = {}): Subject {
  const name = file.replace(/^.*\//, '');
  const sibling = file.replace(/\.(o|s|rules)$/, '.setup');
  const setupFile = opts.setupFile ?? (sibling !== file && existsSync(sibling) ? sibling : undefined);
  const setup = setupFile ? parseSetup(Buffer.from(read(setupFile)).toString('utf8'), setupFile) : [];
  if (/\.ya?ml$/i.test(file)) return fail('usage', TOPOLOGY_NEEDS_PIPELINE);
  if (file.endsWith('.rules')) {
    const rules = loadRules(file);
    const object = loadObject(rulesObject(rules), name.replace(/\.rules$/, '.o'));
    const own = rulesSetup(rules);
    return { kind: 'rules', file, name, object, setup: [...(own ? parseSetup(own, `${file} (set elements)`) : []), ...setup], setupFile, rules };
  }
  if (file.endsWith('.s')) {
    const asm = assemble(Buffer.from(read(file)).toString('utf8'), file);
    const prog = name.replace(/\.s$/, '').replace(/[^A-Za-z0-9_]/g, '_');
    const object = loadObject(writeObject({ programs: [{ name: prog, section: 'xdp', insns: asm.insns }], maps: [], license: 'GPL' }), name.replace(/\.s$/, '.o'));
    return { kind: 'program', file, name, object, setup, setupFile };
  }
  if (file.endsWith('.o')) return { kind: 'program', file, name, object: loadObject(read(file), file), prog: opts.prog, setup, setupFile };
  return fail('usage', `cannot tell what '${file}' is: compare takes an XDP object (.o), eBPF assembly (.s), a rule set (.rules) or a topology (.yaml)`);
}

/**
 * A fresh runtime (empty maps plus the setup) for one measurement, in the tier asked for
 * (default compiled); `provenSafe`: the verifier's proven slots of the subject's program.
 */
export function subjectRuntime(s: Subject, opts: { tier?: Tier; provenSafe?: ReadonlySet<number> } = {}): Runtime {
  const proven = opts.provenSafe ? new Map([[findProgram(s.object, s.prog).name, opts.provenSafe]]) : undefined;
  return loadRuntime(s.object, { prog: s.prog, cpus: 1, setup: s.setup, tier: opts.tier, provenSafe: proven });
}
