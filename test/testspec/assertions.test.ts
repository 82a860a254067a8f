// Each kind of expectation, passing and failing, with the failure message a user reads.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runSpec } from '../../src/testspec/index.js';
import { DROP_UDP, outcome, spec } from './helpers.js';

test('verdict: one for all packets or one per packet', () => {
  assert.equal(outcome(`${DROP_UDP}cases:
  - { name: a, packet: eth()/ipv4()/udp(dport=9999), verdict: drop }
  - { name: b, packet: eth()/ipv4()/udp(dport=9999), verdict: pass }
  - name: c
    packet: [eth()/ipv4()/udp(dport=9999), eth()/ipv4()/udp(dport=53)]
    verdict: [drop, drop]
`), ['pass', 'fail: verdict: expected XDP_PASS (2), got XDP_DROP (1)', 'fail: verdict of packet 2: expected XDP_DROP (1), got XDP_PASS (2)']);
});

test('output: the exact packet, with field-level differences', () => {
  const r = runSpec(spec(`program: ../../../programs/xdp/icmp_echo.o
cases:
  - name: ok
    packet: eth(src=02:00:00:00:00:01, dst=02:00:00:00:00:02)/ipv4(src=10.0.0.1, dst=10.0.0.2)/icmp(type=8, rest=0x12340001)
    output: eth(src=02:00:00:00:00:02, dst=02:00:00:00:00:01)/ipv4(src=10.0.0.2, dst=10.0.0.1)/icmp(type=0, rest=0x12340001)
  - name: bad
    packet: eth(src=02:00:00:00:00:01, dst=02:00:00:00:00:02)/ipv4(src=10.0.0.1, dst=10.0.0.2)/icmp(type=8, rest=0x12340001)
    output: eth(src=02:00:00:00:00:02, dst=02:00:00:00:00:01)/ipv4(src=10.0.0.2, dst=10.0.0.1, ttl=63)/icmp(type=0, rest=0x12340001)
  - name: bad hex
    packet: eth()/ipv4()/icmp(type=0)
    output_hex: 0200 0000 0002 0200 0000 0001 0800
`));
  assert.is(r.cases[0]!.status, 'pass');
  const f = r.cases[1]!.failures[0]!;
  assert.is(f.message, 'output packet: ipv4.ttl: expected 63, got 64 (and 1 more)');
  assert.is(f.details[0], 'ipv4.ttl: expected 63, got 64');
  assert.match(f.details[1]!, /^ipv4\.checksum: expected 0x[0-9a-f]{4}, got 0x[0-9a-f]{4}$/);
  assert.is(f.details[2], 'expected: eth(dst=02:00:00:00:00:01, src=02:00:00:00:00:02)/ipv4(ttl=63, src=10.0.0.2, dst=10.0.0.1)/icmp(type=0, rest=0x12340001)');
  assert.is(f.details[3], 'got:      eth(dst=02:00:00:00:00:01, src=02:00:00:00:00:02)/ipv4(src=10.0.0.2, dst=10.0.0.1)/icmp(type=0, rest=0x12340001)');
  assert.is(r.cases[2]!.failures[0]!.message, 'output packet: length: expected 14, got 42 (and 1 more)');
});

test('expect: fields, inner layers, checksum verdicts and the layer list', () => {
  assert.equal(outcome(`program: ../../../programs/xdp/xdp_pass.o
cases:
  - name: ok
    packet: eth(dst=02:00:00:00:00:09)/ipv4(ttl=9)/ipv4(src=1.2.3.4)/udp(dport=53)
    expect:
      eth.dst: 02:00:00:00:00:09
      ipv4.ttl: 9
      ipv4[1].src: 1.2.3.4
      udp.dport: 53
      ipv4.checksum: ok
      layers: eth/ipv4/ipv4/udp
  - name: bad
    packet: eth()/ipv4(ttl=9, checksum=0x1234)/udp()
    expect:
      ipv4.ttl: 63
      ipv4.checksum: ok
      ipv4[1].src: 1.2.3.4
      layers: eth/ipv6
`), ['pass', 'fail: layers: expected eth/ipv6, got eth/ipv4/udp | ipv4.ttl: expected 63, got 9 | ' +
    'ipv4.checksum: expected a checksum that is ok, got bad (it is 0x1234, correct would be 0x9dce) | ' +
    'ipv4[1].src: expected 1.2.3.4, got no ipv4[1] layer (layers: eth/ipv4/udp)']);
});

test('redirect: ifindex, map and key, or none', () => {
  assert.equal(outcome(`program: ../../../programs/xdp3/redirect.o
prog: redir_devmap
setup: name tx_ports key 3 0 0 0 value 7 0 0 0
cases:
  - { name: map, packet: eth()/ipv4(dst=10.0.0.3)/udp(), redirect: { map: tx_ports, key: 3 } }
  - { name: wrong key, packet: eth()/ipv4(dst=10.0.0.3)/udp(), redirect: { map: tx_ports, key: 4 } }
  - { name: ifindex, prog: redir_ifindex, packet: eth()/ipv4(dst=10.0.0.3)/udp(), redirect: 3 }
  - { name: none, packet: eth()/ipv4(dst=10.0.0.3)/udp(), redirect: none }
  - { name: missing, packet: eth()/ipv6()/udp(), redirect: 3 }
`), ['pass', "fail: redirect: expected map 'tx_ports' key 4, got devmap 'tx_ports' key 3", 'pass',
    "fail: redirect: expected no redirect, got devmap 'tx_ports' key 3", 'fail: redirect: expected ifindex 3, got no redirect']);
});

