// Header codecs: the notation's bytes against known-good packets (captured from the Linux
// kernel, or built by an independent implementation), the dissector's layers, offsets,
// checksum verdicts, tunnels and truncation.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dissect, parsePacket, type Layer } from '../../src/packet/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const names = (ls: Layer[]) => ls.map((l) => l.name).join('/');
const verdicts = (ls: Layer[]) => ls.filter((l) => l.checksum).map((l) => `${l.name}:${l.checksum!.verdict}`).join(' ');

// Captured on lo from Linux 6.x: the kernel's ICMP port unreachable for a UDP datagram to 127.0.0.1:9999.
const KERNEL_ICMP = '000000000000000000000000080045c00044e31c0000400198da7f0000017f00000103038b9200000000' +
  '450000280ce5400040112fde7f0000017f000001bdf9270f0014fe2768656c6c6f207864706c6162';
// The kernel's TCP RST for a connect() to a closed port.
const KERNEL_RST = '0000000000000000000000000800450000280000400040063cce7f0000017f000001270dba6000000000ebee7a905014000069e10000';
// The kernel's ICMPv6 port unreachable for a UDP datagram to [::1]:9998.
const KERNEL_ICMP6 = '00000000000000000000000086dd600ba177003b3a4000000000000000000000000000000001000000000000000000000000000000010104526d00000000' +
  '6002cc1b000b11400000000000000000000000000000000100000000000000000000000000000001a90b270e000b001e686936';
const Z = 'dst=00:00:00:00:00:00, src=00:00:00:00:00:00';

test('ICMP port unreachable: notation gives the kernel bytes; both checksums ok', () => {
  const p = parsePacket(`eth(${Z})/ipv4(dscp=48, id=58140, src=127.0.0.1, dst=127.0.0.1)/icmp(type=unreachable, code=3)/` +
    'payload(hex=450000280ce5400040112fde7f0000017f000001bdf9270f0014fe2768656c6c6f207864706c6162)');
  assert.is(hex(p), KERNEL_ICMP);
  assert.is(verdicts(dissect(p)), 'ipv4:ok icmp:ok');
});

test('TCP RST: flags by letters, window 0, checksum as the kernel computed it', () => {
  const p = parsePacket(`eth(${Z})/ipv4(id=0, df=1, src=127.0.0.1, dst=127.0.0.1)/tcp(sport=9997, dport=47712, ack=3958274704, flags=RA, win=0)`);
  assert.is(hex(p), KERNEL_RST);
  const p2 = parsePacket(`eth(${Z})/ipv4(id=0, df=1, src=127.0.0.1, dst=127.0.0.1)/tcp(sport=9997, dport=47712, ack=3958274704, flags="rst,ack", win=0)`);
  assert.is(hex(p2), KERNEL_RST);
  assert.is(verdicts(dissect(p)), 'ipv4:ok tcp:ok');
});

test('ICMPv6 with the pseudo-header, flow label, ::1', () => {
  const p = parsePacket(`eth(${Z})/ipv6(fl=762231, src=::1, dst=::1)/icmpv6(type=unreachable, code=4)/` +
    'payload(hex=6002cc1b000b11400000000000000000000000000000000100000000000000000000000000000001a90b270e000b001e686936)');
  assert.is(hex(p), KERNEL_ICMP6);
  assert.is(verdicts(dissect(p)), 'icmpv6:ok');
});

test('the IPv4 header checksum example (0xb861)', () => {
  const p = parsePacket('ipv4(len=115, id=0, df=1, proto=udp, src=192.168.0.1, dst=192.168.0.199)');
  assert.is(hex(p), '450000730000400040110000c0a80001c0a800c7'.replace('0000c0a8', 'b861c0a8'));
});

