// Offered load above a path's capacity drops at the ring that overflows; below it, nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dropUdp, profileFile, run, topologyFile } from './helpers.js';

const load = (pps: number, flows = 64): string =>
  profileFile(`rate: { pps: ${pps} }\npackets: 20000\nstreams:\n  - { flows: ${flows}, dport: 7000 }\n`);

const kernel = (queues: number): string => topologyFile(`ports: [{ name: eth0, link: 10 }]\nhost:\n  path: kernel\n  queues: ${queues}\n  stack: local\n  socket: { batch: 32 }\n`);
const dpdk = topologyFile(`ports: [{ name: eth0, link: 100 }, { name: eth1, link: 100 }]\nhost:\n  path: dpdk\n  program: { object: ${dropUdp} }\n  forward: { eth0: eth1 }\n`);

test('kernel path, one CPU: 5 Mpps overflows the NIC RX ring (softirq too slow); 1 Mpps does not drop', async () => {
  const over = await run(kernel(1), { traffic: load(5e6) });
  assert.ok((over.drops['rx ring full'] ?? 0) > 0, JSON.stringify(over.drops));
  assert.equal(Object.keys(over.drops), ['rx ring full'], 'drops only at the RX ring');
  assert.ok(over.paths['host q0']!.drops['rx ring full']! > 0);
  const under = await run(kernel(1), { traffic: load(1e6) });
  assert.is(under.dropped, 0);
  assert.is(under.delivered, 20000);
});

test('kernel path: RSS over two queues carries the 5 Mpps one queue could not', async () => {
  const s = await run(kernel(2), { traffic: load(5e6, 4096) });
  assert.is(s.dropped, 0, JSON.stringify(s.drops));
  assert.ok(s.paths['host q0']!.in > 5000 && s.paths['host q1']!.in > 5000, 'both queues get traffic');
});

test('DPDK lcore with an eBPF filter: 40 Mpps overflows the RX descriptor ring; 10 Mpps forwards everything', async () => {
  const over = await run(dpdk, { traffic: load(40e6) });
  assert.ok((over.drops['rx ring full'] ?? 0) > 0, JSON.stringify(over.drops));
  assert.equal(Object.keys(over.drops), ['rx ring full']);
  const under = await run(dpdk, { traffic: load(10e6) });
  assert.is(under.dropped, 0);
  assert.is(under.tx, 20000);
  assert.is(under.ports.eth1!.tx, 20000);
});

test('drops are exactly reproducible for the same seed', async () => {
  const a = await run(kernel(1), { traffic: load(5e6), seed: 7 });
  const b = await run(kernel(1), { traffic: load(5e6), seed: 7 });
  assert.equal({ ...a, wall: 0, traffic: 0 }, { ...b, wall: 0, traffic: 0 });
});

test.run();
