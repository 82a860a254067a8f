// Every test of the BPF conformance suite, run in-process in the uBPF convention, by the
// interpreter with its Wasm core (the default) and by its loop alone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { conformanceInterpreter, runConformance } from '../../src/vm/index.js';
import { toHex } from '../../src/num/index.js';
import { assembled, hexBytes } from '../conformance-data.js';

const tests = assembled();

test('the suite has 313 tests', () => {
  assert.is(tests.length, 313);
});

for (const engine of ['wasm', 'js'] as const) {
  test(`every conformance test gives the expected full 64-bit r0 (engine ${engine})`, () => {
    const failures: string[] = [];
    for (const t of tests) {
      const mem = hexBytes(t.mem_hex);
      try {
        const vm = conformanceInterpreter(hexBytes(t.program_hex), { engine });
        const r = runConformance(vm, mem.length ? mem : null);
        const got = toHex(r.lo, r.hi);
        const want = '0x' + BigInt(t.expected_result).toString(16);
        if (got !== want) failures.push(`${t.file}: got ${got}, expected ${want}`);
      } catch (e) {
        failures.push(`${t.file}: ${(e as Error).message}`);
      }
    }
    assert.equal(failures, [], `${failures.length} failures:\n${failures.join('\n')}`);
  });
}

test('callx takes the helper id from its register', () => {
  const t = tests.find((x) => x.file === 'callx.data')!;
  const r = runConformance(conformanceInterpreter(hexBytes(t.program_hex)), null);
  assert.is(r.value, 2n);
});

test.run();
