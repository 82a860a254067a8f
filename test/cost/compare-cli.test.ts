// `xdplab compare` as a command: table text, --json, --html, and exit 2 with a clear message on
// bad input (never a stack trace).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../conformance-data.js';

const main = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'main.js');
const imix = 'programs/traffic/profiles/imix.yaml';

function xdplab(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [main, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('text: a row per placement, the reasons, the line-rate reference; --html writes the report', () => {
  const html = join(mkdtempSync(join(tmpdir(), 'xdplab-cmp-')), 'r.html');
  const r = xdplab('compare', 'programs/xdp/drop_udp.o', '--traffic', imix, '--rate', '25G', '--html', html);
  assert.is(r.code, 0, r.err);
  for (const p of ['smartnic', 'xdp-offload', 'xdp-native', 'xdp-generic', 'dpdk', 'kernel']) assert.match(r.out, new RegExp(`^${p} +\\d`, 'm'));
  assert.match(r.out, /offered 25 Gb\/s = \d+\.\d\d Mpps/);
  assert.match(r.out, /smartnic: a program has no SmartNIC table form/);
  assert.match(r.out, /line rate: 10 GbE at 64 B is 14\.88 Mpps, 67\.2 ns per frame = 242 cycles at 3\.6 GHz/);
  assert.match(readFileSync(html, 'utf8'), /<svg/);
  assert.is(r.err, '');
});

test('--json matches the text table', () => {
  const j = xdplab('compare', 'programs/rules/dns_ntp_amp.rules', '--traffic', 'programs/traffic/profiles/amp-attack.yaml', '--json', '--rate', '14.88Mpps');
  const t = xdplab('compare', 'programs/rules/dns_ntp_amp.rules', '--traffic', 'programs/traffic/profiles/amp-attack.yaml', '--rate', '14.88Mpps');
  assert.is(j.code, 0, j.err);
  const data = JSON.parse(j.out) as { rate: { offeredMpps: number }; placements: { name: string; hostCyclesPerPacket: number; coresNeeded: number; offloadable: boolean }[] };
  assert.is(data.rate.offeredMpps, 14.88);
  for (const p of data.placements) {
    const row = new RegExp(`^${p.name} +([\\d.]+) +\\S+(?: \\S+ \\S+)? +(\\d+) +.* (yes|no)$`, 'm').exec(t.out);
    assert.ok(row, p.name);
    assert.is(Number(row![1]).toFixed(0), p.hostCyclesPerPacket.toFixed(0), p.name);
    assert.is(Number(row![2]), p.coresNeeded, p.name);
    assert.is(row![3], p.offloadable ? 'yes' : 'no', p.name);
  }
});

test('bad input: exit 2, one clear error, no stack trace', () => {
  const cases: [string[], RegExp][] = [
    [['compare', 'programs/xdp/drop_udp.o'], /needs --traffic FILE/],
    [['compare', 'programs/xdp/drop_udp.o', '--traffic', imix, '--rate', 'fast'], /--rate wants a link speed/],
    [['compare', 'programs/xdp/drop_udp.o', '--traffic', 'nope.pcap'], /cannot read nope\.pcap/],
    [['compare', 'programs/xdp/drop_udp.o', '--traffic', imix, '--profile', 'nonesuch'], /cannot read cost profile/],
    [['compare', 'programs/xdp/drop_udp.o', '--traffic', imix, '--nic', 'nonesuch'], /cannot read NIC profile/],
    [['compare', 'programs/topologies/x.yaml', '--traffic', imix], /cannot read .*programs\/topologies\/x\.yaml/],
    [['compare', 'programs/xdp/drop_udp.o', '--traffic', imix, '--pass-to', 'moon'], /--pass-to wants local or forward/],
  ];
  for (const [args, re] of cases) {
    const r = xdplab(...args);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, re);
    assert.not.match(r.err, /\n\s+at /);
  }
});

test('a topology: the same table and JSON as a program, plus per-path counts equal to xdplab pipeline --json', () => {
  const topo = 'programs/topologies/vrouter-offload.yaml', traffic = 'programs/traffic/overlay.pcapng';
  const j = xdplab('compare', topo, '--traffic', traffic, '--json');
  const p = xdplab('pipeline', topo, '--traffic', traffic, '--json');
  const t = xdplab('compare', topo, '--traffic', traffic);
  assert.is(j.code, 0, j.err);
  assert.is(p.code, 0, p.err);
  assert.is(t.code, 0, t.err);
  const cmp = JSON.parse(j.out) as { subject: { kind: string }; topology: { paths: Record<string, Record<string, number>>; totals: Record<string, number> }; placements: { name: string; hostCyclesPerPacket: number; offloadable: boolean }[] };
  const run = JSON.parse(p.out) as { paths: Record<string, Record<string, number>>; in: number; tx: number; dropped: number; delivered: number; queued: number };
  assert.is(cmp.subject.kind, 'topology');
  assert.equal(Object.keys(cmp.topology.paths), Object.keys(run.paths));
  for (const [name, counts] of Object.entries(run.paths)) {
    for (const k of ['in', 'tx', 'redirected', 'delivered', 'dropped', 'queued', 'passed']) assert.is(cmp.topology.paths[name]![k], counts[k], `${name}.${k}`);
  }
  for (const k of ['in', 'tx', 'dropped', 'delivered', 'queued'] as const) assert.is(cmp.topology.totals[k], run[k], k);
  for (const pl of cmp.placements) {
    const row = new RegExp(`^${pl.name} +([\\d.]+) +.* (yes|no)$`, 'm').exec(t.out);
    assert.ok(row, pl.name);
    assert.is(Number(row![1]).toFixed(0), pl.hostCyclesPerPacket.toFixed(0), pl.name);
    assert.is(row![2], pl.offloadable ? 'yes' : 'no');
  }
  assert.match(t.out, /pipeline run, packets per path:\n +path +in +tx +redirected +delivered +dropped +queued +passed\n +nic +400 /);
  assert.match(t.out, /smartnic: host cycles only for the [\d.]+% of packets that fall back to the host \(kernel path\)/);
});

test('verifier: offload reasons by instruction; a rejected program or topology exits 1 with the headline', () => {
  const r = xdplab('compare', 'programs/xdp3/redirect.o', '--prog', 'redir_devmap', '--traffic', imix);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^ +xdp-offload: insn 24: bpf_redirect_map is not supported by the NIC \(unsupported function id 51\)$/m);
  assert.match(r.out, /xdp-offload: the verifier \(--target hw\) names 2 reasons the NIC cannot load the program/);
  for (const [args, re] of [
    [['compare', 'programs/unsafe/off_by_one.s', '--traffic', imix], /^insn 5: error: off_by_one\.s: the verifier rejects program off_by_one, so no placement can load it: packet access out of range/],
    [['compare', 'test/fixtures/compare/rejected-kernel.yaml', '--traffic', 'programs/traffic/udp-mix.pcap'], /the verifier rejects program drop_udp, so no placement can load it/],
  ] as [string[], RegExp][]) {
    const x = xdplab(...args);
    assert.is(x.code, 1, `${args.join(' ')}: ${x.err}`);
    assert.match(x.err, re);
    assert.is(x.out, '');
    assert.not.match(x.err, /\n\s+at /);
  }
});

test.run();
