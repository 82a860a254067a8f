// The checked rule set: names resolved, values typed and in range. The evaluator, the code
// generator, the table compiler and the shadowing analysis all work on this, never on syntax.
import type { Pos } from './ast.js';
import type { Proto } from './fields.js';

export type Cond =
  | { t: 'true' }
  | { t: 'false' }
  | { t: 'and' | 'or'; list: Cond[] }
  | { t: 'not'; c: Cond }
  /** A header is present. */
  | { t: 'has'; proto: Proto }
  /** lo <= field <= hi (unsigned; addresses as integers, prefixes as ranges). */
  | { t: 'range'; field: string; lo: bigint; hi: bigint }
  /** (field & mask) == value. */
  | { t: 'mask'; field: string; mask: bigint; value: bigint }
  /** Membership in a map-backed set. */
  | { t: 'inset'; field: string; set: string };

export type Terminal =
  | { t: 'drop' | 'pass' | 'tx' }
  | { t: 'redirect'; port: number };

export type Act =
  | Terminal
  | { t: 'count'; counter: string }
  | { t: 'limit'; limiter: string }
  | { t: 'set'; field: string; value: bigint }
  | { t: 'push-vlan'; id: number }
  | { t: 'pop-vlan' }
  | { t: 'push-mpls'; label: number; tc: number; ttl: number }
  | { t: 'pop-mpls' }
  | { t: 'decap-vxlan' }
  | { t: 'decap-gre' };

export interface SetDecl {
  name: string;
  elem: string;
  prefix: boolean;
  /** Key bits of one element (32 for ipv4, 16 for port, ...). */
  bits: number;
  /** Key bytes in the map (network byte order; LPM keys add a 4-byte prefix length). */
  bytes: number;
  max: number;
  /** Elements given in the file; the compiler writes them as a setup file. */
  init: { value: bigint; plen: number }[];
  pos: Pos;
}

export interface CounterDecl { name: string; shared: boolean; pos: Pos }

export interface LimiterDecl {
  name: string;
  rate: number;
  burst: number;
  /** GCRA emission interval T = 1e9 / rate (ns) and tolerance tau = T * (burst - 1). */
  intervalNs: bigint;
  tauNs: bigint;
  /** Per-key buckets (an LRU hash keyed by this field); one shared bucket otherwise. */
  per?: string;
  max: number;
  pos: Pos;
}

export interface Rule {
  name: string;
  cond: Cond;
  actions: Act[];
  /** The last action when it ends the program; a rule without one falls through. */
  terminal?: Terminal;
  pos: Pos;
}

export interface Ruleset {
  sets: SetDecl[];
  counters: CounterDecl[];
  limiters: LimiterDecl[];
  rules: Rule[];
  /** The default rule (always ends with a terminal). */
  fallback: Rule;
  /** Source text by file name, for diagnostics. */
  sources: Map<string, string>;
}

export const TERMINALS = new Set(['drop', 'pass', 'tx', 'redirect']);
export const isTerminal = (a: Act): a is Terminal => TERMINALS.has(a.t);
/** Actions that change the packet's bytes or length. */
export const MODIFIES = new Set(['set', 'push-vlan', 'pop-vlan', 'push-mpls', 'pop-mpls', 'decap-vxlan', 'decap-gre']);
export const STRUCTURAL = new Set(['push-vlan', 'pop-vlan', 'push-mpls', 'pop-mpls', 'decap-vxlan', 'decap-gre']);
