// Traffic for compare: profiles generate the same frames every time, sizes are on the wire
// with FCS, and mistakes name file:line:col.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { XdplabError, renderDiagnostic } from '../../src/diag/index.js';
import { PcapWriter } from '../../src/packet/index.js';
import { loadTraffic, trafficFromProfile } from '../../src/cost/index.js';
import { repoRoot } from '../conformance-data.js';

const P = (body: string): string => `name: t\n${body}`;

test('a profile gives the sizes asked for (with FCS), the weights, and {n} in turn; the same frames every time', () => {
  const text = P(`packets: 1000\nseed: 9\nsizes: { 64: 1, 1518: 1 }\nflows:\n  - packet: eth()/ipv4(src=10.0.0.{n})/udp(dport=53)\n    weight: 3\n    n: [1, 10]\n  - packet: eth()/ipv4()/tcp(dport=80, flags=S)\n`);
  const a = trafficFromProfile(text, 't.yaml');
  const b = trafficFromProfile(text, 't.yaml');
  assert.is(a.frames.length, 1000);
  assert.equal(a.frames.map((f) => f.wireBytes), b.frames.map((f) => f.wireBytes));
  assert.equal(a.sizes.map((s) => s.bytes), [64, 1518]);
  for (const f of a.frames) assert.is(f.data.length + 4, f.wireBytes);
  const udp = a.frames.filter((f) => f.data[23] === 17).length;
  assert.ok(udp > 650 && udp < 850, String(udp));
  const sources = new Set(a.frames.filter((f) => f.data[23] === 17).map((f) => f.data[29]));
  assert.is(sources.size, 10);
  // IPv4 total length covers the padding payload
  const big = a.frames.find((f) => f.wireBytes === 1518)!;
  assert.is((big.data[16]! << 8) | big.data[17]!, 1514 - 14);
  assert.ok(Math.abs(a.meanFrameBytes - a.frames.reduce((s, f) => s + f.wireBytes, 0) / 1000) < 1e-9);
});

test('every bundled traffic profile loads', () => {
  for (const f of ['imix.yaml', 'amp-attack.yaml', 'udp-64.yaml']) {
    const t = loadTraffic(join(repoRoot, 'programs', 'traffic', 'profiles', f));
    assert.ok(t.frames.length >= 1000, f);
  }
});

test('a pcap is read frame by frame; wire size from the original length', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xdplab-cmp-'));
  const file = join(dir, 't.pcap');
  const w = new PcapWriter(file);
  w.write(new Uint8Array(60), 0);
  w.write(new Uint8Array(1514), 1000);
  w.close();
  const t = loadTraffic(file);
  assert.equal(t.frames.map((f) => f.wireBytes), [64, 1518]);
  assert.is(t.meanFrameBytes, 791);
});

function err(text: string): string {
  try { trafficFromProfile(text, 'bad.yaml'); } catch (e) {
    assert.instance(e, XdplabError);
    assert.is((e as XdplabError).exitCode, 2);
    return renderDiagnostic((e as XdplabError).diagnostics[0]!);
  }
  return assert.unreachable('no error') as never;
}

test('mistakes in a profile name the line and column', () => {
  assert.match(err(P('flows:\n  - packet: eth()/ipv4()\n    wieght: 3\n')), /^bad\.yaml:4:5: error: traffic profile: unknown field 'wieght' in flows\[0\]/);
  assert.match(err(P('sizes: { 32: 1 }\nflows:\n  - packet: eth()\n')), /^bad\.yaml:2:10: error: .*frame size '32' must be an integer from 64 to 3524/);
  assert.match(err(P('flows:\n  - packet: eth()/ipv4(src=10.0.0.{n})\n')), /uses \{n\} but has no n:/);
  assert.match(err(P('flows: []\n')), /'flows' must be a non-empty list/);
  assert.match(err(P('packets: 0\nflows:\n  - packet: eth()\n')), /^bad\.yaml:2:10: error: .*'packets' must be an integer from 1/);
  assert.match(err(P('flows:\n  - packet: eth()/ipv9()\n')), /bad\.yaml flows\[0\]\.packet/);
  assert.match(err('flows: [\n'), /^bad\.yaml:\d+:\d+: error: traffic profile:/);
  try { loadTraffic('x.txt'); assert.unreachable(); } catch (e) { assert.match((e as Error).message, /--traffic wants a capture/); }
});

test.run();
