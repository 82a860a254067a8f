// Loading specs: every key kind, paths relative to the spec, and malformed specs rejected with
// file:line:col, the line and a caret (exit 2 through the CLI).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DROP_UDP, spec, specError } from './helpers.js';

test('a spec loads its program, cases, inputs and expectations', () => {
  const s = spec(`${DROP_UDP}cases:
  - name: one
    packet: eth()/ipv4()/udp(dport=9999)
    verdict: XDP_DROP
  - name: two
    hex: 0200 0000 0002 0200 0000 0001 0800
    verdict: [2]
  - name: three
    packet:
      - eth()/ipv4()/udp()
      - eth()/ipv6()/udp()
    verdict: pass
    expect: { ipv4.ttl: 64, layers: eth/ipv4/udp, udp.checksum: ok }
`);
  assert.ok(s.program.endsWith('programs/xdp/drop_udp.o'), s.program); // relative to the working directory
  assert.is(s.state, 'reset');
  assert.is(s.cpus, 1);
  assert.equal(s.cases.map((c) => c.name), ['one', 'two', 'three']);
  assert.equal(s.cases.map((c) => c.inputs.length), [1, 1, 2]);
  assert.equal(s.cases[0]!.expect.verdict!.value, [1]);
  assert.equal(s.cases[1]!.expect.verdict!.value, [2]);
  assert.is(s.cases[1]!.inputs[0]!.length, 14);
  assert.equal(s.cases[2]!.expect.fields.map((f) => `${f.path}@${f.where.line}:${f.where.col}`), ['ipv4.ttl@14:15', 'udp.checksum@14:51']);
  assert.is(s.cases[2]!.expect.layers!.value, 'eth/ipv4/udp');
  assert.equal([s.cases[0]!.where.line, s.cases[0]!.where.col], [3, 5]);
});

test('verdicts by name, short name or number', () => {
  const names = ['XDP_ABORTED', 'drop', 'Pass', 'tx', 'XDP_REDIRECT', '7'];
  const s = spec(`${DROP_UDP}cases:\n${names.map((n, i) => `  - { name: c${i}, packet: eth(), verdict: ${n} }\n`).join('')}`);
  assert.equal(s.cases.map((c) => c.expect.verdict!.value[0]), [0, 1, 2, 3, 4, 7]);
});

test('map keys and values: integers, byte lists, token strings', () => {
  const s = spec(`program: ../../../programs/xdp3/parse.o
cases:
  - name: m
    packet: eth()
    maps:
      flows:
        - { key: "04 11 u16:2 be16:53 be16:1 10.0.0.1 0a000002", value: 5 }
        - { key: [4, 17, 0, 0, 0, 53, 0, 1, 10, 0, 0, 1, 10, 0, 0, 2], absent: true }
      proto_stats:
        - { key: 17, value: "u64:-1" }
`);
  const m = s.cases[0]!.expect.maps;
  assert.equal([...m[0]!.key], [4, 17, 2, 0, 0, 53, 0, 1, 10, 0, 0, 1, 10, 0, 0, 2]);
  assert.equal(m[0]!.value, { int: 5n });
  assert.is(m[1]!.value, undefined);
  assert.equal([...m[2]!.key], [17, 0, 0, 0]);
  assert.equal(m[2]!.value, { bytes: new Uint8Array(8).fill(255) });
});

test('setup inline, as a list and from a file, relative to the spec', () => {
  const s = spec(`program: ../../../programs/xdp/subprog.o
setup: |
  name drop_ipv6 key 0 0 0 0 value 1 0 0 0
cases:
  - name: a
    setup: [name drop_ipv6 key 0 0 0 0 value 0 0 0 0]
    packet: eth()
  - name: b
    setup: { file: ../runtime/drop-ipv6.setup }
    packet: eth()
`);
  assert.is(s.setup.length, 1);
  assert.is(s.cases[0]!.setup.length, 1);
  assert.is(s.cases[1]!.setup[0]!.map, 'drop_ipv6');
});

