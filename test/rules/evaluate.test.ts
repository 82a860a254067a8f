// The direct evaluator on hand-built packets: verdicts, counters, rewrites with valid
// checksums, push/pop/decap, and the token bucket over time. The same cases then run through
// the compiled program in the VM (differential), so both are pinned to these expectations.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileRulesText, createState, evaluateRules } from '../../src/rules/index.js';
import { buildPacket, ip4ChecksumsOk } from './packets.js';
import { differential, hex } from './harness.js';

const RULES = `
const DNS = 53
set blocked4 : ipv4 prefix = { 192.0.2.0/24 }
counter dropped
counter seen shared
rule stats:      any => count seen
rule no_blocked: ip src in blocked4 => count dropped, drop
rule dns_amp:    udp sport DNS and ip len > 512 => drop
rule vlan10:     vlan 10 and ip dst 10.0.0.0/8 => redirect port 3
rule web:        ip and tcp dport { 80, 443 } => set ip dst 10.0.0.10, set tcp dport 8080, set ip ttl 9, tx
rule ntp:        ip and udp dport 123 => set ip src 10.9.9.9, set udp sport 99, pass
rule tagme:      ip and icmp type echo-request => push vlan 42, tx
rule untag:      vlan 20 => pop vlan, pass
rule label:      ip6 and udp => push mpls 1000 tc 3 ttl 7, pass
rule unlabel:    mpls label 16 => pop mpls, pass
rule vx:         vxlan vni 100 => decap vxlan, redirect port 9
default drop
`;
const rs = compileRulesText(RULES, 'eval.rules');
const inner = buildPacket({ ip4: { src: '10.9.9.9', dst: '10.8.8.8' }, udp: { sport: 1, dport: 2 }, payload: 4 });

const P = {
  blocked: buildPacket({ ip4: { src: '192.0.2.77', dst: '10.0.0.1' }, tcp: { sport: 1, dport: 2 } }),
  dnsBig: buildPacket({ ip4: { src: '8.8.8.8', dst: '10.0.0.1' }, udp: { sport: 53, dport: 5000 }, payload: 600 }),
  dnsSmall: buildPacket({ ip4: { src: '8.8.8.8', dst: '10.0.0.1' }, udp: { sport: 53, dport: 5000 }, payload: 100 }),
  vlan10: buildPacket({ vlans: [{ id: 10 }], ip4: { src: '1.1.1.1', dst: '10.2.3.4' }, udp: { sport: 1, dport: 2 } }),
  web: buildPacket({ ip4: { src: '1.1.1.1', dst: '198.51.100.1' }, tcp: { sport: 4000, dport: 443, flags: 0x02 }, payload: 11 }),
  ntp: buildPacket({ ip4: { src: '1.1.1.1', dst: '2.2.2.2' }, udp: { sport: 123, dport: 123 }, payload: 48 }),
  ntpNoCsum: buildPacket({ ip4: { src: '1.1.1.1', dst: '2.2.2.2' }, udp: { sport: 123, dport: 123, noCsum: true }, payload: 48 }),
  ping: buildPacket({ ip4: { src: '1.1.1.1', dst: '2.2.2.2' }, icmp: { type: 8, code: 0 } }),
  tagged20: buildPacket({ vlans: [{ id: 20, pcp: 3 }], ip4: { src: '1.1.1.1', dst: '2.2.2.2' }, tcp: { sport: 1, dport: 2 } }),
  udp6: buildPacket({ ip6: { src: '2001:db8::1', dst: '2001:db8::2' }, udp: { sport: 7, dport: 7 } }),
  mpls16: buildPacket({ mpls: [{ label: 16 }] }),
  vxlan: buildPacket({ ip4: { src: '1.1.1.1', dst: '2.2.2.2' }, udp: { sport: 5, dport: 4789 }, vxlan: { vni: 100, inner } }),
  other: buildPacket({ arp: true }),
};

test('verdicts, redirect targets and the deciding rule', () => {
  const st = createState(rs);
  const r = (p: Uint8Array) => { const x = evaluateRules(rs, p, st); return [x.verdict, x.rule, x.redirect]; };
  assert.equal(r(P.blocked), ['drop', 'no_blocked', undefined]);
  assert.equal(r(P.dnsBig), ['drop', 'dns_amp', undefined]);
  assert.equal(r(P.dnsSmall), ['drop', 'default', undefined]);
  assert.equal(r(P.vlan10), ['redirect', 'vlan10', 3]);
  assert.equal(r(P.vxlan), ['redirect', 'vx', 9]);
  assert.equal(r(P.other), ['drop', 'default', undefined]);
});

test('counters: packets and bytes; a count-only rule falls through', () => {
  const st = createState(rs);
  evaluateRules(rs, P.blocked, st);
  evaluateRules(rs, P.web, st);
  assert.equal(st.counters.get('seen'), { packets: 2n, bytes: BigInt(P.blocked.length + P.web.length) });
  assert.equal(st.counters.get('dropped'), { packets: 1n, bytes: BigInt(P.blocked.length) });
});

