// Bad topology and traffic files are refused with file:line:col (exit 2 from the CLI).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { XdplabError, renderDiagnostic } from '../../src/diag/index.js';
import { loadTopology, parseTopology, parseTrafficProfile } from '../../src/pipeline/index.js';
import { profileFile, repo, run, topologyFile, traffic } from './helpers.js';

function error(fn: () => unknown): string {
  try { fn(); } catch (e) {
    if (e instanceof XdplabError) return e.diagnostics.map(renderDiagnostic).join('\n');
    throw e;
  }
  throw new Error('expected an error');
}

test('every bundled topology parses', () => {
  for (const f of ['xdp-filter-kernel', 'xdp-filter-offload', 'dpdk-forwarder', 'vrouter-offload']) {
    const t = loadTopology(join(repo, 'programs/topologies', `${f}.yaml`));
    assert.is(t.name, f);
  }
});

test('unknown field: named with line, column and caret', () => {
  const msg = error(() => parseTopology('ports: [{ name: eth0 }]\nhost:\n  path: kernel\n  queus: 2\n', 't.yaml'));
  assert.match(msg, /^t\.yaml:4:3: error: unknown field 'queus' in 'host'/);
  assert.match(msg, /\n {4}queus: 2\n {4}\^{5}$/);
});

test('bad values name their node', () => {
  assert.match(error(() => parseTopology('ports: [{ name: eth0 }]\nhost: { path: vpp }\n', 't.yaml')), /^t\.yaml:2:15: error: host: 'path' must be one of kernel, dpdk, got 'vpp'/);
  assert.match(error(() => parseTopology('ports: [{ name: eth0 }]\nhost: { path: kernel, rxDesc: 1000 }\n', 't.yaml')), /t\.yaml:2:31: error: host.rxDesc must be a power of two/);
  assert.match(error(() => parseTopology('ports: [{ name: a }, { name: a }]\n', 't.yaml')), /t\.yaml:1:30: error: port name 'a' is used twice/);
  assert.match(error(() => parseTopology('ports: [{ name: a }]\nhost: { path: dpdk, forward: { a: b } }\n', 't.yaml')), /t\.yaml:2:35: error: host.forward: 'b' is not a port/);
  assert.match(error(() => parseTopology('ports: [{ name: a }]\nhost: { path: dpdk, xdp: { object: x.o } }\n', 't.yaml')), /t\.yaml:2:26: error: host.xdp attaches to the kernel path/);
  assert.match(error(() => parseTopology('ports: [\n', 't.yaml')), /^t\.yaml:\d+:\d+: error: YAML syntax error/);
  assert.match(error(() => parseTopology('host: { path: kernel }\n', 't.yaml')), /t\.yaml:1:1: error: a topology needs 'ports'/);
});

test('a missing object file is reported at the reference in the topology', async () => {
  const f = topologyFile('ports: [{ name: eth0 }]\nhost:\n  path: kernel\n  xdp: { object: nope.o }\n');
  let msg = '';
  try { await run(f, { traffic: traffic('replay.pkt') }); } catch (e) { msg = (e as XdplabError).diagnostics.map(renderDiagnostic).join('\n'); }
  assert.match(msg, /topology\.yaml:4:8: error: cannot read .*nope\.o: ENOENT/);
});

test('traffic profiles: errors with positions too', () => {
  assert.match(error(() => parseTrafficProfile('rate: { gbps: 10, pps: 5 }\nstreams: [{}]\n', 'p.yaml')), /^p\.yaml:1:7: error: rate takes one of/);
  assert.match(error(() => parseTrafficProfile('size: 40\nstreams: [{}]\n', 'p.yaml')), /^p\.yaml:1:7: error: frame size must be an integer from 64 to 3524/);
  assert.match(error(() => parseTrafficProfile('streams: [{ src: 10.0.0.0/99 }]\n', 'p.yaml')), /^p\.yaml:1:18: error: src: '10\.0\.0\.0\/99' is not an IPv4 address or prefix/);
});

test('CLI: exit 2 and file:line:col on a bad topology; --json totals on a good one', () => {
  // The CLI built beside this compiled test (dist/test/pipeline -> dist/src/cli).
  const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
  const bad = topologyFile('ports: [{ name: eth0, link: fast }]\n');
  const r = spawnSync(process.execPath, [cli, 'pipeline', bad, '--traffic', traffic('replay.pkt')], { encoding: 'utf8' });
  assert.is(r.status, 2);
  assert.match(r.stderr, /topology\.yaml:1:29: error: port: 'link' must be a number/);
  const ok = spawnSync(process.execPath, [cli, 'pipeline', join(repo, 'programs/topologies/xdp-filter-kernel.yaml'), '--traffic', traffic('replay.pkt'), '--packets', '40', '--json'], { encoding: 'utf8' });
  assert.is(ok.status, 0, ok.stderr);
  const j = JSON.parse(ok.stdout);
  assert.equal([j.in, j.tx, j.redirected, j.delivered, j.dropped, j.queued], [40, 0, 0, 30, 10, 0], 'drop_udp drops the IPv4 datagrams to 9999 only');
  assert.equal(j.drops, { 'xdp drop': 10 });
  assert.is(j.paths['host q0'].in + j.paths['host q1'].in, 40);
});

test.run();
