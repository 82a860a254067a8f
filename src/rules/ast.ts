// The syntax tree of a rules file, as the grammar builds it. Positions are character offsets
// into the file the node came from (`Pos.file`); src/diag `locate` turns them into line:col.

export interface Pos { file: string; offset: number; length: number }

export type Value =
  | { t: 'num'; v: bigint; pos: Pos }
  | { t: 'ip4'; text: string; pos: Pos }
  | { t: 'ip6'; text: string; pos: Pos }
  | { t: 'mac'; text: string; pos: Pos }
  | { t: 'name'; name: string; pos: Pos }
  | { t: 'range'; lo: Value; hi: Value; pos: Pos }
  | { t: 'flags'; names: Value[]; pos: Pos }
  | { t: 'list'; items: Value[]; pos: Pos };

/** A header field as written, e.g. `ip src` -> path 'ip.src'. */
export interface FieldRef { path: string; pos: Pos }

/** `is` is the implicit comparison of `tcp dport 80`: equality, or "all these bits set" for flags. */
export type CmpOp = 'is' | '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Expr =
  | { t: 'and' | 'or'; a: Expr; b: Expr; pos: Pos }
  | { t: 'not'; e: Expr; pos: Pos }
  | { t: 'any'; pos: Pos }
  /** A protocol is present: `tcp`, `vlan`, `ip6`, ... */
  | { t: 'proto'; name: string; pos: Pos }
  /** A boolean field: `ip frag`, `ip6 frag`, `mpls bos`. */
  | { t: 'bool'; field: FieldRef; pos: Pos }
  | { t: 'cmp'; field: FieldRef; op: CmpOp; value: Value; pos: Pos }
  /** Membership in a named set or an inline list. */
  | { t: 'in'; field: FieldRef; set: { name: string; pos: Pos } | Value; negated: boolean; pos: Pos };

export type Action =
  | { t: 'drop' | 'pass' | 'tx'; pos: Pos }
  | { t: 'redirect'; port: Value; pos: Pos }
  | { t: 'count'; name: string; pos: Pos }
  | { t: 'limit'; name: string; pos: Pos }
  | { t: 'set'; field: FieldRef; value: Value; pos: Pos }
  | { t: 'push'; what: 'vlan'; id: Value; pos: Pos }
  | { t: 'push'; what: 'mpls'; label: Value; tc?: Value; ttl?: Value; pos: Pos }
  | { t: 'pop'; what: 'vlan' | 'mpls'; pos: Pos }
  | { t: 'decap'; what: 'vxlan' | 'gre'; pos: Pos };

export type Stmt =
  | { t: 'include'; path: string; pos: Pos }
  | { t: 'const'; name: string; value: Value; pos: Pos }
  | { t: 'set'; name: string; elem: string; prefix: boolean; max?: Value; init?: Value[]; pos: Pos; elemPos: Pos }
  | { t: 'counter'; name: string; shared: boolean; pos: Pos }
  | { t: 'limiter'; name: string; rate: Value; burst: Value; per?: FieldRef; max?: Value; pos: Pos }
  | { t: 'rule'; name: string; match: Expr; actions: Action[]; pos: Pos; namePos: Pos }
  | { t: 'default'; actions: Action[]; pos: Pos };
