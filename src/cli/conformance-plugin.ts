#!/usr/bin/env node
// xdplab-conformance-plugin: a plugin for the BPF conformance suite's runner.
// Protocol (../shared/conformance/README.md §3): arguments `[MEM] [OPTIONS...] [--elf]`, where
// MEM (hex bytes) is present only when the test has memory and is the first argument when it
// does not start with `--`; the program arrives as hex bytes on stdin (or `--program <hex>`).
// Prints r0 in hex and exits 0; a load failure or a fault prints one message to stdout and
// exits 1. Options: `--tier interp` (the default; the only tier so far), `--engine wasm|js`
// (the interpreter's Wasm core, the default, or its loop alone), `--budget N`,
// `--debug` (accepted), `--program <hex>`. Start-up matters (one process per test), so this
// imports only the VM and the diagnostics, not the CLI.
import { readFileSync } from 'node:fs';
import { XdplabError, renderDiagnostic } from '../diag/index.js';
import { toHex } from '../num/index.js';
import { conformanceInterpreter, runConformance, MAX_BUDGET } from '../vm/index.js';

class UsageError extends Error {}

/** Hex bytes as the runner writes them (`aa  bb  `), or one run of hex digits (`aabb`). */
export function parseHexBytes(text: string, what: string): Uint8Array {
  let toks = text.split(/\s+/).filter(Boolean);
  if (toks.length === 1 && toks[0]!.length > 2) {
    const t = toks[0]!.replace(/^0x/i, '');
    if (t.length % 2 !== 0) throw new UsageError(`${what} has an odd number of hex digits`);
    toks = t.match(/../g) ?? [];
  }
  const out = new Uint8Array(toks.length);
  toks.forEach((t, i) => {
    if (!/^[0-9a-f]{1,2}$/i.test(t)) throw new UsageError(`${what}: '${t}' at byte ${i} is not a hex byte`);
    out[i] = parseInt(t, 16);
  });
  return out;
}

function main(argv: string[]): number {
  const args = argv.filter((a) => a !== '');
  let mem: Uint8Array | null = null;
  let programHex: string | undefined;
  let budget: number | undefined;
  let engine: 'wasm' | 'js' | undefined;
  let i = 0;
  if (args.length > 0 && !args[0]!.startsWith('--')) mem = parseHexBytes(args[i++]!, 'memory');
  for (; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`option ${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--program': programHex = value(); break;
      case '--tier': {
        const t = value();
        if (t !== 'interp') throw new UsageError(`tier '${t}' is not available; this plugin runs --tier interp`);
        break;
      }
      case '--budget': {
        const v = value();
        budget = /^\d+$/.test(v) ? Number(v) : NaN;
        if (!Number.isSafeInteger(budget) || budget < 1 || budget > MAX_BUDGET) throw new UsageError(`--budget wants a positive integer up to ${MAX_BUDGET}, got '${v}'`);
        break;
      }
      case '--engine': {
        const e = value();
        if (e !== 'wasm' && e !== 'js') throw new UsageError(`--engine is wasm (the interpreter's Wasm core, the default) or js (its loop alone), not '${e}'`);
        engine = e;
        break;
      }
      case '--debug': case '--interpret': break;
      case '--elf': throw new UsageError('ELF input (--elf) is not supported yet; run the suite without --elf true');
      case '--help': case '-h':
        process.stdout.write('usage: xdplab-conformance-plugin [MEM] [--program HEX] [--tier interp] [--engine wasm|js] [--budget N] [--debug]\n'
          + 'Reads the program as hex bytes on stdin (unless --program), prints r0 in hex.\n'
          + 'Example: echo "b7 00 00 00 2a 00 00 00 95 00 00 00 00 00 00 00" | xdplab-conformance-plugin\n');
        return 0;
      default: throw new UsageError(`unknown option '${a}'`);
    }
  }
  const text = programHex ?? readFileSync(0, 'utf8');
  const program = parseHexBytes(text, 'program');
  const vm = conformanceInterpreter(program, { ...(budget === undefined ? {} : { budget }), ...(engine === undefined ? {} : { engine }) });
  const r = runConformance(vm, mem);
  process.stdout.write(toHex(r.lo, r.hi) + '\n');
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  // The runner shows stdout as the message, so failures go there.
  if (e instanceof XdplabError) process.stdout.write(e.diagnostics.map(renderDiagnostic).join('\n') + '\n');
  else if (e instanceof UsageError) process.stdout.write(`error: ${e.message}\n`);
  else process.stdout.write(`internal error (please report): ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
}
