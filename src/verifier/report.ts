// A verdict as people read it (text) and as machines read it (JSON data). The analysis
// returns values; this turns a rejection into: the headline, the source line, the
// instruction, the register state, the branch decisions that lead there, a counterexample
// and the kernel's own words.
import { formatInsn, jumpTarget, type Insn } from '../isa/index.js';
import type { SourceLine, VerifierError, VerifierInput, VerifyResult } from './types.js';

const base = (f: string): string => f.split('/').pop() ?? f;

/** `drop.c:12  if (ip->protocol == 17)` */
export function formatSource(s: SourceLine): string {
  return `${base(s.file)}:${s.line}  ${s.text.trim()}`;
}

function insnAt(input: VerifierInput, slot: number): Insn | undefined {
  return input.insns.find((i) => i.slot === slot);
}

/** `5: r0 = *(u16 *)(r2 + 13)` */
export function insnText(input: VerifierInput, slot: number): string {
  const i = insnAt(input, slot);
  return i ? `${slot}: ${formatInsn(i)}` : `${slot}: ?`;
}

/** Wrap `items` into lines of at most `width` characters, each starting with `indent`. */
function wrap(items: string[], indent: string, width = 100): string[] {
  const out: string[] = [];
  let line = '';
  for (const it of items) {
    if (line && line.length + 1 + it.length + indent.length > width) { out.push(indent + line); line = it; } else line = line ? `${line} ${it}` : it;
  }
  if (line) out.push(indent + line);
  return out;
}

export interface PathLine { pc: number; taken: boolean; times: number; insn: string; source?: string; target?: number }

/** Branch decisions with repeats folded (a loop's `if` taken 40 times is one line). */
export function foldPath(input: VerifierInput, e: VerifierError): PathLine[] {
  const out: PathLine[] = [];
  for (const d of e.path) {
    const last = out[out.length - 1];
    if (last && last.pc === d.pc && last.taken === d.taken) { last.times++; continue; }
    const i = insnAt(input, d.pc);
    const src = input.lineInfo?.(d.pc);
    out.push({
      pc: d.pc, taken: d.taken, times: 1, insn: i ? formatInsn(i) : '?',
      ...(src ? { source: formatSource(src) } : {}), ...(i ? { target: jumpTarget(i) } : {}),
    });
  }
  return out;
}

const MAX_PATH_LINES = 12;

function pathLines(input: VerifierInput, e: VerifierError): string[] {
  const folded = foldPath(input, e);
  if (folded.length === 0) return ['  path: straight from the entry (no branch decides anything on the way)'];
  const out = [`  path from the entry (${e.path.length} branch decision${e.path.length === 1 ? '' : 's'}):`];
  const show = folded.length > MAX_PATH_LINES ? [...folded.slice(0, 3), undefined, ...folded.slice(-(MAX_PATH_LINES - 4))] : folded;
  for (const p of show) {
    if (!p) { out.push(`    ... ${folded.length - MAX_PATH_LINES + 1} more`); continue; }
    const what = p.taken ? `taken -> ${p.target}` : 'not taken';
    const times = p.times > 1 ? ` (x${p.times})` : '';
    const line = `    ${`${p.pc}: ${p.insn}`.padEnd(30)} ${(what + times).padEnd(18)}`;
    out.push(p.source ? `${line} ${p.source}` : line.trimEnd());
  }
  return out;
}

export interface TextOptions {
  /** 0: verdict and explanation; 1: plus the failing path's log; 2: plus the full log. */
  logLevel?: number;
}

/** The explanation of one rejection, indented under the program's verdict line. */
export function explainError(input: VerifierInput, e: VerifierError): string[] {
  const out: string[] = [];
  out.push(`  ${e.pc >= 0 ? `insn ${e.pc}: ` : ''}${e.headline}`);
  if (e.source) out.push(`    ${formatSource(e.source)}`);
  if (e.pc >= 0) out.push(`    ${insnText(input, e.pc)}`);
  if (e.counterexample) out.push(`  counterexample: ${e.counterexample}`);
  if (e.registers.length) out.push(...wrap(e.registers, '    ').map((l, k) => (k === 0 ? `  registers:\n${l}` : l)));
  if (e.pc >= 0 && (e.registers.length > 0 || e.path.length > 0)) out.push(...pathLines(input, e));
  e.kernelMessage.split('\n').forEach((l, k) => out.push(`  ${k === 0 ? 'kernel:' : '       '} ${l}`));
  return out;
}

/** The log lines to show at a level: the failing path's block (1) or everything (2). */
export function logLines(r: VerifyResult, level: number): string[] {
  const log = r.log ?? [];
  if (level >= 2 || r.ok) return level >= 1 ? (level >= 2 ? log : log.filter((l) => /^(processed|stack depth)/.test(l))) : [];
  let start = 0;
  for (let k = log.length - 1; k >= 0; k--) if (/^from \d+ to \d+:/.test(log[k]!)) { start = k; break; }
  return log.slice(start);
}

/** JSON shape of one error (stable keys; the CLI prints these). */
export function errorJson(input: VerifierInput, e: VerifierError): Record<string, unknown> {
  return {
    pc: e.pc, headline: e.headline, kernel_message: e.kernelMessage,
    insn: e.pc >= 0 ? insnText(input, e.pc) : null,
    source: e.source ? { file: e.source.file, line: e.source.line, col: e.source.col, text: e.source.text.trim() } : null,
    registers: e.registers,
    path: foldPath(input, e).map((p) => ({ pc: p.pc, taken: p.taken, times: p.times, insn: p.insn, source: p.source ?? null })),
    counterexample: e.counterexample ?? null,
  };
}
