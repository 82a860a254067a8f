// Test specs: YAML files that say what a program must do to packets (verdict, output packet,
// redirect, maps, trace) and the runner that checks it. `xdplab test` reports the results.
//   const spec = loadSpec('programs/specs/xdp/drop_udp.yaml');   // XdplabError (exit 2) when malformed
//   const result = runSpec(spec, { tier: 'compiled' });           // cases: pass | fail | error | skip
export { loadSpec, parseSpec } from './load.js';
export { runSpec, type RunOptions, type Tier } from './run.js';
export { verdictName } from './values.js';
export type { Spec, Case, Expectations, Failure, CaseResult, CaseStatus, SpecResult, Located } from './types.js';
