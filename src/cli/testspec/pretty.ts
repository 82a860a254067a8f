// The default reporter: per spec, per case ✓ / ✗ / - (skipped), the failures with their
// field-level details and where the expectation is written, then one summary line. No timings,
// so the output is the same on every run.
import type { SpecResult } from '../../testspec/index.js';
import { at, summaryLine } from './summary.js';

export function prettyReport(specs: readonly SpecResult[]): string {
  let s = '';
  for (const spec of specs) {
    s += `${spec.file} (${spec.program})\n`;
    for (const c of spec.cases) {
      if (c.status === 'pass') { s += `  ✓ ${c.name}\n`; continue; }
      if (c.status === 'skip') { s += `  - ${c.name} (skipped: ${c.reason})\n`; continue; }
      s += `  ✗ ${c.name}${c.status === 'error' ? ' (error)' : ''}\n`;
      for (const f of c.failures) {
        s += `      ${f.message}\n`;
        for (const d of f.details) s += `        ${d}\n`;
        s += `      at ${at(f.where)}\n`;
      }
    }
  }
  return `${s}\n${summaryLine(specs)}\n`;
}