test('VLAN + UDP and VXLAN: bytes from an independent implementation', () => {
  const p = parsePacket('eth(dst=02:00:00:00:00:01, src=02:00:00:00:00:02)/vlan(id=10)/ipv4()/udp(sport=1234, dport=53)/payload(hex=deadbeef)');
  assert.is(hex(p), '0200000000010200000000028100000a08004500002000010000401166ca0a0000010a00000204d20035000c492fdeadbeef');
  const v = parsePacket('eth/ipv4/udp(sport=49152)/vxlan(vni=100)/eth(dst=02:00:00:00:00:0b, src=02:00:00:00:00:0a)/' +
    'ipv4(src=192.168.1.1, dst=192.168.1.2)/icmp(rest=0x00010001)');
  assert.is(hex(v), '02000000000202000000000108004500004e000100004011669c0a0000010a000002c00012b5003aa0ac080000000000640002000000000b' +
    '02000000000a08004500001c000100004001f78cc0a80101c0a801020800f7fd00010001');
});

test('dissect: named fields with absolute byte offsets', () => {
  const ls = dissect(bytes(KERNEL_RST));
  assert.is(names(ls), 'eth/ipv4/tcp');
  const tcp = ls[2]!;
  assert.is(tcp.offset, 34);
  assert.is(tcp.length, 20);
  assert.is(tcp.fields.sport, 9997);
  assert.is(tcp.fields.flags, 0x14);
  assert.is(tcp.offsets.ack, 42);
  assert.is(tcp.offsets.checksum, 50);
  assert.is(ls[1]!.fields.ttl, 64);
  assert.is(ls[1]!.offsets.ttl, 22);
  assert.equal([...(ls[1]!.fields.src as Uint8Array)], [127, 0, 0, 1]);
});

test('stacks by ethertype, protocol, port and GRE protocol', () => {
  const cases: [string, string][] = [
    ['eth/qinq(id=100)/vlan(id=10)/ipv6/udp', 'eth/qinq/vlan/ipv6/udp'],
    ['eth/mpls(label=100)/mpls(label=200)/ipv4/tcp', 'eth/mpls/mpls/ipv4/tcp'],
    ['eth/ipv4/udp/mpls/ipv6/icmpv6', 'eth/ipv4/udp/mpls/ipv6/icmpv6'],
    ['eth/ipv4/gre/eth/arp', 'eth/ipv4/gre/eth/arp'],
    ['eth/ipv6/gre(key=5)/mpls/ipv4/udp/payload(text="x")', 'eth/ipv6/gre/mpls/ipv4/udp/payload'],
    ['eth/ipv4/ipv4/udp', 'eth/ipv4/ipv4/udp'],
    ['eth/ipv4/ipv6/tcp', 'eth/ipv4/ipv6/tcp'],
    ['eth/ipv6/ipv6hop/ipv6route(data=000000000000000000000000000000000000000000)/ipv6dest/ipv6frag/tcp', 'eth/ipv6/ipv6hop/ipv6route/ipv6dest/ipv6frag/tcp'],
    ['eth/arp(op=reply)', 'eth/arp'],
    ['eth(type=0x1234)/payload(hex=00)', 'eth/payload'],
  ];
  for (const [text, want] of cases) assert.is(names(dissect(parsePacket(text))), want, text);
});

test('next-protocol fields are filled from the next layer', () => {
  const ls = dissect(parsePacket('eth/qinq/vlan/mpls/mpls/ipv4/gre/eth/ipv6/ipv6frag/udp/vxlan/eth'));
  const f = (i: number, k: string) => ls[i]!.fields[k];
  assert.is(f(0, 'type'), 0x88a8);
  assert.is(f(1, 'type'), 0x8100);
  assert.is(f(2, 'type'), 0x8847);
  assert.is(f(3, 's'), 0);
  assert.is(f(4, 's'), 1);
  assert.is(f(5, 'proto'), 47);
  assert.is(f(6, 'proto'), 0x6558);
  assert.is(f(8, 'nh'), 44);
  assert.is(f(9, 'nh'), 17);
  assert.is(f(10, 'dport'), 4789);
});

