// The rule language front end: what parses, and every error a user can get, as text with
// file:line:col, the line and a caret (never nearley's own error).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { XdplabError, renderDiagnostic } from '../../src/diag/index.js';
import { compileRulesText, loadRules, tokenize } from '../../src/rules/index.js';
import { exampleFiles, FIXTURES } from './paths.js';
import { join } from 'node:path';

function error(src: string, files: Record<string, string> = {}): string {
  try {
    compileRulesText(src, '/r/t.rules', { readFile: (p) => { if (p in files) return files[p]!; throw Object.assign(new Error('nope'), { code: 'ENOENT' }); } });
  } catch (e) {
    if (e instanceof XdplabError) return e.diagnostics.map(renderDiagnostic).join('\n');
    throw e;
  }
  return 'no error';
}

test('every example and the kitchen-sink fixture parse and check', () => {
  for (const f of [...exampleFiles(), join(FIXTURES, 'all.rules')]) {
    const rs = loadRules(f);
    assert.ok(rs.rules.length > 0, f);
    assert.ok(rs.fallback.terminal, f);
  }
});

test('the sketch from the design brief compiles as written', () => {
  const rs = compileRulesText(`# edge ACL
const DNS = 53
set blocked4 : ipv4 prefix (max 1024)
counter dropped
rule no_blocked: ip src in blocked4 => count dropped, drop
rule dns_amp:    udp sport DNS and ip len > 512 => drop
rule vlan10:     vlan 10 and ip dst 10.0.0.0/8 => redirect port 3
default pass
`);
  assert.equal(rs.rules.map((r) => r.name), ['no_blocked', 'dns_amp', 'vlan10']);
  assert.equal(rs.sets[0], { ...rs.sets[0]!, name: 'blocked4', prefix: true, max: 1024, bits: 32 });
});

test('lexer: addresses, prefixes, MACs, ranges and reserved words', () => {
  const kinds = tokenize('ip6 src 2001:db8::/32 eth src 02:00:00:00:00:01 ip dst 10.0.0.0/8 tcp dport 1024-2048 x').map((t) => `${t.type}:${t.text}`);
  assert.equal(kinds, ['kw:ip6', 'kw:src', 'ip6:2001:db8::/32', 'kw:eth', 'kw:src', 'mac:02:00:00:00:00:01', 'kw:ip', 'kw:dst',
    'ip4:10.0.0.0/8', 'kw:tcp', 'kw:dport', 'num:1024', 'op:-', 'num:2048', 'ident:x']);
});

test('syntax errors name the place, show a caret and say what was expected', () => {
  assert.is(error('rule a: tcp dport => drop'), [
    "/r/t.rules:1:19: error: unexpected '=>'; expected a number, an IPv4 address, an IPv6 address, a MAC address, a name, 'not', 'in', '{', '==', '!=' or more",
    '  rule a: tcp dport => drop',
    '                    ^^',
  ].join('\n'));
  assert.match(error('rule a: tcp => drop,'), /1:20: error: unexpected end of file after ','; expected 'redirect', 'count', 'limit', 'set', 'push', 'pop', 'decap', 'drop', 'pass' or 'tx'/);
  assert.match(error('rule a: any => pass\nrule b: @ => pass'), /2:9: error: unexpected character '@'/);
  assert.match(error('counter port'), /'port' is a reserved word; pick another name/);
  assert.not.match(error('rule a: => pass'), /nearley|Instead|Syntax error/);
});

