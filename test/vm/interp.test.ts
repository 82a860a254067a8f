import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { XdplabError } from '../../src/diag/index.js';
import { createInterpreter, Interpreter, PACKET, CTX, STACK, type HelperFn } from '../../src/vm/index.js';
import { I, exit, mov, movr } from './build.js';

/** The diagnostic of a thrown XdplabError, for asserting kind and text. */
function diag(fn: () => unknown): { kind: string; message: string; pc?: number; text: string } {
  try { fn(); } catch (e) {
    if (e instanceof XdplabError) return { ...e.diagnostics[0]!, text: e.message };
    throw e;
  }
  throw new Error('expected an XdplabError');
}

test('returns the full 64-bit r0 and counts instructions', () => {
  const vm = createInterpreter([I('lddw', 'lddw', { dst: 0, imm: 0x89abcdef | 0, imm64hi: 0x01234567 }), exit()]);
  const r = vm.run();
  assert.is(r.value, 0x0123456789abcdefn);
  assert.is(r.insns, 2);
  vm.run();
  assert.is(vm.counters.snapshot().insns, 4);
  assert.is(vm.counters.runs, 2);
});

test('RFC 9669 corner cases: division and modulo by zero, INT_MIN / -1, zero-extension', () => {
  const run = (...insns: ReturnType<typeof I>[]): bigint => createInterpreter([...insns, exit()]).run().value;
  assert.is(run(mov(0, 7), mov(1, 0), I('div', 'alu_reg', { dst: 0, src: 1 })), 0n);
  assert.is(run(mov(0, -7), mov(1, 0), I('mod', 'alu_reg', { dst: 0, src: 1 })), 0xfffffffffffffff9n);
  // 32-bit modulo by zero keeps the low word and zero-extends.
  assert.is(run(mov(0, -7), mov(1, 0), I('mod32', 'alu_reg', { dst: 0, src: 1 })), 0xfffffff9n);
  assert.is(run(I('lddw', 'lddw', { dst: 0, imm: 0, imm64hi: -0x80000000 }), mov(1, -1), I('sdiv', 'alu_reg', { dst: 0, src: 1 })), 0x8000000000000000n);
  assert.is(run(mov(0, -1), I('add32', 'alu_imm', { dst: 0, imm: 0 })), 0xffffffffn);
  assert.is(run(mov(0, 1), I('lsh', 'alu_imm', { dst: 0, imm: 65 })), 2n);
  assert.is(run(mov(0, 0x1234), I('be16', 'end', { dst: 0 })), 0x3412n);
  assert.is(run(mov(0, -2), I('movsx832', 'movsx', { dst: 0, src: 0 })), 0xfffffffen);
});

test('a pointer is region + offset: arithmetic, comparison with data_end, spill and reload', () => {
  // r1 = data, r2 = data_end; if data + 14 > data_end return 1; spill r1, reload, read byte 13.
  const vm = createInterpreter([
    movr(3, 1),
    I('add', 'alu_imm', { dst: 3, imm: 14 }),
    I('jgt', 'jcond_reg', { dst: 3, src: 2, off: 5 }),
    I('stxdw', 'stx', { dst: 10, src: 1, off: -8 }),
    mov(1, 0),
    I('ldxdw', 'ldx', { dst: 4, src: 10, off: -8 }),
    I('ldxb', 'ldx', { dst: 0, src: 4, off: 13 }),
    exit(),
    mov(0, 1),
    exit(),
  ]);
  const pkt = new Uint8Array(20).map((_, i) => i + 100);
  vm.memory.setRegion(PACKET, pkt);
  vm.setArgPointer(1, PACKET, 0);
  vm.setArgPointer(2, PACKET, 20);
  assert.is(vm.run().value, 113n);
  vm.memory.setWindow(PACKET, 0, 10); // a 10-byte packet: the bounds check sends us to "return 1"
  vm.setArgPointer(2, PACKET, 10);
  assert.is(vm.run().value, 1n);
});

test('faults name the instruction, the address and the size', () => {
  const vm = createInterpreter([I('ldxw', 'ldx', { dst: 0, src: 1, off: 62 }), exit()]);
  vm.memory.setRegion(PACKET, new Uint8Array(60));
  vm.setArgPointer(1, PACKET, 0);
  const d = diag(() => vm.run());
  assert.is(d.kind, 'fault');
  assert.is(d.text.split('\n')[0], 'insn 0: error: read of 4 bytes at packet+62 is out of bounds (packet is 60 bytes)');
  const nul = createInterpreter([I('ldxw', 'ldx', { dst: 0, src: 1, off: 0 }), exit()]);
  assert.match(diag(() => nul.run()).message, /read of 4 bytes at address 0 \(NULL\): not a pointer into any memory region/);
  vm.setArg(1, 12345, 0);
  assert.match(diag(() => vm.run()).message, /not a pointer into any memory region/);
  assert.is(vm.counters.runs, 2);
});

