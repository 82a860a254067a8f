// End to end: a bundled XDP object run by the VM runtime, its counters turned into a
// ProgramRun, priced for every placement.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadObject } from '../../src/elf/index.js';
import { loadRuntime } from '../../src/vm/runtime/index.js';
import { repoRoot } from '../conformance-data.js';
import { estimate, programFromCounters, readCostProfile } from './helpers.js';

function measure(name: string) {
  const obj = loadObject(readFileSync(join(repoRoot, 'programs', 'bench', `${name}.o`)), `${name}.o`);
  const rt = loadRuntime(obj, {});
  // Ethernet + IPv4 + UDP, 64 bytes.
  const pkt = new Uint8Array(64);
  pkt.set([0x08, 0x00], 12);
  pkt.set([0x45, 0, 0, 50, 0, 0, 0, 0, 64, 17], 14);
  rt.counters.reset(rt.memory);
  const r = rt.testRun(pkt, { repeat: 8 });
  return programFromCounters(rt.counters.snapshot(rt.memory), obj.maps, r.retval);
}

const p = readCostProfile();

test('swap_tx: measured instructions, XDP_TX; native XDP is cheapest on the host, offload costs none', () => {
  const prog = measure('swap_tx');
  assert.is(prog.verdict, 'tx');
  assert.ok(prog.insns > 10 && prog.packetRead);
  const by = Object.fromEntries(estimate(p, { program: prog }).placements.map((x) => [x.placement, x]));
  assert.is(by['xdp-offload']!.cycles, 0);
  assert.ok(by['xdp-offload']!.possible);
  assert.ok(by['xdp-native']!.cycles < by['xdp-generic']!.cycles);
  assert.ok(by['xdp-generic']!.cycles < by.kernel!.cycles + 1);
  assert.is(by['xdp-native']!.breakdown.find((b) => b.part === 'ebpf.insns')!.cycles, prog.insns * p.get('ebpf.perInsn'));
});

test('flow_count: the hash map it touches is priced by its structure', () => {
  const prog = measure('flow_count');
  const flows = prog.maps.find((m) => m.kind === 'hash');
  assert.ok(flows, JSON.stringify(prog.maps));
  const native = estimate(p, { program: prog }, ['xdp-native']).placements[0]!;
  assert.ok(native.breakdown.some((b) => b.part === `map ${flows!.name}` && b.cycles > 0));
});

test.run();
