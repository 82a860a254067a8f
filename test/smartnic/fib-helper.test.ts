// bpf_fib_lookup answered from the SmartNIC's vRouter FIB (programs/xdp/fib_forward.o).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadObject } from '../../src/elf/index.js';
import { NicFibLookup, SmartNic, parseSetup } from '../../src/smartnic/index.js';
import { loadRuntime } from '../../src/vm/runtime/index.js';
import { dissect, parsePacket } from '../../src/packet/index.js';
import { repoRoot } from '../conformance-data.js';

const tables = join(repoRoot, 'programs', 'tables', 'compute-1.yaml');
const objFile = join(repoRoot, 'programs', 'xdp', 'fib_forward.o');

function runtime() {
  const nic = new SmartNic();
  nic.apply(parseSetup(readFileSync(tables, 'utf8'), tables));
  return loadRuntime(loadObject(new Uint8Array(readFileSync(objFile)), objFile), { cpus: 1, fib: new NicFibLookup(nic) });
}

/** struct xdp_md for the test run: the packet arrives on vRouter interface `ifindex`. */
function ctxOn(ifindex: number, len: number): Uint8Array {
  const b = new Uint8Array(24);
  const v = new DataView(b.buffer);
  v.setUint32(4, len, true);
  v.setUint32(12, ifindex, true);
  return b;
}

const field = (bytes: Uint8Array, layer: string, name: string): unknown => {
  const v = dissect(bytes).find((l) => l.name === layer)?.fields[name];
  return v instanceof Uint8Array ? Array.from(v, (b) => b.toString(16).padStart(2, '0')).join(':') : v;
};

test('a VM-to-VM packet in VRF blue is routed to the other VM with its encap rewrite', () => {
  const pkt = parsePacket('eth()/ipv4(src=10.1.1.3, dst=10.1.1.4, ttl=64)/udp()');
  const r = runtime().testRun(pkt, { ctxIn: ctxOn(3, pkt.length) });
  assert.is(r.retval, 4, 'XDP_REDIRECT');
  assert.is(r.redirect?.kind, 'ifindex');
  assert.is(r.redirect?.index, 4, 'tapvm2-blue');
  assert.is(field(r.dataOut, 'eth', 'dst'), '02:00:00:01:01:04');
  assert.is(field(r.dataOut, 'eth', 'src'), '00:00:5e:00:01:00');
  assert.is(field(r.dataOut, 'ipv4', 'ttl'), 63);
  assert.is(dissect(r.dataOut).find((l) => l.name === 'ipv4')?.checksum?.verdict, 'ok');
});

test('a remote VM is reached through the fabric tunnel next hop; the discard route drops; an unknown ingress VRF passes', () => {
  const remote = parsePacket('eth()/ipv4(src=10.1.1.3, dst=10.1.1.5)/udp()');
  const a = runtime().testRun(remote, { ctxIn: ctxOn(3, remote.length) });
  assert.is(a.retval, 4);
  assert.is(a.redirect?.index, 0, 'eth0, the fabric');
  assert.is(field(a.dataOut, 'eth', 'dst'), '52:54:00:00:01:12');
  const discard = parsePacket('eth()/ipv4(src=10.1.1.3, dst=10.1.1.9)/udp()');
  assert.is(runtime().testRun(discard, { ctxIn: ctxOn(3, discard.length) }).retval, 1, '10.1.1.0/24 -> discard next hop: blackhole');
  const fromHost = parsePacket('eth()/ipv4(dst=10.1.1.4)/udp()');
  assert.is(runtime().testRun(fromHost, { ctxIn: ctxOn(1, fromHost.length) }).retval, 2, 'vhost0 is in VRF 0, which has no routes');
});

test.run();
