import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  BPF_RB_AVAIL_DATA, BPF_RB_CONS_POS, BPF_RB_PROD_POS, BPF_RB_RING_SIZE, EAGAIN, EINVAL, ENOTSUPP, ringbufHeader, RingBufMap,
} from '../../src/maps/index.js';
import { make, MAP_TYPE, u32 } from './helpers.js';

const rb = (size = 4096): RingBufMap => make(MAP_TYPE.RINGBUF, 0, 0, size) as RingBufMap;
const text = (b: Uint8Array): string => Buffer.from(b).toString();

test('ringbuf: reserve writes the 8-byte header with BUSY; submit clears it', () => {
  const r = rb();
  const off = r.reserve(5, 0);
  assert.is(off, 8);
  assert.equal(ringbufHeader(r, 0), { len: 5, busy: true, discard: false, pgOff: 3 });
  r.valueStorage().set(Buffer.from('hello'), off);
  assert.equal(r.drain(), [], 'a busy record stops the consumer');
  assert.is(r.submit(off, 0), 0);
  assert.equal(ringbufHeader(r, 0), { len: 5, busy: false, discard: false, pgOff: 3 });
  assert.is(r.query(BPF_RB_PROD_POS), 16, 'records are padded to 8 bytes');
  assert.equal(r.drain().map(text), ['hello']);
  assert.is(r.query(BPF_RB_CONS_POS), 16);
  assert.is(r.query(BPF_RB_AVAIL_DATA), 0);
  assert.is(r.query(BPF_RB_RING_SIZE), 4096);
});

test('ringbuf: discarded records are skipped; records come out in reserve order', () => {
  const r = rb();
  const a = r.reserve(1, 0);
  const b = r.reserve(1, 0);
  const c = r.reserve(1, 0);
  r.valueStorage()[a] = 65; r.valueStorage()[c] = 67;
  r.submit(c, 0);
  assert.equal(r.drain(), [], 'the first record is still busy');
  r.discard(b, 0);
  r.submit(a, 0);
  assert.equal(ringbufHeader(r, 16).discard, true);
  assert.equal(r.drain().map(text), ['A', 'C']);
  assert.is(r.submit(a, 0), -EINVAL, 'not reserved any more');
});

test('ringbuf: reserve fails (NULL) when the record does not fit', () => {
  const r = rb();
  assert.is(r.reserve(4096, 0), -1, 'larger than the ring');
  assert.is(r.reserve(8, 1), -1, 'flags must be 0');
  const big = r.reserve(4096 - 16, 0);
  assert.ok(big >= 0);
  assert.is(r.reserve(1, 0), -1, 'the producer may not get size bytes ahead of the consumer');
  r.submit(big, 0);
  assert.is(r.reserve(1, 0), -1, 'still unconsumed');
  assert.is(r.drain().length, 1);
  assert.ok(r.reserve(1, 0) >= 0);
});

test('ringbuf: a record that wraps reads back contiguous', () => {
  const r = rb();
  for (let i = 0; i < 3; i++) { r.output(new Uint8Array(1000), 0, 1000, 0); r.drain(); }
  // producer at 3024: a 2000-byte sample runs past the end of the 4096-byte ring
  const off = r.reserve(2000, 0);
  assert.is(off, 3032);
  const data = r.valueStorage();
  for (let i = 0; i < 2000; i++) data[off + i] = i & 0xff;
  r.submit(off, 0);
  const [rec] = r.drain();
  assert.is(rec.length, 2000);
  assert.ok(rec.every((x, i) => x === (i & 0xff)));
});

test('ringbuf: output copies and submits; -EAGAIN when full, -EINVAL for bad flags', () => {
  const r = rb();
  assert.is(r.output(u32(0xdeadbeef), 0, 4, 0), 0);
  assert.is(r.output(u32(1), 0, 4, 4), -EINVAL);
  assert.is(r.output(new Uint8Array(4070), 0, 4070, 0), -EAGAIN, 'only size - 1 bytes may be outstanding');
  assert.equal([...r.drain()[0]], [0xef, 0xbe, 0xad, 0xde]);
  assert.is(r.updateElem(new Uint8Array(0), new Uint8Array(0)), -ENOTSUPP);
});

test.run();
