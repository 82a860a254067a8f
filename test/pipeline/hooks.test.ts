// XDP actions at every attach point behave as the kernel's: DROP frees, TX leaves by the
// ingress port, REDIRECT goes to a port (devmap/ifindex), a CPU (cpumap) or an AF_XDP socket
// (xskmap), PASS continues into the host path.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lastValueFrom, map, of, toArray } from 'rxjs';
import { readCostProfile } from '../../src/cost/index.js';
import { Mempool, parsePacket } from '../../src/packet/index.js';
import { RunContext, XdpProgram, makeBurst, offloadStage, parseTopology } from '../../src/pipeline/index.js';
import { balancedEverywhere, repo, run, tempDir, topologyFile } from './helpers.js';

const redirect = join(repo, 'programs/xdp3/redirect.o');
const swapTx = join(repo, 'programs/bench/swap_tx.o');

/** Notation lines replayed: dst 10.0.0.K picks map key K; UDP dport 2 falls back to DROP, others to PASS. */
function pkt(lines: string[]): string {
  const f = join(tempDir(), 'p.pkt');
  writeFileSync(f, lines.join('\n') + '\n');
  return f;
}
const udp = (key: number, dport: number): string => `eth/ipv4(src=10.9.9.9, dst=10.0.0.${key})/udp(sport=5, dport=${dport})/payload(len=20)`;

function setup(lines: string[]): string {
  const f = join(tempDir(), 'm.setup');
  writeFileSync(f, lines.join('\n') + '\n');
  return f;
}

const ports = 'ports: [{ name: eth0, link: 10 }, { name: eth1, link: 10 }]\n';

for (const mode of ['native', 'generic'] as const) {
  test(`kernel ${mode} XDP: devmap redirect to eth1, fallback DROP, PASS to the stack`, async () => {
    const s1 = setup(['name tx_ports key hex 01 00 00 00 value hex 02 00 00 00']);
    const topo = topologyFile(`${ports}host:\n  path: kernel\n  xdp: { object: ${redirect}, prog: redir_devmap, setup: ${s1}, mode: ${mode} }\n`);
    const out = tempDir();
    const s = await run(topo, { traffic: pkt([udp(1, 7), udp(3, 7), udp(3, 2), udp(1, 2)]), packets: 400, out });
    assert.ok(balancedEverywhere(s));
    assert.is(s.redirected, 200, 'key 1 is in the devmap: redirected whatever the fallback');
    assert.equal(s.paths['host q0']!.redirects, { 'port eth1': 200 });
    assert.is(s.ports.eth1!.tx, 200, 'redirected frames leave by eth1');
    assert.is(s.delivered, 100, 'missing key, fallback PASS: up the stack');
    assert.equal(s.drops, { 'xdp drop': 100 });
  });
}

test('kernel native XDP: cpumap and xskmap redirects are counted per target', async () => {
  const cpu = setup(['name cpus key hex 01 00 00 00 value hex 00 01 00 00']);
  const t1 = topologyFile(`${ports}host:\n  path: kernel\n  xdp: { object: ${redirect}, prog: redir_cpumap, setup: ${cpu} }\n`);
  const s1 = await run(t1, { traffic: pkt([udp(1, 7), udp(0, 7)]), packets: 100 });
  assert.equal(s1.paths['host q0']!.redirects, { 'cpu 1': 50 });
  assert.is(s1.delivered, 50);
  const t2 = topologyFile(`${ports}host:\n  path: kernel\n  xdp: { object: ${redirect}, prog: redir_xsk }\n`);
  const s2 = await run(t2, { traffic: pkt([udp(2, 7), udp(2, 2)]), packets: 100 });
  assert.ok(balancedEverywhere(s2));
  assert.is(s2.redirected + s2.delivered + s2.dropped, 100);
});

