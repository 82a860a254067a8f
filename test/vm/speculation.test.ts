// The compiled tier's speculation on high words (src/vm/compiled/high.ts): when what it
// assumed does not hold, the interpreter finishes the run with the same result, and a slot
// that keeps failing is compiled without the assumption.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createCompiled, createVM, PACKET, type Interpreter } from '../../src/vm/index.js';
import { toHex } from '../../src/num/index.js';
import { I, exit, mov } from './build.js';

const mov32 = (dst: number, imm: number) => I('mov32', 'alu_imm', { dst, imm });
const add = (dst: number, imm: number) => I('add', 'alu_imm', { dst, imm });

function outcome(vm: Interpreter): unknown {
  try {
    const r = vm.run();
    return { r0: toHex(r.lo, r.hi), insns: r.insns, counters: vm.counters.snapshot(vm.memory) };
  } catch (e) {
    return { fault: (e as Error).message, counters: vm.counters.snapshot(vm.memory) };
  }
}

test('a 64-bit add that carries: the interpreter finishes the run, and the slot is recompiled without the test', () => {
  // r0 = 0xffffffff (32-bit move: high word known 0); r0 += 1 carries into the high word.
  const p = [mov32(0, -1), add(0, 1), exit()];
  const c = createCompiled(p);
  assert.match(c.source, 'SB[1]'); // speculated: no carry expected at slot 1
  for (let i = 0; i < 3000; i++) {
    const r = c.run();
    if (r.value !== 0x1_0000_0000n || r.insns !== 3) assert.unreachable(`run ${i}: ${r.value} after ${r.insns} instructions`);
  }
  assert.not.match(c.source, 'SB[1]'); // given up: written with the carry inline
  assert.is(c.run().value, 0x1_0000_0000n);
});

test('a counter that starts near 2^32 crosses it: both tiers agree', () => {
  // r1 = 0xfffffff0; do r1 += 1 while r1 != 0x1_0000_0005 (64-bit compare through r2).
  const p = [
    mov32(1, -16), mov(2, 1), I('lsh', 'alu_imm', { dst: 2, imm: 32 }), add(2, 5),
    add(1, 1), I('jne', 'jcond_reg', { dst: 1, src: 2, off: -2 }), I('mov', 'alu_reg', { dst: 0, src: 1 }), exit(),
  ];
  const [a, b] = (['interp', 'compiled'] as const).map((tier) => outcome(createVM(p, { tier })));
  assert.equal(b, a);
  assert.match(JSON.stringify(a), '0x100000005');
});

test('a loop counter from zero: no carry test inside the loop, same result and budget end', () => {
  // r0 = 0; do r0 += 1 while r0 < 100000: a counter that cannot carry within a run.
  const p = [mov(0, 0), add(0, 1), I('jlt', 'jcond_imm', { dst: 0, imm: 100000, off: -2 }), exit()];
  const c = createCompiled(p);
  const loop = c.source.slice(c.source.indexOf('L1: for'));
  assert.not.match(loop, 'SB[');
  assert.is(c.run().value, 100000n);
  for (const budget of [1, 2, 3, 7, 8, 17, 23, 24, 25, 26, 100, 1000, 200001, 200002]) {
    const [x, y] = (['interp', 'compiled'] as const).map((tier) => outcome(createVM(p, { tier, budget })));
    assert.equal(y, x, `budget ${budget}`);
  }
});

test('r1 is a pointer at the first run and a number later: the interpreter takes the run', () => {
  const p = [I('ldxb', 'ldx', { dst: 0, src: 1, off: 0 }), exit()];
  const results = (['interp', 'compiled'] as const).map((tier) => {
    const vm = createVM(p, { tier });
    vm.memory.setRegion(PACKET, Uint8Array.of(7, 8, 9));
    vm.setArgPointer(1, PACKET, 1);
    const first = outcome(vm);
    vm.setArg(1, 0x1000);
    return [first, outcome(vm)];
  });
  assert.equal(results[1], results[0]);
  assert.match(JSON.stringify(results[0]![0]), '"r0":"0x8"');
  assert.match(JSON.stringify(results[0]![1]), 'fault');
});

test.run();
