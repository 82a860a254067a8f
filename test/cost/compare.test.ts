// xdplab compare end to end (in-process): a program and a rule set measured over generated
// traffic, priced per placement; the answer moves the way the profile says it should.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XdplabError } from '../../src/diag/index.js';
import {
  PLACEMENTS, combine, compare, compareJson, formatCompare, loadCostProfile, loadTraffic, openSubject, overrideProfileJson, parseRate, readCostProfile,
  readNicProfile, trafficFromProfile, TOPOLOGY_NEEDS_PIPELINE, type CompareResult,
} from '../../src/cost/index.js';
import { repoRoot } from '../conformance-data.js';

const fx = (f: string): string => join(repoRoot, 'test', 'fixtures', 'compare', f);
const prog = (f: string): string => join(repoRoot, 'programs', f);
const xeon = readCostProfile();
const agilio = readNicProfile();

// 3 of 4 frames UDP to port 53 (pass), 1 of 4 to port 9999 (drop_udp drops it).
const MIX = `
name: mix
packets: 400
sizes: { 64: 1, 1518: 1 }
flows:
  - packet: eth()/ipv4(src=10.0.0.{n}, dst=10.9.9.9)/udp(sport=1000, dport=53)
    weight: 3
    n: [1, 50]
  - packet: eth()/ipv4(src=10.1.0.1, dst=10.9.9.9)/udp(sport=1000, dport=9999)
`;
const mix = trafficFromProfile(MIX, 'mix.yaml');

function run(input: string, traffic = mix, opts: Partial<Parameters<typeof compare>[2]> = {}): CompareResult {
  return compare(openSubject(input), traffic, { profile: xeon, nic: agilio, rate: parseRate('10G'), ...opts });
}
const by = (r: CompareResult, name: string) => r.placements.find((p) => p.name === name)!;

test('drop_udp over a UDP mix: verdicts measured, every placement priced, breakdowns add up', () => {
  const r = run(prog('xdp/drop_udp.o'));
  assert.is(r.measured.packets, 400);
  assert.ok(r.measured.verdicts.drop! > 60 && r.measured.verdicts.drop! < 140, JSON.stringify(r.measured.verdicts));
  assert.is(r.measured.verdicts.pass! + r.measured.verdicts.drop!, 400);
  assert.ok(r.measured.insns.mean > 20 && r.measured.insns.max <= 40, JSON.stringify(r.measured.insns));
  assert.equal(r.placements.map((p) => p.name), [...PLACEMENTS]);
  for (const p of r.placements) {
    const sum = p.breakdown.reduce((s, b) => s + b.cycles, 0);
    assert.ok(Math.abs(sum - p.hostCyclesPerPacket) < 1e-6, `${p.name}: ${sum} vs ${p.hostCyclesPerPacket}`);
    if (p.mppsPerCore !== null) assert.is(p.coresNeeded, Math.ceil(r.rate.offeredMpps / p.mppsPerCore - 1e-9), p.name);
  }
  const native = by(r, 'xdp-native');
  assert.ok(native.breakdown.some((b) => b.part === 'ebpf.insns' && Math.abs(b.cycles - r.measured.insns.mean * xeon.get('ebpf.perInsn')) < 1e-6));
  assert.ok(by(r, 'xdp-generic').hostCyclesPerPacket > native.hostCyclesPerPacket);
  assert.ok(by(r, 'xdp-offload').offloadable);
  assert.not.ok(by(r, 'smartnic').offloadable);
  assert.match(by(r, 'smartnic').reasons[0]!, /no SmartNIC table form/);
  // 10G line rate for a 64/1518 mix: 10e9 / ((mean + 20) * 8)
  const mean = mix.meanFrameBytes;
  assert.ok(Math.abs(r.rate.offeredMpps - 1e4 / ((mean + 20) * 8)) < 1e-9);
});

