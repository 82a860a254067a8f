// The compiled tier drops the bounds checks the verifier proved; results must not change.
// Every bundled program of the kernel-differential cases, verified, runs compiled without the
// proven checks and agrees with the reference interpreter on retval, packet and maps.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadObject } from '../../src/elf/index.js';
import { parseSetup } from '../../src/maps/index.js';
import { loadRuntime } from '../../src/vm/runtime/index.js';
import { verifiedSlots } from '../../src/verifier/index.js';
import { GROUPS } from './diff-cases.js';
import { repoRoot } from '../conformance-data.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('verified programs run without proven checks and agree with the interpreter', () => {
  let cases = 0, dropped = 0;
  for (const g of GROUPS) {
    const file = join(repoRoot, 'programs', g.obj);
    const obj = loadObject(new Uint8Array(readFileSync(file)), file);
    const proven = verifiedSlots(obj, g.prog);
    dropped += proven.get(g.prog)?.size ?? 0;
    const setup = g.setup ? parseSetup(g.setup.join('\n'), 'setup') : undefined;
    const fast = loadRuntime(obj, { prog: g.prog, cpus: 1, setup, tier: 'compiled', provenSafe: proven });
    const ref = loadRuntime(obj, { prog: g.prog, cpus: 1, setup, tier: 'interp' });
    for (const p of g.packets) {
      const a = fast.testRun(p.data, { repeat: p.repeat ?? 1, ctxIn: p.ctxIn });
      const b = ref.testRun(p.data, { repeat: p.repeat ?? 1, ctxIn: p.ctxIn });
      const what = `${g.obj} ${g.prog} ${p.name}`;
      assert.is(a.retval, b.retval, what);
      assert.is(hex(a.dataOut), hex(b.dataOut), what);
      assert.equal(fast.dumpMapsJson(), ref.dumpMapsJson(), what);
      // The cost model prices these: instructions, helper calls, map and memory accesses.
      assert.equal(fast.counters.snapshot(fast.memory), ref.counters.snapshot(ref.memory), what);
      cases++;
    }
  }
  assert.ok(cases >= 150, `${cases} cases`);
  assert.ok(dropped > 100, `only ${dropped} checks were proven and dropped`);
});

test.run();
