// Shared plumbing for commands: reading inputs, turning errors into exit codes.
import { readFileSync, writeFileSync } from 'node:fs';
import { XdplabError, renderDiagnostic, fail } from '../diag/index.js';
import type { Tier } from '../vm/index.js';

/** Read a file or fail with an `io` diagnostic (exit 2). */
export function readInput(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    return fail('io', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function readText(path: string): string {
  return Buffer.from(readInput(path)).toString('utf8');
}

export function writeOutput(path: string, data: Uint8Array | string): void {
  try {
    writeFileSync(path, data);
  } catch (e) {
    fail('io', `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Parse an integer option or fail with a usage diagnostic naming it. */
/** `--tier`: interp or compiled (undefined when not given: the caller's default). */
export function tierOption(t: string | undefined): Tier | undefined {
  if (t !== undefined && t !== 'interp' && t !== 'compiled') fail('usage', `--tier is interp or compiled, not '${t}'`);
  return t;
}

/** The option text of `--tier`, the same in every command that runs programs. */
export const TIER_HELP = 'execution tier: compiled (JavaScript per program after verification, the default) or interp (the reference interpreter)';

export function intOption(name: string, value: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const n = /^(0x[0-9a-f]+|\d+)$/i.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    fail('usage', `option ${name} wants an integer from ${min} to ${max}, got '${value}'`);
  }
  return n;
}

/**
 * Wrap a command action: XdplabError prints its diagnostics and exits with its code
 * (2 = bad input, 1 = check failed); anything else is a bug and is reported as such.
 */
export function action<A extends unknown[]>(fn: (...args: A) => void | number | Promise<void | number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const code = await fn(...args);
      if (typeof code === 'number') process.exitCode = code;
    } catch (e) {
      if (e instanceof XdplabError) {
        for (const d of e.diagnostics) process.stderr.write(renderDiagnostic(d) + '\n');
        process.exitCode = e.exitCode;
      } else {
        process.stderr.write(`internal error (please report): ${(e as Error).stack ?? String(e)}\n`);
        process.exitCode = 70;
      }
    }
  };
}
