// `xdplab demo` (npm start): the tour's verdicts, then the comparison of the bundled programs,
// rule set and topologies (the XDP filter in the kernel hook, the vRouter overlay on the
// SmartNIC) on every placement, consistent with its JSON, and the HTML report with its charts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demo, DEMO_CASES } from '../../src/cli/commands/demo.js';
import { PLACEMENTS } from '../../src/cost/index.js';

const dir = mkdtempSync(join(tmpdir(), 'xdplab-demo-'));
const r = await demo({ html: join(dir, 'report.html'), progress: 'none' });
const at = (input: string) => r.results[DEMO_CASES.findIndex((c) => c.input === input)]!;

test('the tour assembles and runs the bundled filters with the right verdicts', () => {
  assert.match(r.text, /assembled programs\/asm\/ipv4_only\.s: 10 instructions, 80 bytes/);
  assert.match(r.text, /ipv4_only\.s, verified, in the compiled tier\n  UDP to port 53 +-> XDP_PASS[^\n]*\n  UDP to port 9999 +-> XDP_PASS[^\n]*\n  ARP frame +-> XDP_DROP/);
  assert.match(r.text, /drop_udp\.o \(clang -target bpf\), verified, in the compiled tier\n  UDP to port 53 +-> XDP_PASS[^\n]*\n  UDP to port 9999 +-> XDP_DROP[^\n]*\n  ARP frame +-> XDP_PASS/);
});

test('an XDP filter, a map program, a rule set and two topologies, each priced on every placement', () => {
  assert.is(r.results.length, DEMO_CASES.length);
  assert.equal(r.results.map((x) => x.subject.kind), ['program', 'program', 'rules', 'topology', 'topology']);
  for (const [i, res] of r.results.entries()) {
    assert.ok(r.text.includes(`-- ${DEMO_CASES[i]!.input}:`));
    assert.equal(res.placements.map((p) => p.name), [...PLACEMENTS]);
    const native = res.placements.find((p) => p.name === 'xdp-native')!;
    // plausible: hundreds to a few thousand cycles, 0.5 to 50 Mpps per core on a 3.6 GHz core
    assert.ok(native.hostCyclesPerPacket > 100 && native.hostCyclesPerPacket < 5000, String(native.hostCyclesPerPacket));
    assert.ok(native.mppsPerCore! > 0.5 && native.mppsPerCore! < 50, String(native.mppsPerCore));
    const dpdk = res.placements.find((p) => p.name === 'dpdk')!;
    assert.ok(dpdk.hostCyclesPerPacket < native.hostCyclesPerPacket);
  }
  assert.not.match(r.text, /skipped/);
  assert.match(r.text, /14\.88 Mpps, 67\.2 ns per frame = 242 cycles at 3\.6 GHz \(134 at 2 GHz\)/);
});

test('the XDP-filter topology: run through the pipeline, its program measured per verdict, per-path counts printed', () => {
  const t = at('programs/topologies/xdp-filter-kernel.yaml');
  assert.ok(DEMO_CASES.some((c) => c.input === 'programs/topologies/xdp-filter-kernel.yaml'));
  assert.is(t.topology!.totals.in, 700);
  assert.ok(t.topology!.totals.balanced);
  assert.is(t.measured.verdicts.drop! + t.measured.verdicts.pass!, 700);
  const hostDrops = Object.values(t.topology!.paths).reduce((s, p) => s + (p.drops['xdp drop'] ?? 0), 0);
  assert.is(hostDrops, t.measured.verdicts.drop);
  assert.match(r.text, /-- programs\/topologies\/xdp-filter-kernel\.yaml:[^]*pipeline run, packets per path:\n +path +in +tx[^]*\n +host q0 +\d+/);
  assert.ok(t.placements.find((p) => p.name === 'xdp-offload')!.offloadable);
  assert.is(t.offload!.checkedBy, 'verifier');
});

test('the vRouter topology: the smartnic placement costs host cycles only for the packets its tables sent to the host', () => {
  const v = at('programs/topologies/vrouter-offload.yaml');
  const nic = v.topology!.nic!;
  assert.is(nic.in, 400);
  assert.is(nic.handled + nic.fallback, nic.in);
  assert.ok(nic.fallback > 0 && nic.fallback < nic.in / 2, JSON.stringify(nic));
  assert.is(nic.fallback, v.topology!.paths.nic!.passed);
  const sn = v.placements.find((p) => p.name === 'smartnic')!;
  assert.ok(sn.offloadable, sn.reasons.join());
  assert.ok(sn.hostCyclesPerPacket > 0 && sn.breakdown.every((b) => b.part.startsWith('fallback(kernel) ')), JSON.stringify(sn.breakdown));
  // every other host path pays for every packet
  for (const p of v.placements.filter((x) => x.name === 'kernel' || x.name === 'dpdk')) assert.ok(p.hostCyclesPerPacket > 0);
  assert.ok(sn.hostCyclesPerPacket < v.placements.find((p) => p.name === 'kernel')!.hostCyclesPerPacket);
  for (const p of v.placements.filter((x) => x.name.startsWith('xdp-'))) {
    assert.not.ok(p.offloadable, p.name);
    assert.match(p.reasons[0]!, /not an XDP program/);
  }
  assert.match(r.text, new RegExp(`smartnic: ${sn.hostCyclesPerPacket.toFixed(0)} host cycles/packet, only for the ${nic.fallback} of 400 packets \\([\\d.]+%\\) the NIC tables sent to the host`));
  assert.match(r.text, /NIC tables handled \d+ of 400 packets, \d+ \([\d.]+%\) fell back to the host/);
});

test('the printed tables are the JSON numbers', () => {
  const blocks = r.text.split('\n-- ').slice(1, 1 + r.results.length);
  r.results.forEach((res, i) => {
    for (const p of res.placements) {
      const row = new RegExp(`^ +${p.name} +([\\d.]+) +(no host work|[\\d.]+) +(\\d+) +.* (yes|no)$`, 'm').exec(blocks[i]!);
      assert.ok(row, `${p.name} in\n${blocks[i]}`);
      assert.is(Number(row![1]).toFixed(0), p.hostCyclesPerPacket.toFixed(0));
      if (p.mppsPerCore !== null) assert.is(row![2], p.mppsPerCore.toFixed(2));
      assert.is(Number(row![3]), p.coresNeeded);
      assert.is(row![4], p.offloadable ? 'yes' : 'no');
    }
  });
});

test('the HTML report is written with the charts of every comparison, the topologies with their paths', () => {
  assert.is(r.htmlFile, join(dir, 'report.html'));
  const html = readFileSync(r.htmlFile!, 'utf8');
  const sections = html.split('<section id="c').slice(1);
  assert.is(sections.length, r.results.length);
  r.results.forEach((res, i) => {
    const svgs = (sections[i]!.match(/<svg\b/g) ?? []).length;
    // cycles, cores, instructions; a topology adds where its packets went; vRouter tables run no program
    const want = res.topology ? (res.measured.packets > 0 ? 4 : 3) : 3;
    assert.is(svgs, want, `${res.subject.name}: ${svgs} charts`);
    if (res.topology) {
      assert.match(sections[i]!, /Pipeline run: packets per path/);
      assert.match(sections[i]!, /Where the packets went/);
    }
  });
  assert.match(html, /Fallbacks to the host by reason: trap flow-miss \d+/);
  assert.match(r.text, /HTML report with charts: /);
  rmSync(dir, { recursive: true, force: true });
});

test.run();
