// Sources: rates count 20 bytes of wire overhead, size mixes and flows are seeded and exact,
// pcaps stream with their timestamps; RSS is the Toeplitz hash NICs compute.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lastValueFrom, toArray, map } from 'rxjs';
import { Mempool, dissect } from '../../src/packet/index.js';
import { generatorSource, gapNs, parseTrafficProfile, pcapSource, Rss, toeplitz, type Burst } from '../../src/pipeline/index.js';
import { traffic } from './helpers.js';

/** Frames of a source as copies (bursts are reused), with their times and ports. */
async function frames(src: ReturnType<typeof generatorSource>): Promise<{ bytes: Uint8Array; time: number; port: number }[]> {
  const out = await lastValueFrom(src.pipe(map((b: Burst) => {
    const list = [];
    for (let i = 0; i < b.n; i++) {
      const h = b.handles[i]!;
      list.push({ bytes: b.pool.data(h).slice(), time: b.time[i]!, port: b.pool.port[h]! });
      b.pool.free(h);
    }
    return list;
  }), toArray()));
  return out.flat();
}

test('line rate: 64-byte frames at 10 Gbit/s are 67.2 ns apart (14.88 Mpps), 1518-byte 1230.4 ns', () => {
  const p = parseTrafficProfile('rate: { gbps: 10 }\nstreams: [{}]\n');
  assert.is(gapNs(p, 64, 10), 67.2);
  assert.ok(Math.abs(gapNs(p, 1518, 10) - 1230.4) < 1e-9);
  const half = parseTrafficProfile('rate: { percent: 50 }\nstreams: [{}]\n');
  assert.ok(Math.abs(gapNs(half, 64, 10) - 134.4) < 1e-9);
  assert.is(gapNs(parseTrafficProfile('rate: { pps: 1000000 }\nstreams: [{}]\n'), 1518, 10), 1000);
});

test('generator: seeded and reproducible; IMIX 7:4:1; flows limited to the count asked', async () => {
  const p = parseTrafficProfile('rate: { gbps: 10 }\npackets: 12000\nsize: imix\nstreams: [{ flows: 16, src: 10.0.0.0/8 }]\n');
  const a = await frames(generatorSource(p, { seed: 5 }));
  const b = await frames(generatorSource(p, { seed: 5 }));
  const c = await frames(generatorSource(p, { seed: 6 }));
  assert.is(a.length, 12000);
  assert.ok(a.every((f, i) => Buffer.from(f.bytes).equals(Buffer.from(b[i]!.bytes)) && f.time === b[i]!.time));
  assert.ok(a.some((f, i) => !Buffer.from(f.bytes).equals(Buffer.from(c[i]!.bytes))), 'another seed, other frames');
  const count = (len: number): number => a.filter((f) => f.bytes.length === len).length;
  assert.ok(Math.abs(count(60) / 12000 - 7 / 12) < 0.02 && Math.abs(count(566) / 12000 - 4 / 12) < 0.02 && Math.abs(count(1514) / 12000 - 1 / 12) < 0.02);
  const srcs = new Set(a.map((f) => `${f.bytes[26]}.${f.bytes[27]}.${f.bytes[28]}.${f.bytes[29]}:${f.bytes[34]! * 256 + f.bytes[35]!}`));
  assert.ok(srcs.size <= 16 && srcs.size > 8);
  // time advances by the wire time of the previous frame
  assert.ok(Math.abs(a[1]!.time - a[0]!.time - ((a[0]!.bytes.length + 4 + 20) * 8) / 10) < 1e-6);
  const d = dissect(a[0]!.bytes);
  assert.ok(d.some((l) => l.name === 'udp' || l.name === 'tcp'));
});

test('pcap source: streamed in bursts with times relative to the first record, pcapng interfaces as ports', async () => {
  const f = await frames(pcapSource(traffic('udp-mix.pcap'), { burst: 32 }));
  assert.is(f.length, 700);
  assert.is(f[0]!.time, 0);
  assert.is(f[1]!.time, 2000);
  const o = await frames(pcapSource(traffic('overlay.pcapng'), { pool: new Mempool(64) }));
  assert.equal([...new Set(o.map((x) => x.port))].sort(), [0, 3, 4, 5]);
  const limited = await frames(pcapSource(traffic('udp-mix.pcap'), { limit: 50 }));
  assert.is(limited.length, 50);
});

test('RSS: Toeplitz hash matches the Microsoft RSS verification suite', () => {
  // 66.9.149.187:2794 -> 161.142.100.80:1766: hash of src, dst, sport, dport is 0x51ccc178
  const t = Uint8Array.from([66, 9, 149, 187, 161, 142, 100, 80, 2794 >> 8, 2794 & 255, 1766 >> 8, 1766 & 255]);
  assert.is(toeplitz(t, 0, 12), 0x51ccc178);
  assert.is(toeplitz(t, 0, 8), 0x323e8fc2);
  const rss = new Rss(4);
  const frame = new Uint8Array(60);
  frame[12] = 8; frame[14] = 0x45; frame[23] = 6; frame.set(t.subarray(0, 8), 26); frame.set(t.subarray(8), 34);
  assert.is(rss.queue(frame, 0, 60), (0x51ccc178 & 127) % 4);
  assert.is(new Rss(4).queue(new Uint8Array(60), 0, 60), 0, 'non-IP to queue 0');
});

test.run();
