import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dumpJson, formatDump, hexBytes } from '../../src/maps/index.js';
import { make, MAP_FLAG, MAP_TYPE, u32 } from './helpers.js';

// Expected text is what bpftool 7.1 printed for the same maps on Linux 6.18.
test('hash dump: one line per entry and Found N elements', () => {
  const m = make(MAP_TYPE.HASH, 4, 4, 8);
  m.updateElem(u32(2), u32(2));
  m.updateElem(u32(1), u32(1));
  assert.is(formatDump(m), 'key: 02 00 00 00  value: 02 00 00 00\nkey: 01 00 00 00  value: 01 00 00 00\nFound 2 elements\n');
  assert.is(JSON.stringify(dumpJson(m)),
    '[{"key":["0x02","0x00","0x00","0x00"],"value":["0x02","0x00","0x00","0x00"]},{"key":["0x01","0x00","0x00","0x00"],"value":["0x01","0x00","0x00","0x00"]}]');
});

test('dump: singular element, empty map', () => {
  const m = make(MAP_TYPE.HASH, 4, 4, 8);
  assert.is(formatDump(m), 'Found 0 elements\n');
  assert.is(JSON.stringify(dumpJson(m)), '[]');
  m.updateElem(u32(1), u32(1));
  assert.match(formatDump(m), /Found 1 element\n$/);
});

test('dump: 12-byte key and value still fit one line; hex groups of 8', () => {
  const m = make(MAP_TYPE.HASH, 12, 12, 2);
  const b = Uint8Array.from({ length: 12 }, (_, i) => i + 1);
  m.updateElem(b, b);
  assert.is(formatDump(m), 'key: 01 02 03 04 05 06 07 08  09 0a 0b 0c  value: 01 02 03 04 05 06 07 08  09 0a 0b 0c\nFound 1 element\n');
});

test('dump: keys or values over 16 bytes break names and wrap at 16 bytes', () => {
  const m = make(MAP_TYPE.HASH, 20, 20, 2);
  const b = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
  m.updateElem(b, b);
  const block = '01 02 03 04 05 06 07 08  09 0a 0b 0c 0d 0e 0f 10\n11 12 13 14';
  assert.is(formatDump(m), `key:\n${block}\nvalue:\n${block}\nFound 1 element\n`);
  assert.is(hexBytes(Uint8Array.of()), '');
});

test('dump: per-CPU values, text and JSON', () => {
  const m = make(MAP_TYPE.PERCPU_ARRAY, 4, 12, 2, {}, 2);
  const v = new Uint8Array(32);
  for (let i = 0; i < 12; i++) { v[i] = i + 1; v[16 + i] = i + 1; }
  m.updateElem(u32(1), v);
  const zero = '00 00 00 00 00 00 00 00  00 00 00 00';
  const ones = '01 02 03 04 05 06 07 08  09 0a 0b 0c';
  assert.is(formatDump(m), `key:\n00 00 00 00\nvalue (CPU 00): ${zero}\nvalue (CPU 01): ${zero}\nkey:\n01 00 00 00\nvalue (CPU 00): ${ones}\nvalue (CPU 01): ${ones}\nFound 2 elements\n`);
  const j = dumpJson(m) as Array<{ key: string[]; values: Array<{ cpu: number; value: string[] }> }>;
  assert.equal(j[1].values.map((x) => x.cpu), [0, 1]);
  assert.equal(j[1].values[1].value.slice(0, 2), ['0x01', '0x02']);
  assert.is(j[1].values[0].value.length, 12);
});

test('dump: empty devmap slots print <no entry> and are not counted', () => {
  const m = make(MAP_TYPE.DEVMAP, 4, 4, 2);
  m.updateElem(u32(1), u32(1));
  assert.is(formatDump(m), 'key: 00 00 00 00  value: <no entry>\nkey: 01 00 00 00  value: 01 00 00 00\nFound 1 element\n');
  assert.is(JSON.stringify(dumpJson(m)),
    '[{"key":["0x00","0x00","0x00","0x00"],"value":{"error":"No such file or directory"}},{"key":["0x01","0x00","0x00","0x00"],"value":["0x01","0x00","0x00","0x00"]}]');
});

test('dump: lpm_trie in kernel post-order', () => {
  const m = make(MAP_TYPE.LPM_TRIE, 8, 4, 4, { flags: MAP_FLAG.NO_PREALLOC });
  m.updateElem(Uint8Array.of(24, 0, 0, 0, 10, 1, 2, 0), u32(1));
  m.updateElem(Uint8Array.of(8, 0, 0, 0, 10, 0, 0, 0), u32(3));
  m.updateElem(Uint8Array.of(32, 0, 0, 0, 10, 1, 2, 3), u32(4));
  assert.is(formatDump(m), [
    'key: 20 00 00 00 0a 01 02 03  value: 04 00 00 00',
    'key: 18 00 00 00 0a 01 02 00  value: 01 00 00 00',
    'key: 08 00 00 00 0a 00 00 00  value: 03 00 00 00',
    'Found 3 elements', ''].join('\n'));
});

test('dump: queue values in pop order (xdplab extension; bpftool finds 0)', () => {
  const m = make(MAP_TYPE.QUEUE, 0, 4, 4);
  m.updateElem(new Uint8Array(0), u32(1));
  m.updateElem(new Uint8Array(0), u32(2));
  assert.is(formatDump(m), 'value: 01 00 00 00\nvalue: 02 00 00 00\nFound 0 elements\n');
});

test.run();
