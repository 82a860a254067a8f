// The pipeline runs its XDP programs as the kernel attaches them: verified first (a program the
// verifier rejects is refused with its explanation, exit 1), then in the tier asked for, with
// identical results in both.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { XdplabError, renderDiagnostic } from '../../src/diag/index.js';
import { repo, run, stable, topo, topologyFile, traffic } from './helpers.js';

const hostXdp = (object: string, prog: string): string => topologyFile([
  'name: tier-check',
  'profile: xeon-e5-1650v4',
  'ports: [{ name: eth0, link: 10 }, { name: eth1, link: 10 }]',
  `host: { path: kernel, queues: 2, stack: local, xdp: { object: ${join(repo, 'programs', object)}, prog: ${prog}, mode: native } }`,
  '',
].join('\n'));

test('every bundled topology gives the same summary in the interpreter and the compiled tier', async () => {
  const cases: [string, string][] = [
    ['xdp-filter-kernel', 'udp-mix.pcap'], ['dpdk-forwarder', 'imix-10g.yaml'], ['vrouter-offload', 'vrouter-vms.yaml'], ['xdp-filter-offload', 'udp-mix.pcap'],
  ];
  for (const [name, t] of cases) {
    const [a, b] = await Promise.all((['interp', 'compiled'] as const).map((tier) => run(topo(name), { traffic: traffic(t), packets: 3000, tier })));
    assert.equal(stable(b!), stable(a!), name);
    assert.ok(a!.in > 0, name);
  }
});

test('a program the verifier rejects is not attached: exit 1, the verifier says why, at the topology line', async () => {
  let err: unknown;
  try {
    await run(hostXdp('unsafe/drop_udp_off_by_one.o', 'drop_udp_off_by_one'), { traffic: traffic('replay.pkt') });
  } catch (e) { err = e; }
  assert.ok(err instanceof XdplabError);
  assert.is((err as XdplabError).exitCode, 1);
  const text = (err as XdplabError).diagnostics.map(renderDiagnostic).join('\n');
  assert.match(text, /topology\.yaml:4:\d+: error: .*drop_udp_off_by_one\.o: the verifier rejects program drop_udp/);
  assert.match(text, /invalid access to packet/);
  assert.not.match(text, /--no-verify/); // the pipeline has no way round the verifier
});

test.run();
