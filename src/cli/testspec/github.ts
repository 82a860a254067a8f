// GitHub Actions: the pretty report for the log, then one `::error` workflow command per failed
// case, pointing at the case in the spec file, so the failure shows on the pull request's diff.
import type { SpecResult } from '../../testspec/index.js';
import { prettyReport } from './pretty.js';

/** Workflow command data: %, CR and LF are escaped. */
const data = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** Property values also escape : and ,. */
const prop = (s: string): string => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function githubReport(specs: readonly SpecResult[]): string {
  let s = prettyReport(specs);
  for (const spec of specs) {
    for (const c of spec.cases) {
      if (c.status !== 'fail' && c.status !== 'error') continue;
      const w = c.where;
      const message = c.failures.flatMap((f) => [f.message, ...f.details.map((d) => `  ${d}`)]).join('\n');
      s += `::error file=${prop(w.file)},line=${w.line},col=${w.col},title=${prop(`${c.name} (${spec.program})`)}::${data(message)}\n`;
    }
  }
  return s;
}