test('--json shape: placements with name, hostCyclesPerPacket, mppsPerCore, coresNeeded, offloadable, reasons, breakdown', () => {
  const j = JSON.parse(compareJson(run(prog('xdp/drop_udp.o')))) as { placements: Record<string, unknown>[] };
  assert.is(j.placements.length, 6);
  for (const p of j.placements) {
    for (const k of ['name', 'hostCyclesPerPacket', 'mppsPerCore', 'coresNeeded', 'offloadable', 'reasons', 'breakdown']) assert.ok(k in p, `${k} missing`);
    assert.type(p.hostCyclesPerPacket, 'number');
    assert.ok(Array.isArray(p.reasons) && Array.isArray(p.breakdown));
  }
  // xdp-offload of a filter that drops: no host cycles for the dropped share, rate stays finite
  const off = j.placements.find((p) => p.name === 'xdp-offload')!;
  assert.ok(off.mppsPerCore === null || typeof off.mppsPerCore === 'number');
});

test('a faster CPU gives more Mpps per core; the 2 GHz profile fewer', () => {
  const json = JSON.parse(readFileSync(join(repoRoot, 'programs', 'profiles', 'host-xeon-e5-1650v4.json'), 'utf8'));
  const fast = loadCostProfile(overrideProfileJson(json, { 'cpu.frequency': 4.5 }), 'fast.json');
  const slow = readCostProfile('server-2ghz');
  const base = by(run(prog('xdp/drop_udp.o')), 'xdp-native').mppsPerCore!;
  const f = by(run(prog('xdp/drop_udp.o'), mix, { profile: fast }), 'xdp-native').mppsPerCore!;
  const s = by(run(prog('xdp/drop_udp.o'), mix, { profile: slow }), 'xdp-native').mppsPerCore!;
  assert.ok(f > base && base > s, `${f} > ${base} > ${s}`);
  // A dearer skb allocation moves the kernel and generic paths, not DPDK.
  const dear = loadCostProfile(overrideProfileJson(json, { 'kernel.skbAlloc': 1000 }), 'dear.json');
  const a = run(prog('xdp/drop_udp.o')), b = run(prog('xdp/drop_udp.o'), mix, { profile: dear });
  assert.ok(by(b, 'kernel').hostCyclesPerPacket > by(a, 'kernel').hostCyclesPerPacket + 500);
  assert.is(by(b, 'dpdk').hostCyclesPerPacket, by(a, 'dpdk').hostCyclesPerPacket);
});

test('a higher offered rate needs more cores', () => {
  const lo = by(run(prog('xdp/drop_udp.o'), mix, { rate: parseRate('1G') }), 'kernel').coresNeeded;
  const hi = by(run(prog('xdp/drop_udp.o'), mix, { rate: parseRate('100G') }), 'kernel').coresNeeded;
  assert.ok(hi > lo && lo >= 1, `${lo} -> ${hi}`);
});

test('rule set: all table rules on the Agilio profile (no host work); the small NIC has too few flow entries', () => {
  const traffic = loadTraffic(fx('acl-traffic.yaml'));
  const big = run(fx('acl.rules'), traffic);
  assert.is(big.subject.kind, 'rules');
  const sn = by(big, 'smartnic');
  assert.ok(sn.offloadable, sn.reasons.join());
  assert.is(sn.hostCyclesPerPacket, 0);
  assert.is(sn.mppsPerCore, null);
  assert.is(big.smartnic!.trafficFlows, 60);
  const small = run(fx('acl.rules'), traffic, { nic: readNicProfile('small') });
  const s = by(small, 'smartnic');
  assert.not.ok(s.offloadable);
  assert.match(s.reasons.join('\n'), /needs 61 flow entries .* small-nic holds 8 \(capacity\.flows\)/);
  // the other placements do not depend on the NIC profile
  assert.is(by(small, 'xdp-native').hostCyclesPerPacket, by(big, 'xdp-native').hostCyclesPerPacket);
});

test('rule set with rules that stay in eBPF: their packets fall back; a limiter keeps it off the NFP', () => {
  const r = run(prog('rules/dns_ntp_amp.rules'), loadTraffic(prog('traffic/profiles/amp-attack.yaml')));
  const sn = by(r, 'smartnic');
  assert.ok(sn.offloadable);
  assert.ok(sn.hostCyclesPerPacket > 0 && sn.breakdown.every((b) => b.part.startsWith('fallback(kernel) ')));
  // the verifier's reasons, by instruction
  const off = by(r, 'xdp-offload');
  assert.not.ok(off.offloadable);
  assert.match(off.reasons.join('\n'), /^insn \d+: bpf_ktime_get_ns is not supported by the NIC \(unsupported function id 5\)$/m);
  assert.is(r.offload!.checkedBy, 'verifier');
  assert.ok(r.offload!.reasons.every((x) => x.pc === undefined || off.reasons.includes(`insn ${x.pc}: ${x.text}`) || x.severity === 'changes'));
});

