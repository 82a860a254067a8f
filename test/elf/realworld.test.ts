// Real-world XDP objects (programs/realworld) in xdplab alone: section types and --type,
// const volatile configuration, map sizing at load, legacy maps, CO-RE against the kernel's
// and the bundled BTF, global functions, map-in-map, kfuncs, bpf_loop, and the load errors
// for what xdplab does not support (each naming the construct and where it is).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { XdplabError } from '../../src/diag/index.js';
import { frozenData, kernelBtf, loadObject, programKind, splitGlobalLines, type LoadOptions } from '../../src/elf/index.js';
import { loadRuntime } from '../../src/vm/runtime/index.js';
import { repoRoot } from '../conformance-data.js';

const obj = (path: string, opts: LoadOptions = {}) => loadObject(new Uint8Array(readFileSync(join(repoRoot, path))), path.split('/').pop(), opts);
const prog = (name: string, opts: LoadOptions = {}) => obj(`programs/realworld/${name}.o`, opts);
const pkt = (name: string): Uint8Array => new Uint8Array(readFileSync(join(repoRoot, 'test/fixtures/realworld/packets', `${name}.bin`)));
const u64 = (b: Uint8Array | undefined): bigint => new DataView(b!.buffer, b!.byteOffset).getBigUint64(0, true);
const key = (i: number): Uint8Array => Uint8Array.from([i, 0, 0, 0]);
const error = (f: () => unknown): { kind: string; message: string; notes?: string[] } => {
  try { f(); } catch (e) { if (e instanceof XdplabError) return e.diagnostics[0]!; throw e; }
  throw new Error('expected an error');
};

test('section names: libbpf 1.x names, legacy xdp_* spellings, other types, unknown', () => {
  assert.equal(programKind('xdp.frags/devmap'), { type: 'xdp', attach: 'devmap', frags: true });
  assert.equal(programKind('xdp/cpumap/x'), { type: 'xdp', attach: 'cpumap', frags: false });
  assert.equal(programKind('xdp_prog'), { type: 'xdp', attach: 'xdp', frags: false, legacy: true });
  assert.equal(programKind('tc'), { type: 'other', frags: false });
  assert.equal(programKind('filter_v2'), { type: 'unknown', frags: false });
  const m = prog('multi_prog');
  assert.equal(m.programs.map((p) => `${p.name}:${p.section}:${p.type}${p.frags ? ':frags' : ''}${p.legacy ? ':legacy' : ''}`),
    ['xdp_classify:xdp_prog:xdp:legacy', 'xdp_entry:xdp:xdp', 'xdp_frags_pass:xdp.frags:xdp:frags']);
});

test('an unknown section type fails naming the section and suggesting --type xdp; --type xdp runs it', () => {
  const o = obj('test/fixtures/realworld/odd_section.o');
  const e = error(() => loadRuntime(o, { cpus: 1 }));
  assert.is(e.message, "odd_section.o: program odd_section is in section 'filter_v2', which does not name a program type libbpf knows; if it is an XDP program, say so with --type xdp");
  const rt = loadRuntime(obj('test/fixtures/realworld/odd_section.o', { type: 'xdp' }), { cpus: 1 });
  assert.is(rt.testRun(pkt('udp53')).retval, 1);
  assert.is(rt.testRun(pkt('tcp80')).retval, 1);
});

