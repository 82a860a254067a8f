// The compiler: every example compiles; the program agrees with the evaluator on random
// packets (verdict, output packet, counters); its assembly reassembles to the same bytes; the
// object reads back with its maps; table offload picks the right rules for the right reasons.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { join } from 'node:path';
import { assemble } from '../../src/asm/index.js';
import { loadObject, MAP_TYPE } from '../../src/elf/index.js';
import { encode } from '../../src/isa/index.js';
import { compileRules, compileRulesText, compileTables, createState, loadRules, rulesAsm, rulesObject, rulesSetup, setKey } from '../../src/rules/index.js';
import { differential } from './harness.js';
import { arbPacket } from './packets.js';
import { EXAMPLES, exampleFiles, FIXTURES } from './paths.js';
import { readFileSync } from 'node:fs';
import { parseSetup } from '../../src/maps/index.js';
import { loadRuntime } from '../../src/vm/runtime/index.js';
import { buildPacket } from './packets.js';

const packets = fc.sample(arbPacket, { numRuns: 400, seed: 2024 });

/** Fill every set with elements from the random packets' pools, so set rules match sometimes. */
function filled(rs: ReturnType<typeof loadRules>) {
  const st = createState(rs, 1_000_000_000n);
  const some: Record<string, { value: bigint; plen: number }[]> = {
    ipv4: [{ value: 0xc0000200n, plen: 24 }, { value: 0x0a010203n, plen: 32 }],
    ipv6: [{ value: 0x20010db8000100000000000000000000n, plen: 48 }],
    mac: [{ value: 0xaabbccddeeffn, plen: 48 }],
    port: [{ value: 22n, plen: 16 }, { value: 8080n, plen: 16 }],
    vni: [{ value: 100n, plen: 24 }],
  };
  for (const s of rs.sets) {
    const els = (some[s.elem] ?? []).map((e) => ({ ...e, plen: s.prefix ? e.plen : s.bits }));
    st.sets.get(s.name)!.push(...els);
  }
  return st;
}

test('the kitchen-sink rule set: program == evaluator on 400 random packets', () => {
  const rs = loadRules(join(FIXTURES, 'all.rules'));
  assert.equal(differential(rs, packets, filled(rs)), []);
});

for (const file of exampleFiles()) {
  const name = file.split('/').pop()!;
  test(`example ${name}: program == evaluator on random packets`, () => {
    const rs = loadRules(file);
    assert.equal(differential(rs, packets.slice(0, 150), filled(rs)), []);
  });
}

test('assembly listing reassembles to the same instructions', () => {
  for (const f of [join(FIXTURES, 'all.rules'), ...exampleFiles()]) {
    const rs = loadRules(f);
    const bytes = assemble(rulesAsm(rs), 'x.s').bytes;
    assert.is(Buffer.from(bytes).toString('hex'), Buffer.from(encode(compileRules(rs).insns)).toString('hex'), f);
  }
});

test('the object holds one XDP program and a map per set, counter and limiter', () => {
  const rs = loadRules(join(FIXTURES, 'all.rules'));
  const obj = loadObject(rulesObject(rs), 'all.o');
  assert.equal(obj.programs.map((p) => [p.name, p.section]), [['xdp_rules', 'xdp']]);
  const maps = Object.fromEntries(obj.maps.map((m) => [m.name, [m.type, m.keySize, m.valueSize, m.maxEntries]]));
  assert.equal(maps.bl4, [MAP_TYPE.LPM_TRIE, 8, 1, 64]);
  assert.equal(maps.bl6, [MAP_TYPE.LPM_TRIE, 20, 1, 1024]);
  assert.equal(maps.macs, [MAP_TYPE.HASH, 6, 1, 1024]);
  assert.equal(maps.ports, [MAP_TYPE.HASH, 2, 1, 1024]);
  assert.equal(maps.c1, [MAP_TYPE.PERCPU_ARRAY, 4, 16, 1]);
  assert.equal(maps.c2, [MAP_TYPE.ARRAY, 4, 16, 1]);
  assert.equal(maps.lim, [MAP_TYPE.ARRAY, 4, 8, 1]);
  assert.equal(maps.persrc, [MAP_TYPE.LRU_HASH, 4, 8, 128]);
});

