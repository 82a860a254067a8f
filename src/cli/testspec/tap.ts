// TAP version 13: one test point per case (`SPEC: CASE`), a comment line per spec, skipped
// cases as `# SKIP`, and a YAML diagnostics block under each failed case.
import { stringify } from 'yaml';
import type { CaseResult, SpecResult } from '../../testspec/index.js';

export function tapReport(specs: readonly SpecResult[]): string {
  const total = specs.reduce((n, s) => n + s.cases.length, 0);
  let s = `TAP version 13\n1..${total}\n`;
  let n = 0;
  for (const spec of specs) {
    s += `# ${spec.file} (${spec.program})\n`;
    for (const c of spec.cases) {
      n++;
      const desc = `${spec.file}: ${c.name}`.replace(/\\/g, '\\\\').replace(/#/g, '\\#').replace(/\n/g, ' ');
      if (c.status === 'pass') s += `ok ${n} - ${desc}\n`;
      else if (c.status === 'skip') s += `ok ${n} - ${desc} # SKIP ${c.reason!.replace(/\n/g, ' ')}\n`;
      else s += `not ok ${n} - ${desc}\n${diagnostics(c)}`;
    }
  }
  return s;
}

function diagnostics(c: CaseResult): string {
  const first = c.failures[0]!;
  const block = {
    message: first.message,
    severity: c.status === 'error' ? 'error' : 'fail',
    at: { file: c.where.file, line: c.where.line, column: c.where.col },
    failures: c.failures.map((f) => ({ check: f.check, message: f.message, line: f.where.line, ...(f.details.length ? { details: f.details } : {}) })),
  };
  const yaml = stringify(block, { lineWidth: 0 }).replace(/\n$/, '');
  return `  ---\n${yaml.split('\n').map((l) => `  ${l}`).join('\n')}\n  ...\n`;
}