test('const volatile configuration: --rodata by BTF name, .rodata frozen and read-only, .data/.bss images', () => {
  const run = (opts: LoadOptions, p: string) => loadRuntime(prog('rodata_filter', opts), { cpus: 1 }).testRun(pkt(p)).retval;
  assert.is(run({}, 'udp53'), 2);
  assert.is(run({ globals: [{ name: 'blocked_port', value: '53' }] }, 'udp53'), 1);
  assert.is(run({ globals: [{ name: 'blocked_port', value: '0x35' }] }, 'udp80'), 2);
  assert.is(run({ globals: [{ name: 'blocked_mac', value: '02:00:00:00:00:09' }] }, 'mac1'), 1);
  assert.is(run({ globals: [{ name: 'blocked_net', value: '0x0a000000' }, { name: 'blocked_prefix', value: '8' }] }, 'udp53'), 1);
  assert.is(run({ globals: [{ name: 'min_ttl', value: '1' }] }, 'ttl1'), 1); // named section .rodata.limits
  const o = prog('rodata_filter', { globals: [{ name: 'blocked_port', value: '53' }] });
  const frozen = frozenData(o.maps);
  assert.equal(frozen.map((f) => f.name), ['.rodata', '.rodata.limits']);
  assert.equal([...frozen[0]!.bytes.subarray(0, 2)], [53, 0]);
  const rt = loadRuntime(o, { cpus: 1 });
  rt.testRun(pkt('udp53'));
  rt.testRun(pkt('udp80'));
  assert.is(u64(rt.map('.bss').lookupElem(key(0))), 1n); // dropped
  assert.is(u64(rt.map('.data').lookupElem(key(0))), 8n); // passed, from its initial 7
  assert.ok(rt.map('.rodata').frozen);
});

test('--rodata errors: unknown name (listing the variables), oversized value, wrong byte count', () => {
  let e = error(() => prog('rodata_filter', { globals: [{ name: 'nope', value: '1' }] }));
  assert.is(e.message, "rodata_filter.o: no global variable named 'nope' to set");
  assert.match(e.notes![0]!, 'blocked_port (.rodata)');
  assert.match(e.notes![0]!, 'min_ttl (.rodata.limits)');
  e = error(() => prog('rodata_filter', { globals: [{ name: 'blocked_port', value: '70000' }] }));
  assert.is(e.message, "rodata_filter.o: value '70000' for blocked_port (const volatile __u16, 2 bytes): does not fit (0 to 65535)");
  e = error(() => prog('rodata_filter', { globals: [{ name: 'blocked_mac', value: '02:00:00' }] }));
  assert.match(e.message, '3 bytes given, the variable has 6');
});

test('setup files may carry `rodata NAME VALUE` lines; the map lines keep their line numbers', () => {
  const { settings, rest } = splitGlobalLines('# cfg\nrodata blocked_port 53\nname flows key 1 2 3 4 value 0 0 0 0 0 0 0 0\n', 'x.setup');
  assert.equal(settings.map((s) => [s.name, s.value, s.where?.line]), [['blocked_port', '53', 2]]);
  assert.is(rest.split('\n')[2], 'name flows key 1 2 3 4 value 0 0 0 0 0 0 0 0');
});

test('max_entries 0: an error naming the map unless sized; perf event arrays get the CPU count', () => {
  assert.is(error(() => prog('unsized_map')).message, "unsized_map.o: map 'flows' has max_entries 0, to be sized at load time; give its size with --map-size flows=N");
  const o = prog('unsized_map', { mapSizes: { flows: 2 } });
  assert.is(o.maps.find((m) => m.name === 'flows')!.pinning, 1); // LIBBPF_PIN_BY_NAME: accepted, ignored
  const rt = loadRuntime(o, { cpus: 3 });
  assert.is(rt.map('samples').spec.maxEntries, 3);
  assert.is(rt.testRun(pkt('udp53')).retval, 2);
  assert.is(rt.testRun(pkt('tcp22')).retval, 2);
  assert.is(rt.testRun(pkt('udp80')).retval, 1); // the third source does not fit: table full
  assert.is(error(() => prog('unsized_map', { mapSizes: { nosuch: 2 } })).message, "unsized_map.o: no map named 'nosuch' to size");
});