test('set elements declared in the file become setup lines', () => {
  const rs = compileRulesText('set b : ipv4 prefix = { 192.0.2.0/24, 10.0.0.1 }\nset p : port = { 53 }\nrule r: ip src in b or dport in p => drop');
  assert.is(rulesSetup(rs), 'name b key hex 18 00 00 00 c0 00 02 00 value 1\nname b key hex 20 00 00 00 0a 00 00 01 value 1\nname p key hex 00 35 value 1\n');
});

test('offload: flow, FIB and ACL entries, and the reason others stay in eBPF', () => {
  const rs = compileRulesText(`
set s : ipv4
counter c
rule flow1: ip src 10.0.0.1 and ip dst 10.0.0.2 and tcp sport 1000 and tcp dport 80 => count c, drop
rule fib1:  ip dst 10.1.0.0/16 => redirect port 4
rule fib6:  ip6 dst 2001:db8::/32 => redirect port 5
rule acl1:  tcp dport 1024-2047 => pass
rule acl2:  ip src 172.16.0.0/12 and udp dport { 53, 123 } => drop
rule mapped: ip src in s => drop
rule after: ip src 10.9.0.0/16 => drop
rule ttl:   ip6 and ip6 hoplimit 1 => drop
rule edit:  ip and udp => set ip ttl 1, pass
default pass`);
  const t = compileTables(rs);
  const byRule = Object.fromEntries(t.report.map((r) => [r.rule, [r.target, r.entries, r.reason]]));
  assert.equal(byRule.flow1, ['flow', 1, 'exact 5-tuple match']);
  assert.equal(t.flow, [{ kind: 'flow', rule: 'flow1', priority: 0, family: 4, src: '10.0.0.1', dst: '10.0.0.2', proto: 6, sport: 1000, dport: 80, action: { t: 'drop' }, counter: 'c' }]);
  assert.equal(t.fib, [
    { kind: 'fib', rule: 'fib1', family: 4, prefix: '10.1.0.0/16', port: 4 },
    { kind: 'fib', rule: 'fib6', family: 6, prefix: '2001:db8::/32', port: 5 },
  ]);
  assert.equal(byRule.acl1, ['acl', 2, 'prefixes, protocol and port ranges']); // one per address family
  assert.equal(t.acl.filter((e) => e.rule === 'acl1').map((e) => [e.family, e.proto, e.dport]), [[4, 6, [1024, 2047]], [6, 6, [1024, 2047]]]);
  assert.equal(t.acl.filter((e) => e.rule === 'acl2').map((e) => [e.src, e.dport]), [['172.16.0.0/12', [53, 53]], ['172.16.0.0/12', [123, 123]]]);
  assert.equal(byRule.mapped, ['ebpf', 0, 'matches set s (a map the program looks up)']);
  assert.equal(byRule.after, ['ebpf', 0, 'follows rule mapped, which stays in eBPF and may match the same packets']);
  assert.equal(byRule.ttl, ['ebpf', 0, 'matches ip6 hoplimit (tables match addresses, protocol and ports)']);
  assert.equal(byRule.edit, ['ebpf', 0, 'action set changes the packet']);
});

test('blocklist: sets filled by a setup file and updated at run time, no recompiling', () => {
  const rs = loadRules(join(EXAMPLES, 'blocklist.rules'));
  const setup = parseSetup(readFileSync(join(EXAMPLES, 'blocklist.setup'), 'utf8'), 'blocklist.setup');
  const rt = loadRuntime(loadObject(rulesObject(rs), 'blocklist.o'), { cpus: 1, setup });
  const from = (src: string) => rt.testRun(buildPacket({ ip4: { src, dst: '10.0.0.1' }, udp: { sport: 1, dport: 2 } })).retval;
  assert.is(from('203.0.113.5'), 1); // 203.0.113.0/24 from the setup file
  assert.is(from('192.0.2.5'), 2);
  assert.is(rt.map('blk4').updateElem(setKey(rs.sets.find((s) => s.name === 'blk4')!, 0xc0000200n, 24), new Uint8Array([1])), 0);
  assert.is(from('192.0.2.5'), 1);
  const v = rt.map('blocked').lookupElem(new Uint8Array(4))!;
  assert.is(new DataView(v.buffer, v.byteOffset).getBigUint64(0, true), 2n);
});

test.run();
