import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { repo } from './helpers.js';

const main = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [main, 'tables', ...args], { cwd: repo, encoding: 'utf8' });
const T = 'programs/tables/compute-1.yaml';

test('tables dump mpls prints the mpls --dump layout', () => {
  const r = run('dump', 'mpls', '--tables', T);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, 'MPLS Input Label Map\n\n   Label    NextHop\n-------------------\n      17        13\n      18        14\n');
});

test('tables dump vif, nh, rt, flow and --json', () => {
  assert.match(run('dump', 'vif', '--tables', T).stdout, /vif0\/3      OS: tapvm1-blue NH: 13\n {12}Type:Virtual HWaddr:02:00:00:01:01:03 IPaddr:10\.1\.1\.3\n {12}Vrf:1 Mcast Vrf:1 Flags:PL3L2D QOS:-1 Ref:1/);
  assert.match(run('dump', 'nh', '--tables', T).stdout, /Id:30  Type:Composite  Fmly:AF_INET  Rid:0  Ref_cnt:1 Vrf:1\n {14}Flags:Valid, Ecmp\n {14}Valid Hash Key Parameters: Proto,SrcIP,SrcPort,DstIp,DstPort\n {14}Sub NH\(label\): 21\(26\) 14\(-1\)/);
  assert.match(run('dump', 'rt', '--tables', T, '--vrf', '1').stdout, /vRouter inet4 routing table 0\/1\/unicast\n[^\n]*\n0\.0\.0\.0\/0 +0 +L +29 +21/);
  assert.match(run('dump', 'flow', '--tables', T).stdout, / +20<=>21 +10\.1\.1\.3:5000 +17 \(1\)\n +203\.0\.113\.53:53\n\(Gen: 1, K\(nh\):13, Action:N\(S\)/);
  const j = JSON.parse(run('dump', 'rt', '--tables', T, '--vrf', '2', '--json').stdout);
  assert.equal(j, [{ vrf: 2, family: 'inet', prefix: '10.2.2.3', len: 32, nh: 15, label: -1, flags: 0 }]);
});

test('tables apply prints patches; --trace the programming messages; a broken transaction exits 2 naming file and entry', () => {
  const ok = run('apply', 'programs/tables/add-vm.yaml', '--tables', T, '--trace');
  assert.is(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /6 programming messages to the NIC/);
  assert.match(ok.stdout, /nexthop_del nhs\/30\n {6}remove \/nhs\/30/);
  const bad = run('apply', 'programs/tables/broken-route.yaml', '--tables', T);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /programs\/tables\/broken-route\.yaml:7:5: error: route 1\/10\.1\.9\.0\/24 refers to next hop 99/);
  assert.not.match(bad.stderr, /at .*\.js/);
});

test('every tables subcommand has --help with an example', () => {
  for (const sub of [[], ['dump'], ['apply']]) {
    const r = run(...sub, '--help');
    assert.is(r.status, 0);
    assert.match(r.stdout, /Example/);
  }
});

test.run();
