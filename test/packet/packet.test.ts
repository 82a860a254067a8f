import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  internetChecksum, checksumReplace16, checksumReplace32, Mempool, HEADROOM, MAX_FRAME, PcapReader, PcapWriter, checkFrameSize,
} from '../../src/packet/index.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));
const dir = mkdtempSync(join(tmpdir(), 'xdplab-packet-'));

test('IPv4 header checksum matches the worked example of RFC 1071 practice', () => {
  const ip = hex('4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7');
  assert.is(internetChecksum(ip, 0, 20), 0xb861);
  ip[10] = 0xb8; ip[11] = 0x61;
  assert.is(internetChecksum(ip, 0, 20), 0, 'a header with a correct checksum sums to zero');
});

test('incremental checksum updates equal a full recomputation (TTL decrement, address rewrite)', () => {
  const ip = hex('4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7');
  const oldWord = (ip[8]! << 8) | ip[9]!;
  ip[8] = ip[8]! - 1;
  const c1 = checksumReplace16(0xb861, oldWord, (ip[8]! << 8) | ip[9]!);
  ip[10] = 0; ip[11] = 0;
  assert.is(c1, internetChecksum(ip, 0, 20));
  ip[10] = c1 >> 8; ip[11] = c1 & 0xff;
  const c2 = checksumReplace32(c1, 0xc0a80001, 0x0a000001);
  ip.set([10, 0, 0, 1], 12); ip[10] = 0; ip[11] = 0;
  assert.is(c2, internetChecksum(ip, 0, 20));
});

test('mempool hands out mbufs with 256 bytes of headroom and takes them back', () => {
  const pool = new Mempool(4);
  const h = pool.load(new Uint8Array(60).fill(7));
  assert.is(pool.dataOff[h], HEADROOM);
  assert.is(pool.data(h).length, 60);
  assert.is(pool.data(h)[59], 7);
  const out = new Int32Array(4);
  assert.is(pool.allocBulk(out, 4), false, 'bulk alloc is all or nothing');
  assert.is(pool.allocBulk(out, 3), true);
  assert.is(pool.alloc(), -1);
  pool.free(h);
  assert.is(pool.available, 1);
});

test('frames smaller than an Ethernet header or larger than a page are refused with a reason', () => {
  assert.throws(() => checkFrameSize(13), /13 bytes; an XDP frame needs at least 14/);
  assert.throws(() => checkFrameSize(MAX_FRAME + 1), /holds at most 3520/);
  checkFrameSize(14); checkFrameSize(MAX_FRAME);
});

test('pcap written by the writer reads back record for record', () => {
  const p = join(dir, 'a.pcap');
  const w = new PcapWriter(p);
  for (let i = 0; i < 1000; i++) w.write(new Uint8Array(60 + (i % 50)).fill(i & 0xff), i * 1000);
  w.close();
  const recs = [...new PcapReader(p)];
  assert.is(recs.length, 1000);
  assert.is(recs[999]!.data.length, 60 + (999 % 50));
  assert.is(recs[999]!.data[0], 999 & 0xff);
  assert.is(recs[5]!.timeNs, 5000);
});

test('big-endian nanosecond pcap and pcapng files are read', () => {
  const be = new Uint8Array([
    0xa1, 0xb2, 0x3c, 0x4d, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 1,
    0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, 2, 0xaa, 0xbb,
  ]);
  writeFileSync(join(dir, 'be.pcap'), be);
  const [r] = [...new PcapReader(join(dir, 'be.pcap'))];
  assert.is(r!.timeNs, 1e9 + 5);
  assert.equal([...r!.data], [0xaa, 0xbb]);

  const le32 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
  const shb = [...le32(0x0a0d0d0a), ...le32(28), ...le32(0x1a2b3c4d), 1, 0, 0, 0, ...le32(0xffffffff), ...le32(0xffffffff), ...le32(28)];
  const idb = [...le32(1), ...le32(20), 1, 0, 0, 0, ...le32(0), ...le32(20)];
  const epb = [...le32(6), ...le32(36), ...le32(0), ...le32(0), ...le32(1000), ...le32(3), ...le32(3), 1, 2, 3, 0, ...le32(36)];
  writeFileSync(join(dir, 'a.pcapng'), Uint8Array.from([...shb, ...idb, ...epb]));
  const recs = [...new PcapReader(join(dir, 'a.pcapng'))];
  assert.is(recs.length, 1);
  assert.equal([...recs[0]!.data], [1, 2, 3]);
  assert.is(recs[0]!.timeNs, 1000 * 1000);
});

test('truncated and foreign files get an error naming the file and the place', () => {
  writeFileSync(join(dir, 'junk.pcap'), Uint8Array.from([1, 2, 3, 4, 5]));
  assert.throws(() => new PcapReader(join(dir, 'junk.pcap')), /junk.pcap: unknown magic 0x4030201/);
  const good = readFileSync(join(dir, 'a.pcap'));
  writeFileSync(join(dir, 'cut.pcap'), good.subarray(0, 24 + 16 + 10));
  assert.throws(() => [...new PcapReader(join(dir, 'cut.pcap'))], /cut.pcap: truncated/);
  assert.throws(() => new PcapReader(join(dir, 'missing.pcap')), /cannot read .*missing.pcap: ENOENT/);
});

test.run();
