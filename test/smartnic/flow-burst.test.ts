// The burst form of the IPv4 flow lookup answers exactly as one lookup at a time does.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FlowTable, KW } from '../../src/smartnic/index.js';

test('lookupBurst4 equals lookup4 on hits, misses and collisions, across tombstones', () => {
  const ft = new FlowTable(4096);
  const key = new Int32Array(KW);
  let x = 12345;
  const rnd = (): number => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x | 0; };
  const flows: [number, number, number, number][] = [];
  for (let i = 0; i < 3000; i++) {
    const f: [number, number, number, number] = [rnd(), rnd(), rnd() & 0xffff, rnd() & 0xffff];
    flows.push(f);
    ft.put(i, FlowTable.key4(key, 7, 13, 17, f[0], f[1], f[2], f[3]), 1);
  }
  for (let i = 0; i < 3000; i += 3) ft.remove(i);
  const q = new Int32Array(64 * 4), out = new Int32Array(64);
  for (let base = 0; base < 3200; base += 64) {
    const want: number[] = [];
    for (let k = 0; k < 64; k++) {
      const f = flows[(base + k) % 3000]!;
      const proto = (base + k) >= 3000 ? 6 : 17; // past 3000: same addresses, other protocol: misses
      q.set([f[0], f[1], (f[2] << 16) | f[3], proto], k * 4);
      want.push(ft.lookup4(7, 13, proto, f[0], f[1], f[2], f[3]));
    }
    ft.lookupBurst4(7, 13, q, 64, out);
    assert.equal([...out], want);
  }
  assert.is(ft.lookup4(7, 13, 17, flows[1]![0], flows[1]![1], flows[1]![2], flows[1]![3]), 1);
  assert.is(ft.lookup4(7, 13, 17, flows[0]![0], flows[0]![1], flows[0]![2], flows[0]![3]), -1);
});

test.run();
