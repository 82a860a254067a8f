// xdplab compare on topologies (in-process): a topology run through the pipeline and priced per
// placement from what the run measured, agreeing with the run's own counts and, where the
// pipeline runs the frames as `compare` does, with the VM counters of a program comparison.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { XdplabError } from '../../src/diag/index.js';
import {
  PLACEMENTS, compare, compareJson, compareTopology, estimate, loadTraffic, openSubject, parseRate, readCostProfile, readNicProfile,
  verifyTopologyPrograms, type CompareResult,
} from '../../src/cost/index.js';
import { loadTopology, measureTopology, runPipeline } from '../../src/pipeline/index.js';
import { repoRoot } from '../conformance-data.js';

const at = (...p: string[]): string => join(repoRoot, ...p);
const xeon = readCostProfile();
const opts = { profile: xeon, nic: readNicProfile(), rate: parseRate('10G') };
const by = (r: CompareResult, name: string) => r.placements.find((p) => p.name === name)!;

const kernelTopo = at('programs', 'topologies', 'xdp-filter-kernel.yaml');
const udpMix = at('programs', 'traffic', 'udp-mix.pcap');
const kernelRun = await measureTopology(kernelTopo, { traffic: udpMix });
const kernel = compareTopology(kernelRun, opts);

test('XDP filter in the kernel hook: JSON shape, every placement priced from the run', () => {
  const j = JSON.parse(compareJson(kernel)) as Record<string, any>;
  assert.is(j.subject.kind, 'topology');
  assert.is(j.subject.program, 'drop_udp');
  assert.equal(j.placements.map((p: { name: string }) => p.name), [...PLACEMENTS]);
  for (const p of j.placements) for (const k of ['name', 'hostCyclesPerPacket', 'mppsPerCore', 'coresNeeded', 'offloadable', 'reasons', 'breakdown']) assert.ok(k in p, `${k} missing`);
  for (const k of ['file', 'name', 'function', 'totals', 'paths', 'programs', 'virtualNs']) assert.ok(k in j.topology, `topology.${k} missing`);
  assert.is(j.topology.function, 'native');
  assert.equal(Object.keys(j.topology.paths), ['nic', 'host q0', 'host q1']);
  assert.equal(j.topology.programs.map((p: { where: string }) => p.where), ['host q0', 'host q1']);
  for (const p of kernel.placements) {
    const sum = p.breakdown.reduce((s, b) => s + b.cycles, 0);
    assert.ok(Math.abs(sum - p.hostCyclesPerPacket) < 1e-6, p.name);
  }
  assert.ok(by(kernel, 'xdp-generic').hostCyclesPerPacket > by(kernel, 'xdp-native').hostCyclesPerPacket);
  assert.ok(by(kernel, 'xdp-offload').offloadable);
  assert.not.ok(by(kernel, 'smartnic').offloadable);
  assert.is(kernel.traffic.frames, 700);
});

test('the measured verdicts are the run\'s: XDP drops per path, passes delivered', () => {
  const t = kernel.topology!;
  const drops = Object.values(t.paths).reduce((s, p) => s + (p.drops['xdp drop'] ?? 0), 0);
  assert.is(kernel.measured.verdicts.drop, drops);
  assert.is(kernel.measured.verdicts.pass, t.totals.delivered);
  assert.is(kernel.measured.packets, 700);
  assert.is(t.programs.reduce((s, p) => s + p.runs, 0), 700);
  for (const p of t.programs) assert.is(p.runs, t.paths[p.where]!.in, p.where);
  // per-verdict instructions: the mean over verdicts is the histogram's mean
  const h = kernel.measured.insnsHistogram;
  const mean = h.reduce((s, [v, n]) => s + v * n, 0) / h.reduce((s, [, n]) => s + n, 0);
  assert.ok(Math.abs(mean - kernel.measured.insns.mean) < 1e-9);
});

test('the per-path counts are those of a plain pipeline run', async () => {
  const s = await runPipeline(kernelTopo, { traffic: udpMix });
  const t = kernel.topology!;
  for (const [name, p] of Object.entries(s.paths)) {
    for (const k of ['in', 'tx', 'redirected', 'delivered', 'dropped', 'queued', 'passed'] as const) assert.is(t.paths[name]![k], p[k], `${name}.${k}`);
    assert.equal(t.paths[name]!.drops, p.drops);
  }
  assert.is(t.totals.in, s.in);
  assert.is(t.totals.delivered, s.delivered);
});

