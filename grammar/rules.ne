# The xdplab rule language: named rules evaluated in order, then a default action.
#   const DNS = 53
#   set blocked4 : ipv4 prefix (max 1024)
#   counter dropped
#   rule no_blocked: ip src in blocked4 => count dropped, drop
#   default pass
# Newlines are whitespace: every statement starts with a keyword and actions are separated by
# commas, so a statement ends where the next keyword begins. Names (constants, sets, counters,
# named values such as `echo-request` or `ef`) are resolved by src/rules/check.ts, which also
# owns every semantic error; src/rules/parse.ts owns the zero/one/many-parses policy.
@preprocessor typescript
@{%
import { lexer } from '../lexer.js';
import { span, scalar, field, binary, tokens } from '../build.js';
%}
@lexer lexer

file      -> stmt:*                                      {% id %}
stmt      -> (include | const | set | counter | limiter | rule | default)  {% ([[s]]) => s %}

include   -> "include" %string                          {% ([k, s]) => ({ t: 'include', path: s.text.slice(1, -1), pos: span(k, s) }) %}
const     -> ("const" | "define") %ident "=" value      {% ([[k], n, , v]) => ({ t: 'const', name: n.text, value: v, pos: span(k, v) }) %}
set       -> "set" %ident ":" elemtype "prefix":? setmax:? setinit:?
             {% ([k, n, , e, p, max, init]) => ({ t: 'set', name: n.text, elem: e.text, prefix: p !== null, max: max ?? undefined,
                  init: init ?? undefined, pos: span(k, n), elemPos: span(e) }) %}
elemtype  -> (%ident | "port" | "vlan" | "vni" | "proto")  {% ([[t]]) => t %}
setmax    -> "(" "max" value ")"                        {% ([, , v]) => v %}
setinit   -> "=" "{" values "}"                         {% ([, , vs]) => vs %}
counter   -> "counter" %ident "shared":?                {% ([k, n, s]) => ({ t: 'counter', name: n.text, shared: s !== null, pos: span(k, n) }) %}
limiter   -> "limiter" %ident "rate" value "pps" "burst" value per:?
             {% ([k, n, , rate, , , burst, per]) => ({ t: 'limiter', name: n.text, rate, burst, per: per?.[0], max: per?.[1], pos: span(k, n) }) %}
per       -> "per" field setmax:?                       {% ([, f, m]) => [f, m ?? undefined] %}
rule      -> "rule" rulename ":" match "=>" actions        {% ([k, n, , m, , a]) => ({ t: 'rule', name: n.text, match: m, actions: a, pos: span(k, n), namePos: span(n) }) %}
default   -> "default" actions                          {% ([k, a]) => ({ t: 'default', actions: a, pos: span(k) }) %}

# A rule's name is only ever followed by ':', so reserved words are fine there.
rulename  -> (%ident | %kw)                            {% ([[t]]) => t %}

# ---- matches: `or` binds loosest, then `and`, then `not`
match     -> "any"                                      {% ([k]) => ({ t: 'any', pos: span(k) }) %}
           | expr                                       {% id %}
expr      -> expr "or" conj                             {% ([a, , b]) => binary('or', a, b) %}
           | conj                                       {% id %}
conj      -> conj "and" neg                             {% ([a, , b]) => binary('and', a, b) %}
           | neg                                        {% id %}
neg       -> "not" neg                                  {% ([k, e]) => ({ t: 'not', e, pos: span(k, e) }) %}
           | atom                                       {% id %}
atom      -> "(" expr ")"                               {% ([, e]) => e %}
           | test                                       {% id %}
test      -> proto                                      {% ([p]) => ({ t: 'proto', name: p.text, pos: span(p) }) %}
           | boolfield                                  {% ([f]) => ({ t: 'bool', field: f, pos: f.pos }) %}
           | field value                                {% ([f, v]) => ({ t: 'cmp', field: f, op: 'is', value: v, pos: span(f, v) }) %}
           | field cmp value                            {% ([f, op, v]) => ({ t: 'cmp', field: f, op, value: v, pos: span(f, v) }) %}
           | field "in" setref                          {% ([f, , s]) => ({ t: 'in', field: f, set: s, negated: false, pos: span(f, s) }) %}
           | field "not" "in" setref                    {% ([f, , , s]) => ({ t: 'in', field: f, set: s, negated: true, pos: span(f, s) }) %}
           | "vlan" value                               {% ([k, v]) => ({ t: 'cmp', field: { path: 'vlan.id', pos: span(k) }, op: 'is', value: v, pos: span(k, v) }) %}
