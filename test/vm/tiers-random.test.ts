// Property test: random programs (ALU/JMP mixes over random registers, forward jumps only,
// loads, stores and atomics on the stack, sometimes outside the frame) run through both tiers
// give the same r0, stack bytes, counters and fault messages. A second property lets jumps go
// backwards too: loops (natural, nested, crossing or entered in the middle, so both the
// structured layout and the switch fallback run) that end or run into the budget. A third
// runs the interpreter's Wasm core against its loop alone (engine 'js') on programs that also
// load and store through r1 into a packet, and compares the packet too.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { OPCODES, make, type Insn, type OpSpec } from '../../src/isa/index.js';
import { toHex } from '../../src/num/index.js';
import { createVM, PACKET, STACK, type Interpreter, type Tier } from '../../src/vm/index.js';

const pick = (...shapes: string[]): OpSpec[] => OPCODES.filter((s) => shapes.includes(s.shape));
const ALU = pick('alu_imm', 'alu_reg', 'neg', 'movsx', 'end');
const JMP = pick('jcond_imm', 'jcond_reg', 'ja');
const MEM = pick('ldx', 'ldxs', 'st', 'stx', 'atomic');
const EXIT = OPCODES.find((s) => s.shape === 'exit')!;

interface Gen { kind: 0 | 1 | 2; spec: number; dst: number; src: number; imm: number; off: number; target: number }

const imm = fc.oneof(fc.integer({ min: -0x80000000, max: 0x7fffffff }), fc.integer({ min: -70, max: 70 }), fc.constantFrom(0, 1, -1, 32, 63, 64, 0x7fffffff, -0x80000000));
const gen: fc.Arbitrary<Gen> = fc.record({
  kind: fc.constantFrom<0 | 1 | 2>(0, 0, 0, 1, 2),
  spec: fc.nat(1000),
  dst: fc.integer({ min: 0, max: 9 }),
  src: fc.integer({ min: 0, max: 10 }),
  imm,
  off: fc.oneof(fc.integer({ min: -512, max: -1 }), fc.integer({ min: -530, max: 8 })),
  target: fc.nat(1000),
});

/** Fill in the fields the spec does not fix (its match wins, as in the opcode table). */
function field<K extends 'src' | 'off' | 'imm'>(spec: OpSpec, k: K, v: number): number | undefined {
  return spec.match[k] === undefined ? v : undefined;
}

function build(gens: Gen[], backward = false, packet = false): Insn[] {
  const insns: Insn[] = gens.map((g, i) => {
    if (g.kind === 0) {
      const spec = ALU[g.spec % ALU.length]!;
      return make(spec, { dst: g.dst, src: field(spec, 'src', g.src), imm: field(spec, 'imm', g.imm), off: field(spec, 'off', 0) }, i);
    }
    if (g.kind === 1) {
      const spec = JMP[g.spec % JMP.length]!;
      // Forward, at most to the final exit; or anywhere (never to itself + 1 only).
      const t = backward ? g.target % (gens.length + 1) : i + 1 + (g.target % (gens.length - i));
      return make(spec, { dst: g.dst, src: field(spec, 'src', g.src), imm: field(spec, 'imm', g.imm), off: t - i - 1 }, i);
    }
    const spec = MEM[g.spec % MEM.length]!;
    const load = spec.shape === 'ldx' || spec.shape === 'ldxs';
    // The stack pointer is r10 (or, with a packet, r1 for odd targets, at offsets around its
    // 64 bytes); loads write a random register, stores read one.
    const base = packet && g.target % 2 === 1 ? 1 : 10;
    const off = base === 1 ? Math.abs(g.off) % 68 : g.off;
    return make(spec, { dst: load ? g.dst : base, src: load ? base : field(spec, 'src', g.dst), imm: field(spec, 'imm', g.imm), off }, i);
  });
  insns.push(make(EXIT, {}, insns.length));
  return insns;
}

function outcome(tier: Tier, insns: Insn[], args: number[], budget = 10_000, engine?: 'js' | 'wasm'): unknown {
  const vm: Interpreter = createVM(insns, { tier, budget, engine });
  for (let r = 1; r <= 5; r++) vm.setArg(r as 1, args[2 * r - 2]!, args[2 * r - 1]!);
  if (engine !== undefined) { // r1 points to a 64-byte packet
    assert.is(vm.engine, engine);
    vm.memory.setRegion(PACKET, Uint8Array.from({ length: 64 }, (_, k) => (k * 37 + 11) & 0xff));
    vm.setArgPointer(1, PACKET, 0);
  }
  let res: unknown;
  try {
    const r = vm.run();
    res = { r0: toHex(r.lo, r.hi), insns: r.insns };
  } catch (e) {
    res = { fault: (e as Error).message };
  }
  // The engines share one register file, so all of r0-r10 at the end must agree too.
  const packet = engine === undefined ? undefined : Buffer.from(vm.memory.regionBytes(PACKET)).toString('hex');
  const regs = engine === undefined ? undefined : Array.from(vm.regs);
  return { res, stack: Buffer.from(vm.memory.regionBytes(STACK)).toString('hex'), packet, regs, counters: vm.counters.snapshot(vm.memory) };
}

test('random programs: both tiers agree on r0, stack, counters and faults', () => {
  fc.assert(fc.property(fc.array(gen, { minLength: 1, maxLength: 40 }), fc.array(imm, { minLength: 10, maxLength: 10 }), (gens, args) => {
    const insns = build(gens);
    assert.equal(outcome('compiled', insns, args), outcome('interp', insns, args));
  }), { numRuns: 400 });
});

test('random programs with backward jumps: both tiers agree, budget included', () => {
  fc.assert(fc.property(fc.array(gen, { minLength: 1, maxLength: 30 }), fc.array(imm, { minLength: 10, maxLength: 10 }), fc.constantFrom(50, 1000, 5000), (gens, args, budget) => {
    const insns = build(gens, true);
    assert.equal(outcome('compiled', insns, args, budget), outcome('interp', insns, args, budget));
  }), { numRuns: 400 });
});

test('random programs on the stack and a packet: the Wasm core and the loop alone agree, budget included', () => {
  fc.assert(fc.property(fc.array(gen, { minLength: 1, maxLength: 40 }), fc.array(imm, { minLength: 10, maxLength: 10 }), fc.boolean(), fc.constantFrom(50, 5000), (gens, args, backward, budget) => {
    const insns = build(gens, backward, true);
    assert.equal(outcome('interp', insns, args, budget, 'wasm'), outcome('interp', insns, args, budget, 'js'));
  }), { numRuns: 600 });
});

test.run();
