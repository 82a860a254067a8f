// Lanes on worker threads give the same results as the single-threaded run, pcaps included.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run, stable, tempDir, topo, traffic } from './helpers.js';

for (const [name, tr] of [['vrouter-offload', 'vrouter-vms.yaml'], ['xdp-filter-kernel', 'udp64-line-rate.yaml'], ['dpdk-forwarder', 'imix-10g.yaml']] as const) {
  test(`${name}: --workers 2 gives the single-threaded summary and the same pcaps`, async () => {
    const d1 = tempDir(), d2 = tempDir();
    const one = await run(topo(name), { traffic: traffic(tr), packets: 12000, out: d1 });
    const two = await run(topo(name), { traffic: traffic(tr), packets: 12000, out: d2, workers: 2 });
    const norm = (s: typeof one): unknown => ({ ...(stable(s) as object), ports: Object.fromEntries(Object.entries(s.ports).map(([k, v]) => [k, v.tx])) });
    assert.equal(norm(two), norm(one));
    assert.ok(one.in === 12000 && one.balanced);
    for (const port of Object.keys(one.ports)) {
      const a = readFileSync(join(d1, `${port}.pcap`)), b = readFileSync(join(d2, `${port}.pcap`));
      assert.ok(a.equals(b), `${port}.pcap identical`);
    }
  });
}

test.run();
