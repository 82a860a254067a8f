// Shared by the testspec tests: specs from text (paths relative to test/fixtures/testspec) and
// the error a malformed one gives.
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { XdplabError, renderDiagnostic } from '../../src/diag/index.js';
import { parseSpec, runSpec, type Spec, type SpecResult } from '../../src/testspec/index.js';
import { repoRoot } from '../conformance-data.js';

export const fixtures = join(repoRoot, 'test', 'fixtures', 'testspec');

export function spec(text: string, file = 't.yaml'): Spec {
  return parseSpec(text, file, fixtures);
}

/** The rendered diagnostics of a spec that must not load. */
export function specError(text: string, file = 't.yaml'): string {
  try {
    parseSpec(text, file, fixtures);
  } catch (e) {
    if (e instanceof XdplabError) return e.diagnostics.map(renderDiagnostic).join('\n');
    throw e;
  }
  assert.unreachable('the spec loaded');
  return '';
}

/** Run a spec given as text; one line per case: `pass`, or its failure messages. */
export function outcome(text: string): string[] {
  const r: SpecResult = runSpec(spec(text));
  return r.cases.map((c) => (c.status === 'pass' ? 'pass' : `${c.status}: ${c.failures.map((f) => f.message).join(' | ')}`));
}

export const DROP_UDP = 'program: ../../../programs/xdp/drop_udp.o\n';
