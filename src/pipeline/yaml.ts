// A small typed reader over a `yaml` document for topology and traffic files: every error names
// file:line:col of the offending node (with the line and a caret), exit 2 through the CLI.
import { isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';
import { fail, locate, type SourceLocation } from '../diag/index.js';

export type YMap = YAMLMap<unknown, Node>;

export class Yaml {
  constructor(readonly file: string, readonly source: string) {}

  root(): Node | null {
    const doc = parseDocument(this.source, { prettyErrors: false, uniqueKeys: true });
    const err = doc.errors[0];
    if (err) fail('grammar', `YAML syntax error: ${err.message.split('\n')[0]}`, { where: locate(this.file, this.source, err.pos[0], Math.max(1, err.pos[1] - err.pos[0])) });
    return doc.contents as Node | null;
  }

  where(node: Node | null | undefined): SourceLocation | undefined {
    const r = node?.range;
    if (!r) return undefined;
    const eol = this.source.indexOf('\n', r[0]);
    const end = eol < 0 ? r[1] : Math.min(r[1], eol);
    return locate(this.file, this.source, r[0], Math.max(1, end - r[0]));
  }

  error(node: Node | null | undefined, message: string): never {
    return fail('semantic', message, { where: this.where(node) });
  }

  map(node: Node | null | undefined, what: string, allowed?: readonly string[]): YMap {
    if (!isMap(node)) this.error(node, `${what} must be a mapping`);
    const m = node as YMap;
    if (allowed) {
      for (const pair of m.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (!allowed.includes(k)) this.error(pair.key as Node, `unknown field '${k}' in ${what}; expected one of ${allowed.join(', ')}`);
      }
    }
    return m;
  }

  list(node: Node | null | undefined, what: string): Node[] {
    if (node === null || node === undefined) return [];
    if (!isSeq(node)) this.error(node, `${what} must be a list`);
    return node.items as Node[];
  }

  get(m: YMap, key: string): Node | undefined {
    return m.get(key, true) as Node | undefined;
  }

  has(m: YMap, key: string): boolean {
    return m.has(key);
  }

  scalar(m: YMap, key: string, what: string): unknown {
    const n = this.get(m, key);
    if (n === undefined || n === null) return undefined;
    if (!isScalar(n)) this.error(n, `${what}: '${key}' must be a single value`);
    return n.value;
  }

  num(m: YMap, key: string, what: string, def?: number, min = 0, max = Number.MAX_SAFE_INTEGER, integer = false): number {
    const v = this.scalar(m, key, what);
    if (v === undefined || v === null) {
      if (def === undefined) this.error(m as unknown as Node, `${what} needs '${key}'`);
      return def;
    }
    const n = typeof v === 'string' && /^0x[0-9a-f]+$/i.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      this.error(this.get(m, key), `${what}: '${key}' must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got '${String(v)}'`);
    }
    return n;
  }

  int(m: YMap, key: string, what: string, def?: number, min = 0, max = 0x7fffffff): number {
    return this.num(m, key, what, def, min, max, true);
  }

  str(m: YMap, key: string, what: string, def?: string): string {
    const v = this.scalar(m, key, what);
    if (v === undefined || v === null) {
      if (def === undefined) this.error(m as unknown as Node, `${what} needs '${key}'`);
      return def;
    }
    return String(v);
  }

  oneOf<T extends string>(m: YMap, key: string, what: string, options: readonly T[], def?: T): T {
    const v = this.str(m, key, what, def);
    if (!(options as readonly string[]).includes(v)) this.error(this.get(m, key), `${what}: '${key}' must be one of ${options.join(', ')}, got '${v}'`);
    return v as T;
  }
}