test('errors name the spec, line and column, with the line and a caret', () => {
  assert.is(specError(`${DROP_UDP}cases:\n  - name: a\n    packet: eth()\n    verdct: drop\n`),
    "t.yaml:5:5: error: unknown key 'verdct' in a case; did you mean 'verdict'?\n      verdct: drop\n      ^^^^^^\n" +
    '  a case keys: name, prog, packet, hex, pcap, setup, repeat, cpu, ctx_in, skip, verdict, output, output_hex, expect, redirect, maps, trace');
  assert.match(specError('program: nope.o\ncases: []\n'), /^t\.yaml:1:10: error: program nope\.o not found \(looked for \S*test\/fixtures\/testspec\/nope\.o\)\n  program: nope\.o\n           \^{6}$/);
  assert.is(specError('cases: []\n'), "t.yaml:1:1: error: the spec has no 'program:'\n  cases: []\n  ^^^^^^^^^\n  program: the .o, .s or .rules file under test, relative to the spec");
  assert.is(specError(`${DROP_UDP}cases: []\n`), 't.yaml:2:8: error: cases must be a list with at least one case (- name: ...)\n  cases: []\n         ^^');
  assert.is(specError(`${DROP_UDP}cases:\n  - name: a\n    packet: |\n      eth()/\n      ipv4(tll=3)/udp()\n`),
    "t.yaml:6:12: error: ipv4 has no field 'tll'\n        ipv4(tll=3)/udp()\n             ^^^\n" +
    '  ipv4 fields: version, ihl, dscp, ecn, len, id, rsv, df, mf, frag, ttl, proto, checksum, src, dst, opts');
  assert.is(specError(`${DROP_UDP}cases:\n  - name: a\n    packet: eth()\n    verdict: dorp\n`),
    "t.yaml:5:14: error: bad verdict 'dorp'; expected XDP_ABORTED, XDP_DROP, XDP_PASS, XDP_TX, XDP_REDIRECT (or aborted, drop, pass, tx, redirect) or a number\n      verdict: dorp\n               ^^^^");
  assert.match(specError(`${DROP_UDP}cases:\n  - name: a\n    packet: [eth(\n`), /^t\.yaml:\d+:\d+: error: bad YAML: /);
});

test('errors in setup lines, map expectations and inputs point into the spec', () => {
  const sub = 'program: ../../../programs/xdp/subprog.o\n';
  assert.is(specError(`${sub}setup: name drop_ipv6 key 0 0 0 value 1 0 0 0\ncases:\n  - { name: a, packet: eth() }\n`),
    "t.yaml:2:27: error: key has 3 bytes, map 'drop_ipv6' wants 4\n  setup: name drop_ipv6 key 0 0 0 value 1 0 0 0\n                            ^");
  const noMap = specError(`${sub}cases:\n  - name: a\n    packet: eth()\n    maps: { counters: [] }\n`);
  assert.match(noMap, /^t\.yaml:5:13: error: \S*programs\/xdp\/subprog\.o has no map named 'counters'; it has: drop_ipv6\n/);
  assert.match(specError(`${sub}cases:\n  - name: a\n    packet: eth()\n    maps: { drop_ipv6: [{ key: 0, value: "01 00" }] }\n`), 't.yaml:5:42: error: value of drop_ipv6 is 2 bytes; the map\'s size is 4');
  assert.match(specError(`${sub}cases:\n  - name: a\n    hex: 0200\n`), 't.yaml:4:10: error: packet is 2 bytes; an XDP test run needs at least 14 (an Ethernet header)');
  assert.match(specError(`${sub}cases:\n  - name: a\n    packet: eth()\n    hex: 00\n`), "t.yaml:5:5: error: case 'a' needs exactly one of packet:, hex: or pcap: (the input)");
  assert.match(specError(`${sub}cases:\n  - name: a\n    pcap: missing.pcap\n`), 't.yaml:4:11: error: pcap file missing.pcap not found');
  assert.match(specError(`${sub}cases:\n  - name: a\n    packet: eth()\n  - name: a\n    packet: eth()\n`), "t.yaml:5:5: error: two cases are named 'a'");
  assert.match(specError(`${sub}cases:\n  - name: a\n    packet: [eth()/ipv4()/udp(sport=1, dport=2)]\n`), 'in a [ ... ] list a comma ends the item');
  assert.match(specError(`${sub}cases:\n  - name: a\n    packet: eth()\n    expect: { ipv4.nope: 1 }\n`), "t.yaml:5:15: error: ipv4 has no field 'nope'");
  assert.match(specError(`${sub}cases:\n  - name: a\n    packet: eth()\n    expect: { ipv4.ttl: 300 }\n`), 't.yaml:5:25: error: ipv4.ttl=300 is out of range; expected 0..255');
});

test.run();