test('lengths and checksums given explicitly are kept (bad packets on purpose)', () => {
  const ls = dissect(parsePacket('eth/ipv4(checksum=0x1234, ttl=1)/udp(checksum=0, len=9)/payload(hex=0102)'));
  assert.is(ls[1]!.fields.checksum, 0x1234);
  assert.equal(ls[1]!.checksum, { field: 'checksum', verdict: 'bad', expected: ls[1]!.checksum!.expected });
  assert.is(ls[2]!.checksum!.verdict, 'none');
  assert.is(ls[2]!.fields.len, 9);
  assert.is(names(ls), 'eth/ipv4/udp/payload/pad');
  const bad = dissect(parsePacket('eth/ipv4/tcp(checksum=0xbeef)'));
  assert.is(bad[2]!.checksum!.verdict, 'bad');
  const six = dissect(parsePacket('eth/ipv6/udp(checksum=0)'));
  assert.is(six[2]!.checksum!.verdict, 'bad', 'a zero UDP checksum is not allowed over IPv6');
});

test('pad: a trailer outside the IP length; min=60 pads to the Ethernet minimum', () => {
  const p = parsePacket('eth/ipv4/udp/pad(min=60)');
  assert.is(p.length, 60);
  const ls = dissect(p);
  assert.is(names(ls), 'eth/ipv4/udp/pad');
  assert.is(ls[1]!.fields.len, 28);
  assert.is(ls[2]!.checksum!.verdict, 'ok');
  assert.is(parsePacket('eth/ipv4/udp/payload(len=100)/pad(min=60)').length, 142);
  assert.is(hex(parsePacket('eth/ipv4/pad(hex=abcd)')).slice(-4), 'abcd');
});

test('truncation is reported, never a crash', () => {
  const full = parsePacket('eth/vlan/ipv4(opts=01010101)/tcp(opts=020405b4)/payload(len=20)');
  for (let n = 0; n <= full.length; n++) {
    const ls = dissect(full.subarray(0, n));
    const cut = ls.find((l) => l.truncated);
    if (n < 14) assert.is(names(ls), n === 0 ? '' : 'eth', `length ${n}`);
    if (n === 30) { assert.ok(cut); assert.is(cut!.name, 'ipv4'); assert.is(cut!.fields.ttl, 64); assert.is(cut!.fields.src, undefined); }
    if (n === 60) { assert.is(cut?.name, 'tcp'); assert.is(cut!.fields.ack, 0); }
    if (n > 66 && n < full.length) {
      assert.ok(ls[2]!.short, `length ${n}`);
      assert.is(ls.find((l) => l.name === 'tcp')!.checksum!.verdict, 'unknown');
    }
  }
  const ip = dissect(full.subarray(0, 30))[2]!;
  assert.equal(ip.notes, ['ipv4 header needs more than the 12 bytes left']);
});

test('malformed headers stop the walk with a note', () => {
  const ls = dissect(parsePacket('eth/ipv4(ihl=3)/payload(hex=0102)'));
  assert.is(names(ls), 'eth/ipv4/payload');
  assert.equal(ls[1]!.notes, ['ipv4.ihl is 3, below the minimum 5']);
  const frag = dissect(parsePacket('eth/ipv4(frag=100, proto=udp)/payload(len=8)'));
  assert.is(names(frag), 'eth/ipv4/payload', 'a later fragment has no UDP header');
  const first = dissect(parsePacket('eth/ipv4(mf=1)/udp/payload(len=8)'));
  assert.is(first[2]!.checksum!.verdict, 'unknown', 'the first fragment: checksum covers data not here');
});

test('GRE optional words appear when given; checksum computed over GRE and payload', () => {
  const ls = dissect(parsePacket('eth/ipv4/gre(checksum=0, key=0x11223344, seq=7)/eth/ipv4'));
  const g = ls[2]!;
  assert.is(g.length, 16);
  assert.is(g.fields.c, 1);
  assert.is(g.fields.key, 0x11223344);
  assert.is(g.fields.seq, 7);
  assert.is(g.checksum!.verdict, 'bad');
  const ok = dissect(parsePacket('eth/ipv4/gre(c=1, k=1)/eth/ipv4'))[2]!;
  assert.is(ok.length, 12);
  assert.is(ok.checksum!.verdict, 'ok');
});

test.run();
