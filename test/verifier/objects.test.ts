// C programs compiled by clang (test/fixtures/verifier/*.c, with their .o committed), loaded
// with src/elf's loadObject; where bpftool works, the kernel must agree.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadObject } from '../../src/elf/index.js';
import { inputFromProgram, verify } from '../../src/verifier/index.js';
import { repoRoot } from '../conformance-data.js';
import { kernelLoad, kernelSkip, lastLine } from './helpers.js';

const dir = join(repoRoot, 'test', 'fixtures', 'verifier');
const load = (name: string) => {
  const obj = loadObject(new Uint8Array(readFileSync(join(dir, name))), name);
  return verify(inputFromProgram(obj, obj.programs[0]!));
};

const accepted = ['parse_udp.o', 'loop64.o', 'subprog.o'];
for (const name of accepted) {
  test(`accepts ${name}`, () => {
    const r = load(name);
    assert.is(r.ok, true, r.errors[0] ? `${r.errors[0].headline} / ${r.errors[0].kernelMessage}` : '');
  });
  (kernelSkip ? test.skip : test)(`kernel accepts ${name} after the same number of instructions`, () => {
    const k = kernelLoad(join(dir, name));
    assert.is(k.ok, true, k.last);
    assert.is(load(name).processedInsns, k.processed);
  });
}

test('off_by_one.o: rejected at the source line, with the kernel message and a counterexample', () => {
  const r = load('off_by_one.o');
  assert.is(r.ok, false);
  const e = r.errors[0]!;
  assert.is(e.headline, 'packet access out of range: read 1 byte at off 14, proven range 14');
  assert.is(e.kernelMessage, 'invalid access to packet, off=14 size=1, R2(id=0,off=14,r=14)\nR2 offset is outside of the packet');
  assert.is(e.source?.line, 8);
  assert.ok(e.source?.text.includes('data[14]'));
  assert.is(e.counterexample, 'a 14-byte packet passes every check on this path, but this read needs 15 bytes');
});

(kernelSkip ? test.skip : test)('kernel rejects off_by_one.o with the same message', () => {
  const k = kernelLoad(join(dir, 'off_by_one.o'));
  assert.is(k.ok, false);
  assert.is(k.last, lastLine(load('off_by_one.o').errors[0]!.kernelMessage));
});

test('parse_udp.o uses 16 bytes of stack, as the kernel reports', () => {
  assert.is(load('parse_udp.o').maxStackDepth, 16);
});

test.run();
