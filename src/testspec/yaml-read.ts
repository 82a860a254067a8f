// Reading a YAML spec with positions: every value the loader takes is checked here, and every
// error names the spec file, line and column (with a caret) of the node that is wrong.
import { isMap, isScalar, isSeq, parseDocument, Scalar, type Node, type Pair, type YAMLMap } from 'yaml';
import { fail, locate, XdplabError, type Diagnostic, type SourceLocation } from '../diag/index.js';

export class SpecSource {
  constructor(readonly file: string, readonly text: string) {}

  /** Parse the document; a YAML syntax error is a `grammar` diagnostic at its position. */
  parse(): Node | null {
    const doc = parseDocument(this.text, { intAsBigInt: true, uniqueKeys: true, prettyErrors: false });
    const errs = doc.errors.map((e): Diagnostic => ({
      kind: 'grammar',
      message: `bad YAML: ${e.message.replace(/ at line \d+, column \d+[\s\S]*$/, '').replace(/\n[\s\S]*$/, '')}`,
      where: locate(this.file, this.text, e.pos[0], Math.max(1, e.pos[1] - e.pos[0])),
    }));
    if (errs.length) throw new XdplabError(errs);
    return doc.contents as Node | null;
  }

  where(node: Node | Pair | undefined | null, length?: number): SourceLocation {
    const n = node && 'range' in node ? node : (node as Pair | undefined)?.key as Node | undefined;
    const r = n?.range;
    if (!r) return locate(this.file, this.text, 0);
    const len = length ?? Math.max(1, Math.min(r[1], this.lineEnd(r[0])) - r[0]);
    return locate(this.file, this.text, r[0], len);
  }

  fail(node: Node | null | undefined, message: string, notes?: string[]): never {
    return fail('semantic', message, { where: this.where(node), notes });
  }

  private lineText(line: number): string {
    return (this.text.split('\n')[line - 1] ?? '').replace(/\r$/, '');
  }

  private lineEnd(offset: number): number {
    const e = this.text.indexOf('\n', offset);
    return e < 0 ? this.text.length : e;
  }

  /**
   * The spec text blanked out except for the content of some scalars, so a parser that takes
   * (text, file) reports positions in the spec itself. Block scalars keep their lines (with
   * indentation, which the line formats treat as white space); quoted scalars lose their quotes.
   * Returns undefined when the source does not spell a value plainly (escapes in quotes).
   */
  shadow(nodes: readonly Scalar[]): string | undefined {
    const keep: [number, number][] = [];
    for (const node of nodes) {
      const r = node.range!;
      let from = r[0];
      let to = r[1];
      if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
        from = this.lineEnd(from) + 1;
      } else if (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) {
        from++; to--;
        if (this.text.slice(from, to) !== String(node.value)) return undefined;
      }
      keep.push([from, Math.max(from, to)]);
    }
    let out = '';
    let pos = 0;
    for (const [from, to] of keep) {
      out += this.text.slice(pos, from).replace(/[^\n]/g, ' ') + this.text.slice(from, to);
      pos = to;
    }
    return out + this.text.slice(pos).replace(/[^\n]/g, ' ');
  }

  /**
   * Run a text parser on scalars (several: one after the other, as lines) so its errors point
   * into the spec: positions come from the shadow text, the displayed line from the spec.
   */
  parseScalars<T>(nodes: readonly Scalar[], parse: (text: string, file: string) => T): T {
    const shadow = this.shadow(nodes);
    try {
      if (shadow === undefined) return parse(nodes.map((n) => String(n.value)).join('\n'), this.file);
      const result = parse(shadow, this.file);
      // Locations kept in the result (setup entries keep theirs for later errors) show the spec's line.
      for (const item of Array.isArray(result) ? result : [result]) {
        if (typeof item !== 'object' || item === null) continue;
        for (const v of Object.values(item as Record<string, unknown>)) {
          const w = v as SourceLocation | undefined;
          if (w && typeof w === 'object' && w.file === this.file && typeof w.line === 'number' && typeof w.text === 'string') w.text = this.lineText(w.line);
        }
      }
      return result;
    } catch (e) {
      if (!(e instanceof XdplabError)) throw e;
      throw new XdplabError(e.diagnostics.map((d): Diagnostic => {
        if (shadow === undefined || d.where?.file !== this.file) return { ...d, where: this.where(nodes[0]) };
        return { ...d, where: { ...d.where, text: this.lineText(d.where.line) } };
      }), e.exitCode);
    }
  }
}

/** The pairs of a mapping, refusing keys not in `allowed` (with a suggestion). */
export function mapping(src: SpecSource, node: Node | null | undefined, what: string, allowed: readonly string[]): Map<string, { key: Node; value: Node | null }> {
  if (!isMap(node)) src.fail(node, `${what} must be a mapping (key: value lines)`);
  const out = new Map<string, { key: Node; value: Node | null }>();
  for (const p of (node as YAMLMap).items) {
    const key = p.key as Node;
    const name = isScalar(key) ? String(key.value) : undefined;
    if (name === undefined) src.fail(key, `${what} has a key that is not a plain name`);
    if (!allowed.includes(name)) {
      const near = nearest(name, allowed);
      src.fail(key, `unknown key '${name}' in ${what}${near ? `; did you mean '${near}'?` : ''}`, [`${what} keys: ${allowed.join(', ')}`]);
    }
    out.set(name, { key, value: (p.value ?? null) as Node | null });
  }
  return out;
}

/** Keys of a mapping whose names are data (map names, field paths), in order. */
export function entries(src: SpecSource, node: Node | null | undefined, what: string): { name: string; key: Node; value: Node | null }[] {
  if (!isMap(node)) src.fail(node, `${what} must be a mapping (key: value lines)`);
  return (node as YAMLMap).items.map((p) => {
    const key = p.key as Node;
    if (!isScalar(key)) src.fail(key, `${what} has a key that is not a plain name`);
    return { name: String((key as Scalar).value), key, value: (p.value ?? null) as Node | null };
  });
}

export function scalarText(src: SpecSource, node: Node | null, what: string): string {
  if (!isScalar(node) || node.value === null || typeof node.value === 'object') src.fail(node, `${what} must be text`);
  return String((node as Scalar).value);
}

/** A scalar as written (plain scalars keep their spelling: `0011` stays `0011`, not 11). */
export function rawText(src: SpecSource, node: Node | null, what: string): string {
  if (isScalar(node) && node.type === Scalar.PLAIN && typeof node.source === 'string') return node.source;
  return scalarText(src, node, what);
}

export function scalarString(src: SpecSource, node: Node | null, what: string): Scalar {
  if (!isScalar(node) || typeof node.value !== 'string') src.fail(node, `${what} must be text`);
  return node as Scalar;
}

export function integer(src: SpecSource, node: Node | null, what: string, min: number, max: number): number {
  const v = isScalar(node) ? node.value : undefined;
  const n = typeof v === 'bigint' ? v : typeof v === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(v) ? BigInt(v) : undefined;
  if (n === undefined || n < BigInt(min) || n > BigInt(max)) src.fail(node, `${what} must be an integer from ${min} to ${max}`);
  return Number(n);
}

/** A scalar or a sequence of scalars, as a list. */
export function oneOrMany(node: Node | null): Node[] {
  return isSeq(node) ? (node.items as Node[]) : [node as Node];
}

function nearest(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const o of options) {
    const d = distance(word, o);
    if (d < bestD) { bestD = d; best = o; }
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length]!;
}
