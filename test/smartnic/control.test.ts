import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { XdplabError, renderDiagnostic } from '../../src/diag/index.js';
import { parseIPv4, parseSetup, type SmartNic } from '../../src/smartnic/index.js';
import { compute1, repo } from './helpers.js';

const load = (name: string) => parseSetup(readFileSync(`${repo}programs/tables/${name}`, 'utf8'), name);
const base = load('compute-1.yaml');

function rejected(nic: SmartNic, fn: () => void): string {
  try { fn(); } catch (e) {
    assert.instance(e, XdplabError);
    assert.is((e as XdplabError).exitCode, 2);
    return (e as XdplabError).diagnostics.map(renderDiagnostic).join('\n');
  }
  assert.unreachable('the transaction should have been rejected');
  return '';
}

test('a transaction that breaks referential integrity is rejected whole; tables and indexes unchanged', () => {
  const nic = compute1();
  const before = nic.state;
  const msgs = nic.control.messagesSent;
  const text = rejected(nic, () => nic.apply(load('broken-route.yaml'), base));
  assert.match(text, /broken-route\.yaml:7:5: error: route 1\/10\.1\.9\.0\/24 refers to next hop 99, which does not exist/);
  assert.match(text, /failed condition: nexthops\[99\] exists/);
  assert.ok(nic.state === before, 'state is the same object');
  assert.is(nic.state.mpls['40'], undefined, 'the valid part (label 40) was not applied either');
  assert.is(nic.snap.ilm.has(40), false);
  assert.equal(nic.snap.fib.lookup4(1, parseIPv4('10.1.9.1')!), { nh: 21, label: 29, prefixLen: 0 });
  assert.is(nic.control.messagesSent, msgs, 'nothing was sent to the NIC');
});

test('removing a next hop still referred to names the referrers', () => {
  const nic = compute1();
  const text = rejected(nic, () => nic.commit((d) => { delete d.nhs['21']; }));
  assert.match(text, /next hop 21 is removed but .*route 1\/10\.1\.1\.5\/32.* still refer to it/);
});

test('prefixes must be well formed and flow keys unique', () => {
  const nic = compute1();
  assert.match(rejected(nic, () => nic.commit((d) => {
    d.routes['1|10.1.1.1/24'] = { vrf: 1, family: 'inet', prefix: '10.1.1.1', len: 24, nh: 13, label: -1, flags: 0 };
  })), /host bits set beyond \/24/);
  assert.match(rejected(nic, () => nic.commit((d) => { d.flows['40'] = { ...d.flows['10']!, index: 40 }; })), /flow (40|10) has the same key as flow (10|40)/);
});

test('an accepted transaction: its patches become counted programming messages', () => {
  const nic = compute1();
  const r = nic.apply(load('add-vm.yaml'), base);
  const ops = r.messages.map((m) => `${m.op} ${m.table}/${m.key}`).sort();
  assert.equal(ops, ['interface_add vifs/6', 'mpls_add mpls/19', 'nexthop_add nhs/16', 'nexthop_del nhs/30', 'route_add routes/1|10.1.1.100/32', 'route_add routes/1|10.1.1.7/32']);
  assert.ok(r.patches.some((p) => p.op === 'remove' && p.path.join('/') === 'nhs/30'));
  assert.equal(nic.snap.fib.lookup4(1, parseIPv4('10.1.1.100')!), { nh: 21, label: 26, prefixLen: 32 });
  assert.is(nic.snap.ilm.get(19), 16);
});

test('YAML mistakes name the file, line and column', () => {
  const err = (src: string): string => { try { parseSetup(src, 't.yaml'); } catch (e) { return (e as Error).message; } return ''; };
  assert.match(err('nexthops:\n  - { id: 1, type: encap, nexthop: 3 }\n'), /t\.yaml:2:27: error: unknown field 'nexthop' in a next hop/);
  assert.match(err('routes:\n  - { vrf: 1, prefix: 10.0.0.0, nh: 1 }\n'), /t\.yaml:2:23: error: route in VRF 1: prefix '10\.0\.0\.0' must be ADDRESS\/LENGTH/);
  assert.match(err('mpls: [ { label: 1, nh: 2 }\n'), /t\.yaml:\d+:\d+: error: YAML syntax error/);
  assert.match(err('mpls:\n  - { label: 5, nh: 1 }\n  - { label: 5, nh: 2 }\n'), /t\.yaml:3:5: error: mpls entry 5 is listed twice/);
});

test.run();
