// Helper semantics that need no kernel: csum_diff, trace_printk formatting, the FIB table,
// and the load-time check of helper ids.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { XdplabError } from '../../src/diag/index.js';
import { decode, encode } from '../../src/isa/index.js';
import type { BpfObject } from '../../src/elf/index.js';
import { BPF_FIB_LKUP_RET, csumDiff, formatPrintk, parseRoutes, parseAddr } from '../../src/vm/helpers/index.js';
import { loadRuntime } from '../../src/vm/runtime/index.js';
import { I, exit, mov } from '../vm/build.js';

const b = (...x: number[]): Uint8Array => Uint8Array.from(x);
const enc = new TextEncoder();
const fmt = (s: string, ...args: number[]): string | undefined =>
  formatPrintk(enc.encode(s + '\0'), args.map((v) => ({ lo: v | 0, hi: v < 0 ? -1 : Math.floor(v / 2 ** 32) })));

test('csum_diff: a 16-bit folded sum; pushing, pulling and diffing', () => {
  // 10.0.0.2 -> 192.168.7.7: 0x0707a8c0 + ~0x0200000a with the carry, folded (words read little-endian).
  assert.is(csumDiff(b(10, 0, 0, 2), b(192, 168, 7, 7), 0), 0xadbd);
  assert.is(csumDiff(new Uint8Array(0), b(1, 2, 3, 4), 0), 0x0604);
  assert.is(csumDiff(new Uint8Array(8), new Uint8Array(0), 0), 0); // ~csum_partial(0, ~0)
  assert.is(csumDiff(new Uint8Array(8), new Uint8Array(8), 0), 0xffff);
  assert.is(csumDiff(new Uint8Array(0), new Uint8Array(0), 0xabcd), 0xabcd);
});

test('trace_printk: the kernel formats, widths and flags; -EINVAL cases give undefined', () => {
  assert.is(fmt('len %d proto %x\n', 60, 0x800), 'len 60 proto 800\n');
  assert.is(fmt('%u|%5d|%-5d|%05d', -1, 42, -42, 7), '4294967295|   42|-42  |00007');
  assert.is(fmt('100%% %i', -7), '100% -7');
  assert.is(fmt('%x %X', 0xbeef, 0xbeef), 'beef BEEF');
  assert.is(fmt('%c', 0x5a), 'Z');
  assert.is(fmt('%q', 1), undefined);
  assert.is(fmt('%d %d %d %d', 1, 2, 3), undefined); // a fourth argument
  assert.is(formatPrintk(enc.encode('no nul'), []), undefined);
  assert.is(formatPrintk(b(0x41, 0x01, 0), []), undefined); // not printable
});

test('FIB: longest prefix wins, no route is NOT_FWDED, MTU and route kinds', () => {
  const fib = parseRoutes('10.0.0.0/8 dev 2 smac 02:00:00:00:00:01 dmac 02:00:00:00:00:02\n10.1.0.0/16 dev 3 mtu 1400\nblackhole 192.0.2.0/24\n2001:db8::/32 dev 4\n', 'routes');
  const q = (a: string, totLen = 100) => fib.lookup({ family: a.includes(':') ? 10 : 2, dst: parseAddr(a)!, src: new Uint8Array(4), ifindex: 1, l4Protocol: 17, sport: 0, dport: 0, totLen, flags: 0 });
  assert.equal([q('10.9.9.9').ret, q('10.9.9.9').ifindex], [0, 2]);
  assert.is(q('10.1.2.3').ifindex, 3);
  assert.is(q('10.1.2.3', 1500).ret, BPF_FIB_LKUP_RET.FRAG_NEEDED);
  assert.is(q('192.0.2.7').ret, BPF_FIB_LKUP_RET.BLACKHOLE);
  assert.is(q('11.0.0.1').ret, BPF_FIB_LKUP_RET.NOT_FWDED);
  assert.is(q('2001:db8::1').ifindex, 4);
  try { parseRoutes('10.0.0.0/40 dev 2', 'r.fib'); assert.unreachable(); } catch (e) {
    assert.instance(e, XdplabError);
    assert.match((e as XdplabError).message, 'r.fib:1:1');
  }
});

function objectCalling(id: number): BpfObject {
  const insns = decode(encode([mov(0, 2), I('call', 'call', { imm: id }), mov(0, 2), exit()]));
  return { file: 't.o', license: 'GPL', maps: [], programs: [{ name: 'p', section: 'xdp', type: 'xdp', attach: 'xdp', frags: false, insns, mapRefs: [], lineInfo: [], funcInfo: [], subprograms: [] }] };
}

test('an unknown helper or one XDP may not call is a load-time error naming it', () => {
  const msg = (id: number): string => { try { loadRuntime(objectCalling(id), { cpus: 1 }); return 'loaded'; } catch (e) { return (e as Error).message; } };
  assert.match(msg(999), 'insn 1: unknown helper 999');
  assert.match(msg(9), 'insn 1: helper bpf_skb_store_bytes (9) is not available to XDP programs');
  assert.is(msg(5), 'loaded'); // ktime_get_ns
});

test.run();
