// The runtime on the bundled programs without a kernel: what the kernel differential test
// established, pinned as plain expectations (actions, data_out, maps, redirect targets, trace).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { XdplabError } from '../../src/diag/index.js';
import { loadObject } from '../../src/elf/index.js';
import { parseSetup } from '../../src/maps/index.js';
import { internetChecksum } from '../../src/packet/index.js';
import { loadRuntime, type RuntimeOptions } from '../../src/vm/runtime/index.js';
import { repoRoot } from '../conformance-data.js';
import { P } from './packets.js';

const rt = (obj: string, opts: RuntimeOptions = {}) =>
  loadRuntime(loadObject(new Uint8Array(readFileSync(join(repoRoot, 'programs', obj))), obj), { cpus: 2, ...opts });
const u64 = (m: Uint8Array, key: number): number => Number(new DataView(m.buffer, m.byteOffset).getBigUint64(key * 8, true));
const values = (r: ReturnType<typeof rt>, map: string): Uint8Array => r.map(map).valueStorage(0);
const err = (f: () => unknown): XdplabError => { try { f(); } catch (e) { if (e instanceof XdplabError) return e; throw e; } throw new Error('no error'); };

test('icmp_echo answers with XDP_TX, swapped addresses and a valid checksum; repeat does not reset the frame', () => {
  const r = rt('xdp/icmp_echo.o');
  const p = P.icmp4('10.0.0.1', '10.0.0.2');
  const once = r.testRun(p);
  assert.is(once.retval, 3);
  assert.equal([...once.dataOut.subarray(26, 34)], [10, 0, 0, 2, 10, 0, 0, 1]);
  assert.is(once.dataOut[34], 0); // echo reply
  assert.is(internetChecksum(once.dataOut, 34, once.dataOut.length - 34), 0);
  // The kernel runs all repeats on one frame: the second run sees the reply the first made
  // and passes it unchanged.
  const twice = r.testRun(p, { repeat: 2 });
  assert.is(twice.retval, 2);
  assert.equal([...twice.dataOut.subarray(26, 34)], [10, 0, 0, 2, 10, 0, 0, 1]);
});

test('tail calls: dispatch by protocol, the self-call stops after 33, an empty slot falls through', () => {
  const r = rt('xdp3/tailcall.o', { prog: 'tc_entry', setup: parseSetup('name jmp key 2 0 0 0 value name tc_loop\n', 's') });
  assert.is(r.testRun(P.tcp4()).retval, 1);
  assert.is(r.testRun(P.udp4()).retval, 3);
  const loop = r.testRun(P.icmp4());
  assert.is(loop.retval, 2);
  assert.is(loop.tailCalls, 33);
  assert.is(u64(values(r, 'tc_count'), 2), 33);
  const empty = rt('xdp3/tailcall.o', { prog: 'tc_entry' });
  assert.is(empty.testRun(P.icmp4()).retval, 0);
  assert.is(u64(values(empty, 'tc_count'), 3), 1);
});

test('redirect_map records the target; a missing key takes the fallback action from flags', () => {
  const r = rt('xdp3/redirect.o', { prog: 'redir_devmap', setup: parseSetup('name tx_ports key 1 0 0 0 value 7 0 0 0\n', 's') });
  const hit = r.testRun(P.udp4(53, '1.1.1.1', '10.0.0.1'));
  assert.is(hit.retval, 4);
  assert.equal(hit.redirect, { kind: 'devmap', index: 1, map: 'tx_ports', value: 7 });
  assert.is(r.testRun(P.udp4(2, '1.1.1.1', '10.0.0.2')).retval, 1);
  assert.is(r.testRun(P.udp4(1, '1.1.1.1', '10.0.0.1')).retval, 0); // an unknown flag aborts
  const x = rt('xdp3/redirect.o', { prog: 'redir_ifindex' }).testRun(P.udp4(53, '1.1.1.1', '10.0.0.5'));
  assert.equal([x.retval, x.redirect], [4, { kind: 'ifindex', index: 5 }]);
});

