// `xdplab test` plumbing: spec arguments (files, directories, globs) and the reporters.
import { hostname } from 'node:os';
import { fail } from '../../diag/index.js';
import type { SpecResult } from '../../testspec/index.js';
import { githubReport } from './github.js';
import { junitReport } from './junit.js';
import { prettyReport } from './pretty.js';
import { tapReport } from './tap.js';

export { expandSpecArgs, globToRegExp } from './glob.js';
export { prettyReport, tapReport, junitReport, githubReport };
export { summaryLine, countAll, type Counts } from './summary.js';

export const REPORTERS = ['pretty', 'tap', 'junit', 'github'] as const;
export type ReporterName = (typeof REPORTERS)[number];

export function reporterName(name: string): ReporterName {
  if (!(REPORTERS as readonly string[]).includes(name)) fail('usage', `unknown reporter '${name}'; available: ${REPORTERS.join(', ')}`);
  return name as ReporterName;
}

export function report(name: ReporterName, specs: readonly SpecResult[], now = new Date()): string {
  switch (name) {
    case 'pretty': return prettyReport(specs);
    case 'tap': return tapReport(specs);
    case 'junit': return junitReport(specs, { now, hostname: hostname() });
    case 'github': return githubReport(specs);
  }
}
