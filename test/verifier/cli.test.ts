// `xdplab verify`: verdicts and exit codes, the explanation of a rejection, privilege modes,
// --target hw, JSON, globs, and every bundled program accepted.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../conformance-data.js';

const main = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const xdplab = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', cwd: repoRoot });
const dir = mkdtempSync(join(tmpdir(), 'xdplab-verify-cli-'));

test('an accepted program: one ok line, exit 0', () => {
  const r = xdplab('verify', 'programs/xdp/drop_udp.o');
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ok +programs\/xdp\/drop_udp\.o: drop_udp +\(31 insns, processed \d+, stack \d+ B, [\d.]+ ms\)\n$/);
});

test('a rejection: headline with the instruction, source line, registers, path, counterexample, kernel message; exit 1', () => {
  const r = xdplab('verify', 'programs/unsafe/drop_udp_off_by_one.o');
  assert.is(r.status, 1);
  const out = r.stdout;
  assert.ok(out.includes('REJECTED  programs/unsafe/drop_udp_off_by_one.o: drop_udp'), out);
  assert.ok(out.includes('insn 5: packet access out of range: read 1 byte at off 23, proven range 23'), out);
  assert.ok(out.includes('drop_udp_off_by_one.c:20  if (ip->protocol == 17)'), out);
  assert.ok(out.includes('R2=pkt(off=23,r=23)'), out);
  assert.match(out, /4: if r2 > r1 goto \+4 +not taken +drop_udp_off_by_one\.c:18/);
  assert.ok(out.includes('counterexample: a 23-byte packet passes every check on this path, but this read needs 24 bytes'), out);
  assert.ok(out.includes('kernel: invalid access to packet, off=23 size=1'), out);
});

test('assembly files are verified as one XDP program; --caps bpf,net_admin applies the strict rules', () => {
  assert.is(xdplab('verify', 'programs/unsafe/uninit_stack.s').status, 0);
  const r = xdplab('verify', 'programs/unsafe/uninit_stack.s', '--caps', 'bpf,net_admin');
  assert.is(r.status, 1);
  assert.ok(r.stdout.includes('insn 0: stack read of uninitialised bytes: fp-8'), r.stdout);
  assert.is(xdplab('verify', 'programs/asm/ipv4_only.s').status, 0);
});

test('rule sets are compiled and verified', () => {
  const r = xdplab('verify', 'programs/rules/edge_acl.rules');
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^ok +programs\/rules\/edge_acl\.rules: xdp_rules/);
});

test('many files and quoted globs: a summary line; any rejection makes exit 1', () => {
  const r = xdplab('verify', 'programs/xdp/*.o', 'programs/unsafe/off_by_one.s', '--quiet');
  assert.is(r.status, 1);
  assert.match(r.stdout, /verified 9 programs in 9 files: 8 accepted, 1 rejected/);
  assert.not.match(r.stdout, /^ok /m);
});

test('--log-level 2 prints the kernel-style log; --log-level 1 the failing path', () => {
  const two = xdplab('verify', 'programs/unsafe/off_by_one.s', '--log-level', '2').stdout;
  assert.ok(two.includes('4: (2d) if r4 > r3 goto pc+2') || /4: \(2d\) if r4 > r3 goto \+2/.test(two), two);
  assert.ok(two.includes('5: R2 offset is outside of the packet') || two.includes('R2 offset is outside of the packet'), two);
  const one = xdplab('verify', 'programs/unsafe/off_by_one.s', '--log-level', '1').stdout;
  assert.ok(one.includes('log:'), one);
});

test('--json: the same explanation as data', () => {
  const r = xdplab('verify', 'programs/unsafe/missing_null_check.o', 'programs/xdp/xdp_pass.o', '--json');
  assert.is(r.status, 1);
  const j = JSON.parse(r.stdout);
  assert.is(j.summary.programs, 2);
  assert.is(j.summary.rejected, 1);
  const bad = j.programs.find((p: { ok: boolean }) => !p.ok);
  assert.is(bad.errors[0].kernel_message, "R0 invalid mem access 'map_value_or_null'");
  assert.is(bad.errors[0].source.line, 21);
  assert.is(bad.errors[0].insn, '7: r1 = *(u64 *)(r0 + 0)');
  assert.ok(Array.isArray(bad.errors[0].registers));
});

test('--target hw names what keeps a program off the NIC', () => {
  const r = xdplab('verify', 'programs/xdp3/redirect.o', '--prog', 'redir_devmap', '--target', 'hw');
  assert.is(r.status, 1);
  assert.match(r.stdout, /offload: insn \d+: bpf_redirect_map is not supported by the NIC/);
  assert.match(r.stdout, /offload: map \w+ \(devmap\) cannot be offloaded: only array and hash maps/);
  assert.is(xdplab('verify', 'programs/xdp/xdp_pass.o', '--target', 'hw').status, 0);
});

test('bad input: exit 2 with a diagnostic, never a stack trace', () => {
  const junk = join(dir, 'junk.o');
  writeFileSync(junk, 'not an object');
  for (const args of [[junk], [join(dir, 'missing.o')], ['programs/xdp/xdp_pass.o', '--caps', 'bpf'], ['programs/xdp/xdp_pass.o', '--log-level', '3']]) {
    const r = xdplab('verify', ...args);
    assert.is(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.not.match(r.stderr, /at .*\.js:\d+/);
  }
});

test('every bundled program is accepted (kfuncs_meta.o needs a device-bound load, as in the kernel)', () => {
  const dirs = ['xdp', 'xdp3', 'bench', 'realworld'].filter((d) => existsSync(join(repoRoot, 'programs', d)));
  const r = xdplab('verify', ...dirs.map((d) => `programs/${d}/*.o`), 'programs/rules/*.rules', 'programs/asm/*.s', '--json');
  const j = JSON.parse(r.stdout);
  const rejected = j.programs.filter((p: { ok: boolean; file: string }) => !p.ok && !p.file.endsWith('kfuncs_meta.o'));
  assert.equal(rejected.map((p: { file: string; program: string }) => `${p.file}: ${p.program}`), []);
  assert.equal(j.bad_inputs, []);
});

test.run();
