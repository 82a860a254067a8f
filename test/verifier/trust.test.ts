// The runtime trusts the verifier: random structured programs (packet parsing with bounds
// checks of random sizes, variable offsets, stack and map accesses, random branches); every
// program the verifier accepts must run on random packets (14..200 bytes) in the VM
// interpreter without a memory fault. Its provenSafe slots are loads and stores. And the
// compiled tier, which drops the checks of those slots, must agree with the interpreter.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadObject, writeObject } from '../../src/elf/index.js';
import { loadRuntime } from '../../src/vm/runtime/index.js';
import { verify } from '../../src/verifier/index.js';
import { MAPS, program } from './helpers.js';

const SIZES = [1, 2, 4, 8] as const;
const W: Record<number, string> = { 1: 'u8', 2: 'u16', 4: 'u32', 8: 'u64' };
const RELOAD = 'r2 = *(u32 *)(r6 + 0)\nr3 = *(u32 *)(r6 + 4)';

const size = fc.constantFrom(...SIZES);
/** One block of the program; each may be safe or not depending on the numbers drawn. */
const block = fc.oneof(
  // A bounds check of C bytes, then a read at O of N bytes (unsafe when O + N > C).
  fc.record({ c: fc.integer({ min: 1, max: 80 }), o: fc.integer({ min: 0, max: 84 }), n: size, cmp: fc.constantFrom('>', '>='), fit: fc.boolean() })
    .map(({ c, o, n, cmp, fit }) => ({ c: Math.max(c, n), o: fit ? o % (Math.max(c, n) - n + 1) : o, n, cmp }))
    .map(({ c, o, n, cmp }) => `r4 = r2\nr4 += ${c}\nif r4 ${cmp} r3 goto out\nr0 = *(${W[n]} *)(r2 + ${o})\nr0 = 2`),
  // A variable offset from a packet byte, masked, then checked and read.
  fc.record({ mask: fc.constantFrom(0x7, 0xf, 0x3f, 0xff, -1), k: fc.integer({ min: 1, max: 40 }), o: fc.integer({ min: 0, max: 40 }), n: size, fit: fc.boolean() })
    .map(({ mask, k, o, n, fit }) => ({ mask, k: Math.max(k, n), o: fit ? o % (Math.max(k, n) - n + 1) : o, n }))
    .map(({ mask, k, o, n }) => `r4 = r2\nr4 += 1\nif r4 > r3 goto out\nr5 = *(u8 *)(r2 + 0)\nr5 &= ${mask}\nr7 = r2\nr7 += r5\nr8 = r7\nr8 += ${k}\nif r8 > r3 goto out\nr0 = *(${W[n]} *)(r7 + ${o})\nr0 = 2`),
  // Stack: write then read at random (possibly out-of-range) offsets.
  fc.record({ w: fc.integer({ min: 1, max: 66 }), r: fc.integer({ min: 1, max: 66 }), n: size })
    .map(({ w, r, n }) => `r1 = 7\n*(u64 *)(r10 - ${w * 8}) = r1\nr4 = *(${W[n]} *)(r10 - ${r * 8})`),
  // A map lookup, with or without the NULL check, then an access at a random offset.
  fc.record({ map: fc.constantFrom(0, 1), key: fc.integer({ min: 0, max: 20 }), check: fc.boolean(), o: fc.integer({ min: 0, max: 10 }), n: size, store: fc.boolean(), fit: fc.boolean() })
    .map(({ map, key, check, o, n, store, fit }) => ({ map, key, check: check || fit, o: fit ? o % (9 - n) : o, n, store }))
    .map(({ map, key, check, o, n, store }) => [
      `r1 = ${key}`, '*(u32 *)(r10 - 4) = r1', 'r2 = r10', 'r2 += -4', `r1 = map[${map}] ll`, 'call 1',
      ...(check ? ['if r0 == 0 goto out_r0'] : []),
      store ? `r1 = 1\n*(${W[n]} *)(r0 + ${o}) = r1` : `r1 = *(${W[n]} *)(r0 + ${o})`, 'r0 = 2', RELOAD,
    ].join('\n')),
  // A branch on a packet-derived value that sets the return code.
  fc.record({ k: fc.integer({ min: 0, max: 255 }), ret: fc.integer({ min: 0, max: 3 }) })
    .map(({ k, ret }) => `r4 = r2\nr4 += 1\nif r4 > r3 goto out\nr5 = *(u8 *)(r2 + 0)\nif r5 > ${k} goto +1\nr0 = ${ret}`),
);

