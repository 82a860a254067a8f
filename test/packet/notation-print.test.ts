// Printing packets back in the notation: parsePacket(formatPacket(p)) is p, byte for byte, for
// hand-picked packets, random layer stacks, random and mutated bytes (fast-check); the verbose
// form; field-level diffs; and tshark's reading of our pcap where tshark is installed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  diffPackets, dissect, formatPacket, formatPacketVerbose, layerSpec, parsePacket, PcapWriter,
} from '../../src/packet/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function roundTrip(p: Uint8Array, why: string): void {
  const text = formatPacket(p);
  let again: Uint8Array;
  try {
    again = parsePacket(text);
  } catch (e) {
    throw new Error(`${why}\nformatted: ${text}\n${(e as Error).message}`);
  }
  if (hex(again) !== hex(p)) throw new Error(`${why}\nformatted: ${text}\nwant ${hex(p)}\ngot  ${hex(again)}`);
}

test('formatPacket prints only what differs from the defaults', () => {
  const p = parsePacket('eth(dst=02:00:00:00:00:01)/vlan(id=10)/ipv4(src=10.0.0.1, dst=10.0.0.2, ttl=64)/udp(sport=1234, dport=53)/payload(hex=deadbeef)');
  assert.is(formatPacket(p), 'eth(dst=02:00:00:00:00:01)/vlan(id=10)/ipv4()/udp(sport=1234)/payload(hex=deadbeef)');
  assert.is(formatPacket(parsePacket('eth/ipv4/udp(checksum=0)/pad(min=60)')), 'eth()/ipv4()/udp(checksum=0x0000)/pad(len=18)');
  assert.is(formatPacket(parsePacket('eth/ipv6/tcp(flags="syn,ack")/payload(text="GET /")')), 'eth()/ipv6()/tcp(flags=SA)/payload(text="GET /")');
  assert.is(formatPacket(new Uint8Array([1, 2, 3])), 'payload(hex=010203)');
  assert.is(formatPacket(new Uint8Array(0)), 'payload()');
});

const HAND = [
  'eth/qinq(id=100, pcp=3)/vlan(id=10, dei=1)/ipv4(dscp=ef, ecn=2, df=1, opts=94040000)/tcp(seq=4294967295, flags=FPU, opts=0101080a0000000100000002)',
  'eth/mpls(label=1048575, tc=7)/mpls(ttl=1)/ipv6(tc=255, fl=1048575, hlim=1)/udp/payload(text="\\"quoted\\" \\\\ ")',
  'eth/ipv4/udp/vxlan(vni=16777215, flags=0x0c)/eth/arp(op=reply, tpa=192.168.0.1)',
  'eth/ipv6/ipv6hop(data=0104000000000000000000000000)/ipv6frag(data=000100000001)/payload(len=16)',
  'eth/ipv4(frag=8, mf=1, proto=udp)/payload(len=8, fill=0xaa)',
  'eth/ipv4/gre(checksum=0x1234, key=1, seq=2)/ipv6/icmpv6',
  'eth/ipv4(len=100)/udp(len=5)/payload(hex=00)',
  'eth/ipv4(ihl=4)/payload(hex=0102)',
  'eth/ipv4(ihl=15)/payload(hex=0102)',
  'eth/ipv6(plen=3)/tcp',
  'eth(type=0x9100)/qinq/mpls(s=0)',
  'eth/ipv4/udp(dport=6635)/mpls/payload(hex=4500)',
  'eth/ipv4(proto=6)',
  'eth/arp/pad(min=60)',
];

test('round trip: hand-picked packets, and every prefix of them (truncated headers)', () => {
  for (const t of HAND) {
    const p = parsePacket(t);
    roundTrip(p, t);
    for (let n = 0; n < p.length; n++) roundTrip(p.subarray(0, n), `${t} cut at ${n}`);
  }
});

