// Running a loaded spec: one runtime per case (state: reset) or one for the whole spec (carry),
// each case's packets run in order, then its expectations checked. A fault or limit while the
// program runs is the case's error (the program misbehaved); a bad spec never gets here.
import { performance } from 'node:perf_hooks';
import { XdplabError } from '../diag/index.js';
import { loadRuntime, type Runtime, type RuntimeOptions, type TestRunResult } from '../vm/runtime/index.js';
import { verifiedSlots } from '../verifier/index.js';
import { checkCase } from './check.js';
import type { Case, CaseResult, Spec, SpecResult } from './types.js';

export type Tier = 'interp' | 'compiled';

export interface RunOptions {
  tier?: Tier;
  /** Called after each case (progress output). */
  onCase?: (spec: Spec, result: CaseResult) => void;
}

export function runSpec(spec: Spec, opts: RunOptions = {}): SpecResult {
  const t0 = performance.now();
  const tier = opts.tier ?? 'compiled';
  // The compiled tier runs a program the verifier accepts without the checks it proved, as
  // `xdplab run` does; one it rejects runs with every check on (`xdplab verify` says why).
  const provenSafe = tier === 'compiled' ? proven(spec) : undefined;
  const open = (prog = spec.prog): Runtime => loadRuntime(spec.object, {
    prog, cpus: spec.cpus, seed: spec.seed, fib: spec.fib, setup: spec.setup, provenSafe,
    // The runtime names the tiers it has; an unknown one is a usage error (exit 2).
    tier: tier as RuntimeOptions['tier'],
  });
  let shared: Runtime | undefined;
  const cases: CaseResult[] = [];
  for (const c of spec.cases) {
    let result: CaseResult;
    if (c.skip !== undefined) {
      result = { name: c.name, where: c.where, status: 'skip', failures: [], reason: c.skip, ms: 0 };
    } else {
      const rt = spec.state === 'carry' ? (shared ??= open()) : open(c.prog ?? spec.prog);
      result = runCase(rt, c);
    }
    cases.push(result);
    opts.onCase?.(spec, result);
  }
  return { file: spec.file, program: spec.program, cases, ms: performance.now() - t0 };
}

function proven(spec: Spec): ReadonlyMap<string, ReadonlySet<number>> | undefined {
  try {
    return verifiedSlots(spec.object);
  } catch (e) {
    if (e instanceof XdplabError) return undefined;
    throw e;
  }
}

function runCase(rt: Runtime, c: Case): CaseResult {
  const t0 = performance.now();
  const done = (r: Omit<CaseResult, 'name' | 'where' | 'ms'>): CaseResult => ({ name: c.name, where: c.where, ms: performance.now() - t0, ...r });
  if (c.setup.length) rt.setup(c.setup);
  const runs: TestRunResult[] = [];
  try {
    for (const p of c.inputs) runs.push(rt.testRun(p, { repeat: c.repeat, cpu: c.cpu, ctxIn: c.ctxIn }));
  } catch (e) {
    if (!(e instanceof XdplabError)) throw e;
    const d = e.diagnostics[0]!;
    const which = c.inputs.length > 1 ? ` on packet ${runs.length + 1}` : '';
    return done({
      status: 'error',
      failures: [{ check: 'error', message: `the program stopped${which}: ${d.message}`, details: [...(d.pc !== undefined ? [`at insn ${d.pc}`] : []), ...(d.condition ? [`failed condition: ${d.condition}`] : []), ...(d.notes ?? [])], where: c.where }],
    });
  }
  const failures = checkCase(c, runs, (name) => rt.map(name));
  return done({ status: failures.length ? 'fail' : 'pass', failures });
}
