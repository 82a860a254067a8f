// Runtime.runBurst, the per-burst hot path a pipeline calls: the program runs on mbufs of a
// Mempool in place, in both tiers, and agrees packet by packet with testRun (verdict, bytes,
// moved data/meta offsets, redirect targets, maps).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadObject } from '../../src/elf/index.js';
import { parseSetup } from '../../src/maps/index.js';
import { Mempool } from '../../src/packet/index.js';
import type { Tier } from '../../src/vm/index.js';
import { loadRuntime, type RuntimeOptions } from '../../src/vm/runtime/index.js';
import { repoRoot } from '../conformance-data.js';
import { P } from './packets.js';

const TIERS: Tier[] = ['interp', 'compiled'];
const rt = (obj: string, opts: RuntimeOptions = {}) =>
  loadRuntime(loadObject(new Uint8Array(readFileSync(join(repoRoot, 'programs', obj))), obj), { cpus: 1, ...opts });
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Load packets into a pool and run them as one burst; returns verdicts, targets and the packets after. */
function burst(r: ReturnType<typeof rt>, packets: Uint8Array[]) {
  const pool = new Mempool(packets.length + 2);
  const handles = Int32Array.from(packets.map((p) => pool.load(p)));
  const verdicts = new Int32Array(packets.length), targets = new Int32Array(packets.length);
  r.runBurst(pool, handles, packets.length, verdicts, targets);
  return { verdicts: [...verdicts], targets: [...targets], out: [...handles].map((h) => hex(pool.data(h))), pool, handles };
}

test('a burst gives each packet the verdict and bytes testRun gives it, in both tiers', () => {
  const packets = [P.udp4(9999), P.udp4(53), P.tcp4(), P.arp(), P.udp6()];
  for (const tier of TIERS) {
    for (const obj of ['xdp/drop_udp.o', 'xdp/icmp_echo.o']) {
      const b = burst(rt(obj, { tier }), packets);
      const one = rt(obj, { tier });
      const want = packets.map((p) => one.testRun(p));
      assert.equal(b.verdicts, want.map((w) => w.retval), `${obj} ${tier}`);
      assert.equal(b.out, want.map((w) => hex(w.dataOut)), `${obj} ${tier}`);
    }
  }
});

test('adjust_head in a burst moves the data offset and length in the pool', () => {
  for (const tier of TIERS) {
    const r = rt('xdp3/encap.o', { prog: 'ipip_encap', tier });
    const p = P.udp4();
    const b = burst(r, [p, p]);
    const want = rt('xdp3/encap.o', { prog: 'ipip_encap', tier }).testRun(p);
    assert.equal(b.verdicts, [want.retval, want.retval]);
    assert.equal(b.out, [hex(want.dataOut), hex(want.dataOut)]);
    const h = b.handles[0]!;
    assert.is(b.pool.dataLen[h], want.dataOut.length);
    assert.is(b.pool.dataOff[h], 256 - (want.dataOut.length - p.length)); // the header grew into the headroom
  }
});

test('redirect targets per packet; a map program counts in its maps as testRun does', () => {
  for (const tier of TIERS) {
    const red = rt('xdp3/redirect.o', { prog: 'redir_ifindex', tier });
    const b = burst(red, [P.udp4(53, '1.1.1.1', '10.0.0.5'), P.udp4(1)]);
    const want = [P.udp4(53, '1.1.1.1', '10.0.0.5'), P.udp4(1)].map((p) => rt('xdp3/redirect.o', { prog: 'redir_ifindex', tier }).testRun(p));
    assert.equal(b.verdicts, want.map((w) => w.retval));
    assert.equal(b.targets, want.map((w) => (w.retval === 4 ? w.redirect!.index : -1)));
  }
  // The bench objects inline their lookups in the compiled tier: counts must not change.
  for (const name of ['lpm_fib', 'flow_count', 'csum_1500']) {
    const setupFile = join(repoRoot, 'programs', 'bench', `${name}.setup`);
    const setup = name === 'lpm_fib' ? parseSetup(readFileSync(setupFile, 'utf8'), setupFile) : undefined;
    const dumps = TIERS.map((tier) => {
      const r = rt(`bench/${name}.o`, { tier, setup });
      const b = burst(r, [P.udp4(53, '10.0.0.1', '10.1.2.3'), P.udp4(53, '10.0.0.1', '203.0.113.9'), P.udp4(53, '10.0.0.1', '10.1.2.3')]);
      return { v: b.verdicts, t: b.targets, out: b.out, c: r.counters.snapshot(r.memory), maps: r.maps.list.map((m) => m.counters), dump: r.dumpMapsJson() };
    });
    assert.equal(dumps[1], dumps[0], name);
    assert.is(dumps[0]!.c.runs, 3);
  }
});

test('runBurst checks its array sizes', () => {
  const r = rt('xdp/drop_udp.o');
  assert.throws(() => r.runBurst(new Mempool(4), new Int32Array(2), 3, new Int32Array(3)), /do not fit/);
});

test.run();