test('sets are read at evaluation time: adding an element changes the verdict', () => {
  const st = createState(rs);
  const pkt = buildPacket({ ip4: { src: '203.0.113.5', dst: '1.1.1.1' }, tcp: { sport: 1, dport: 2 } });
  assert.is(evaluateRules(rs, pkt, st).rule, 'default');
  st.sets.get('blocked4')!.push({ value: 0xcb007100n, plen: 24 });
  assert.is(evaluateRules(rs, pkt, st).rule, 'no_blocked');
});

test('rewrites keep IPv4 and TCP/UDP checksums valid; UDP checksum 0 stays 0', () => {
  const web = evaluateRules(rs, P.web).outPacket;
  assert.is(hex(web.subarray(30, 34)), '0a00000a'); // ip dst
  assert.is(web[22], 9); // ttl
  assert.is((web[36]! << 8) | web[37]!, 8080);
  assert.ok(ip4ChecksumsOk(web, 14));
  const ntp = evaluateRules(rs, P.ntp).outPacket;
  assert.is(hex(ntp.subarray(26, 30)), '0a090909');
  assert.ok(ip4ChecksumsOk(ntp, 14));
  const none = evaluateRules(rs, P.ntpNoCsum).outPacket;
  assert.is((none[40]! << 8) | none[41]!, 0);
  assert.ok(ip4ChecksumsOk(none, 14));
});

test('push and pop VLAN and MPLS, VXLAN decap', () => {
  const tagged = evaluateRules(rs, P.ping).outPacket;
  assert.is(tagged.length, P.ping.length + 4);
  assert.is(hex(tagged.subarray(12, 18)), '8100002a0800');
  const untagged = evaluateRules(rs, P.tagged20).outPacket;
  assert.is(hex(untagged), hex(buildPacket({ ip4: { src: '1.1.1.1', dst: '2.2.2.2' }, tcp: { sport: 1, dport: 2 } })));
  const labelled = evaluateRules(rs, P.udp6).outPacket;
  assert.is(hex(labelled.subarray(12, 18)), '8847' + (((1000 << 12) | (3 << 9) | 0x100 | 7) >>> 0).toString(16).padStart(8, '0'));
  const popped = evaluateRules(rs, P.mpls16).outPacket;
  assert.is(hex(popped.subarray(12, 15)), '080045');
  assert.is(hex(evaluateRules(rs, P.vxlan).outPacket), hex(inner));
});

test('limiter: GCRA token bucket, burst then one packet per interval', () => {
  const lr = compileRulesText('limiter l rate 10 pps burst 3\nrule r: ip => limit l, pass\ndefault pass');
  const st = createState(lr, 5_000_000_000n);
  const at = (ms: number) => { st.nowNs = 5_000_000_000n + BigInt(ms) * 1_000_000n; return evaluateRules(lr, P.ping, st).verdict; };
  assert.equal([at(0), at(0), at(0), at(0)], ['pass', 'pass', 'pass', 'drop']);
  assert.is(at(50), 'drop'); // 100 ms per token
  assert.is(at(100), 'pass');
  assert.is(at(100), 'drop');
  assert.equal([at(1000), at(1000), at(1000), at(1000)], ['pass', 'pass', 'pass', 'drop']);
});

test('per-key limiter: each source address has its own bucket', () => {
  const lr = compileRulesText('limiter l rate 1 pps burst 1 per ip src\nrule r: ip => limit l, pass\ndefault pass');
  const st = createState(lr, 1_000_000_000n);
  const from = (src: string) => evaluateRules(lr, buildPacket({ ip4: { src, dst: '9.9.9.9' }, udp: { sport: 1, dport: 2 } }), st).verdict;
  assert.equal([from('1.1.1.1'), from('1.1.1.1'), from('2.2.2.2'), from('2.2.2.2')], ['pass', 'drop', 'pass', 'drop']);
});

test('the compiled program agrees with the evaluator on every case above', () => {
  const st = createState(rs, 1_000_000_000n);
  assert.equal(differential(rs, Object.values(P), st), []);
});

test('the compiled limiter agrees over time (same clock in both)', () => {
  const lr = compileRulesText('limiter l rate 10 pps burst 3\nlimiter k rate 2 pps burst 2 per udp sport\ncounter ok\nrule r: ip and tcp => limit l, count ok, pass\nrule s: udp => limit k, pass\ndefault pass');
  const pkts = Array.from({ length: 40 }, (_, i) => buildPacket({ ip4: { src: '1.1.1.1', dst: '2.2.2.2' }, ...(i % 2 ? { tcp: { sport: 1, dport: 2 } } : { udp: { sport: i % 3, dport: 2 } }) }));
  const times = pkts.map((_, i) => 2_000_000_000n + BigInt(i) * 37_000_000n);
  assert.equal(differential(lr, pkts, createState(lr, times[0]!), times), []);
});

test.run();