test('maps: integers, bytes, per-CPU copies and sums, absent keys', () => {
  assert.equal(outcome(`program: ../../../programs/xdp3/parse.o
cpus: 2
cases:
  - name: ok
    cpu: 1
    packet: eth()/ipv4(src=10.0.0.1, dst=10.0.0.2)/udp(sport=1, dport=2)
    maps:
      flows: [{ key: "04 11 0000 0001 0002 10.0.0.1 10.0.0.2", value: 1 }, { key: "04 06 0000 0001 0002 10.0.0.1 10.0.0.2", absent: true }]
      proto_stats: [{ key: 17, value: 1 }, { key: 17, value: "u64:1" }, { key: 17, value: "u64:0", cpu: 0 }]
  - name: bad
    packet: eth()/ipv4(src=10.0.0.1, dst=10.0.0.2)/udp(sport=1, dport=2)
    maps:
      flows: [{ key: "04 11 0000 0001 0002 10.0.0.1 10.0.0.2", absent: true }, { key: "04 11 0000 0001 0003 10.0.0.1 10.0.0.2", value: 1 }]
      proto_stats: [{ key: 17, value: 2 }, { key: 17, value: "u64:7", cpu: 1 }]
`), ['pass', 'fail: map flows key 04 11 00 00 00 01 00 02 0a 00 00 01 0a 00 00 02: expected no entry, got 01 00 00 00 00 00 00 00 | ' +
    'map flows key 04 11 00 00 00 01 00 03 0a 00 00 01 0a 00 00 02: expected 1, got no entry | ' +
    'map proto_stats key 11 00 00 00: expected 2, got 1 (sum over CPUs) | ' +
    'map proto_stats key 11 00 00 00 (CPU 1): expected 07 00 00 00 00 00 00 00, got 00 00 00 00 00 00 00 00']);
});

test('trace: the trace_printk lines of the case', () => {
  assert.equal(outcome(`program: ../../../programs/xdp3/misc.o
prog: printk
cases:
  - name: bad
    packet: eth()/ipv4()/udp()/payload(len=18)
    trace: [len 60 proto 800, nothing]
`), ['fail: trace line 2: expected "nothing", got "-5 deadbeefcafe 18446744073709551615"']);
});

test('state: reset per case by default, carried with state: carry', () => {
  const body = `cases:
  - { name: one, packet: eth()/ipv4()/udp(), maps: { proto_count: [{ key: 17, value: 1 }] } }
  - { name: two, packet: eth()/ipv4()/udp(), maps: { proto_count: [{ key: 17, value: 2 }] } }
`;
  assert.equal(outcome(`program: ../../../programs/xdp/proto_count.o\n${body}`), ['pass', 'fail: map proto_count key 11 00 00 00: expected 2, got 1']);
  assert.equal(outcome(`program: ../../../programs/xdp/proto_count.o\nstate: carry\n${body}`), ['pass', 'pass']);
});

test('skip, and a program that faults is an error, not a pass', () => {
  const r = runSpec(spec(`${DROP_UDP}cases:
  - { name: later, skip: waiting for the parser, packet: eth() }
  - { name: ok, packet: eth() }
`));
  assert.equal(r.cases.map((c) => [c.status, c.reason]), [['skip', 'waiting for the parser'], ['pass', undefined]]);
  const loop = runSpec(spec(`program: ../../../programs/xdp3/meta.o
prog: meta_read
cases:
  - name: bad ctx
    ctx_in: 04000000 0e000000 04000000 01000000 00000000 00000000
    hex: 020000000002 020000000001 0800
`));
  assert.is(loop.cases[0]!.status, 'error');
  assert.match(loop.cases[0]!.failures[0]!.message, /^the program stopped: ctx_in: data_meta is 4, it must be 0/);
});

test('pcap input: every packet or one by index', () => {
  assert.equal(outcome(`program: ../../../programs/bench/flow_count.o
cases:
  - name: all
    pcap: ../../../programs/specs/bench/flows.pcap
    maps: { flows: [{ key: "10.0.0.1 10.0.0.2 be16:1000 be16:53 u32:17", value: "u64:3 u64:262" }] }
  - name: one
    pcap: { file: ../../../programs/specs/bench/flows.pcap, index: 4 }
    maps: { flows: [{ key: "10.0.0.1 10.0.0.2 be16:1000 be16:53 u32:17", value: "u64:1 u64:142" }] }
`), ['pass', 'pass']);
});

test('.s and .rules programs', () => {
  assert.equal(outcome(`program: ../../../programs/asm/ipv4_only.s
cases:
  - { name: v4, packet: eth()/ipv4(), verdict: pass }
  - { name: arp, packet: eth()/arp(), verdict: drop }
`), ['pass', 'pass']);
  assert.equal(outcome(`program: ../../../programs/rules/edge_acl.rules
cases:
  - { name: blocked set element, packet: eth()/ipv4(src=203.0.113.1)/udp(), verdict: drop }
`), ['pass']);
});

test.run();
