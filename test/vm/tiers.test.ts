// The compiled tier against the interpreter: the conformance suite, then random programs run
// through both tiers with identical r0, stack, counters and faults.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { conformanceHelpers, createCompiled, createVM, objectBenchCases, runConformance, PACKET, type CompiledVM, type Interpreter } from '../../src/vm/index.js';
import { join } from 'node:path';
import { repoRoot } from '../conformance-data.js';
import { toHex } from '../../src/num/index.js';
import { assembled, conformanceFailures, hexBytes } from '../conformance-data.js';
import { I, exit, mov } from './build.js';

const tests = assembled();

test('every conformance test passes in the compiled tier', () => {
  const failures = conformanceFailures((program) => createCompiled(program, { helpers: conformanceHelpers() }));
  assert.equal(failures, [], `${failures.length} failures:\n${failures.join('\n')}`);
});

/** Run in a tier: r0, instructions, counters, or the fault's text. */
function outcome(vm: Interpreter): unknown {
  let res: unknown;
  try {
    const r = vm.run();
    res = { r0: toHex(r.lo, r.hi), insns: r.insns };
  } catch (e) {
    res = { fault: (e as Error).message };
  }
  return { res, counters: vm.counters.snapshot(vm.memory) };
}

test('conformance programs give the same counts and counters in both tiers', () => {
  for (const t of tests) {
    const mem = hexBytes(t.mem_hex);
    const both = (['interp', 'compiled'] as const).map((tier) => {
      const vm = createVM(hexBytes(t.program_hex), { tier, helpers: conformanceHelpers() });
      try { runConformance(vm, mem.length ? mem : null); } catch { /* compared below */ }
      return vm.counters.snapshot(vm.memory);
    });
    assert.equal(both[1], both[0], t.file);
  }
});

test('faults are identical: message, slot, executed count', () => {
  const progs = [
    [I('ldxw', 'ldx', { dst: 0, src: 1, off: 62 }), exit()],
    [mov(0, 1), I('ldxw', 'ldx', { dst: 0, src: 2, off: 0 }), exit()],
    [mov(0, 1), I('stw', 'st', { dst: 10, off: -520, imm: 1 }), exit()],
    [mov(0, 1), mov(0, 2)],
    [I('call local', 'call_local', { imm: -1 }), exit()],
  ];
  for (const p of progs) {
    const [a, b] = (['interp', 'compiled'] as const).map((tier) => {
      const vm = createVM(p, { tier });
      vm.memory.setRegion(PACKET, new Uint8Array(60));
      vm.setArgPointer(1, PACKET, 0);
      return outcome(vm);
    });
    assert.equal(b, a);
    assert.ok(JSON.stringify(a).includes('fault'));
  }
});

test('the budget ends a runaway program at the same instruction in both tiers', () => {
  for (const budget of [1, 2, 999, 1000, 1001]) {
    const p = [mov(0, 0), I('add', 'alu_imm', { dst: 0, imm: 1 }), I('ja', 'ja', { off: -2 }), exit()];
    const [a, b] = (['interp', 'compiled'] as const).map((tier) => outcome(createVM(p, { tier, budget })));
    assert.equal(b, a);
    assert.match(JSON.stringify(a), /did not finish within/);
  }
});

test('the bundled benchmark objects give the same verdict, packet and counters in both tiers', () => {
  const cases = objectBenchCases(join(repoRoot, 'programs', 'bench'));
  assert.is(cases.length, 5);
  for (const c of cases) {
    const [a, b] = (['interp', 'compiled'] as const).map((tier) => {
      const vm = c.make(tier); // loaded by the object runtime, which has run it once
      const runs = [vm.run(), vm.run(), vm.run()].map((r) => `${r.lo}/${r.insns}`);
      return { tier: vm.tier, runs, counters: vm.counters.snapshot(vm.memory), packet: Buffer.from(vm.memory.regionBytes(PACKET)).toString('hex') };
    });
    assert.is(b!.tier, 'compiled');
    assert.equal({ ...b, tier: 'x' }, { ...a, tier: 'x' }, c.name);
  }
});

test('the bundled objects compile to structured code with their map lookups inlined', () => {
  const src = Object.fromEntries(objectBenchCases(join(repoRoot, 'programs', 'bench')).map((c) => [c.name, (c.make('compiled') as CompiledVM).source]));
  for (const s of Object.values(src)) assert.not.match(s, 'switch (pc)');
  assert.match(src.csum_1500!, /L\d+: for \(;;\)/); // the checksum loop is a JavaScript loop
  assert.match(src.csum_1500!, 'Math.imul(t, 8)'); // array lookup: index * stride, in place
  assert.match(src.flow_count!, '.map.lookup(tb.u8s[r]'); // hash lookup: the map, called directly
  assert.match(src.lpm_fib!, '.map.lookup(tb.u8s[r]');
});

test('nested loops: structured in the compiled tier, same result, count and budget end', () => {
  const add = (d: number, k: number) => I('add', 'alu_imm', { dst: d, imm: k });
  const p = [
    mov(0, 0), mov(1, 0), mov(2, 0), // outer loop at slot 2, inner at 3
    I('add', 'alu_reg', { dst: 0, src: 2 }), add(2, 1), I('jlt', 'jcond_imm', { dst: 2, imm: 5, off: -3 }),
    add(1, 1), I('jlt', 'jcond_imm', { dst: 1, imm: 4, off: -6 }), exit(),
  ];
  const c = createCompiled(p);
  assert.is(c.run().value, 40n);
  assert.match(c.source, 'L2: for (;;)');
  assert.match(c.source, 'L3: for (;;)');
  for (const budget of [10, 30, 70, 1000]) {
    const [a, b] = (['interp', 'compiled'] as const).map((tier) => outcome(createVM(p, { tier, budget })));
    assert.equal(b, a, `budget ${budget}`);
  }
});

test.run();
