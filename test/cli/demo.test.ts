// `xdplab demo` (npm start): the tour's verdicts, then the comparison of the bundled programs
// and rule set on every placement, consistent with its JSON, and the HTML report.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demo, DEMO_CASES } from '../../src/cli/commands/demo.js';
import { PLACEMENTS } from '../../src/cost/index.js';

const dir = mkdtempSync(join(tmpdir(), 'xdplab-demo-'));
const r = demo({ html: join(dir, 'report.html'), progress: 'none' });

test('the tour assembles and runs the bundled filters with the right verdicts', () => {
  assert.match(r.text, /assembled programs\/asm\/ipv4_only\.s: 10 instructions, 80 bytes/);
  assert.match(r.text, /ipv4_only\.s in the interpreter\n  UDP to port 53 +-> XDP_PASS[^\n]*\n  UDP to port 9999 +-> XDP_PASS[^\n]*\n  ARP frame +-> XDP_DROP/);
  assert.match(r.text, /drop_udp\.o \(clang -target bpf\) in the interpreter\n  UDP to port 53 +-> XDP_PASS[^\n]*\n  UDP to port 9999 +-> XDP_DROP[^\n]*\n  ARP frame +-> XDP_PASS/);
});

test('an XDP filter, a map program and a rule set, each priced on every placement', () => {
  assert.is(r.results.length, DEMO_CASES.length);
  assert.equal(r.results.map((x) => x.subject.kind), ['program', 'program', 'rules']);
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
  assert.match(r.text, /topology: skipped: topology comparison needs the pipeline/);
  assert.match(r.text, /14\.88 Mpps, 67\.2 ns per frame = 242 cycles at 3\.6 GHz \(134 at 2 GHz\)/);
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

test('the HTML report is written with the charts of every comparison', () => {
  assert.is(r.htmlFile, join(dir, 'report.html'));
  const html = readFileSync(r.htmlFile!, 'utf8');
  assert.is((html.match(/<svg\b/g) ?? []).length, 3 * r.results.length);
  assert.match(r.text, /HTML report with charts: /);
  rmSync(dir, { recursive: true, force: true });
});

test.run();
