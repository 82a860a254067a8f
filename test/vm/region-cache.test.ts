// The interpreter reads memory through a one-region cache in Memory (the region of the last
// access). These tests pin what the cache must never change: which accesses fault, what they
// read after a window moves, and the per-region access counts, in both tiers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { XdplabError } from '../../src/diag/index.js';
import { createVM, type Tier } from '../../src/vm/compiled/index.js';
import { PACKET, type HelperFn, type Interpreter } from '../../src/vm/index.js';
import { I, exit, mov, movr } from './build.js';

const TIERS: Tier[] = ['interp', 'compiled'];
const ldxb = (dst: number, src: number, off: number) => I('ldxb', 'ldx', { dst, src, off });
const stxb = (dst: number, src: number, off: number) => I('stxb', 'stx', { dst, src, off });
const add = (dst: number, src: number) => I('add', 'alu_reg', { dst, src });

function packetVM(tier: Tier, insns: ReturnType<typeof I>[], packet: Uint8Array, helpers?: Map<number, HelperFn>): Interpreter {
  const vm = createVM(insns, { tier, helpers });
  vm.memory.setRegion(PACKET, packet);
  vm.setArgPointer(1, PACKET, 0);
  return vm;
}

function faultOf(fn: () => unknown): string {
  try { fn(); } catch (e) {
    if (e instanceof XdplabError) return e.message;
    throw e;
  }
  return 'no fault';
}

test('access counts per region stay exact when packet and stack accesses interleave', () => {
  // packet, packet, stack store, packet, stack load, packet: 4 packet and 2 stack accesses.
  const prog = [
    ldxb(2, 1, 0), ldxb(3, 1, 1), stxb(10, 2, -1), ldxb(4, 1, 2), ldxb(5, 10, -1), ldxb(0, 1, 3),
    add(0, 2), add(0, 3), add(0, 4), add(0, 5), exit(),
  ];
  for (const tier of TIERS) {
    const vm = packetVM(tier, prog, Uint8Array.of(1, 2, 3, 4));
    for (let k = 0; k < 3; k++) assert.is(vm.run().lo, 4 + 1 + 2 + 3 + 1, tier);
    assert.equal(vm.counters.snapshot(vm.memory).memoryAccesses, { packet: 12, stack: 6 }, tier);
  }
});

test('accesses before a fault are counted, the faulting one is not', () => {
  const prog = [ldxb(2, 1, 0), ldxb(3, 1, 1), ldxb(0, 1, 9), exit()];
  for (const tier of TIERS) {
    const vm = packetVM(tier, prog, Uint8Array.of(1, 2, 3, 4));
    assert.match(faultOf(() => vm.run()), /read of 1 byte at packet\+9 is out of bounds \(packet is 4 bytes\)/, tier);
    assert.equal(vm.counters.snapshot(vm.memory).memoryAccesses, { packet: 2 }, tier);
  }
});

test('a packet rebound between runs is seen: a shorter one faults where the longer one read', () => {
  const prog = [ldxb(0, 1, 5), exit()];
  for (const tier of TIERS) {
    const vm = packetVM(tier, prog, Uint8Array.of(0, 0, 0, 0, 0, 42));
    assert.is(vm.run().lo, 42, tier);
    vm.memory.setRegion(PACKET, Uint8Array.of(7, 7, 7));
    assert.match(faultOf(() => vm.run()), /packet\+5 is out of bounds \(packet is 3 bytes\)/, tier);
    vm.memory.setRegion(PACKET, Uint8Array.of(0, 0, 0, 0, 0, 9, 9, 9, 9), 1, 8);
    assert.is(vm.run().lo, 9, tier);
  }
});

