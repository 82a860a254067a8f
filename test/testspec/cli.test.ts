// `xdplab test` and `xdplab run --packet` through the built CLI: exit codes 0 / 1 / 2, the
// bundled specs, globs, the report file, and errors on stderr.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../conformance-data.js';

const main = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const xdplab = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', cwd: repoRoot });
const dir = mkdtempSync(join(tmpdir(), 'xdplab-test-cli-'));
const small = 'test/fixtures/testspec/small.yaml';

test('every bundled spec passes, and every example program has one', () => {
  const r = xdplab('test', 'programs/specs/**/*.yaml');
  assert.is(r.status, 0, r.stdout + r.stderr);
  const specs = ['xdp', 'xdp3', 'bench', 'asm', 'rules'].flatMap((d) => readdirSync(join(repoRoot, 'programs', 'specs', d)).filter((f) => f.endsWith('.yaml')).map((f) => `${d}/${f}`));
  assert.match(r.stdout, new RegExp(`\\n${specs.length} specs, \\d+ cases: \\d+ passed, 0 failed\\n$`));
  const programs: [string, string][] = [['xdp', '.o'], ['xdp3', '.o'], ['bench', '.o'], ['asm', '.s'], ['rules', '.rules']];
  for (const [d, ext] of programs) {
    for (const f of readdirSync(join(repoRoot, 'programs', d)).filter((x) => x.endsWith(ext))) {
      const spec = join(repoRoot, 'programs', 'specs', d, f.slice(0, -ext.length) + '.yaml');
      assert.ok(existsSync(spec), `programs/${d}/${f} has no spec`);
      assert.match(readFileSync(spec, 'utf8'), `program: ../../${d}/${f}\n`);
    }
  }
});

test('exit 1 when a case fails, with the pretty report on stdout', () => {
  const r = xdplab('test', small);
  assert.is(r.status, 1);
  assert.is(r.stdout, `${small} (programs/xdp/drop_udp.o)
  ✓ drops UDP to port 9999
  ✗ passes DNS <with> a "wrong" TTL & verdict
      verdict: expected XDP_DROP (1), got XDP_PASS (2)
      at ${small}:9:14
      ipv4.ttl: expected 63, got 64
      at ${small}:11:7

1 spec, 2 cases: 1 passed, 1 failed
`);
  assert.is(r.stderr, '');
});

test('--reporter junit --output FILE writes the XML and still prints the pretty report', () => {
  const out = join(dir, 'results.xml');
  const r = xdplab('test', 'programs/specs/xdp/*.yaml', small, '--reporter', 'junit', '--output', out);
  assert.is(r.status, 1);
  const xml = readFileSync(out, 'utf8');
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="xdplab test" tests="\d+" failures="1" errors="0"/);
  assert.match(xml, '<testsuite name="programs/specs/xdp/drop_udp.yaml"');
  assert.match(r.stdout, '✗ passes DNS');
  const tap = xdplab('test', small, '--reporter', 'tap');
  assert.match(tap.stdout, /^TAP version 13\n1\.\.2\n/);
  const gh = xdplab('test', small, '--reporter', 'github');
  assert.match(gh.stdout, `::error file=${small},line=7,col=5,title=`);
});

test('exit 2 on bad input: malformed spec, no match, unknown reporter or tier', () => {
  const bad = xdplab('test', 'test/fixtures/testspec/small.yaml', 'test/fixtures/testspec/bad.yaml');
  assert.is(bad.status, 2);
  assert.is(bad.stdout, '');
  assert.is(bad.stderr, "test/fixtures/testspec/bad.yaml:6:5: error: unknown key 'expct' in a case; did you mean 'expect'?\n      expct: { ipv4.ttl: 63 }\n      ^^^^^\n" +
    '  a case keys: name, prog, packet, hex, pcap, setup, repeat, cpu, ctx_in, skip, verdict, output, output_hex, expect, redirect, maps, trace\n');
  const none = xdplab('test', 'programs/specs/**/*.yml');
  assert.is(none.status, 2);
  assert.is(none.stderr, "error: no spec files match 'programs/specs/**/*.yml'\n");
  assert.is(xdplab('test', 'nope.yaml').status, 2);
  const rep = xdplab('test', small, '--reporter', 'xml');
  assert.is(rep.status, 2);
  assert.is(rep.stderr, "error: unknown reporter 'xml'; available: pretty, tap, junit, github\n");
  assert.is(xdplab('test', small, '--tier', 'jit').status, 2);
});

test('a directory argument runs every spec under it', () => {
  const r = xdplab('test', 'programs/specs/asm');
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, 'programs/specs/asm/ipv4_only.yaml (programs/asm/ipv4_only.s)\n');
});

test('run --packet takes the packet notation instead of --data-in', () => {
  const r = xdplab('run', 'programs/xdp/drop_udp.o', '--packet', 'eth()/ipv4()/udp(dport=9999)');
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Return value: 1, duration: \d+ns\n$/);
  const j = JSON.parse(xdplab('run', 'programs/xdp/icmp_echo.o', '--packet', 'eth()/ipv4()/icmp(type=8)', '--json').stdout);
  assert.is(j.retval, 3);
  const both = xdplab('run', 'programs/xdp/drop_udp.o', '--packet', 'eth()', '--data-in', 'x.bin');
  assert.is(both.status, 2);
  assert.is(both.stderr, 'error: give the packet with --data-in FILE or --packet TEXT, not both\n');
  const bad = xdplab('run', 'programs/xdp/drop_udp.o', '--packet', 'eth()/ipv4(ttl=300)');
  assert.is(bad.status, 2);
  assert.is(bad.stderr, '--packet:1:16: error: ipv4.ttl=300 is out of range; expected 0..255\n  eth()/ipv4(ttl=300)\n                 ^^^\n');
});

test.run();