const programArb = fc.array(block, { minLength: 1, maxLength: 4 })
  .map((blocks) => ['r6 = r1', 'r0 = 2', RELOAD, ...blocks, 'exit', 'out_r0:', 'r0 = 1', 'exit', 'out:', 'r0 = 1', 'exit'].join('\n'));

const packetArb = fc.integer({ min: 14, max: 200 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));

let accepted = 0, total = 0;

test('every accepted program runs without a memory fault on random packets', () => {
  fc.assert(fc.property(programArb, fc.array(packetArb, { minLength: 1, maxLength: 6 }), (src, packets) => {
    const insns = program(src);
    const r = verify({ insns, maps: MAPS, progType: 'xdp' });
    total++;
    if (!r.ok) return true;
    accepted++;
    for (const s of r.provenSafe) assert.ok(['ldx', 'ldxs', 'st', 'stx', 'atomic'].includes(insns.find((i) => i.slot === s)!.spec.shape));
    const obj = loadObject(new Uint8Array(writeObject({ programs: [{ name: 'prog', section: 'xdp', insns }], maps: MAPS, license: 'GPL' })), 'gen.o');
    const rt = loadRuntime(obj, { cpus: 1, seed: 1 });
    for (const p of packets) {
      try {
        rt.testRun(p);
      } catch (e) {
        throw new Error(`accepted program faulted on a ${p.length}-byte packet: ${(e as Error).message}\n${src}`);
      }
    }
    return true;
  }), { numRuns: 400, seed: 20240611 });
  // The generator must exercise both verdicts to mean anything.
  assert.ok(accepted > total / 10 && accepted < total, `${accepted} of ${total} accepted`);
});

test('accepted random programs: the compiled tier without the proven checks agrees with the interpreter', () => {
  const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
  const seen = (rt: ReturnType<typeof loadRuntime>, p: Uint8Array): unknown => {
    try {
      const r = rt.testRun(p);
      return { retval: r.retval, out: hex(r.dataOut), trace: r.trace, insns: r.insns, maps: rt.dumpMapsJson(), counters: rt.counters.snapshot(rt.memory) };
    } catch (e) {
      return { fault: (e as Error).message };
    }
  };
  let compared = 0;
  fc.assert(fc.property(programArb, fc.array(packetArb, { minLength: 1, maxLength: 6 }), (src, packets) => {
    const insns = program(src);
    const r = verify({ insns, maps: MAPS, progType: 'xdp' });
    if (!r.ok) return true;
    const obj = loadObject(new Uint8Array(writeObject({ programs: [{ name: 'prog', section: 'xdp', insns }], maps: MAPS, license: 'GPL' })), 'gen.o');
    const fast = loadRuntime(obj, { cpus: 1, seed: 1, tier: 'compiled', provenSafe: new Map([['prog', r.provenSafe]]) });
    const ref = loadRuntime(obj, { cpus: 1, seed: 1, tier: 'interp' });
    for (const p of packets) assert.equal(seen(fast, p), seen(ref, p), `${hex(p)}\n${src}`);
    compared++;
    return true;
  }), { numRuns: 1000, seed: 20261124 });
  assert.ok(compared > 80, `only ${compared} accepted programs compared`);
});

test.run();