// ---- random layer stacks -----------------------------------------------------------------
const NEXT: Record<string, string[]> = {
  eth: ['vlan', 'qinq', 'mpls', 'arp', 'ipv4', 'ipv6', 'payload'],
  vlan: ['vlan', 'mpls', 'arp', 'ipv4', 'ipv6', 'payload'],
  qinq: ['vlan', 'ipv4', 'ipv6', 'payload'],
  mpls: ['mpls', 'ipv4', 'ipv6'],
  ipv4: ['tcp', 'udp', 'icmp', 'gre', 'ipv4', 'ipv6', 'mpls', 'payload'],
  ipv6: ['tcp', 'udp', 'icmpv6', 'gre', 'ipv4', 'ipv6', 'ipv6hop', 'ipv6route', 'ipv6dest', 'ipv6frag', 'payload'],
  udp: ['vxlan', 'mpls', 'payload'],
  gre: ['eth', 'ipv4', 'ipv6', 'mpls', 'payload'],
  vxlan: ['eth'],
};
for (const x of ['ipv6hop', 'ipv6route', 'ipv6dest', 'ipv6frag']) NEXT[x] = ['tcp', 'udp', 'icmpv6', 'ipv6dest', 'payload'];
// Fields that can break the packet on purpose (lengths, checksums, next-protocol, fragments).
const RISKY = new Set(['ihl', 'len', 'plen', 'off', 'checksum', 'proto', 'nh', 'type', 'dport', 's', 'c', 'k', 'mf', 'frag', 'version']);

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomStack(seed: number, risky: boolean): string {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const byte = () => Math.floor(r() * 256).toString(16).padStart(2, '0');
  const parts: string[] = [];
  let name: string | undefined = 'eth';
  while (name && parts.length < 9) {
    if (name === 'payload') { parts.push(r() < 0.5 ? `payload(hex=${Array.from({ length: 1 + Math.floor(r() * 20) }, byte).join('')})` : `payload(len=${Math.floor(r() * 30)})`); break; }
    const spec = layerSpec(name)!;
    const args: string[] = [];
    for (const f of spec.fields) {
      if (r() > 0.3 || (!risky && (RISKY.has(f.name) || f.name === 'opts' || f.name === 'data'))) continue;
      if (f.kind === 'uint') args.push(`${f.name}=${Math.floor(r() * 2 ** f.bits!)}`);
      else if (f.kind === 'mac') args.push(`${f.name}=${Array.from({ length: 6 }, byte).join(':')}`);
      else if (f.kind === 'ipv4') args.push(`${f.name}=${Array.from({ length: 4 }, () => Math.floor(r() * 256)).join('.')}`);
      else if (f.kind === 'ipv6') args.push(`${f.name}=${Array.from({ length: 8 }, () => byte() + byte()).join(':')}`);
      else args.push(`${f.name}="${Array.from({ length: 4 * Math.floor(r() * 4) + (name.startsWith('ipv6') ? 6 : 0) }, byte).join('')}"`);
    }
    parts.push(`${name}(${args.join(', ')})`);
    name = NEXT[name] && (r() < 0.9 || name === 'vxlan') ? pick(NEXT[name]!) : undefined;
  }
  if (r() < 0.3) parts.push(r() < 0.5 ? 'pad(min=60)' : `pad(hex=${byte()}${byte()})`);
  return parts.join('/');
}

test('round trip (fast-check): random layer stacks with random fields', () => {
  fc.assert(fc.property(fc.integer(), fc.boolean(), (seed, risky) => {
    const t = randomStack(seed, risky);
    roundTrip(parsePacket(t), t);
  }), { numRuns: 400, includeErrorInReport: true });
});

test('random stacks without risky fields dissect as written, every checksum ok', () => {
  fc.assert(fc.property(fc.integer(), (seed) => {
    const t = randomStack(seed, false);
    const ls = dissect(parsePacket(t));
    // Padding and an empty payload occupy no layer of their own in a dissection.
    const want = t.split('/').filter((x) => !x.startsWith('pad(') && x !== 'payload(len=0)').map((x) => x.replace(/\(.*$/, ''));
    const got = ls.map((l) => l.name);
    // A stack ending in a header (or an MPLS label before a payload) may dissect a payload further.
    assert.equal(got.slice(0, want.length - 1), want.slice(0, -1), t);
    for (const l of ls) if (l.checksum) assert.is(l.checksum.verdict, 'ok', `${t}: ${l.name}`);
  }), { numRuns: 300, includeErrorInReport: true });
});

test('round trip (fast-check): arbitrary bytes and mutated packets', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), (b) => roundTrip(b, hex(b))), { numRuns: 400, includeErrorInReport: true });
  fc.assert(fc.property(fc.integer(), fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }), (seed, flips) => {
    const p = parsePacket(randomStack(seed, false)).slice();
    for (const [at, v] of flips) p[at % p.length] = v;
    roundTrip(p, hex(p));
  }), { numRuns: 400, includeErrorInReport: true });
});

