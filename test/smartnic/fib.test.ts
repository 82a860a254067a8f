import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fib, maskIPv4, parseIPv6 } from '../../src/smartnic/index.js';

function rng(seed: number): () => number {
  let x = seed;
  return () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x >>> 0; };
}

/** Longest match by brute force over a route list. */
function brute(routes: Map<string, [number, number, number]>, vrf: number, a: number): number | undefined {
  let best: [number, number, number] | undefined;
  for (const [k, r] of routes) {
    if (!k.startsWith(`${vrf}/`)) continue;
    if (maskIPv4(a, r[1]) === r[0] && (!best || r[1] > best[1])) best = r;
  }
  return best?.[2];
}

for (const layout of ['16-8-8', '24-8'] as const) {
  test(`IPv4 LPM (${layout}) equals brute force through random adds and deletes, per VRF`, () => {
    const next = rng(7);
    const fib = new Fib({ v4Layout: layout });
    const routes = new Map<string, [number, number, number]>();
    // Short prefixes repaint 2^(24-len) slots of a 24-8 root each time: fewer of them there.
    const lens = layout === '24-8' ? [0, 12, 16, 20, 23, 24, 24, 24, 25, 28, 31, 32, 32, 32, 32, 32, 32, 32, 32, 32] : [0, 8, 12, 16, 20, 23, 24, 25, 28, 31, 32];
    const base = [0x0a000000, 0x0a010000, 0xc0a80000];
    for (let i = 0; i < (layout === '24-8' ? 1000 : 3000); i++) {
      const vrf = next() % 2;
      const len = lens[next() % lens.length]!;
      const p = maskIPv4((base[next() % 3]! | (next() & 0x1ffff)) >>> 0, len);
      const k = `${vrf}/${p}/${len}`;
      if (routes.has(k) && next() % 2) { fib.delete4(vrf, p, len); routes.delete(k); }
      else { const nh = 1 + (next() % 100); fib.add4(vrf, p, len, nh, -1); routes.set(k, [p, len, nh]); }
      if (i % 500 === 499) {
        for (let j = 0; j < 200; j++) {
          const a = (base[next() % 3]! | (next() & 0x1ffff)) >>> 0;
          const v = next() % 2;
          assert.is(fib.lookup4(v, a)?.nh, brute(routes, v, a), `vrf ${v} addr ${a.toString(16)} after ${i} updates`);
        }
      }
    }
    const addrs = Uint32Array.from({ length: 64 }, () => (base[next() % 3]! | (next() & 0x1ffff)) >>> 0);
    const out = new Int32Array(64);
    fib.leaf4Burst(1, addrs, 64, out);
    addrs.forEach((a, i) => assert.is(out[i], fib.leaf4(1, a), 'burst lookup equals single lookup'));
  });
}

test('lookup returns next hop, label and the matched prefix length; deleting restores the covering route', () => {
  const fib = new Fib();
  fib.add4(3, 0x0a000000, 8, 5, 100);
  fib.add4(3, 0x0a010100, 24, 6, 200);
  assert.equal(fib.lookup4(3, 0x0a010107), { nh: 6, label: 200, prefixLen: 24 });
  assert.equal(fib.lookup4(3, 0x0a020107), { nh: 5, label: 100, prefixLen: 8 });
  assert.is(fib.lookup4(4, 0x0a010107), undefined, 'VRFs are separate');
  fib.delete4(3, 0x0a010100, 24);
  assert.equal(fib.lookup4(3, 0x0a010107), { nh: 5, label: 100, prefixLen: 8 });
});

test('IPv6 LPM with 16 bytes', () => {
  const fib = new Fib();
  fib.add6(1, parseIPv6('fd00::')!, 16, 1, -1);
  fib.add6(1, parseIPv6('fd00:1::')!, 32, 2, -1);
  fib.add6(1, parseIPv6('fd00:1::5')!, 128, 3, 25);
  assert.equal(fib.lookup6(1, parseIPv6('fd00:1::5')!), { nh: 3, label: 25, prefixLen: 128 });
  assert.is(fib.lookup6(1, parseIPv6('fd00:1::6')!)?.nh, 2);
  assert.is(fib.lookup6(1, parseIPv6('fd00:2::6')!)?.nh, 1);
  fib.delete6(1, parseIPv6('fd00:1::')!, 32);
  assert.is(fib.lookup6(1, parseIPv6('fd00:1::6')!)?.nh, 1);
  assert.is(fib.lookup6(1, parseIPv6('fe80::1')!), undefined);
});

test.run();
