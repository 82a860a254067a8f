// Diagnostics are data: where, one plain sentence, the exact failed condition.
// Every user-facing error in xdplab is a Diagnostic; the CLI renders it and exits 2
// (bad input) or 1 (a check failed).

/** The registry of diagnostic kinds. Tests assert on kind and text. */
export type DiagKind =
  | 'usage' // bad command-line usage
  | 'io' // a file cannot be read or written
  | 'bytecode' // malformed raw bytecode
  | 'asm' // assembler syntax or operand error
  | 'elf' // malformed or unsupported object file
  | 'packet' // malformed packet input
  | 'grammar' // rule-language or packet-notation parse error
  | 'semantic' // well-formed but meaningless input (unknown map, field, counter, ...)
  | 'fault' // runtime memory fault or bad helper call in the VM
  | 'limit' // instruction budget, call depth, complexity limit
  | 'verifier' // the verifier rejected a program
  | 'conformance'; // a conformance test file is malformed

export interface SourceLocation {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
  /** The text of the source line, for the caret display. */
  text?: string;
  /** How many characters the caret underlines (default 1). */
  length?: number;
}

export interface Diagnostic {
  kind: DiagKind;
  /** One plain sentence. */
  message: string;
  /** Source position, when the input was text. */
  where?: SourceLocation;
  /** Instruction index, when the input was a program. */
  pc?: number;
  /** The exact failed condition, e.g. `off + size <= 512`. */
  condition?: string;
  /** Extra lines (expected tokens, register state, ...). */
  notes?: string[];
}

/** An error carrying diagnostics; thrown by every floor on bad input. */
export class XdplabError extends Error {
  readonly diagnostics: Diagnostic[];
  /** Process exit code the CLI should use: 2 = bad input, 1 = a check failed. */
  readonly exitCode: 1 | 2;
  constructor(diag: Diagnostic | Diagnostic[], exitCode: 1 | 2 = 2) {
    const list = Array.isArray(diag) ? diag : [diag];
    super(list.map((d) => renderDiagnostic(d)).join('\n'));
    this.name = 'XdplabError';
    this.diagnostics = list;
    this.exitCode = exitCode;
  }
}

/** Shorthand to throw a single diagnostic. */
export function fail(kind: DiagKind, message: string, extra: Partial<Diagnostic> = {}): never {
  throw new XdplabError({ kind, message, ...extra });
}

/** Human-readable text: `file:line:col: error: sentence`, the line, a caret, notes. */
export function renderDiagnostic(d: Diagnostic): string {
  const out: string[] = [];
  const prefix = d.where
    ? `${d.where.file}:${d.where.line}:${d.where.col}: `
    : d.pc !== undefined ? `insn ${d.pc}: ` : '';
  out.push(`${prefix}error: ${d.message}`);
  if (d.where?.text !== undefined) {
    const text = d.where.text.replace(/\t/g, ' ');
    out.push(`  ${text}`);
    const len = Math.max(1, d.where.length ?? 1);
    out.push(`  ${' '.repeat(Math.max(0, d.where.col - 1))}${'^'.repeat(len)}`);
  }
  if (d.condition) out.push(`  failed condition: ${d.condition}`);
  for (const n of d.notes ?? []) out.push(`  ${n}`);
  return out.join('\n');
}

/** Find line and column (1-based) of a character offset in a text. */
export function locate(file: string, source: string, offset: number, length = 1): SourceLocation {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) { line++; start = i + 1; }
  }
  let end = source.indexOf('\n', start);
  if (end < 0) end = source.length;
  const text = source.slice(start, end).replace(/\r$/, '');
  return { file, line, col: offset - start + 1, text, length };
}