test('verbose form: every field, names for constants, checksum verdicts', () => {
  const v = formatPacketVerbose(parsePacket('eth/ipv4(checksum=0x0001)/udp(sport=1234)/payload(hex=00ff)'));
  assert.ok(v.startsWith('eth @0, 14 bytes\n  dst       02:00:00:00:00:02\n  src       02:00:00:00:00:01\n  type      0x0800 (ipv4)\nipv4 @14, 20 bytes\n'), v);
  assert.match(v, /\n  checksum  0x0001 \(bad, expected 0x66cc\)\n/);
  assert.match(v, /\n  proto     17 \(udp\)\n/);
  assert.match(v, /\nudp @34, 8 bytes\n  sport     1234\n  dport     53\n  len       10\n  checksum  0x[0-9a-f]{4} \(ok\)\npayload @42, 2 bytes\n  data      00ff \(2 bytes\)$/);
  const t = formatPacketVerbose(parsePacket('eth/ipv6/tcp(flags=SA)').subarray(0, 60));
  assert.match(t, /\ntcp @54, truncated \(6 bytes left\)\n  sport     20\n  dport     80\n  note: tcp header needs more than the 6 bytes left$/);
});

test('diffPackets: field-level lines', () => {
  const e = parsePacket('eth/ipv4(ttl=63)/udp(sport=1)/payload(hex=0102)');
  assert.equal(diffPackets(e, e), []);
  const a = parsePacket('eth/ipv4(ttl=64)/udp(sport=1, checksum=0)/payload(hex=0103)');
  const want = dissect(e);
  const ck = (i: number) => `0x${(want[i]!.fields.checksum as number).toString(16).padStart(4, '0')}`;
  const got = dissect(a);
  assert.equal(diffPackets(e, a), [
    `ipv4.ttl: expected 63, got 64`,
    `ipv4.checksum: expected ${ck(1)}, got 0x${(got[1]!.fields.checksum as number).toString(16).padStart(4, '0')}`,
    `udp.checksum: expected ${ck(2)}, got 0x0000`,
    'payload.data: expected 0102, got 0103',
  ]);
  assert.equal(diffPackets(parsePacket('eth/ipv4/udp/vxlan/eth/ipv4(ttl=1)'), parsePacket('eth/ipv4/udp/vxlan/eth/ipv4(ttl=2)')).slice(0, 1), ['ipv4[1].ttl: expected 1, got 2']);
  assert.equal(diffPackets(parsePacket('eth/ipv4'), parsePacket('eth/ipv6')), [
    'length: expected 34, got 54', 'eth.type: expected 0x0800, got 0x86dd', 'layer 1: expected ipv4, got ipv6']);
  assert.equal(diffPackets(parsePacket('eth/ipv4/payload(len=40)'), parsePacket('eth/ipv4/payload(len=40, fill=1)')).slice(-1),
    ['payload.data: expected 40 bytes, got 40; first difference at byte 0 (expected 0x00, got 0x01)']);
});

// ---- tshark, where installed ---------------------------------------------------------------
const tshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).status === 0;
if (!tshark) console.log('  (skipping the tshark comparison: tshark is not installed)');
(tshark ? test : test.skip)('tshark reads our pcap with the same fields', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xdplab-packet-'));
  try {
    const file = join(dir, 'p.pcap');
    const w = new PcapWriter(file);
    w.write(parsePacket('eth/vlan(id=42)/ipv4(ttl=17, src=10.1.2.3)/udp(sport=1111)/vxlan(vni=777)/eth/ipv6(hlim=5)/tcp(flags=SA, dport=443)'));
    w.close();
    const r = spawnSync('tshark', ['-r', file, '-T', 'fields', '-E', 'separator=,', '-e', 'vlan.id', '-e', 'ip.ttl', '-e', 'ip.src', '-e', 'ip.checksum.status',
      '-e', 'udp.srcport', '-e', 'vxlan.vni', '-e', 'ipv6.hlim', '-e', 'tcp.dstport', '-e', 'tcp.flags', '-o', 'ip.check_checksum:TRUE'], { encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    const [vlan, ttl, src, ipck, sport, vni, hlim, dport, flags] = r.stdout.trim().split(',');
    assert.equal([vlan, ttl, src, sport, vni, hlim, dport], ['42', '17', '10.1.2.3', '1111', '777', '5', '443']);
    // Wireshark's checksum status: 0 bad, 1 good, 2 unverified; we asked it to verify.
    assert.is(ipck, '1', `ip checksum status ${ipck}`);
    assert.match(flags ?? '', /0x0*12$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