test('the pipeline\'s VM counters agree with compare running the same frames (one queue, no loss)', async () => {
  const traffic = at('programs', 'traffic', 'profiles', 'udp-64.yaml');
  const r = compareTopology(await measureTopology(at('test', 'fixtures', 'compare', 'flow-count-kernel.yaml'), { traffic }), opts);
  const direct = compare(openSubject(at('programs', 'bench', 'flow_count.o')), loadTraffic(traffic), opts);
  assert.is(r.measured.packets, direct.measured.packets);
  assert.is(r.measured.insns.mean, direct.measured.insns.mean);
  assert.equal(r.measured.insnsHistogram, direct.measured.insnsHistogram);
  assert.equal(r.measured.verdicts, direct.measured.verdicts);
  for (const [k, v] of Object.entries(direct.measured.helpers)) assert.ok(Math.abs(r.measured.helpers[k]! - v) < 1e-9, k);
  for (const [k, v] of Object.entries(direct.measured.maps)) assert.ok(Math.abs(r.measured.maps[k]! - v) < 1e-9, k);
  assert.ok(Object.keys(r.measured.maps).length > 0);
  // so the host placements cost the same (same traffic, same rate)
  for (const name of ['xdp-native', 'xdp-generic', 'dpdk'] as const) {
    assert.ok(Math.abs(by(r, name).hostCyclesPerPacket - by(direct, name).hostCyclesPerPacket) < 1e-6, name);
  }
});

test('XDP offloaded to the NIC on a generated profile: the NIC program\'s verdicts are the NIC path\'s outcomes', async () => {
  const r = compareTopology(await measureTopology(at('programs', 'topologies', 'xdp-filter-offload.yaml'), { traffic: at('programs', 'traffic', 'filter-10g.yaml'), packets: 4000 }), opts);
  const t = r.topology!;
  assert.is(t.function, 'offload');
  assert.equal(t.programs.map((p) => p.where), ['nic']);
  assert.is(r.measured.verdicts.drop, t.paths.nic!.drops['xdp drop']);
  assert.is(r.measured.verdicts.pass, t.paths.nic!.passed);
  assert.is(r.traffic.frames, 4000);
  assert.is(r.traffic.meanFrameBytes, 64);
  assert.ok(Math.abs(r.rate.offeredMpps - 14.880952) < 1e-5);
});

test('vRouter tables on the NIC: smartnic costs the host only the fallbacks, priced as the kernel path', async () => {
  const r = compareTopology(await measureTopology(at('programs', 'topologies', 'vrouter-offload.yaml'), { traffic: at('programs', 'traffic', 'overlay.pcapng') }), opts);
  const t = r.topology!;
  assert.is(t.function, 'tables');
  assert.is(r.measured.packets, 0);
  assert.ok(t.nic!.fallback > 0);
  assert.is(t.nic!.fallback, t.paths.nic!.passed);
  assert.is(Object.values(t.nic!.reasons).reduce((s, n) => s + n, 0), t.nic!.fallback);
  const sn = by(r, 'smartnic');
  assert.ok(sn.offloadable);
  // the fallback share of the host's kernel path delivering to the agent's socket (the topology's stack)
  const host = estimate(xeon, {
    program: { insns: 0, helperCalls: {}, maps: [], packetRead: false, verdict: 'pass' }, packetBytes: r.traffic.meanFrameBytes,
    offeredMpps: r.rate.offeredMpps, stackPath: 'local',
  }, ['kernel']).placements[0]!.cycles;
  assert.ok(Math.abs(sn.hostCyclesPerPacket - t.nic!.fallbackFraction * host) < 1e-6, `${sn.hostCyclesPerPacket} vs ${t.nic!.fallbackFraction} x ${host}`);
  assert.ok(sn.notes.some((n) => n.startsWith(`host cycles only for the ${(100 * t.nic!.fallbackFraction).toFixed(1)}% of packets that fall back`)));
  for (const name of ['xdp-offload', 'xdp-native', 'xdp-generic'] as const) assert.not.ok(by(r, name).offloadable, name);
  assert.ok(by(r, 'kernel').offloadable && by(r, 'dpdk').offloadable);
});

test('a topology whose program the verifier rejects: exit 1 before it runs', () => {
  const topo = loadTopology(at('test', 'fixtures', 'compare', 'rejected-kernel.yaml'));
  try {
    verifyTopologyPrograms([topo.nic.xdp, topo.host?.xdp, topo.host?.program]);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, XdplabError);
    assert.is((e as XdplabError).exitCode, 1);
    assert.match((e as XdplabError).diagnostics[0]!.message, /the verifier rejects program drop_udp, so no placement can load it: packet access out of range/);
  }
});

test.run();
