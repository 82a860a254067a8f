import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { balancedEverywhere, profileFile, run, topologies, topologyFile, traffic, dropUdp } from './helpers.js';

const bundledTraffic = ['udp-mix.pcap', 'overlay.pcapng', 'imix-10g.yaml', 'filter-10g.yaml', 'udp64-line-rate.yaml', 'vrouter-vms.yaml', 'replay.pkt'];

for (const t of topologies) {
  const name = t.split('/').pop()!;
  test(`${name}: every packet is accounted for, on every bundled capture and profile`, async () => {
    // vrouter-vms.yaml sends from VM vifs (ports 3-5), which only the vRouter topology has.
    for (const tr of bundledTraffic.filter((x) => x !== 'vrouter-vms.yaml' || name.startsWith('vrouter'))) {
      const s = await run(t, { traffic: traffic(tr), packets: 3000 });
      assert.ok(s.in > 0, `${tr}: packets went in`);
      assert.ok(balancedEverywhere(s), `${name} on ${tr}: ${JSON.stringify({ in: s.in, tx: s.tx, r: s.redirected, d: s.delivered, x: s.dropped, q: s.queued })}`);
    }
  });
}

test('the profile format of `compare` (programs/traffic/profiles) runs too', async () => {
  const s = await run(topologies.find((t) => t.endsWith('xdp-filter-kernel.yaml'))!, { traffic: traffic('profiles/udp-64.yaml'), packets: 500 });
  assert.is(s.in, 500);
  assert.ok(balancedEverywhere(s));
  assert.ok((s.drops['xdp drop'] ?? 0) > 0, 'drop_udp drops the port-9999 quarter');
});

const sizes = fc.oneof(fc.constant('64'), fc.constant('imix'), fc.tuple(fc.integer({ min: 64, max: 1518 }), fc.integer({ min: 64, max: 1518 }))
  .map(([a, b]) => `{ uniform: [${Math.min(a, b)}, ${Math.max(a, b)}] }`));

test('random traffic on random host paths: conservation holds (fast-check)', async () => {
  await fc.assert(fc.asyncProperty(
    fc.record({
      path: fc.constantFrom('kernel-native', 'kernel-generic', 'dpdk', 'offload'),
      queues: fc.integer({ min: 1, max: 4 }),
      rxDesc: fc.constantFrom(64, 256, 1024),
      percent: fc.integer({ min: 1, max: 100 }),
      size: sizes,
      flows: fc.integer({ min: 1, max: 2000 }),
      udp: fc.integer({ min: 0, max: 4 }), tcp: fc.integer({ min: 0, max: 4 }), icmp: fc.integer({ min: 1, max: 2 }),
      packets: fc.integer({ min: 1, max: 1500 }),
      seed: fc.integer({ min: 0, max: 1000 }),
      burst: fc.integer({ min: 1, max: 64 }),
      nine: fc.boolean(),
    }),
    async (r) => {
      const host = r.path === 'dpdk'
        ? `  path: dpdk\n  program: { object: ${dropUdp} }\n  forward: { eth0: eth1 }\n`
        : r.path === 'offload' ? '  path: kernel\n  socket: { batch: 1 }\n'
          : `  path: kernel\n  xdp: { object: ${dropUdp}, mode: ${r.path.slice(7)} }\n  stack: ${r.seed % 3 === 0 ? 'forward' : 'local'}\n  forwardPort: eth1\n`;
      const topo = topologyFile(`ports: [{ name: eth0, link: 10 }, { name: eth1, link: 10 }]\n${r.path === 'offload' ? `nic: { xdp: { object: ${dropUdp} } }\n` : ''}host:\n  queues: ${r.queues}\n  rxDesc: ${r.rxDesc}\n${host}`);
      const prof = profileFile(`rate: { percent: ${r.percent} }\npackets: ${r.packets}\nsize: ${r.size}\nstreams:\n  - { flows: ${r.flows}, protocols: { udp: ${r.udp}, tcp: ${r.tcp}, icmp: ${r.icmp} }, dport: ${r.nine ? '9990-9999' : '1-100'} }\n`);
      const s = await run(topo, { traffic: prof, seed: r.seed, burst: r.burst, drainNs: (r.seed % 4) * 50_000 });
      return s.in === r.packets && balancedEverywhere(s);
    },
  ), { numRuns: 25, seed: 42 });
});

test.run();
