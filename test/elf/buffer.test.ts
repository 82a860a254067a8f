// Node Buffers share one pooled ArrayBuffer; the loader must read (and never write) only its view.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadObject } from '../../src/elf/index.js';
import { encode } from '../../src/isa/index.js';
import { repoRoot } from '../conformance-data.js';

test('an object read into a Node Buffer links the same code as a plain copy, and stays unchanged', () => {
  const file = join(repoRoot, 'programs', 'xdp', 'subprog.o');
  const buf = readFileSync(file);
  const before = Buffer.from(buf);
  const fromBuffer = loadObject(buf, file);
  const fromCopy = loadObject(new Uint8Array(buf), file);
  assert.is(fromBuffer.programs.length, fromCopy.programs.length);
  for (let i = 0; i < fromCopy.programs.length; i++) {
    assert.equal(Buffer.from(encode(fromBuffer.programs[i]!.insns)), Buffer.from(encode(fromCopy.programs[i]!.insns)));
  }
  assert.ok(before.equals(buf), 'the input bytes are not modified');
});

test.run();
