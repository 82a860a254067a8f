// A small typed reader over a `yaml` document that keeps source positions, so every error names
// file:line:col of the offending field.
import { isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';
import { fail, locate, type SourceLocation } from '../../diag/index.js';

export class YamlReader {
  constructor(readonly file: string, readonly source: string) {}

  /** Parse the document; syntax errors become a diagnostic at their position. */
  root(): Node | null {
    const doc = parseDocument(this.source, { prettyErrors: false });
    const err = doc.errors[0];
    if (err) fail('grammar', `YAML syntax error: ${err.message.split('\n')[0]}`, { where: locate(this.file, this.source, err.pos[0], Math.max(1, err.pos[1] - err.pos[0])) });
    return doc.contents as Node | null;
  }

  where(node: Node | null | undefined): SourceLocation | undefined {
    const r = node?.range;
    return r ? locate(this.file, this.source, r[0], Math.max(1, Math.min(r[1], this.source.indexOf('\n', r[0]) < 0 ? r[1] : this.source.indexOf('\n', r[0])) - r[0])) : undefined;
  }

  error(node: Node | null | undefined, message: string): never {
    return fail('semantic', message, { where: this.where(node) });
  }

  map(node: Node | null | undefined, what: string): YAMLMap<unknown, Node> {
    if (!isMap(node)) this.error(node, `${what} must be a mapping`);
    return node as YAMLMap<unknown, Node>;
  }

  list(node: Node | null | undefined, what: string): Node[] {
    if (node === null || node === undefined) return [];
    if (!isSeq(node)) this.error(node, `${what} must be a list`);
    return node.items as Node[];
  }

  /** Refuse keys not in `allowed` (catches typos such as `nexthop:` for `nh:`). */
  keys(m: YAMLMap<unknown, Node>, allowed: readonly string[], what: string): void {
    for (const pair of m.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (!allowed.includes(k)) this.error(pair.key as Node, `unknown field '${k}' in ${what}; expected one of ${allowed.join(', ')}`);
    }
  }

  get(m: YAMLMap<unknown, Node>, key: string): Node | undefined {
    return m.get(key, true) as Node | undefined;
  }

  scalar(m: YAMLMap<unknown, Node>, key: string, what: string): unknown {
    const n = this.get(m, key);
    if (n === undefined) return undefined;
    if (!isScalar(n)) this.error(n, `${what}: '${key}' must be a single value`);
    return n.value;
  }

  int(m: YAMLMap<unknown, Node>, key: string, what: string, def?: number, min = -1, max = 0xffffffff): number {
    const v = this.scalar(m, key, what);
    if (v === undefined || v === null) {
      if (def === undefined) this.error(m as unknown as Node, `${what} needs '${key}'`);
      return def;
    }
    const n = typeof v === 'string' && /^0x[0-9a-f]+$/i.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      this.error(this.get(m, key), `${what}: '${key}' must be an integer from ${min} to ${max}, got '${String(v)}'`);
    }
    return n;
  }

  str(m: YAMLMap<unknown, Node>, key: string, what: string, def?: string): string {
    const v = this.scalar(m, key, what);
    if (v === undefined || v === null) {
      if (def === undefined) this.error(m as unknown as Node, `${what} needs '${key}'`);
      return def;
    }
    return String(v);
  }

  bool(m: YAMLMap<unknown, Node>, key: string, what: string): boolean {
    const v = this.scalar(m, key, what);
    if (v === undefined) return false;
    if (typeof v !== 'boolean') this.error(this.get(m, key), `${what}: '${key}' must be true or false`);
    return v;
  }

  /** A list of words (`[policy, l3]`) or one word. */
  words(m: YAMLMap<unknown, Node>, key: string, what: string): Array<{ word: string; node: Node }> {
    const n = this.get(m, key);
    if (n === undefined) return [];
    if (isScalar(n)) return [{ word: String(n.value), node: n }];
    return this.list(n, `${what}: '${key}'`).map((x) => {
      if (!isScalar(x)) this.error(x, `${what}: '${key}' must list words`);
      return { word: String(x.value), node: x };
    });
  }
}