test('read-only regions, the stack frame bounds and the context', () => {
  const st = createInterpreter([I('stw', 'st', { dst: 1, off: 0, imm: 1 }), exit()]);
  st.memory.setRegion(CTX, new Uint8Array(8));
  st.setArgPointer(1, CTX, 0);
  assert.match(diag(() => st.run()).message, /write of 4 bytes at ctx\+0: ctx is read-only/);
  const below = createInterpreter([I('ldxdw', 'ldx', { dst: 0, src: 10, off: -520 }), exit()]);
  assert.match(diag(() => below.run()).message, /read of 8 bytes at stack\+3576 \(frame offset -520\) is outside the current stack frame/);
  const above = createInterpreter([I('ldxb', 'ldx', { dst: 0, src: 10, off: 0 }), exit()]);
  assert.match(diag(() => above.run()).message, /outside the current stack frame/);
  // A 32-bit context field that the loader marks as a pointer reads as the whole pointer.
  const ctx = createInterpreter([I('ldxw', 'ldx', { dst: 2, src: 1, off: 0 }), I('ldxb', 'ldx', { dst: 0, src: 2, off: 1 }), exit()]);
  ctx.memory.setRegion(CTX, new Uint8Array(24));
  ctx.memory.setRegion(PACKET, Uint8Array.from([5, 6, 7]));
  ctx.memory.setCtxPointer(0, 0, ctx.memory.tag(PACKET));
  ctx.setArgPointer(1, CTX, 0);
  assert.is(ctx.run().value, 6n);
});

test('registered regions expose bytes without copying', () => {
  const vm = createInterpreter([I('ldxw', 'ldx', { dst: 0, src: 1, off: 4 }), I('stw', 'st', { dst: 1, off: 0, imm: 99 }), exit()]);
  const value = new Uint8Array(16);
  const id = vm.memory.registerRegion(value, true, 'map', 'counts');
  vm.setArgPointer(1, id, 0);
  new DataView(value.buffer).setUint32(4, 77, true);
  assert.is(vm.run().value, 77n);
  assert.is(value[0], 99);
  assert.equal(vm.counters.snapshot(vm.memory).memoryAccesses, { counts: 2 });
});

test('helpers by id, callx, stop, and counting by id', () => {
  const seen: number[] = [];
  const add: HelperFn = (h) => { seen.push(h.regs[2]!); h.setR0(h.regs[2]! + h.regs[4]!, 0); };
  const helpers = new Map<number, HelperFn>([[1, add], [2, (h) => { h.setR0(42, 0); h.stop(); }]]);
  const vm = createInterpreter([
    mov(1, 5), mov(2, 6), I('call', 'call', { imm: 1 }),
    mov(3, 1), I('callx', 'callx', { dst: 3 }),
    mov(3, 2), I('callx', 'callx', { dst: 3 }),
    mov(0, 0), exit(),
  ], { helpers });
  assert.is(vm.run().value, 42n);
  assert.equal(seen, [5, 5]);
  assert.equal(vm.counters.snapshot().helperCalls, { 1: 2, 2: 1 });
  assert.match(diag(() => createInterpreter([I('call', 'call', { imm: 9 }), exit()], { helpers })).message, /call to unknown helper 9 at slot 0/);
  const cx = createInterpreter([mov(3, 7), I('callx', 'callx', { dst: 3 }), exit()], { helpers });
  assert.match(diag(() => cx.run()).text, /insn 1: error: call to unknown helper 7/);
});

test('BPF-to-BPF calls: r6-r9 preserved, a new frame, depth limited to 8', () => {
  const vm = createInterpreter([
    mov(6, 10), I('stdw', 'st', { dst: 10, off: -8, imm: 3 }),
    I('call local', 'call_local', { imm: 4 }), // to slot 7
    I('ldxdw', 'ldx', { dst: 1, src: 10, off: -8 }),
    I('add', 'alu_reg', { dst: 0, src: 6 }), I('add', 'alu_reg', { dst: 0, src: 1 }), exit(),
    // callee: clobbers r6 and the same slot of its own frame
    mov(6, 1000), I('stdw', 'st', { dst: 10, off: -8, imm: 500 }), mov(0, 100), exit(),
  ]);
  assert.is(vm.run().value, 113n);
  assert.is(vm.counters.localCalls, 1);
  const deep = createInterpreter([I('call local', 'call_local', { imm: -1 }), exit()]);
  const d = diag(() => deep.run());
  assert.is(d.kind, 'limit');
  assert.match(d.message, /call nesting exceeds 8 frames/);
});

