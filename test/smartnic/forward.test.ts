import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Mempool } from '../../src/packet/index.js';
import { BurstOut, DROP_INDEX, dumpDrop, type Verdict } from '../../src/smartnic/index.js';
import { cat, checksumsValid, compute1, eth, gre, hex, ipv4, mplsLabel, profile, tcp, udp, vxlan } from './helpers.js';

const C1 = '52:54:00:00:01:11', C2 = '52:54:00:00:01:12', RMAC = '00:00:5e:00:01:00';
const VM1 = '02:00:00:01:01:03', VM2 = '02:00:00:01:01:04';
const data = [1, 2, 3, 4, 5, 6, 7, 8];

const tx = (v: Verdict, port: number): Uint8Array => {
  assert.is(v.kind, 'tx', `expected tx, got ${JSON.stringify({ ...v, bytes: undefined })}`);
  if (v.kind !== 'tx') throw new Error('unreachable');
  assert.is(v.port, port);
  return v.bytes;
};
const same = (a: Uint8Array, b: Uint8Array): void => assert.is(hex(a), hex(b));

/** A tunnelled packet from compute-2 to compute-1. */
const fromC2 = (shim: number[], proto: number, inner: number[]): Uint8Array =>
  cat(eth(C1, C2, 0x0800), ipv4({ src: '192.168.1.12', dst: '192.168.1.11', proto }, [...shim, ...inner]));

test('fabric -> VM over MPLSoUDP: decap, label 18 -> NH 14, L2 rewrite toward VM2', () => {
  const nic = compute1();
  const inner = ipv4({ src: '10.1.1.5', dst: '10.1.1.4', proto: 17, ttl: 63 }, udp('10.1.1.5', '10.1.1.4', 7000, 7001, data));
  const pkt = fromC2(udp('192.168.1.12', '192.168.1.11', 50123, 6635, [...mplsLabel(18, 63), ...inner], false), 17, []);
  same(tx(nic.receive(0, pkt), 4), cat(eth(VM2, RMAC, 0x0800), inner));
});

test('fabric -> VM over MPLSoGRE: label 17 -> policy NH 13, flow 11 hit, to VM1', () => {
  const nic = compute1();
  const inner = ipv4({ src: '10.1.1.5', dst: '10.1.1.3', proto: 6, ttl: 63 }, tcp('10.1.1.5', '10.1.1.3', 80, 40000));
  const pkt = fromC2([...gre(), ...mplsLabel(17, 63), ...inner], 47, []);
  same(tx(nic.receive(0, pkt), 3), cat(eth(VM1, RMAC, 0x0800), inner));
  assert.is(nic.snap.flows.packets[11], 1, 'the reverse flow counted the packet');
});

test('fabric -> VM over VXLAN: VNI 5002 -> VRF 2 bridge lookup, inner frame delivered as is', () => {
  const nic = compute1();
  const frame = [...eth('02:00:00:02:02:03', '02:00:00:02:02:05', 0x0800), ...ipv4({ src: '10.2.2.5', dst: '10.2.2.3', proto: 17 }, udp('10.2.2.5', '10.2.2.3', 1, 2, data))];
  const pkt = fromC2(udp('192.168.1.12', '192.168.1.11', 52001, 4789, [...vxlan(5002), ...frame], false), 17, []);
  same(tx(nic.receive(0, pkt), 5), Uint8Array.from(frame));
  const bad = fromC2(udp('192.168.1.12', '192.168.1.11', 52001, 4789, [...vxlan(7777), ...frame], false), 17, []);
  assert.equal(nic.receive(0, bad), { kind: 'drop', reason: 'invalid_vnid' });
});

