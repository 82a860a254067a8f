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
    [['compare', 'programs/topologies/x.yaml', '--traffic', imix], /topology comparison needs the pipeline/],
    [['compare', 'programs/xdp/drop_udp.o', '--traffic', imix, '--pass-to', 'moon'], /--pass-to wants local or forward/],
  ];
  for (const [args, re] of cases) {
    const r = xdplab(...args);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, re);
    assert.not.match(r.err, /\n\s+at /);
  }
});

test.run();
