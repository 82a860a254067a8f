// The cost model's arithmetic: line rate, cache residency, map structures, placements.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  accessCycles, cycleBudget, estimate, frameTimeNs, helperNameToId, lineRateMpps, mapCost, offloadReasons, programFromCounters,
  programCycles, readCostProfile, readsPerLookup, residency, type MapUse, type ProgramRun,
} from './helpers.js';

const p = readCostProfile();
const near = (a: number, b: number, eps = 1e-6): boolean => Math.abs(a - b) <= eps * Math.max(1, Math.abs(b));

test('10 GbE line rate: 14.88 Mpps and 67.2 ns per 64-byte frame; 1538-byte frames', () => {
  assert.ok(near(frameTimeNs(64, 10), 67.2));
  assert.ok(Math.abs(lineRateMpps(64, 10) - 14.88) < 0.005);
  assert.ok(Math.abs(frameTimeNs(1518, 10) - 1230.4) < 0.05, 'domain.md: 1538 B on the wire = 1230.4 ns');
  assert.ok(Math.abs(cycleBudget(14.88, 3.0) - 201.6) < 0.1, '≈ 201 cycles at 3 GHz');
});

test('residency fractions sum to 1 and small tables stay in L1', () => {
  const r = residency(p, 4 << 20);
  assert.ok(near(r.l1 + r.l2 + r.l3 + r.ram, 1));
  assert.is(r.ram, 0);
  assert.is(accessCycles(p, 1024), 7);
  assert.ok(near(accessCycles(p, 1 << 30), 0.0000305 * 7 + 0.000213 * 11 + 0.01438 * 30 + 0.98535 * 170, 1e-3));
  assert.ok(accessCycles(p, 1 << 30, true) > accessCycles(p, 1 << 30), 'remote NUMA costs more');
});

const use = (m: Partial<MapUse>): MapUse => ({ name: 'm', kind: 'array', entries: 256, keySize: 4, valueSize: 8, perPacket: 1, ...m });

test('map lookups follow the structure', () => {
  assert.is(readsPerLookup(use({ kind: 'array' })), 1);
  assert.is(readsPerLookup(use({ kind: 'hash' })), 2);
  assert.is(readsPerLookup(use({ kind: 'hash', probes: 3 })), 3);
  assert.is(readsPerLookup(use({ kind: 'dir-24-8', prefixLen: 24 })), 1);
  assert.is(readsPerLookup(use({ kind: 'dir-24-8', prefixLen: 32 })), 2);
  // LPM trie: levels bounded by the prefix length and by the depth of n entries.
  assert.is(readsPerLookup(use({ kind: 'lpm-trie', keySize: 8, entries: 1 << 20, prefixLen: 8 })), 8);
  assert.is(readsPerLookup(use({ kind: 'lpm-trie', keySize: 8, entries: 1 << 20 })), 21);
  const small = mapCost(p, use({ kind: 'hash', entries: 64, keySize: 16 })).cycles;
  const big = mapCost(p, use({ kind: 'hash', entries: 1 << 22, keySize: 16 })).cycles;
  assert.ok(big > small * 5, `a 4M-entry hash misses the caches: ${big} vs ${small}`);
  const hot = mapCost(p, use({ kind: 'hash', entries: 1 << 22, keySize: 16, hotBytes: 16 << 10 })).cycles;
  assert.is(hot, small, 'locality: a hot set that fits L1 costs what a small table does');
  assert.is(mapCost(p, use({ perPacket: 3 })).cycles, 3 * mapCost(p, use({})).cycles);
});

const drop: ProgramRun = { insns: 2, verdict: 'drop', packetRead: false, helperCalls: {}, maps: [] };

test('every placement: breakdown sums to the total, Mpps and cores follow', () => {
  const r = estimate(p, { program: drop, offeredMpps: 30 });
  assert.equal(r.placements.map((x) => x.placement), ['smartnic', 'xdp-offload', 'xdp-native', 'xdp-generic', 'dpdk', 'kernel']);
  for (const x of r.placements) {
    const sum = x.breakdown.reduce((s, b) => s + b.cycles, 0);
    assert.ok(near(sum, x.cycles), `${x.placement}: parts sum`);
    if (x.cycles > 0) assert.is(x.coresNeeded, Math.ceil(30 / x.mppsPerCore - 1e-9), x.placement);
  }
  const by = Object.fromEntries(r.placements.map((x) => [x.placement, x]));
  assert.is(by['xdp-offload']!.cycles, 0);
  assert.is(by['xdp-offload']!.latencyNs, null);
  assert.is(by.dpdk!.cpuBusy, by.dpdk!.coresNeeded, 'DPDK cores are 100% busy');
  assert.ok(by['xdp-native']!.cpuBusy! < by['xdp-native']!.coresNeeded!, 'XDP CPU scales with load');
  assert.ok(by.dpdk!.latencyNs! < by['xdp-native']!.latencyNs!, 'busy polling has lower latency than interrupts');
});

