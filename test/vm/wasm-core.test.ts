// The interpreter's Wasm core works on regions in its memory's arena in place and on copies of
// the others. These tests pin what the copies must never change: a helper that writes memory
// behind Memory's back is seen afterwards, the core's stores are seen by the helper that runs
// next and after the run, a large region is read right outside the part copied, and with no
// room in the arena the interpreter still runs (the loop alone). Each case also runs with the
// loop alone (engine 'js'), which is the reference.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fail } from '../../src/diag/index.js';
import { Interpreter, Memory, PACKET, type HelperFn } from '../../src/vm/index.js';
import { I, exit, mov, movr } from './build.js';

const ENGINES = ['wasm', 'js'] as const;
const ldxb = (dst: number, src: number, off: number) => I('ldxb', 'ldx', { dst, src, off });
const stxb = (dst: number, src: number, off: number) => I('stxb', 'stx', { dst, src, off });
const add = (dst: number, src: number) => I('add', 'alu_reg', { dst, src });
const call = (imm: number) => I('call', 'call', { imm });

function vmOn(engine: 'wasm' | 'js', prog: ReturnType<typeof I>[], packet: Uint8Array, helpers = new Map<number, HelperFn>(), memory?: Memory): Interpreter {
  const vm = new Interpreter(prog, { engine, helpers, memory });
  vm.memory.setRegion(PACKET, packet);
  vm.setArgPointer(1, PACKET, 0);
  return vm;
}

test('interpreters run on the Wasm core unless asked not to, profiling, or without an arena', () => {
  const prog = [mov(0, 1), exit()];
  assert.is(new Interpreter(prog).engine, 'wasm');
  assert.is(new Interpreter(prog, { engine: 'js' }).engine, 'js');
  assert.is(new Interpreter(prog, { profile: true }).engine, 'js');
  const full = new Memory();
  for (let s = 1 << 16; s >= 1; s >>= 1) while (full.arena!.alloc(s) !== null); // fill it
  assert.is(new Interpreter(prog, { memory: full }).engine, 'js');
  assert.is(new Interpreter(prog, { memory: full }).run().lo, 1);
});

test('a helper that writes the packet behind Memory: the next load sees it, in a copy or in place', () => {
  // Helper 7 sets packet[2] = 99 through the region's bytes; the program reads packet[2] before and after.
  const poke: HelperFn = (vm) => { vm.memory.regionBytes(PACKET)[2] = 99; vm.setR0(0, 0); };
  const prog = [movr(6, 1), ldxb(7, 6, 2), call(7), ldxb(0, 6, 2), add(0, 7), exit()];
  for (const engine of ENGINES) {
    const plain = vmOn(engine, prog, Uint8Array.of(1, 2, 3, 4), new Map([[7, poke]]));
    assert.is(plain.run().lo, 99 + 3, `${engine}, plain packet`);
    const mem = new Memory();
    const inArena = mem.alloc(4);
    inArena.set([1, 2, 3, 4]);
    const vm = vmOn(engine, prog, inArena, new Map([[7, poke]]), mem);
    assert.is(vm.run().lo, 99 + 3, `${engine}, packet in the arena`);
  }
});

test('a store by the core is seen by the next helper and by the caller after the run', () => {
  // packet[1] = 42, then helper 8 returns packet[1]; r0 = that.
  const peek: HelperFn = (vm) => vm.setR0(vm.memory.regionBytes(PACKET)[1]!, 0);
  const prog = [movr(6, 1), mov(2, 42), stxb(6, 2, 1), call(8), mov(3, 7), stxb(6, 3, 3), exit()];
  for (const engine of ENGINES) {
    const packet = Uint8Array.of(0, 0, 0, 0);
    const vm = vmOn(engine, prog, packet, new Map([[8, peek]]));
    assert.is(vm.run().lo, 42, engine);
    assert.equal([...packet], [0, 42, 0, 7], engine);
  }
});

