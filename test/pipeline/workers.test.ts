// Lanes on worker threads give the same results as the single-threaded run, pcaps included.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEPTH } from '../../src/pipeline/workers.js';
import { ROUND_PACKETS } from '../../src/pipeline/runner.js';
import { run, stable, tempDir, topo, traffic } from './helpers.js';

async function same(name: string, tr: string, packets: number, workers: number): Promise<void> {
  const d1 = tempDir(), d2 = tempDir();
  const one = await run(topo(name), { traffic: traffic(tr), packets, out: d1 });
  const two = await run(topo(name), { traffic: traffic(tr), packets, out: d2, workers });
  const norm = (s: typeof one): unknown => ({ ...(stable(s) as object), ports: Object.fromEntries(Object.entries(s.ports).map(([k, v]) => [k, v.tx])) });
  assert.equal(norm(two), norm(one));
  assert.ok(one.in === packets && one.balanced);
  for (const port of Object.keys(one.ports)) {
    const a = readFileSync(join(d1, `${port}.pcap`)), b = readFileSync(join(d2, `${port}.pcap`));
    assert.ok(a.equals(b), `${port}.pcap identical`);
  }
}

for (const [name, tr] of [['vrouter-offload', 'vrouter-vms.yaml'], ['xdp-filter-kernel', 'udp64-line-rate.yaml'], ['dpdk-forwarder', 'imix-10g.yaml']] as const) {
  test(`${name}: --workers 2 gives the single-threaded summary and the same pcaps`, async () => {
    await same(name, tr, 12000, 2);
  });
}

// Rounds are pipelined DEPTH deep: more rounds than that make the main thread reuse slots while
// workers still run later rounds, and the outputs must still be read back in round order.
test('more rounds than the pipeline holds: still the single-threaded results', async () => {
  await same('dpdk-forwarder', 'imix-10g.yaml', (DEPTH + 4) * ROUND_PACKETS + 123, 2);
});

test('more workers than lanes or cores (started workers are reused): same results', async () => {
  await same('xdp-filter-kernel', 'imix-10g.yaml', 3 * ROUND_PACKETS + 7, 8);
  await same('xdp-filter-kernel', 'imix-10g.yaml', 3 * ROUND_PACKETS + 7, 2);
});

test.run();
