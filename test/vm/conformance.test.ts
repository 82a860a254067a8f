// Every test of the BPF conformance suite, run in-process in the uBPF convention, by the
// interpreter with its Wasm core (the default) and by its loop alone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { conformanceInterpreter, runConformance } from '../../src/vm/index.js';
import { assembled, conformanceFailures, hexBytes } from '../conformance-data.js';

const tests = assembled();

test('the suite has 313 tests', () => {
  assert.is(tests.length, 313);
});

for (const engine of ['wasm', 'js'] as const) {
  test(`every conformance test gives the expected full 64-bit r0 (engine ${engine})`, () => {
    const failures = conformanceFailures((program) => {
      const vm = conformanceInterpreter(program, { engine });
      assert.is(vm.engine, engine); // the core, not a silent fallback to the loop
      return vm;
    });
    assert.equal(failures, [], `${failures.length} failures:\n${failures.join('\n')}`);
  });
}

test('callx takes the helper id from its register', () => {
  const t = tests.find((x) => x.file === 'callx.data')!;
  const r = runConformance(conformanceInterpreter(hexBytes(t.program_hex)), null);
  assert.is(r.value, 2n);
});

test.run();