test('a helper that moves the packet window mid-run: the next access sees the new window', () => {
  // Helper 99 shrinks the packet to its first 2 bytes, then the program reads byte 0 and byte 3.
  const shrink: HelperFn = (vm) => { vm.memory.setWindow(PACKET, 0, 2); vm.setR0(0, 0); };
  const prog = [movr(6, 1), ldxb(7, 6, 3), I('call', 'call', { imm: 99 }), ldxb(0, 6, 0), ldxb(0, 6, 3), exit()];
  for (const tier of TIERS) {
    const vm = packetVM(tier, prog, Uint8Array.of(5, 6, 7, 8), new Map([[99, shrink]]));
    assert.match(faultOf(() => vm.run()), /read of 1 byte at packet\+3 is out of bounds \(packet is 2 bytes\)/, tier);
  }
});

test('after a read of the read-only context, a store to it still faults', () => {
  const prog = [I('ldxw', 'ldx', { dst: 2, src: 1, off: 0 }), I('stxw', 'stx', { dst: 1, src: 2, off: 0 }), mov(0, 0), exit()];
  for (const tier of TIERS) {
    const vm = createVM(prog, { tier });
    vm.memory.setRegion(PACKET, new Uint8Array(8));
    vm.setArgPointer(1, 1, 0); // CTX
    vm.memory.setRegion(1, new Uint8Array(8));
    assert.match(faultOf(() => vm.run()), /write of 4 bytes at ctx\+0: ctx is read-only/, tier);
  }
});

test('a pointer whose high word is 0 never hits a way: not a read-only one, not a cleared one', () => {
  // A store through address 4 after a context read fills a read-only way; a load through it
  // after the packet way was filled and then cleared by a rebind. Both must fault.
  const st = [I('ldxw', 'ldx', { dst: 2, src: 1, off: 0 }), mov(3, 0), I('stxw', 'stx', { dst: 3, src: 2, off: 4 }), mov(0, 0), exit()];
  // r2 != 0: read packet[4]; r2 == 0: read address 4.
  const ld = [mov(3, 0), I('jeq', 'jcond_imm', { dst: 2, imm: 0, off: 2 }), ldxb(0, 1, 4), exit(), ldxb(0, 3, 4), exit()];
  for (const tier of TIERS) {
    const vm = createVM(st, { tier });
    vm.setArgPointer(1, 1, 0); // CTX
    vm.memory.setRegion(1, new Uint8Array(8));
    assert.match(faultOf(() => vm.run()), /write of 4 bytes at address 0x0+4: not a pointer into any memory region/, tier);
    const vm2 = packetVM(tier, ld, Uint8Array.of(1, 2, 3, 4, 5, 6));
    vm2.setArg(2, 1);
    assert.is(vm2.run().lo, 5, tier);
    vm2.memory.setRegion(PACKET, Uint8Array.of(9, 9, 9, 9, 9, 9));
    vm2.setArg(2, 0);
    assert.match(faultOf(() => vm2.run()), /read of 1 byte at address 0x0+4: not a pointer into any memory region/, tier);
  }
});

test('a BPF-to-BPF call moves the stack frame: the caller keeps its byte and cannot reach the callee frame', () => {
  // main: *(u8 *)(r10 - 1) = 11; call sub; r0 = *(u8 *)(r10 - 1). sub: *(u8 *)(r10 - 1) = 22.
  const main = (stray: boolean) => [
    mov(2, 11), stxb(10, 2, -1), I('call local', 'call_local', { imm: stray ? 3 : 2 }), ldxb(0, 10, -1),
    ...(stray ? [ldxb(3, 10, -513)] : []), exit(),
  ];
  const sub = [mov(2, 22), stxb(10, 2, -1), exit()];
  for (const tier of TIERS) {
    assert.is(createVM([...main(false), ...sub], { tier }).run().lo, 11, tier);
    // After the return, 513 bytes below r10 is the callee's old frame: outside the caller's.
    const vm = createVM([...main(true), ...sub], { tier });
    assert.match(faultOf(() => vm.run()), /read of 1 byte at stack\+3583 \(frame offset -513\) is outside the current stack frame/, tier);
  }
});

test.run();
