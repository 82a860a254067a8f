// Programs run after verification, as the kernel runs them only after its verifier said yes:
// a rejected program is refused with the verifier's explanation (exit 1), and an accepted one
// runs in the compiled tier without the bounds checks the verifier proved. Used wherever
// programs run: `xdplab run`, bench, the pipeline and compare.
import { XdplabError } from '../diag/index.js';
import type { BpfObject } from '../elf/index.js';
import { explainError } from './report.js';
import { inputFromProgram, verify } from './verify.js';

/**
 * Verify the XDP programs of an object that `prog` selects (all when undefined) and return
 * their proven-safe slots by program name. Throws (exit 1) when one is rejected; `escape`, if
 * given, is the last note (how to run it anyway, where the command has a way).
 */
export function verifiedSlots(obj: BpfObject, prog?: string, escape?: string): Map<string, ReadonlySet<number>> {
  const out = new Map<string, ReadonlySet<number>>();
  for (const p of obj.programs) {
    if (p.type !== 'xdp') continue;
    const input = inputFromProgram(obj, p);
    const r = verify(input);
    if (!r.ok) {
      // Only the program the user runs must pass; others of the object are tail-call targets
      // the kernel would also have refused to load, so they count too.
      const e = r.errors[0]!;
      throw new XdplabError({
        kind: 'verifier',
        message: `${obj.file}: the verifier rejects program ${p.name}${prog && prog !== p.name ? ` (loaded with ${prog})` : ''}; the kernel would not load it`,
        pc: e.pc >= 0 ? e.pc : undefined,
        notes: [...explainError(input, e).map((l) => l.trimStart()), ...(escape ? [escape] : [])],
      }, 1);
    }
    out.set(p.name, r.provenSafe);
  }
  return out;
}