test('offloaded XDP_TX leaves by the ingress port without reaching the host', async () => {
  const topo = topologyFile(`${ports}nic: { xdp: { object: ${swapTx} } }\nhost: { path: kernel }\n`);
  const out = tempDir();
  const s = await run(topo, { traffic: pkt([udp(1, 7)]), packets: 64, port: 'eth1', out });
  assert.ok(balancedEverywhere(s));
  assert.is(s.paths.nic!.tx, 64);
  assert.is(s.ports.eth1!.tx, 64);
  assert.is(s.paths['host q0']?.in ?? 0, 0);
});

test('a rule set offloaded to the NIC (compiled to XDP): a prefix filter drops what it matches', async () => {
  const rules = join(topologyFile('').replace(/topology\.yaml$/, ''), 'block.rules');
  writeFileSync(rules, 'rule block_src: ip src 203.0.113.0/24 => drop\ndefault pass\n');
  const topo = topologyFile(`${ports}nic: { xdp: { rules: ${rules} } }\nhost: { path: kernel }\n`);
  const s = await run(topo, { traffic: pkt(['eth/ipv4(src=203.0.113.9, dst=10.0.0.1)/udp(sport=5, dport=53)', 'eth/ipv4(src=10.1.1.1, dst=10.0.0.1)/udp(sport=5, dport=53)']), packets: 100 });
  assert.ok(balancedEverywhere(s));
  assert.equal(s.paths.nic!.drops, { 'xdp drop': 50 });
  assert.is(s.delivered, 50);
});

test('a rule set whose maps the NIC cannot hold is refused at attach (blocklist: LPM tries, per-CPU counters)', async () => {
  const rules = join(repo, 'programs/rules/blocklist.rules');
  const topo = topologyFile(`${ports}nic: { xdp: { rules: ${rules}, setup: ${join(repo, 'programs/rules/blocklist.setup')} } }\nhost: { path: kernel }\n`);
  let text = '';
  try { await run(topo, { traffic: pkt(['eth/ipv4/udp']), packets: 1 }); } catch (e) { text = (e as Error).message; }
  assert.match(text, /blocklist\.rules: program xdp_rules cannot be offloaded to the NIC/);
  assert.match(text, /map blk4 \(lpm_trie\) cannot be offloaded/);
});

test('the offload stage as an operator: bursts in, PASS frames out with the PCIe time added', async () => {
  const topo = parseTopology(`${ports}nic: { xdp: { object: ${join(repo, 'programs/xdp/drop_udp.o')} } }\nhost: { path: kernel }\n`, join(repo, 'programs/topologies/x.yaml'));
  const cost = readCostProfile(topo.costProfile);
  const ctx = new RunContext(topo, cost);
  const prog = new XdpProgram(topo.nic.xdp!, cost, () => -1);
  const pool = new Mempool(8);
  const b = makeBurst(pool, 4);
  const frames = [parsePacket('eth/ipv4/udp(dport=9999)'), parsePacket('eth/ipv4/udp(dport=53)'), parsePacket('eth/ipv4/tcp(dport=9999)')];
  frames.forEach((f, i) => { b.handles[i] = pool.load(f); b.time[i] = 1000 * i; });
  b.n = 3;
  const out = await lastValueFrom(of(b).pipe(offloadStage(prog, ctx, true), map((x) => ({ n: x.n, times: [...x.time.subarray(0, x.n)] })), toArray()));
  const dma = cost.ns('pcie.perPacket');
  assert.is(out.length, 1);
  assert.is(out[0]!.n, 2, 'the UDP 9999 frame was dropped on the NIC');
  assert.ok(out[0]!.times[0]! > 1000 + dma && out[0]!.times[1]! > 2000 + dma, 'virtual time moved by the DMA');
  assert.equal(ctx.ledger.path('nic').summary().drops, { 'xdp drop': 1 });
  assert.is(pool.available, 8 - 2, 'the dropped frame went back to the pool; the passed ones are downstream');
});

test.run();