test('a long packet outside the arena (copied with TypedArray.set): stores land, a rebound window is seen', () => {
  // packet[10] += 1; packet[500] = packet[499] + packet[10]; r0 = packet[500].
  const prog = [movr(6, 1), ldxb(2, 6, 10), I('add', 'alu_imm', { dst: 2, imm: 1 }), stxb(6, 2, 10), ldxb(3, 6, 499), add(3, 2), stxb(6, 3, 500), ldxb(0, 6, 500), exit()];
  const make = () => Uint8Array.from({ length: 700 }, (_, k) => k % 50);
  for (const engine of ENGINES) {
    const bytes = make();
    const vm = vmOn(engine, prog, bytes);
    vm.memory.setRegion(PACKET, bytes, 0, 600);
    assert.is(vm.run().lo, (499 % 50) + 11, engine);
    assert.is(vm.run().lo, (499 % 50) + 12, engine);
    assert.equal([bytes[10], bytes[500]], [12, (499 % 50) + 12], engine);
    // The same array and length, a window 100 bytes further: the copy must follow it.
    vm.memory.setRegion(PACKET, bytes, 100, 600);
    assert.is(vm.run().lo, (599 % 50) + (110 % 50) + 1, engine);
    assert.equal([bytes[110], bytes[600]], [(110 % 50) + 1, (599 % 50) + (110 % 50) + 1], engine);
  }
});

test('a large region is read right on both sides of the part the core copies', () => {
  // A 1000-byte read-write region outside the arena; r2 points to it. Bytes are their offset mod 251.
  const bytes = Uint8Array.from({ length: 1000 }, (_, k) => k % 251);
  const offsets = [0, 5, 127, 128, 300, 999, 4];
  const prog = [mov(0, 0), ...offsets.flatMap((o, k) => [ldxb(3 + (k % 3), 2, o), add(0, 3 + (k % 3))]), mov(4, 1), stxb(2, 4, 700), ldxb(3, 2, 700), add(0, 3), exit()];
  const want = offsets.reduce((s, o) => s + (o % 251), 0) + 1;
  for (const engine of ENGINES) {
    const vm = vmOn(engine, prog, new Uint8Array(4));
    const r = vm.memory.registerRegion(bytes, true, 'map', 'big');
    vm.setArgPointer(2, r, 0);
    for (let k = 0; k < 3; k++) assert.is(vm.run().lo, want, engine);
    assert.is(bytes[700], 1, engine);
    assert.equal(vm.counters.snapshot(vm.memory).memoryAccesses, { big: 3 * (offsets.length + 2) }, engine);
  }
});

test('a helper that faults inside the core: the same error, instruction count and access counts as the loop', () => {
  const boom: HelperFn = (vm) => fail('fault', 'helper 9 gave up', { pc: vm.pc });
  const prog = [movr(6, 1), ldxb(2, 6, 0), stxb(10, 2, -1), ldxb(3, 6, 1), call(9), ldxb(0, 6, 2), exit()];
  const seen = ENGINES.map((engine) => {
    const mem = new Memory();
    const packet = mem.alloc(4); // in the arena: the core makes the call itself
    packet.set([1, 2, 3, 4]);
    const vm = vmOn(engine, prog, packet, new Map([[9, boom]]), mem);
    let message = '';
    try { vm.run(); } catch (e) { message = (e as Error).message; }
    return { message, snapshot: vm.counters.snapshot(vm.memory) };
  });
  assert.match(seen[0]!.message, /helper 9 gave up/);
  assert.equal(seen[0]!.snapshot.memoryAccesses, { packet: 2, stack: 1 });
  assert.is(seen[0]!.snapshot.insns, 5);
  assert.equal(seen[0], seen[1]);
});

test('with the arena full, the interpreter still runs: regions and the program outside it', () => {
  const mem = new Memory();
  for (let s = 1 << 16; s >= 1; s >>= 1) while (mem.arena!.alloc(s) !== null); // fill it
  const prog = [movr(6, 1), ldxb(0, 6, 1), mov(2, 5), stxb(10, 2, -1), ldxb(3, 10, -1), add(0, 3), exit()];
  const vm = vmOn('wasm', prog, Uint8Array.of(1, 2, 3), new Map(), mem);
  assert.is(vm.run().lo, 2 + 5);
  assert.is(mem.alloc(16).buffer === mem.arena!.buffer, false);
});

test.run();