test('interrupt cost per packet falls as the load rises', () => {
  const at = (mpps: number): number => estimate(p, { program: drop, offeredMpps: mpps }, ['xdp-native']).placements[0]!.cycles;
  assert.is(at(0.0001), at(0.01), 'at low rates every packet takes its own interrupt');
  assert.ok(at(0.01) > at(1));
  assert.ok(at(1) > at(10));
  assert.ok(near(at(100), estimate(p, { program: drop }, ['xdp-native']).placements[0]!.cycles));
});

test('offload: reasons from the verifier are kept, and the model adds what it sees', () => {
  const prog: ProgramRun = {
    insns: 30, verdict: 'redirect', packetRead: true, helperCalls: { [helperNameToId('fib_lookup')]: 1 },
    maps: [use({ name: 'routes', kind: 'lpm-trie', keySize: 8 })],
  };
  const reasons = offloadReasons({ program: prog, offloadReasons: ['stack too large: program 600 B > FW stack 512 B'] });
  assert.equal(reasons, [
    'stack too large: program 600 B > FW stack 512 B',
    'XDP_REDIRECT is treated as abort on the NIC (nfp_outro_xdp)',
    'helper bpf_fib_lookup is not supported by the NIC JIT',
    'map routes (lpm-trie) cannot be offloaded: only array and hash maps can',
  ]);
  const off = estimate(p, { program: prog }, ['xdp-offload']).placements[0]!;
  assert.is(off.possible, false);
  const ok = estimate(p, { program: drop }, ['xdp-offload']).placements[0]!;
  assert.is(ok.possible, true);
});

test('smartnic: host cycles only for the fallback share', () => {
  const k = estimate(p, { program: drop }, ['kernel']).placements[0]!.cycles;
  const sn = estimate(p, { program: drop, smartnic: { fallbackFraction: 0.1, fallbackPath: 'kernel' } }, ['smartnic']).placements[0]!;
  assert.ok(near(sn.cycles, 0.1 * k));
  assert.ok(sn.breakdown.every((b) => b.part.startsWith('fallback(kernel) ')));
  assert.is(estimate(p, { program: drop }, ['smartnic']).placements[0]!.cycles, 0);
});

test('XDP_PASS pays for the stack behind it; generic XDP pays for the skb first', () => {
  const pass: ProgramRun = { ...drop, verdict: 'pass' };
  const [native, generic] = estimate(p, { program: pass, stackPath: 'raw-drop' }, ['xdp-native', 'xdp-generic']).placements;
  const kernel = estimate(p, { program: drop, stackPath: 'raw-drop' }, ['kernel']).placements[0]!;
  assert.ok(native!.cycles > kernel.cycles, 'native pass = kernel path + hook + program');
  assert.ok(generic!.cycles > native!.cycles);
  const genDrop = estimate(p, { program: drop }, ['xdp-generic']).placements[0]!;
  assert.ok(genDrop.breakdown.some((b) => b.part === 'kernel.skbAlloc'));
});

test('recvmmsg batches amortise the syscall of local delivery', () => {
  const pass: ProgramRun = { ...drop, verdict: 'pass' };
  const one = estimate(p, { program: pass, stackPath: 'local', recvBatch: 1 }, ['kernel']).placements[0]!.cycles;
  const many = estimate(p, { program: pass, stackPath: 'local', recvBatch: 32 }, ['kernel']).placements[0]!.cycles;
  assert.ok(near(one - many, p.get('kernel.syscall') * (1 - 1 / 32)));
});

test('programFromCounters turns VM counters into per-packet figures', () => {
  const prog = programFromCounters(
    { runs: 4, insns: 40, localCalls: 0, helperCalls: { 1: 4 }, mapAccesses: { flows: 4 }, memoryAccesses: { packet: 12 } },
    [{ name: 'flows', type: 1, keySize: 16, valueSize: 8, maxEntries: 1024, flags: 0 }],
    2,
  );
  assert.is(prog.insns, 10);
  assert.equal(prog.helperCalls, { 1: 1 });
  assert.is(prog.maps[0]!.kind, 'hash');
  assert.is(prog.maps[0]!.perPacket, 1);
  assert.is(prog.packetRead, true);
  assert.is(prog.verdict, 'pass');
});

test('programCycles prices the program alone, for the host models\' hooks', () => {
  const prog: ProgramRun = { insns: 40, verdict: 'pass', packetRead: true, helperCalls: { [helperNameToId('map_lookup_elem')]: 1 }, maps: [use({})] };
  const expected = 40 * p.get('ebpf.perInsn') + p.get('ebpf.packetTouch') + p.helperCycles(1) + mapCost(p, use({})).cycles;
  assert.ok(near(programCycles(p, prog), expected));
});

test.run();
