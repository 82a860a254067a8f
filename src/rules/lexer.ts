// The token stream for grammar/rules.ne (nearley's lexer interface), over a whole file.
// Hand-written so token kinds are ours and errors can name them in plain words.
// Reserved words come out as `kw` tokens, so a grammar literal such as "src" matches them and
// `%ident` never does: that keeps `ip proto tcp` from having two readings.
import { drain, scanAt, type ScanRules } from '../diag/index.js';

export type TokenType = 'kw' | 'ident' | 'num' | 'ip4' | 'ip6' | 'mac' | 'string' | 'op' | 'error';

export interface Token {
  readonly type: TokenType;
  /** The text as written; nearley matches grammar literals against it. */
  readonly value: string;
  readonly text: string;
  /** Character offset in the file. */
  readonly offset: number;
  readonly line: number;
  readonly col: number;
}

/** Every reserved word of the rule language (statements, fields, protocols, actions). */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'include', 'const', 'define', 'set', 'counter', 'limiter', 'rule', 'default', 'any',
  'and', 'or', 'not', 'in', 'prefix', 'max', 'rate', 'pps', 'burst', 'per', 'percpu', 'shared',
  'eth', 'src', 'dst', 'type', 'vlan', 'inner', 'id', 'pcp', 'dei', 'mpls', 'label', 'tc', 'ttl',
  'ip', 'ip6', 'proto', 'dscp', 'ecn', 'len', 'frag', 'hoplimit', 'nexthdr', 'flowlabel',
  'tcp', 'udp', 'icmp', 'icmp6', 'sport', 'dport', 'flags', 'code', 'vxlan', 'vni', 'gre', 'arp',
  'bos', 'drop', 'pass', 'tx', 'redirect', 'port', 'count', 'limit', 'push', 'pop', 'decap',
]);

// Ordered: the first rule that matches at a position wins. MAC before IPv6 (six two-digit
// groups), IPv6 (two or more colons) before numbers and names, IPv4 before numbers.
const RULES: ScanRules<Exclude<TokenType, 'kw'>> = [
  ['skip', /[ \t\r\n]+|#.*/y],
  ['mac', /[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}(?![\w:])/y],
  ['ip6', /[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}(?:\/\d+)?(?![\w:])/y],
  ['ip4', /\d+\.\d+\.\d+\.\d+(?:\/\d+)?/y],
  ['num', /0[xX][0-9a-fA-F]+|\d+/y],
  ['string', /"[^"\n]*"/y],
  ['ident', /[A-Za-z_][\w]*(?:-[A-Za-z_\d]\w*)*/y],
  ['op', /=>|==|!=|<=|>=|[<>{}(),:=\-|/]/y],
  ['error', /./y],
];

/** A nearley-compatible lexer over a whole rules file. */
export class RulesLexer {
  private text = '';
  private pos = 0;
  private line = 1;
  private lineStart = 0;

  reset(chunk: string): void {
    this.text = chunk;
    this.pos = 0;
    this.line = 1;
    this.lineStart = 0;
  }

  next(): Token | undefined {
    for (let m = scanAt(RULES, this.text, this.pos); m; m = scanAt(RULES, this.text, this.pos)) {
      const start = this.pos, col = start - this.lineStart + 1, line = this.line;
      this.pos += m.text.length;
      if (m.type !== 'skip') {
        const kind: TokenType = m.type === 'ident' && KEYWORDS.has(m.text) ? 'kw' : m.type;
        return { type: kind, value: m.text, text: m.text, offset: start, line, col };
      }
      for (let i = start; i < this.pos; i++) {
        if (this.text.charCodeAt(i) === 10) { this.line++; this.lineStart = i + 1; }
      }
    }
    return undefined;
  }

  save(): Record<string, never> { return {}; }
  formatError(token: Token): string { return `unexpected '${token?.text ?? ''}'`; }
  has(type: string): boolean { return RULES.some(([t]) => t === type) || type === 'kw'; }
}

export const lexer = new RulesLexer();

/** All tokens of a text (for error messages and tests). */
export function tokenize(text: string): Token[] {
  return drain(new RulesLexer(), text);
}
