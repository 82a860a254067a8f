# The packet notation, scapy-like: layers separated by `/`, fields as name=value.
#   eth(dst=02:00:00:00:00:01)/vlan(id=10)/ipv4(src=10.0.0.1, ttl=64)/udp(dport=53)/payload(hex=deadbeef)
# A layer without fields may drop its parentheses: `eth/ipv4/udp`. The grammar fixes structure
# only; layer and field names and what a value means (number, MAC, IPv4, IPv6, hex, constant
# name) are checked by src/packet/notation.ts, which owns every error message.
@preprocessor typescript
@{%
import { lexer } from '../notation-lexer.js';
%}
@lexer lexer

packet -> layer ("/" layer):*              {% ([first, rest]) => [first, ...rest.map((r: any[]) => r[1])] %}
layer  -> %word                            {% ([name]) => ({ name, args: [] }) %}
        | %word "(" args ")"               {% ([name, , args]) => ({ name, args }) %}
args   -> null                             {% () => [] %}
        | arg ("," arg):* ",":?            {% ([first, rest]) => [first, ...rest.map((r: any[]) => r[1])] %}
arg    -> %word "=" value                  {% ([key, , value]) => ({ key, value }) %}
value  -> %word                            {% id %}
        | %string                          {% id %}