test('VM -> fabric: flow 10 forwards, TTL decremented, MPLSoUDP with label 25 toward compute-2', () => {
  const nic = compute1();
  const pkt = cat(eth(RMAC, VM1, 0x0800), ipv4({ src: '10.1.1.3', dst: '10.1.1.5', proto: 6, ttl: 64 }, tcp('10.1.1.3', '10.1.1.5', 40000, 80)));
  const out = tx(nic.receive(3, pkt), 0);
  const sport = (out[34]! << 8) | out[35]!;
  assert.ok(sport >= 49152 && sport <= 65535, 'hashed source port in 49152-65535');
  const inner = ipv4({ src: '10.1.1.3', dst: '10.1.1.5', proto: 6, ttl: 63 }, tcp('10.1.1.3', '10.1.1.5', 40000, 80));
  const expected = cat(eth(C2, C1, 0x0800), ipv4({ src: '192.168.1.11', dst: '192.168.1.12', proto: 17 }, udp('192.168.1.11', '192.168.1.12', sport, 6635, [...mplsLabel(25, 63), ...inner], false)));
  same(out, expected);
  assert.is(nic.snap.flows.udpSport[10], sport, 'the flow records the tunnel source port');
});

test('VM -> fabric over MPLSoGRE (VM2, no policy) and a flow that drops', () => {
  const nic = compute1();
  const inner = (ttl: number): number[] => ipv4({ src: '10.1.1.4', dst: '10.1.1.6', proto: 17, ttl }, udp('10.1.1.4', '10.1.1.6', 9, 9, data));
  const out = tx(nic.receive(4, cat(eth(RMAC, VM2, 0x0800), inner(64))), 0);
  same(out, cat(eth(C2, C1, 0x0800), ipv4({ src: '192.168.1.11', dst: '192.168.1.12', proto: 47 }, [...gre(), ...mplsLabel(27, 63), ...inner(63)])));
  const denied = cat(eth(RMAC, VM1, 0x0800), ipv4({ src: '10.1.1.3', dst: '10.1.1.6', proto: 6 }, tcp('10.1.1.3', '10.1.1.6', 33000, 23)));
  assert.equal(nic.receive(3, denied), { kind: 'drop', reason: 'flow_action_drop' });
});

test('VM -> VM on the same compute: route to encap NH 13, new L2 header, TTL and checksum updated', () => {
  const nic = compute1();
  const pkt = cat(eth(RMAC, VM2, 0x0800), ipv4({ src: '10.1.1.4', dst: '10.1.1.3', proto: 17, ttl: 10 }, udp('10.1.1.4', '10.1.1.3', 5, 6, data)));
  const out = tx(nic.receive(4, pkt), 3);
  same(out, cat(eth(VM1, RMAC, 0x0800), ipv4({ src: '10.1.1.4', dst: '10.1.1.3', proto: 17, ttl: 9 }, udp('10.1.1.4', '10.1.1.3', 5, 6, data))));
});

test('ECMP: flows to 10.1.1.100 spread over both composite members, per-flow stable', () => {
  const nic = compute1();
  const counts = new Map<number, number>();
  let tunnelled: Uint8Array | undefined;
  for (let sp = 1000; sp < 1064; sp++) {
    const pkt = cat(eth(RMAC, VM2, 0x0800), ipv4({ src: '10.1.1.4', dst: '10.1.1.100', proto: 17 }, udp('10.1.1.4', '10.1.1.100', sp, 80, data)));
    const v = nic.receive(4, pkt);
    assert.is(v.kind, 'tx');
    if (v.kind !== 'tx') continue;
    counts.set(v.port, (counts.get(v.port) ?? 0) + 1);
    if (v.port === 0) tunnelled = v.bytes;
    const again = nic.receive(4, pkt);
    assert.is(again.kind === 'tx' && again.port, v.port, 'same flow, same member');
  }
  assert.ok((counts.get(0) ?? 0) > 10 && (counts.get(4) ?? 0) > 10, `both members used: ${JSON.stringify([...counts])}`);
  assert.is((tunnelled![42]! << 12) | (tunnelled![43]! << 4) | (tunnelled![44]! >> 4), 26, 'the member label 26 is pushed');
});

