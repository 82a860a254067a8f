// A topology that offloads XDP to the NIC gets the kernel's HW-mode answer: a program that
// `verify --target hw` refuses is not attached, and the error names why and where.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { XdplabError, renderDiagnostic } from '../../src/diag/index.js';
import { repo, run, topologyFile, traffic } from './helpers.js';

const topology = (object: string, prog: string): string => topologyFile([
  'name: offload-check',
  'profile: xeon-e5-1650v4',
  'ports: [{ name: eth0, link: 10 }, { name: eth1, link: 10 }]',
  `nic: { xdp: { object: ${join(repo, 'programs', object)}, prog: ${prog}, mode: offload } }`,
  'host: { path: kernel, queues: 1, stack: local }',
  '',
].join('\n'));

test('a program using helpers the NIC lacks is refused at attach, each reason named', async () => {
  let text = '';
  try {
    await run(topology('xdp/fib_forward.o', 'fib_forward'), { traffic: traffic('replay.pkt') });
  } catch (e) {
    assert.ok(e instanceof XdplabError);
    text = e.diagnostics.map(renderDiagnostic).join('\n');
  }
  assert.match(text, /topology\.yaml:4:\d+: error: .*fib_forward\.o: program fib_forward cannot be offloaded to the NIC/);
  assert.match(text, /fib_lookup/);
  assert.match(text, /redirect/);
});

test('a program the NIC can run is attached and runs', async () => {
  const s = await run(topology('xdp/drop_udp.o', 'drop_udp'), { traffic: traffic('replay.pkt') });
  assert.ok(s.in > 0);
  assert.ok(s.balanced);
});

test.run();