test('the instruction budget ends a runaway program', () => {
  const vm = createInterpreter([I('ja', 'ja', { off: -1 }), exit()], { budget: 1000 });
  const d = diag(() => vm.run());
  assert.is(d.kind, 'limit');
  assert.is(d.message, 'the program did not finish within 1000 instructions');
  assert.is(vm.counters.insns, 1000);
});

test('lddw pseudo sources go through the resolver', () => {
  const insn = I('lddw', 'lddw', { dst: 0, src: 2, imm: 4 });
  assert.match(diag(() => createInterpreter([insn, exit()])).message, /lddw at slot 0 has src=2 \(map_value\), which needs a loader/);
  const vm = createInterpreter([insn, I('ldxw', 'ldx', { dst: 0, src: 0, off: 0 }), exit()], {
    resolveLddw: (i) => ({ lo: i.imm, hi: 0x100 + PACKET }),
  });
  vm.memory.setRegion(PACKET, Uint8Array.from([0, 0, 0, 0, 9, 0, 0, 0]));
  assert.is(vm.run().value, 9n);
});

test('legacy packet loads read big-endian and end with r0 = 0 out of bounds', () => {
  const vm = createInterpreter([I('ldabsh', 'ldabs', { imm: 1 }), mov(2, 2), I('ldindb', 'ldind', { src: 2, imm: 1 }), I('ldabsw', 'ldabs', { imm: 0 }), exit()]);
  vm.memory.setRegion(PACKET, Uint8Array.from([1, 2, 3, 4]));
  assert.is(vm.run().value, 0x01020304n);
  const oob = createInterpreter([mov(0, 5), I('ldabsw', 'ldabs', { imm: 2 }), mov(0, 7), exit()]);
  oob.memory.setRegion(PACKET, Uint8Array.from([1, 2, 3, 4]));
  assert.is(oob.run().value, 0n);
});

test('wrapHelpers wraps every call site, in both engines, and the results pass through', () => {
  // r0 = helper7(2) + helper7(5); helper 7 returns r1 * 10.
  const h7: HelperFn = (vm) => vm.setR0(vm.regs[2]! * 10, 0);
  const call7 = I('call', 'call', { imm: 7 });
  const prog = [mov(1, 2), call7, movr(6, 0), mov(1, 5), call7, I('add', 'alu_reg', { dst: 0, src: 6 }), exit()];
  for (const engine of ['wasm', 'js'] as const) {
    const vm = new Interpreter(prog, { engine, helpers: new Map([[7, h7]]) });
    const seen: number[] = [];
    vm.wrapHelpers((fn, pc) => (v) => { seen.push(pc); fn(v); });
    assert.is(vm.run().lo, 70, engine);
    assert.equal(seen, [1, 4], engine);
  }
});

test('bad programs give diagnostics, not crashes', () => {
  assert.match(diag(() => createInterpreter(new Uint8Array(12))).message, /12 bytes, not a whole number/);
  assert.match(diag(() => createInterpreter(new Uint8Array(0))).message, /program is empty/);
  assert.match(diag(() => createInterpreter([I('ja', 'ja', { off: 5 }), exit()])).message, /jump at slot 0 goes to slot 6, which is outside the program/);
  assert.match(diag(() => createInterpreter([I('ja', 'ja', { off: 1 }), I('lddw', 'lddw', { dst: 0 }), exit()])).message, /the middle of an lddw/);
  assert.match(diag(() => createInterpreter([mov(0, 1)]).run()).text, /insn 1: error: execution ran past the last instruction/);
  assert.match(diag(() => createInterpreter('nope' as unknown as Uint8Array)).message, /must be bytecode/);
  assert.match(diag(() => createInterpreter([exit()], { budget: 0 })).message, /budget must be a positive integer/);
  // The loop counts in an int32: a budget past 2^31 - 1 is refused, 2^31 - 1 itself runs.
  assert.match(diag(() => createInterpreter([exit()], { budget: 2 ** 31 })).message, /budget must be a positive integer up to 2147483647, got 2147483648/);
  assert.is(createInterpreter([mov(0, 3), exit()], { budget: 2 ** 31 - 1 }).run().lo, 3);
  assert.match(diag(() => new Interpreter([exit()]).setArg(7 as 1, 0)).message, /r1 to r5/);
  assert.match(diag(() => new Interpreter([exit()]).memory.setRegion(STACK, new Uint8Array(4), 2, 5)).message, /does not fit/);
});

test.run();