test('offload reasons come from the verifier, each named with its instruction (or map)', () => {
  const r = compare(openSubject(prog('xdp3/redirect.o'), { prog: 'redir_devmap' }), mix, { profile: xeon, nic: agilio, rate: parseRate('10G') });
  const off = by(r, 'xdp-offload');
  assert.not.ok(off.offloadable);
  assert.ok(off.reasons.includes('insn 24: bpf_redirect_map is not supported by the NIC (unsupported function id 51)'), off.reasons.join('\n'));
  assert.match(off.reasons.join('\n'), /^map tx_ports \(devmap\) cannot be offloaded/m);
  // what only changes behaviour on the NIC is a note, not a reason
  assert.ok(off.notes.some((n) => /^the verifier notes: insn \d+: may return XDP_REDIRECT/.test(n)), off.notes.join('\n'));
  assert.is(r.offload!.checkedBy, 'verifier');
  assert.ok(r.offload!.reasons.some((x) => x.pc === 24 && x.severity === 'blocks'));
  // the cost model's own look is not used when the verifier answered
  assert.not.match(off.reasons.join(), /NIC JIT/);
  // drop_udp: nothing keeps it off the NIC
  const ok = run(prog('xdp/drop_udp.o'));
  assert.ok(by(ok, 'xdp-offload').offloadable);
  assert.equal(by(ok, 'xdp-offload').reasons, []);
  assert.match(formatCompare(ok), /xdp-offload: the verifier \(--target hw\) finds nothing that keeps the program off the NIC/);
});

test('where the verifier cannot answer, the cost model\'s own reasons are used, and the comparison says so', () => {
  const groups = [{ fraction: 1, input: { program: { insns: 30, helperCalls: { 51: 1 }, maps: [], packetRead: true, verdict: 'redirect' as const } } }];
  const note = 'the verifier could not check program x (test); xdp-offload reasons come from the cost model\'s own look at the measured helpers and maps';
  const pl = combine(xeon, 'xdp-offload', groups, 10, { source: 'cost model', reasons: [], changes: [], raw: [], note });
  assert.not.ok(pl.offloadable);
  assert.match(pl.reasons.join('\n'), /helper bpf_redirect_map is not supported by the NIC JIT/);
  assert.ok(pl.notes.includes(note));
});

test('a program the verifier rejects: exit 1 with the verifier\'s headline, nothing measured', () => {
  try {
    run(prog('unsafe/off_by_one.s'));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, XdplabError);
    const x = e as XdplabError;
    assert.is(x.exitCode, 1);
    assert.is(x.diagnostics[0]!.kind, 'verifier');
    assert.is(x.diagnostics[0]!.pc, 5);
    assert.match(x.diagnostics[0]!.message, /^off_by_one\.s: the verifier rejects program off_by_one, so no placement can load it: packet access out of range/);
  }
});

test('a topology is not opened as a program: a clear usage error', () => {
  try {
    openSubject(join(repoRoot, 'programs', 'topologies', 'any.yaml'));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, XdplabError);
    assert.is((e as XdplabError).exitCode, 2);
    assert.is((e as XdplabError).diagnostics[0]!.message, TOPOLOGY_NEEDS_PIPELINE);
    assert.match(TOPOLOGY_NEEDS_PIPELINE, /compared by running it through the pipeline/);
  }
});

test('inputs compare cannot use are usage errors', () => {
  for (const [f, re] of [['x.txt', /cannot tell what/], ['missing.o', /cannot read missing\.o/], ['missing.rules', /cannot read missing\.rules/]] as const) {
    try { openSubject(f); assert.unreachable(f); } catch (e) {
      assert.instance(e, XdplabError, f);
      assert.match((e as XdplabError).message, re);
    }
  }
});

test.run();
