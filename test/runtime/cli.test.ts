// `xdplab run` and `xdplab map dump`: bpftool's output shapes, the data_out file, JSON, and
// exit 2 with a located diagnostic on bad input.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../conformance-data.js';
import { P } from './packets.js';

const main = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const xdplab = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'xdplab-run-cli-'));
const prog = (p: string): string => join(repoRoot, 'programs', p);
const fixture = (f: string): string => join(repoRoot, 'test', 'fixtures', 'runtime', f);
const udp6 = join(dir, 'udp6.bin');
writeFileSync(udp6, P.udp6());
const icmp = join(dir, 'icmp.bin');
writeFileSync(icmp, P.icmp4());

test('run prints the return value and duration like bpftool and writes data_out', () => {
  const out = join(dir, 'out.bin');
  const r = xdplab('run', prog('xdp/icmp_echo.o'), '--data-in', icmp, '--data-out', out);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Return value: 3, duration: \d+ns\n$/);
  assert.is(readFileSync(out).length, P.icmp4().length);
  const many = xdplab('run', prog('xdp/xdp_pass.o'), '--data-in', icmp, '--repeat', '1000');
  assert.match(many.stdout, /^Return value: 2, duration \(average\): \d+ns\n$/);
});

test('run --setup --json: retval, data_out hex, maps in bpftool map dump -j shape', () => {
  const r = xdplab('run', prog('xdp/subprog.o'), '--data-in', udp6, '--setup', fixture('drop-ipv6.setup'), '--json');
  assert.is(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.is(j.retval, 1);
  assert.is(j.data_out, Buffer.from(P.udp6()).toString('hex'));
  assert.equal(j.maps.drop_ipv6, [{ key: ['0x00', '0x00', '0x00', '0x00'], value: ['0x01', '0x00', '0x00', '0x00'] }]);
  const pc = JSON.parse(xdplab('run', prog('xdp3/parse.o'), '--data-in', udp6, '--cpus', '2', '--json').stdout);
  const e = pc.maps.proto_stats.find((x: { key: string[] }) => x.key[0] === '0x11');
  assert.equal(e.values.map((v: { cpu: number; value: string[] }) => [v.cpu, v.value[0]]), [[0, '0x01'], [1, '0x00']]);
});

test('run shows the redirect target and trace_printk output', () => {
  const r = xdplab('run', prog('xdp3/misc.o'), '--prog', 'printk', '--data-in', icmp);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, 'trace: xdplab says Z\n');
  const pkt = join(dir, 'red.bin');
  writeFileSync(pkt, P.udp4(53, '1.1.1.1', '10.0.0.3'));
  assert.match(xdplab('run', prog('xdp3/redirect.o'), '--prog', 'redir_ifindex', '--data-in', pkt).stdout, 'Redirect: ifindex 3\n');
});

test('bad input exits 2 with a diagnostic: setup map, key size, program name, packet size', () => {
  const r = xdplab('run', prog('xdp/subprog.o'), '--data-in', udp6, '--setup', fixture('unknown-map.setup'));
  assert.is(r.status, 2);
  assert.match(r.stderr, "unknown map 'counters'");
  assert.match(r.stderr, 'unknown-map.setup:3:6');
  assert.match(r.stderr, /\^{8}/);
  const bad = join(dir, 'key.setup');
  writeFileSync(bad, 'name drop_ipv6 key 0 0 0 value 1 0 0 0\n');
  const k = xdplab('map', 'dump', prog('xdp/subprog.o'), '--setup', bad);
  assert.is(k.status, 2);
  assert.match(k.stderr, "key has 3 bytes, map 'drop_ipv6' wants 4");
  const p = xdplab('run', prog('xdp3/tailcall.o'), '--prog', 'nope', '--data-in', icmp);
  assert.is(p.status, 2);
  assert.match(p.stderr, 'tc_entry (section xdp)');
  const small = join(dir, 'small.bin');
  writeFileSync(small, new Uint8Array(10));
  const s = xdplab('run', prog('xdp/xdp_pass.o'), '--data-in', small);
  assert.is(s.status, 2);
  assert.match(s.stderr, 'at least 14');
  assert.not.match(s.stderr, '    at ');
});

test('map dump prints maps as bpftool map dump does', () => {
  const r = xdplab('map', 'dump', prog('xdp/subprog.o'), '--setup', fixture('drop-ipv6.setup'), '--map', 'drop_ipv6');
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, 'key: 00 00 00 00  value: 01 00 00 00\nFound 1 element\n');
  const all = xdplab('map', 'dump', prog('xdp3/meta.o'));
  assert.match(all.stdout, "map 'limit_args' (array, key 4B, value 4B, max_entries 4):\n");
  const j = JSON.parse(xdplab('map', 'dump', prog('xdp3/meta.o'), '--json').stdout);
  assert.equal(Object.keys(j).sort(), ['limit_args', 'limit_res', 'meta_res']);
});

test.run();