test('flow miss: HOLD entry, trap to the agent, queued packets released when the agent programs the flow', () => {
  const nic = compute1();
  const pkt = cat(eth(RMAC, VM1, 0x0800), ipv4({ src: '10.1.1.3', dst: '10.1.1.4', proto: 6 }, tcp('10.1.1.3', '10.1.1.4', 1234, 22)));
  const v = nic.receive(3, pkt);
  assert.is(v.kind, 'trap');
  if (v.kind !== 'trap') return;
  assert.is(v.reason, 'flow-miss'); assert.is(v.code, 6); assert.is(v.vrf, 1);
  same(v.bytes, pkt);
  assert.equal(nic.receive(3, pkt), { kind: 'hold', flowIndex: v.flowIndex });
  const rev = nic.freeFlowIndex(v.flowIndex + 1);
  const r = nic.commit((d) => {
    d.flows[v.flowIndex] = { index: v.flowIndex, family: 'inet', proto: 6, sip: '10.1.1.3', dip: '10.1.1.4', sport: 1234, dport: 22, nh: 13, vrf: 1, action: 'forward', nat: 0, rflow: rev, dvrf: 1, srcNh: 13, ecmp: -1 };
    d.flows[rev] = { index: rev, family: 'inet', proto: 6, sip: '10.1.1.4', dip: '10.1.1.3', sport: 22, dport: 1234, nh: 14, vrf: 1, action: 'forward', nat: 0, rflow: v.flowIndex, dvrf: 1, srcNh: 14, ecmp: -1 };
  });
  assert.is(r.released.length, 2, 'trapped packet and the held one are released');
  for (const x of r.released) assert.is(x.kind === 'tx' && x.port, 4);
  assert.is(tx(nic.receive(3, pkt), 4).length, pkt.length);
});

test('NAT flow: source NAT to the floating IP on the way out, destination NAT on the way back', () => {
  const nic = compute1();
  const out = tx(nic.receive(3, cat(eth(RMAC, VM1, 0x0800), ipv4({ src: '10.1.1.3', dst: '203.0.113.53', proto: 17 }, udp('10.1.1.3', '203.0.113.53', 5000, 53, data)))), 0);
  const inner = out.subarray(46);
  same(inner, Uint8Array.from(ipv4({ src: '198.51.100.3', dst: '203.0.113.53', proto: 17, ttl: 63 }, udp('198.51.100.3', '203.0.113.53', 5000, 53, data))));
  assert.ok(checksumsValid(out, 46));
  assert.is((out[42]! << 12) | (out[43]! << 4) | (out[44]! >> 4), 29, 'default route label 29');
  const back = ipv4({ src: '203.0.113.53', dst: '198.51.100.3', proto: 17, ttl: 60 }, udp('203.0.113.53', '198.51.100.3', 53, 5000, data));
  const got = tx(nic.receive(0, fromC2(udp('192.168.1.12', '192.168.1.11', 50000, 6635, [...mplsLabel(17, 60), ...back], false), 17, [])), 3);
  same(got, cat(eth(VM1, RMAC, 0x0800), ipv4({ src: '203.0.113.53', dst: '10.1.1.3', proto: 17, ttl: 60 }, udp('203.0.113.53', '10.1.1.3', 53, 5000, data))));
});

test('TTL: IP TTL 1 from a VM is trapped (ZERO_TTL); MPLS TTL 1 is dropped as TTL Exceeded', () => {
  const nic = compute1();
  const v = nic.receive(4, cat(eth(RMAC, VM2, 0x0800), ipv4({ src: '10.1.1.4', dst: '10.1.1.5', proto: 17, ttl: 1 }, udp('10.1.1.4', '10.1.1.5', 1, 2, data))));
  assert.is(v.kind === 'trap' && v.reason, 'zero-ttl');
  const inner = ipv4({ src: '10.1.1.5', dst: '10.1.1.4', proto: 17 }, udp('10.1.1.5', '10.1.1.4', 1, 2, data));
  assert.equal(nic.receive(0, fromC2(udp('192.168.1.12', '192.168.1.11', 50000, 6635, [...mplsLabel(18, 1), ...inner], false), 17, [])), { kind: 'drop', reason: 'ttl_exceeded' });
  assert.is(nic.stats.drops[DROP_INDEX.ttl_exceeded], 1);
});

