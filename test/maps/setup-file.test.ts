import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSetup } from '../../src/maps/setup-file.js';

test('setup lines parse bytes the way bpftool does', () => {
  const [a, b, c] = parseSetup([
    '# counters and a jump table',
    'name counters key 1 0 0 0 value 0x10 017 0 255 exist',
    'name blocked key hex 0a 00 00 01 value hex 01 # ip 10.0.0.1',
    'name jmp key 0 0 0 0 value name xdp_second noexist',
  ].join('\n'), 'setup.txt');
  assert.equal([...a!.key], [1, 0, 0, 0]);
  assert.equal([...(a!.value as { bytes: Uint8Array }).bytes], [16, 15, 0, 255]);
  assert.is(a!.flags, 2);
  assert.is(a!.where.line, 2);
  assert.equal([...b!.key], [10, 0, 0, 1]);
  assert.is(b!.flags, 0);
  assert.equal(c!.value, { prog: 'xdp_second' });
  assert.is(c!.flags, 1);
});

test('bad setup lines name file, line and column with a caret', () => {
  assert.throws(() => parseSetup('name m key 1 2 3 value 256', 's.txt'), (e: Error) =>
    e.message.includes("s.txt:1:24: error: cannot parse value byte '256'") && e.message.includes('      ^^^'));
  assert.throws(() => parseSetup('\nname m kee 1', 's.txt'), /s\.txt:2:8: error: expected 'key' but found 'kee'/);
  assert.throws(() => parseSetup('name m key 1 value 2 always', 's.txt'), /unexpected 'always'; expected any, exist or noexist/);
  assert.throws(() => parseSetup('name m key value 2', 's.txt'), /expected key bytes/);
});

test.run();
