// The assembler: lines -> instructions -> bytes. Two passes: the first parses every line
// (one line at a time, so errors stay local and large files stay fast) and places labels;
// the second resolves label targets. Errors are collected and reported together.
import { XdplabError, locate, type Diagnostic } from '../diag/index.js';
import { encode, make, slotsOf, type Insn } from '../isa/index.js';
import { parseLine } from './parse-line.js';
import { stripListing } from './listing.js';
import { lowerLlvm } from './lower-llvm.js';
import { lowerMnemonic } from './lower-mnemonic.js';
import { targetField, type Pending } from './pending.js';
import { LineAbort, LineCtx } from './values.js';
import type { Token } from './lexer.js';

export interface Assembled {
  insns: Insn[];
  /** Raw bytecode: 8 bytes per slot, little-endian. */
  bytes: Uint8Array;
  /** Label name -> slot index it names. */
  labels: Map<string, number>;
}

/** Stop collecting after this many errors; the rest are usually consequences. */
const MAX_ERRORS = 20;

interface Placed { p: Pending; slot: number; ctx: LineCtx }

/**
 * Assemble source text in LLVM BPF syntax, bpf_conformance syntax, or a mix.
 * Throws XdplabError (kind `asm`, `file:line:col` with a caret) on bad input.
 */
export function assemble(source: string, file = '<input>'): Assembled {
  const errors: Diagnostic[] = [];
  const labels = new Map<string, number>();
  const labelLines = new Map<string, number>();
  const placed: Placed[] = [];
  let slot = 0;
  let firstExit: number | undefined;

  let lineNo = 0;
  for (let start = 0; start <= source.length && errors.length < MAX_ERRORS; lineNo++) {
    let end = source.indexOf('\n', start);
    if (end < 0) end = source.length;
    const text = source.slice(start, end);
    const ctx = new LineCtx(file, source, start);
    const parsed = parseLine(stripListing(text));
    if (!parsed.ok) {
      const e = parsed.error;
      errors.push({ kind: 'asm', message: e.message, where: locate(file, source, start + e.offset, e.length), notes: e.notes });
    } else {
      try {
        for (const tok of parsed.line.labels) defineLabel(ctx, tok, slot, lineNo + 1, labels, labelLines);
        const stmt = parsed.line.stmt;
        if (stmt) {
          const p = stmt.t === 'generic' ? lowerMnemonic(ctx, stmt) : lowerLlvm(ctx, stmt);
          placed.push({ p, slot, ctx });
          if (p.spec.shape === 'exit' && firstExit === undefined) firstExit = slot;
          slot += slotsOf(p);
        }
      } catch (e) {
        if (!(e instanceof LineAbort)) throw e;
        errors.push(e.diag);
      }
    }
    start = end + 1;
  }
  // bpf_conformance: the first `exit` is also the label `exit`, unless a label says otherwise.
  if (firstExit !== undefined && !labels.has('exit')) labels.set('exit', firstExit);

  const insns: Insn[] = [];
  for (const { p, slot: at, ctx } of placed) {
    try {
      const fields = p.label ? { ...p.fields, [p.label.field]: resolve(ctx, p, at, labels) } : p.fields;
      insns.push(make(p.spec, fields, at));
    } catch (e) {
      if (!(e instanceof LineAbort)) throw e;
      if (errors.length < MAX_ERRORS) errors.push(e.diag);
    }
  }
  if (errors.length) {
    errors.sort((a, b) => (a.where?.line ?? 0) - (b.where?.line ?? 0));
    throw new XdplabError(errors);
  }
  return { insns, bytes: encode(insns), labels };
}

function defineLabel(ctx: LineCtx, tok: Token, slot: number, line: number, labels: Map<string, number>, lines: Map<string, number>): void {
  const prev = lines.get(tok.text);
  if (prev !== undefined) ctx.fail(tok, `label '${tok.text}' is already defined on line ${prev}`);
  labels.set(tok.text, slot);
  lines.set(tok.text, line);
}

/** Relative slot count from the instruction after `slot` to the label, range-checked. */
function resolve(ctx: LineCtx, p: Pending, slot: number, labels: Map<string, number>): number {
  const tok = p.label!.tok;
  const target = labels.get(tok.text);
  if (target === undefined) ctx.fail(tok, `label '${tok.text}' is not defined`);
  const rel = target - (slot + 1);
  const bits = targetField(p.spec) === 'off' ? 16 : 32;
  const max = 2 ** (bits - 1) - 1;
  if (rel < -max - 1 || rel > max) {
    ctx.fail(tok, `label '${tok.text}' is ${rel} slots away, too far for a ${bits}-bit jump offset (${-max - 1} to ${max})`, [
      'use gotol (ja32) for a long unconditional jump',
    ]);
  }
  return rel;
}
