// The control plane: table state is immer state and a transaction is one produceWithPatches.
// The result is validated whole (validate.ts) and either adopted or rejected with nothing changed;
// its patches become the programming messages sent to the NIC (named after vr_offload_ops hooks).
import { enablePatches, produceWithPatches, type Draft, type Patch } from 'immer';
import { XdplabError, type Diagnostic, type SourceLocation } from '../../diag/index.js';
import { emptyTables, type TableName, type TablesState } from '../model/types.js';
import { describe, validate } from './validate.js';

enablePatches();

/** One message to the NIC: the hook it calls and the entry it programs. */
export interface ProgrammingMessage {
  op: string;
  table: TableName;
  key: string;
}

export interface CommitResult {
  state: TablesState;
  patches: Patch[];
  inverse: Patch[];
  messages: ProgrammingMessage[];
}

const HOOK: Record<TableName, string> = {
  vifs: 'interface', nhs: 'nexthop', mpls: 'mpls', vxlan: 'vxlan', routes: 'route', bridge: 'route', flows: 'flow',
};

/** Maps an entry to where it was written (a YAML file), for diagnostics. */
export type Locator = (table: TableName, key: string) => SourceLocation | undefined;

export type Listener = (result: CommitResult, previous: TablesState) => void;

export class ControlPlane {
  state: TablesState;
  commits = 0;
  messagesSent = 0;
  private readonly listeners: Listener[] = [];

  constructor(initial: TablesState = emptyTables()) {
    this.state = initial;
  }

  /** Called after every adopted commit, in order (the data plane compiles its indexes here). */
  subscribe(l: Listener): void {
    this.listeners.push(l);
  }

  /** Run `recipe` as one transaction: adopted whole, or rejected whole with an XdplabError (exit 2). */
  commit(recipe: (draft: Draft<TablesState>) => void, locate?: Locator): CommitResult {
    const [next, patches, inverse] = produceWithPatches(this.state, recipe);
    const touched = touchedEntries(patches);
    const issues = validate(next, touched);
    if (issues.length > 0) {
      const diags: Diagnostic[] = issues.map((i) => ({
        kind: 'semantic',
        message: `${i.message}; the transaction was rejected and no table changed`,
        where: locate?.(i.table, i.key),
        condition: i.condition,
        notes: [`entry: ${describe(i.table, i.key)}`],
      }));
      throw new XdplabError(diags, 2);
    }
    const messages: ProgrammingMessage[] = [];
    for (const [table, keys] of touched) {
      for (const key of keys) {
        const gone = (next[table] as Record<string, unknown>)[key] === undefined;
        const op = table === 'flows' ? (gone ? 'flow_del' : 'flow_set') : `${HOOK[table]}_${gone ? 'del' : 'add'}`;
        messages.push({ op, table, key });
      }
    }
    const previous = this.state;
    this.state = next;
    this.commits++;
    this.messagesSent += messages.length;
    const result = { state: next, patches, inverse, messages };
    for (const l of this.listeners) l(result, previous);
    return result;
  }
}

/** Table -> keys of entries that patches add, change or remove. */
export function touchedEntries(patches: Patch[]): Map<TableName, Set<string>> {
  const out = new Map<TableName, Set<string>>();
  const add = (t: TableName, k: string): void => {
    let s = out.get(t);
    if (!s) out.set(t, (s = new Set()));
    s.add(k);
  };
  for (const p of patches) {
    const table = p.path[0] as TableName;
    if (p.path.length >= 2) add(table, String(p.path[1]));
    else if (p.path.length === 1) {
      // The whole table was replaced: every key old or new is touched.
      for (const k of Object.keys((p.value ?? {}) as object)) add(table, k);
    }
  }
  return out;
}

/** A patch as one line: `op path = value`. */
export function formatPatch(p: Patch): string {
  const path = '/' + p.path.map(String).join('/');
  return p.op === 'remove' ? `remove ${path}` : `${p.op} ${path} = ${JSON.stringify(p.value)}`;
}