test('metadata: data_out starts at data_meta; ctx_in hands metadata and the interface in', () => {
  const r = rt('xdp3/meta.o', { prog: 'meta_mark' });
  const p = P.udp4();
  const out = r.testRun(p).dataOut;
  assert.is(out.length, p.length + 8);
  assert.equal([...out.subarray(0, 4)], [0x4b, 0x52, 0x41, 0x4d]);
  const m = rt('xdp3/meta.o', { prog: 'meta_read' });
  const ctx = new Uint8Array(24);
  new DataView(ctx.buffer).setUint32(0, 4, true);
  new DataView(ctx.buffer).setUint32(4, p.length + 4, true);
  m.testRun(Uint8Array.from([1, 2, 3, 4, ...p]), { ctxIn: ctx });
  const res = values(m, 'meta_res');
  assert.equal([u64(res, 2), u64(res, 3), u64(res, 4), u64(res, 5)], [4, 0x04030201, 1, 0]);
  new DataView(ctx.buffer).setUint32(4, 5, true);
  assert.match(err(() => m.testRun(Uint8Array.from([1, 2, 3, 4, ...p]), { ctxIn: ctx })).message, 'ctx_in: data_end is 5 but the packet is');
});

test('trace_printk lines are captured and returned with the run; the ring buffer samples too', () => {
  const r = rt('xdp3/misc.o', { prog: 'printk' }).testRun(P.udp4());
  assert.is(r.trace[0], 'len 50 proto 800\n');
  assert.ok(r.trace.includes('xdplab says Z'));
  assert.ok(r.trace.includes('dst 10.0.0.2 src 010.000.000.001'));
  const rb = rt('xdp3/maps.o', { prog: 'ringbuf_log' }).testRun(P.udp4());
  assert.is(rb.events.length, 2);
  assert.is(rb.events[1]!.data.length, 24);
});

test('packets outside 14..3520 bytes, a bad CPU and devmap programs are refused like the kernel', () => {
  const r = rt('xdp/xdp_pass.o');
  assert.is(err(() => r.testRun(P.runt().subarray(0, 13))).diagnostics[0]!.kind, 'packet');
  assert.match(err(() => r.testRun(new Uint8Array(3521))).message, 'at most 3520');
  assert.is(r.testRun(new Uint8Array(3520)).retval, 2);
  assert.match(err(() => r.testRun(P.udp4(), { cpu: 2 })).message, 'cpu 2 does not exist');
});

test('setup errors name the line: unknown map, wrong key size, unknown program', () => {
  const r = rt('xdp/subprog.o');
  const e1 = err(() => r.setup(parseSetup('# maps\nname nosuch key 0 0 0 0 value 1 0 0 0\n', 'x.setup')));
  assert.match(e1.message, "unknown map 'nosuch'");
  assert.equal([e1.diagnostics[0]!.where!.line, e1.diagnostics[0]!.where!.col], [2, 6]);
  assert.match(err(() => r.setup(parseSetup('name drop_ipv6 key 0 0 0 value 1 0 0 0', 'x'))).message, "key has 3 bytes, map 'drop_ipv6' wants 4");
  assert.match(err(() => rt('xdp3/tailcall.o', { prog: 'tc_entry', setup: parseSetup('name jmp key 0 0 0 0 value name nope', 's') })).message, "unknown program 'nope'");
  assert.match(err(() => rt('xdp3/tailcall.o', { prog: 'nope' })).message, 'it holds: tc_tcp');
});

test('per-CPU maps: the run uses the chosen CPU copy; get_smp_processor_id agrees', () => {
  const r = rt('xdp3/parse.o');
  r.testRun(P.udp4(), { cpu: 1 });
  const stats = r.map('proto_stats');
  assert.is(u64(stats.valueStorage(1), 17), 1);
  assert.is(u64(stats.valueStorage(0), 17), 0);
  const e = rt('xdp3/misc.o', { prog: 'env_props' });
  e.testRun(P.udp4(), { cpu: 1 });
  assert.is(u64(values(e, 'env_res'), 2), 1);
});

test.run();