test('the legacy maps section loads with a warning and works', () => {
  const o = prog('legacy_maps');
  assert.match(o.warnings![0]!, 'legacy way (struct bpf_map_def: proto_count, blocked); libbpf 1.x refuses this');
  assert.equal(o.maps.map((m) => [m.name, m.type, m.keySize, m.valueSize, m.maxEntries, m.flags]), [['proto_count', 6, 4, 8, 256, 0], ['blocked', 1, 2, 4, 64, 1]]);
  const rt = loadRuntime(o, { cpus: 2 });
  assert.is(rt.testRun(pkt('udp53')).retval, 2);
  rt.map('blocked').updateElem(Uint8Array.from([0x08, 0x06]), new Uint8Array(4));
  assert.is(rt.testRun(pkt('arp')).retval, 1);
  assert.is(u64(rt.map('proto_count').lookupElem(key(0)))! , 1n);
});

test('CO-RE: the same code against the kernel BTF and the bundled BTF; relocations listed', () => {
  const b = prog('core_parse', { coreTarget: 'bundled' });
  assert.is(b.core!.relocations.length, 34);
  const kinds = new Set(b.core!.relocations.map((r) => r.kind));
  for (const k of ['byte_off', 'byte_sz', 'field_exists', 'signed', 'lshift_u64', 'rshift_u64', 'type_size', 'enumval_exists', 'enumval_value']) assert.ok(kinds.has(k), k);
  const syn = b.core!.relocations.find((r) => r.kind === 'lshift_u64' && r.local.includes('tcphdr.syn'))!;
  assert.is(syn.local, '<lshift_u64> [32] struct tcphdr.syn (0:8 @ offset 13.1)');
  assert.is(syn.to, 54n);
  const rt = loadRuntime(b, { cpus: 1 });
  assert.is(rt.testRun(pkt('syn23')).retval, 1);
  assert.is(rt.testRun(pkt('tcp80')).retval, 2);
  assert.is(rt.testRun(pkt('arp')).retval, 2);
  assert.equal([0, 1, 2, 3, 4, 5, 6].map((i) => u64(rt.map('stats').lookupElem(key(i)))), [2n, 2n, 2n, 1n, 1n, 0n, 1n]);
  if (kernelBtf()) {
    const k = prog('core_parse', { coreTarget: 'kernel' });
    const code = (o: typeof k) => o.programs[0]!.insns.map((i) => [i.opcode, i.dst, i.src, i.off, i.imm, i.imm64hi].join(',')).join(';');
    assert.is(code(k), code(b));
  } else console.log('CO-RE against the kernel BTF skipped: /sys/kernel/btf/vmlinux is missing');
});

test('CO-RE: an unresolvable relocation is reported as libbpf reports it, with the instruction', () => {
  const e = error(() => obj('test/fixtures/realworld/core_missing.o', { coreTarget: 'bundled' }));
  assert.is(e.kind, 'elf');
  assert.is(e.message, 'core_missing.o: section xdp, function core_missing: insn 6: failed to resolve CO-RE relocation <byte_off> [8] struct iphdr___mine.not_in_kernel (0:9 @ offset 16)');
});

test('global and static functions are linked into each program; the verifier gets their prototypes', () => {
  const m = prog('multi_prog');
  const c = m.programs.find((p) => p.name === 'xdp_classify')!;
  assert.equal(c.subprograms.map((s) => s.name), ['l4_proto', 'count']);
  assert.equal(c.globalFuncs!.map((g) => g.name), ['l4_proto']);
  const proto = m.btf!.get(c.globalFuncs![0]!.protoTypeId!);
  assert.is(proto?.kind, 'FUNC_PROTO');
});