proto     -> ("ip" | "ip6" | "tcp" | "udp" | "icmp" | "icmp6" | "arp" | "vlan" | "mpls" | "vxlan" | "gre")  {% ([[t]]) => t %}
cmp       -> ("==" | "!=" | "<" | "<=" | ">" | ">=")    {% ([[t]]) => t.text %}
setref    -> %ident                                     {% ([n]) => ({ name: n.text, pos: span(n) }) %}
           | "{" values "}"                             {% ([o, vs, c]) => ({ t: 'list', items: vs, pos: span(o, c) }) %}

# ---- header fields
field     -> "eth" ("src" | "dst" | "type")             {% (d) => field(tokens(d)) %}
           | "vlan" ("id" | "pcp" | "dei")              {% (d) => field(tokens(d)) %}
           | "vlan" "inner" ("id" | "pcp")              {% (d) => field(tokens(d)) %}
           | "mpls" ("label" | "tc" | "ttl")            {% (d) => field(tokens(d)) %}
           | "ip" ("src" | "dst" | "proto" | "ttl" | "dscp" | "ecn" | "len" | "id")   {% (d) => field(tokens(d)) %}
           | "ip6" ("src" | "dst" | "nexthdr" | "hoplimit" | "dscp" | "len" | "flowlabel")  {% (d) => field(tokens(d)) %}
           | ("tcp" | "udp") ("sport" | "dport")        {% (d) => field(tokens(d)) %}
           | "tcp" "flags"                              {% (d) => field(tokens(d)) %}
           | ("sport" | "dport")                        {% (d) => field(tokens(d)) %}
           | ("icmp" | "icmp6") ("type" | "code")       {% (d) => field(tokens(d)) %}
           | "vxlan" "vni"                              {% (d) => field(tokens(d)) %}
boolfield -> ("ip" | "ip6") "frag"                      {% (d) => field(tokens(d)) %}
           | "mpls" "bos"                               {% (d) => field(tokens(d)) %}

# ---- values: numbers, addresses, prefixes, names, ranges (`1024-65535`), flag sets (`syn|ack`)
value     -> scalar                                     {% id %}
           | scalar "-" scalar                          {% ([lo, , hi]) => ({ t: 'range', lo, hi, pos: span(lo, hi) }) %}
           | "{" values "}"                             {% ([o, vs, c]) => ({ t: 'list', items: vs, pos: span(o, c) }) %}
           | scalar ("|" scalar):+                      {% ([a, rest]) => ({ t: 'flags', names: [a, ...rest.map((r: unknown[]) => r[1])], pos: span(a, rest[rest.length - 1][1]) }) %}
values    -> item ("," item):* ",":?                    {% ([a, rest]) => [a, ...rest.map((r: unknown[]) => r[1])] %}
item      -> scalar                                     {% id %}
           | scalar "-" scalar                          {% ([lo, , hi]) => ({ t: 'range', lo, hi, pos: span(lo, hi) }) %}
scalar    -> (%num | %ip4 | %ip6 | %mac | %ident | valword)  {% ([[t]]) => scalar(t) %}
valword   -> ("ip" | "ip6" | "tcp" | "udp" | "icmp" | "icmp6" | "arp" | "vlan" | "mpls" | "gre")  {% ([[t]]) => t %}

# ---- actions, separated by commas
actions   -> action ("," action):*                      {% ([a, rest]) => [a, ...rest.map((r: unknown[]) => r[1])] %}
action    -> ("drop" | "pass" | "tx")                   {% ([[k]]) => ({ t: k.text, pos: span(k) }) %}
           | "redirect" "port":? value                  {% ([k, , v]) => ({ t: 'redirect', port: v, pos: span(k, v) }) %}
           | "count" %ident                             {% ([k, n]) => ({ t: 'count', name: n.text, pos: span(k, n) }) %}
           | "limit" %ident                             {% ([k, n]) => ({ t: 'limit', name: n.text, pos: span(k, n) }) %}
           | "set" field value                          {% ([k, f, v]) => ({ t: 'set', field: f, value: v, pos: span(k, v) }) %}
           | "push" "vlan" value                        {% ([k, , v]) => ({ t: 'push', what: 'vlan', id: v, pos: span(k, v) }) %}
           | "push" "mpls" value mplsopt:*              {% ([k, , v, opts]) => ({ t: 'push', what: 'mpls', label: v, ...Object.fromEntries(opts), pos: span(k, v) }) %}
           | "pop" ("vlan" | "mpls")                    {% ([k, [w]]) => ({ t: 'pop', what: w.text, pos: span(k, w) }) %}
           | "decap" ("vxlan" | "gre")                  {% ([k, [w]]) => ({ t: 'decap', what: w.text, pos: span(k, w) }) %}
mplsopt   -> ("tc" | "ttl") scalar                      {% ([[k], v]) => [k.text, v] %}