const SEMANTIC: [string, string, RegExp][] = [
  ['port out of range', 'rule a: tcp dport 70000 => drop', /1:19: error: 70000 is out of range for tcp dport \(0 to 65535\)/],
  ['type mismatch', 'rule a: ip src 53 => drop', /1:16: error: ip src wants an IPv4 address or prefix, not a number/],
  ['MAC for an address', 'rule a: ip6 dst 02:00:00:00:00:01 => drop', /ip6 dst wants an IPv6 address or prefix, not a MAC address/],
  ['bad IPv4', 'rule a: ip src 10.0.0.300 => drop', /'10.0.0.300' is not a valid IPv4 address/],
  ['bad prefix length', 'rule a: ip src 10.0.0.0/33 => drop', /prefix length \/33 is out of range \(0 to 32\)/],
  ['unknown name', 'rule a: icmp type echo-requst => drop', /unknown name 'echo-requst'.*\n.*\n.*\n  named values of icmp type: echo-reply/],
  ['undefined set', 'rule a: ip src in nope => drop', /1:19: error: unknown set 'nope'/],
  ['undefined counter', 'counter c\nrule a: tcp => count d, drop', /2:16: error: unknown counter 'd'\n.*\n.*\n  counters: c/],
  ['undefined limiter', 'rule a: tcp => limit l, pass', /unknown limiter 'l'/],
  ['set type mismatch', 'set p : port\nrule a: ip src in p => drop', /set p holds port values, which do not fit ip src/],
  ['prefix set of ports', 'set p : port prefix', /only ipv4 and ipv6 sets can hold prefixes, not port/],
  ['unknown set type', 'set p : colour', /unknown set element type 'colour'/],
  ['long map name', 'counter averyveryverylongname', /longer than 15 characters/],
  ['duplicate name', 'counter x\nset x : ipv4', /'x' is already defined as a counter/],
  ['duplicate rule', 'rule a: tcp => drop\nrule a: udp => drop', /rule 'a' is defined twice/],
  ['empty range', 'rule a: tcp dport 90-80 => drop', /range 90-80 is empty/],
  ['contradiction', 'rule a: tcp and udp => drop', /rule 'a' can never match: its conditions contradict each other/],
  ['shadowed', 'rule a: tcp => drop\nrule b: tcp dport 80 => pass', /2:1: error: rule 'b' is unreachable: rule 'a' \(line 1\) matches every packet it matches/],
  ['shadowed by prefix', 'rule a: ip src 10.0.0.0/8 => drop\nrule b: ip src 10.1.0.0/16 and tcp => pass', /rule 'b' is unreachable/],
  ['conflicting', 'rule a: tcp dport 80 => drop\nrule b: tcp dport 80 => pass', /rule 'b' conflicts with rule 'a' \(line 1\): same match, different actions/],
  ['terminal not last', 'rule a: tcp => drop, pass', /nothing can follow 'drop'/],
  ['header not guaranteed', 'rule a: tcp => set ip ttl 3, pass', /set ip ttl needs IPv4, but this rule also matches packets without one\n.*\n.*\n  add 'ip' to the match/],
  ['pop without a tag', 'rule a: ip => pop vlan, pass', /pop vlan needs a VLAN tag/],
  ['modify without terminal', 'rule a: ip => set ip ttl 3', /a rule that changes the packet must end with drop, pass, tx or redirect/],
  ['set after push', 'rule a: ip => push vlan 3, set ip ttl 3, pass', /'set' must come before push, pop or decap/],
  ['two structural', 'rule a: vlan => pop vlan, push vlan 4, pass', /a rule may push, pop or decapsulate once/],
  ['limit after a change', 'limiter l rate 1 pps burst 1\nrule a: ip => set ip ttl 3, limit l, pass', /'limit' must come before actions that change the packet/],
  ['default without terminal', 'counter c\ndefault count c', /the default rule must end with drop, pass, tx or redirect/],
  ['second default', 'default pass\ndefault drop', /a second 'default'; the first is at line 1/],
  ['vlan id range', 'rule a: any => push vlan 5000, pass', /VLAN id 5000 is out of range \(0 to 4095\)/],
  ['redirect port 0', 'rule a: any => redirect port 0', /port \(ifindex\) 0 is out of range/],
  ['comparison on an address', 'rule a: ip src > 10.0.0.1 => drop', /'>' compares numbers; ip src is an address/],
  ['constant cycle', 'const A = B\nconst B = A\nrule a: tcp dport A => drop', /constant 'A' refers to itself|constant 'B' refers to itself/],
  ['include missing', 'include "nope.rules"', /1:1: error: cannot include nope.rules: ENOENT/],
];

for (const [name, src, want] of SEMANTIC) {
  test(`semantic error: ${name}`, () => {
    const text = error(src);
    assert.match(text, want);
    assert.match(text, /^\/r\/t\.rules:\d+:\d+: error: /);
    assert.match(text.split('\n')[2] ?? '', /^\s*\^+$/, 'a caret line');
  });
}

test('includes: relative to the including file, once each, cycles refused', () => {
  const files = {
    '/r/lib/a.rules': 'const P = 80\ninclude "b.rules"',
    '/r/lib/b.rules': 'counter hits',
    '/r/lib/c.rules': 'include "d.rules"',
    '/r/lib/d.rules': 'include "c.rules"',
  };
  const rs = compileRulesText('include "lib/a.rules"\ninclude "lib/b.rules"\nrule r: tcp dport P => count hits, drop', '/r/t.rules', { readFile: (p) => files[p as keyof typeof files] });
  assert.equal(rs.counters.map((c) => c.name), ['hits']);
  assert.match(error('include "lib/c.rules"', files), /include cycle: t.rules -> c.rules -> d.rules -> c.rules/);
  // An error inside an included file names that file.
  assert.match(error('include "lib/e.rules"', { '/r/lib/e.rules': 'rule x: tcp dport 99999 => drop' }), /^\/r\/lib\/e.rules:1:19: error/);
});

test.run();