test('map-in-map and prog_array .values initialisers; tail call and inner-map lookup', () => {
  const rt = loadRuntime(prog('multi_prog'), { cpus: 1, prog: 'xdp_entry' });
  rt.map('tcp_limit').updateElem(key(0), Uint8Array.from([2, 0, 0, 0]));
  const rets = ['tcp22', 'tcp22', 'tcp22', 'udp53'].map((p) => rt.testRun(pkt(p)).retval);
  // hits[1] counts classify runs, compared with the TCP limit (2) from the inner map.
  assert.equal(rets, [2, 1, 1, 2]);
  assert.equal([0, 1, 2, 3].map((i) => u64(rt.map('hits').lookupElem(key(i)))), [4n, 4n, 1n, 1n]);
});

test('kfuncs: dynptr slices and conntrack lookup; metadata kfuncs answer -EOPNOTSUPP', () => {
  const k = prog('kfuncs');
  assert.equal(k.programs[0]!.kfuncs!.map((f) => f.name), ['bpf_dynptr_from_xdp', 'bpf_dynptr_slice', 'bpf_dynptr_slice', 'bpf_xdp_ct_lookup', 'bpf_ct_release']);
  const rt = loadRuntime(k, { cpus: 1 });
  assert.is(rt.testRun(pkt('tcp22')).retval, 2);
  assert.is(rt.testRun(pkt('tcp80')).retval, 1);
  const i64 = (b: Uint8Array | undefined) => new DataView(b!.buffer, b!.byteOffset).getBigInt64(0, true);
  assert.is(i64(rt.map('seen').lookupElem(key(3))), -2n); // opts.error = -ENOENT
  const m = loadRuntime(prog('kfuncs_meta'), { cpus: 1 });
  assert.is(m.testRun(pkt('udp53')).retval, 2);
  assert.equal([0, 1, 2].map((i) => i64(m.map('meta').lookupElem(key(i)))), [-95n, -95n, -95n]);
});

test('an unknown kfunc is a load error naming it and the instruction', () => {
  const e = error(() => loadRuntime(obj('test/fixtures/realworld/unknown_kfunc.o'), { cpus: 1 }));
  assert.is(e.message, 'unknown_kfunc.o: program calls_unknown (section xdp): insn 0: calls kfunc bpf_made_up_kfunc, which xdplab does not emulate');
});

test('bpf_loop: the callback runs per index until it returns 1; the helper returns the iterations', () => {
  const o = prog('loop');
  assert.equal(o.programs[0]!.funcRefs!.map((f) => f.name), ['add_byte']);
  const rt = loadRuntime(o, { cpus: 1 });
  // The callback adds bytes after the Ethernet header until a zero byte (the IPv4 tos here).
  const r = rt.testRun(pkt('udp80'));
  const sum = u64(rt.map('result').lookupElem(key(0))), n = u64(rt.map('result').lookupElem(key(1)));
  const p = pkt('udp80');
  let expect = 0n, iters = 0n;
  for (let i = 0; i < 32; i++) { iters++; if (p[14 + i] === 0) break; expect += BigInt(p[14 + i]!); if (i === 31) iters = 32n; }
  assert.is(sum, expect);
  assert.is(n, iters);
  assert.is(r.retval, expect > 1000n ? 1 : 2);
});

test('a 2^25-entry array map costs memory only for the pages the program touches', () => {
  loadRuntime(prog('loop'), { cpus: 1 }).testRun(pkt('udp53')); // warm up: modules and JIT cost ~70 MiB once
  const before = process.memoryUsage().rss;
  const rt = loadRuntime(prog('huge_array'), { cpus: 1 });
  assert.is(rt.map('buckets').spec.maxEntries, 1 << 25);
  const rets = ['udp53', 'udp53', 'udp53', 'udp53', 'tcp22'].map((p) => rt.testRun(pkt(p)).retval);
  assert.equal(rets, [2, 2, 2, 1, 2]);
  const grown = (process.memoryUsage().rss - before) / 2 ** 20;
  // 256 MiB declared; zero-filled ArrayBuffers are calloc'd, so the kernel maps pages on first touch.
  assert.ok(grown < 64, `RSS grew by ${grown.toFixed(1)} MiB`);
});

test.run();
