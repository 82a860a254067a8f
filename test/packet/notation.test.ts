// The packet notation: values, defaults, several packets per file, and every error kind with
// its exact text (file:line:col, the line, a caret).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { XdplabError, renderDiagnostic } from '../../src/diag/index.js';
import { dissect, parsePacket, parsePacketLayers, parsePackets } from '../../src/packet/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function error(text: string): { kind: string; text: string } {
  try {
    parsePacket(text, 'x.pkt');
  } catch (e) {
    assert.instance(e, XdplabError);
    const d = (e as XdplabError).diagnostics[0]!;
    return { kind: d.kind, text: renderDiagnostic(d) };
  }
  throw new Error(`no error for ${text}`);
}

test('defaults: MACs 02:..:01 -> 02:..:02, 10.0.0.1 -> 10.0.0.2, ttl 64, id 1, ports 53, TCP S 20->80 win 8192', () => {
  assert.is(hex(parsePacket('eth')), '020000000002' + '020000000001' + '88b5');
  const [eth, ip, udp] = dissect(parsePacket('eth/ipv4/udp'));
  assert.is(eth!.fields.type, 0x0800);
  assert.is(ip!.fields.ttl, 64);
  assert.is(ip!.fields.id, 1);
  assert.is(hex(ip!.fields.src as Uint8Array), '0a000001');
  assert.is(udp!.fields.sport, 53);
  assert.is(udp!.fields.dport, 53);
  const tcp = dissect(parsePacket('eth/ipv6/tcp'))[2]!;
  assert.equal([tcp.fields.sport, tcp.fields.dport, tcp.fields.flags, tcp.fields.win], [20, 80, 2, 8192]);
  const v6 = dissect(parsePacket('eth/ipv6'))[1]!;
  assert.is(v6.fields.nh, 59, 'no next header');
  assert.is(hex(v6.fields.dst as Uint8Array), 'fd000000000000000000000000000002');
});

test('values: decimal, 0x, 0b, MAC with dashes, IPv6 forms, constant names, quoted strings', () => {
  const ls = dissect(parsePacket('eth(src=2-0-0-0-0-a)/vlan(id=0x64, pcp=0b101)/ipv6(src=::ffff:10.1.2.3, dst=2001:DB8::1, nh=udp)/udp(dport=4789)'));
  assert.is(hex(ls[0]!.fields.src as Uint8Array), '02000000000a');
  assert.is(ls[1]!.fields.id, 100);
  assert.is(ls[1]!.fields.pcp, 5);
  assert.is(hex(ls[2]!.fields.src as Uint8Array), '00000000000000000000ffff0a010203');
  assert.is(hex(ls[2]!.fields.dst as Uint8Array), '20010db8000000000000000000000001');
  assert.is(hex(parsePacket('payload(text="a\\"b\\x00\\n")')), '61226200' + '0a');
  assert.is(hex(parsePacket('payload(len=3, fill=0xff)')), 'ffffff');
  assert.is(dissect(parsePacket('eth(ethertype=ipv6)/ipv6'))[0]!.fields.type, 0x86dd);
  assert.is(dissect(parsePacket('eth/arp(op=reply)'))[1]!.fields.op, 2);
  assert.is(dissect(parsePacket('eth/ipv4/icmp(type=echo-reply)'))[2]!.fields.type, 0);
});

test('aliases: dot1q, ip, chksum, window', () => {
  assert.is(hex(parsePacket('eth/dot1q(vid=5)/ip/tcp(window=1)')), hex(parsePacket('eth/vlan(id=5)/ipv4/tcp(win=1)')));
  assert.equal(parsePacketLayers('eth/ip(chksum=7)'), [{ name: 'eth', given: {} }, { name: 'ipv4', given: { checksum: 7 } }]);
});

test('parsePackets: one per line, comments, blank lines, continuation after / , (', () => {
  const ps = parsePackets('# two packets\neth/ipv4/udp\n\neth/ipv6/   # continues\n  tcp(flags=S,\n      win=5)\n');
  assert.is(ps.length, 2);
  assert.is(hex(ps[1]!), hex(parsePacket('eth/ipv6/tcp(flags=S, win=5)')));
  assert.throws(() => parsePackets('eth\neth/ipv4(ttl=999)\n', 'm.pkts'), (e: XdplabError) =>
    e.message === 'm.pkts:2:14: error: ipv4.ttl=999 is out of range; expected 0..255\n  eth/ipv4(ttl=999)\n               ^^^');
});