test('MTU: an oversize DF packet is trapped for ICMP (HANDLE_DF); without DF it falls back to the host', () => {
  const nic = compute1();
  const big = (df: boolean): Uint8Array => cat(eth(RMAC, VM2, 0x0800), ipv4({ src: '10.1.1.4', dst: '10.1.1.5', proto: 17, df }, udp('10.1.1.4', '10.1.1.5', 1, 2, new Array(1452).fill(0))));
  const a = nic.receive(4, big(true));
  assert.is(a.kind === 'trap' && a.reason, 'handle-df');
  const b = nic.receive(4, big(false));
  assert.is(b.kind === 'host' && b.reason, 'fragmentation-needed');
  if (b.kind === 'host') same(b.bytes, big(false));
});

test('unknown MPLS label: dropped and counted as Invalid Label in dropstats', () => {
  const nic = compute1();
  const inner = ipv4({ src: '10.1.1.5', dst: '10.1.1.4', proto: 17 }, udp('10.1.1.5', '10.1.1.4', 1, 2, data));
  assert.equal(nic.receive(0, fromC2([...gre(), ...mplsLabel(99, 64), ...inner], 47, [])), { kind: 'drop', reason: 'invalid_label' });
  assert.match(dumpDrop(nic), /^Invalid Label {15}1$/m);
});

test('offload limits: what the small NIC cannot hold falls back to the host unmodified, with a counted reason', () => {
  const nic = compute1(profile('nic-small.json'));
  const inner = ipv4({ src: '10.1.1.5', dst: '10.1.1.4', proto: 17 }, udp('10.1.1.5', '10.1.1.4', 1, 2, data));
  const g = fromC2([...gre(), ...mplsLabel(18, 64), ...inner], 47, []);
  const v = nic.receive(0, g);
  assert.is(v.kind === 'host' && v.reason, 'unsupported-mplsogre');
  if (v.kind === 'host') { same(v.bytes, g); assert.is(v.port, 0); }
  const r = nic.receive(4, cat(eth(RMAC, VM2, 0x0800), ipv4({ src: '10.1.1.4', dst: '10.1.1.5', proto: 17 }, udp('10.1.1.4', '10.1.1.5', 1, 2, data))));
  assert.is(r.kind === 'host' && r.reason, 'vrf-not-offloaded', 'VRF 1 has more routes than the NIC holds: not offloaded at all');
  const f = nic.receive(3, cat(eth(RMAC, VM1, 0x0800), ipv4({ src: '10.1.1.3', dst: '10.1.1.5', proto: 6 }, tcp('10.1.1.3', '10.1.1.5', 40000, 80))));
  assert.is(f.kind === 'host' && f.reason, 'flow-not-offloaded');
  assert.match(dumpDrop(nic), /unsupported-mplsogre {8}1/);
});

test('burst form over mempool handles gives the same bytes and verdicts as receive()', () => {
  const nic = compute1(), ref = compute1();
  const pkts = [
    cat(eth(RMAC, VM2, 0x0800), ipv4({ src: '10.1.1.4', dst: '10.1.1.3', proto: 17 }, udp('10.1.1.4', '10.1.1.3', 5, 6, data))),
    cat(eth(RMAC, VM1, 0x0800), ipv4({ src: '10.1.1.3', dst: '10.1.1.5', proto: 6 }, tcp('10.1.1.3', '10.1.1.5', 40000, 80))),
    cat(eth(RMAC, VM2, 0x0800), ipv4({ src: '10.1.1.4', dst: '10.1.1.5', proto: 17, ttl: 1 }, udp('10.1.1.4', '10.1.1.5', 1, 2, data))),
  ];
  const ports = [4, 3, 4];
  const pool = new Mempool(8);
  const handles = Int32Array.from(pkts.map((p, i) => { const h = pool.load(p); pool.port[h] = ports[i]!; return h; }));
  const out = new BurstOut(8);
  nic.burst(pool, handles, pkts.length, out);
  pkts.forEach((p, i) => {
    const v = ref.receive(ports[i]!, p);
    if (v.kind === 'tx') { assert.is(out.kind[i], 0); assert.is(out.port[i], v.port); same(pool.data(handles[i]!), v.bytes); }
    else { assert.is(out.kind[i], 3); same(pool.data(handles[i]!), p); }
  });
});

test.run();
