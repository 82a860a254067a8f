// The HTML report: self-contained (no script, nothing fetched), three SVG charts per comparison
// drawn in Node, the numbers table, the line-rate reference and the profile's sources.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { compare, openSubject, parseRate, readCostProfile, readNicProfile, reportHtml, trafficFromProfile } from '../../src/cost/index.js';
import { cyclesChart, coresChart, familyOf } from '../../src/cost/report/index.js';
import { repoRoot } from '../conformance-data.js';

const profile = readCostProfile('server-2ghz');
const traffic = trafficFromProfile('flows:\n  - packet: eth()/ipv4()/udp(dport=9999)\n    weight: 1\n  - packet: eth()/ipv4()/udp(dport=53)\npackets: 200\n', 't.yaml');
const r = compare(openSubject(join(repoRoot, 'programs', 'xdp', 'drop_udp.o')), traffic, { profile, nic: readNicProfile(), rate: parseRate('25G') });
const html = reportHtml([r, r], profile, { subtitle: 'test <run>' });

test('self-contained: no scripts, no external references', () => {
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  assert.not.match(html, /<script/i);
  assert.not.match(html, /<(img|link|iframe)\b/i);
  assert.not.match(html, /(src|href)="(https?:)?\/\//i);
  assert.not.match(html, /url\((https?:)?\/\//i);
  assert.match(html, /test &lt;run&gt;/); // escaped
});

test('three inline SVG charts per comparison, with placements, families and the 2 GHz line-rate budget', () => {
  assert.is((html.match(/<svg\b/g) ?? []).length, 6);
  const c = cyclesChart(r);
  for (const name of ['xdp-native', 'xdp-generic', 'dpdk', 'kernel', 'smartnic (not possible)']) assert.ok(c.includes(name), name);
  assert.ok(c.includes('eBPF program') && c.includes('driver'));
  // 10 GbE 64 B: 14.88 Mpps, 67.2 ns, 134 cycles at 2 GHz
  assert.match(c, /14\.88 Mpps = 67\.2 ns = 134 cycles @ 2 GHz/);
  assert.match(html, /134 cycles at 2 GHz/);
  const k = coresChart(r);
  assert.match(k, /offered: 25 Gb\/s/);
  assert.match(k, /offered rate \(Gb\/s\)/);
});

test('the numbers table and the profile sources are in the report', () => {
  for (const p of r.placements) assert.ok(html.includes(`<th>${p.name}</th><td>${p.hostCyclesPerPacket >= 100 ? p.hostCyclesPerPacket.toFixed(0) : p.hostCyclesPerPacket.toFixed(1)}</td>`), p.name);
  assert.match(html, /no SmartNIC table form/);
  assert.match(html, /Intel ARK, Xeon E5-2660 v4: base frequency 2\.00 GHz/);
  assert.ok(html.includes('kernel.skbAlloc'));
});

test('breakdown parts map to the chart families', () => {
  assert.is(familyOf('driver.irq'), 'driver');
  assert.is(familyOf('fallback(kernel) driver.irq'), 'driver');
  assert.is(familyOf('xdp.hookNative'), 'XDP hook and action');
  assert.is(familyOf('ebpf.insns'), 'eBPF program');
  assert.is(familyOf('helper bpf_ktime_get_ns'), 'eBPF program');
  assert.is(familyOf('map flows'), 'maps');
  assert.is(familyOf('receiver kernel.syscall'), 'kernel stack');
  assert.is(familyOf('dpdk.rxPerPacket'), 'DPDK');
});

test.run();