const ERRORS: [string, string, string][] = [
  ['', 'grammar', 'x.pkt:1:1: error: empty packet; expected a layer such as eth(...)\n  \n  ^'],
  ['eth(', 'grammar', "x.pkt:1:5: error: unexpected end of packet after '('; expected a field name or ')'\n  eth(\n      ^"],
  ['eth(dst 1)', 'grammar', "x.pkt:1:9: error: unexpected '1'; expected '='\n  eth(dst 1)\n          ^"],
  ['eth/ipv4(ttl=)', 'grammar', "x.pkt:1:14: error: unexpected ')'; expected a value\n  eth/ipv4(ttl=)\n               ^"],
  ['eth/ipv4 ipv6', 'grammar', "x.pkt:1:10: error: unexpected 'ipv6'; expected '(' or '/'\n  eth/ipv4 ipv6\n           ^^^^"],
  ['eth/@', 'grammar', "x.pkt:1:5: error: unexpected character '@'; expected a layer name\n  eth/@\n      ^"],
  ['payload(text="abc)', 'grammar', 'x.pkt:1:14: error: unterminated string; expected a value\n  payload(text="abc)\n               ^^^^^'],
  ['eth/ipv5', 'semantic', "x.pkt:1:5: error: unknown layer 'ipv5'\n  eth/ipv5\n      ^^^^\n  layers: eth, vlan, qinq, mpls, arp, ipv4, ipv6, ipv6hop, ipv6route, ipv6frag, ipv6dest, tcp, udp, icmp, icmpv6, vxlan, gre, payload, pad"],
  ['eth/udp(sprot=1)', 'semantic', "x.pkt:1:9: error: udp has no field 'sprot'\n  eth/udp(sprot=1)\n          ^^^^^\n  udp fields: sport, dport, len, checksum"],
  ['eth/ipv4(ttl=300)', 'semantic', 'x.pkt:1:14: error: ipv4.ttl=300 is out of range; expected 0..255\n  eth/ipv4(ttl=300)\n               ^^^'],
  ['vlan(id=-1)', 'semantic', 'x.pkt:1:9: error: vlan.id=-1 is out of range; expected 0..4095\n  vlan(id=-1)\n          ^^'],
  ['eth/ipv4(ttl=abc)', 'semantic', "x.pkt:1:14: error: ipv4.ttl expects a number, got 'abc'\n  eth/ipv4(ttl=abc)\n               ^^^"],
  ['eth(dst=02:00)', 'semantic', "x.pkt:1:9: error: bad MAC address '02:00' for eth.dst; expected six hex bytes like 02:00:00:00:00:01\n  eth(dst=02:00)\n          ^^^^^"],
  ['ipv4(src=10.0.0.300)', 'semantic', "x.pkt:1:10: error: bad IPv4 address '10.0.0.300' for ipv4.src; expected four numbers 0..255 like 10.0.0.1\n  ipv4(src=10.0.0.300)\n           ^^^^^^^^^^"],
  ['ipv6(dst=1::2::3)', 'semantic', "x.pkt:1:10: error: bad IPv6 address '1::2::3' for ipv6.dst; expected eight groups of hex digits (:: for a run of zeros) like fd00::1\n  ipv6(dst=1::2::3)\n           ^^^^^^^"],
  ['tcp(flags="syn,fin,foo")', 'semantic', "x.pkt:1:11: error: bad tcp.flags 'syn,fin,foo': unknown TCP flag 'foo'; expected letters of FSRPAUEC or names fin, syn, rst, psh, ack, urg, ece, cwr\n  tcp(flags=\"syn,fin,foo\")\n            ^^^^^^^^^^^^^"],
  ['ipv4(ttl=1, ttl=2)', 'semantic', 'x.pkt:1:13: error: ipv4.ttl is given twice\n  ipv4(ttl=1, ttl=2)\n              ^^^'],
  ['payload(hex=abc)', 'semantic', "x.pkt:1:13: error: bad hex 'abc' for payload.hex; expected an even number of hex digits like deadbeef\n  payload(hex=abc)\n              ^^^"],
  ['payload(hex=00, len=3)', 'semantic', 'x.pkt:1:17: error: payload takes only one of hex=, text=, len=\n  payload(hex=00, len=3)\n                  ^^^'],
  ['eth/pad/ipv4', 'semantic', 'x.pkt:1:5: error: pad must be the last layer\n  eth/pad/ipv4\n      ^^^'],
  ['eth/tcp', 'semantic', 'x.pkt:1:5: error: tcp cannot follow eth; give eth(type=...) to place it there anyway\n  eth/tcp\n      ^^^'],
];

test('every error kind, exact text', () => {
  for (const [input, kind, text] of ERRORS) {
    const e = error(input);
    assert.is(e.text, text, input);
    assert.is(e.kind, kind, input);
  }
});

test('an explicit next-protocol field places any layer anywhere', () => {
  const p = parsePacket('eth(type=0x0800)/tcp');
  assert.is(p.length, 34);
});

test.run();
