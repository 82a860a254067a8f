// Counts over a test run, shared by the reporters.
import type { CaseResult, SpecResult } from '../../testspec/index.js';

export interface Counts { cases: number; passed: number; failed: number; errors: number; skipped: number }

export function count(cases: readonly CaseResult[]): Counts {
  const c: Counts = { cases: cases.length, passed: 0, failed: 0, errors: 0, skipped: 0 };
  for (const r of cases) {
    if (r.status === 'pass') c.passed++;
    else if (r.status === 'fail') c.failed++;
    else if (r.status === 'error') c.errors++;
    else c.skipped++;
  }
  return c;
}

export function countAll(specs: readonly SpecResult[]): Counts {
  return count(specs.flatMap((s) => s.cases));
}

/** `3 specs, 12 cases: 10 passed, 2 failed, 1 skipped` (errors count as failed). */
export function summaryLine(specs: readonly SpecResult[]): string {
  const c = countAll(specs);
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(specs.length, 'spec')}, ${plural(c.cases, 'case')}: ${c.passed} passed, ${c.failed + c.errors} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`;
}

export const at = (w: { file: string; line: number; col: number }): string => `${w.file}:${w.line}:${w.col}`;
