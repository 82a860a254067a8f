import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BPF_EXIST, BPF_NOEXIST, EEXIST, EINVAL, ENOENT, ENOSPC, LpmTrieMap, type BpfMap } from '../../src/maps/index.js';
import { make, MAP_FLAG, MAP_TYPE, rd, u32 } from './helpers.js';

/** An IPv4 LPM key: u32 prefixlen (little endian), then the address bytes. */
function k(cidr: string): Uint8Array {
  const [addr, len] = cidr.split('/');
  const b = new Uint8Array(8);
  b.set(u32(Number(len ?? 32)));
  b.set(addr.split('.').map(Number), 4);
  return b;
}
const name = (key: Uint8Array): string => `${[...key.subarray(4)].join('.')}/${rd(key)}`;
const trie = (max = 16): BpfMap => make(MAP_TYPE.LPM_TRIE, 8, 4, max, { flags: MAP_FLAG.NO_PREALLOC });
function order(m: BpfMap): string[] {
  const out: string[] = [];
  for (let key = m.nextKey(); key; key = m.nextKey(key)) out.push(name(key));
  return out;
}
const look = (m: BpfMap, a: string): number | undefined => rd(m.lookupElem(k(a)));

test('lpm_trie: lookup finds the longest matching prefix', () => {
  const m = trie();
  m.updateElem(k('10.0.0.0/8'), u32(8));
  m.updateElem(k('10.1.0.0/16'), u32(16));
  m.updateElem(k('10.1.2.0/24'), u32(24));
  m.updateElem(k('0.0.0.0/0'), u32(0xff));
  assert.is(look(m, '10.1.2.3'), 24);
  assert.is(look(m, '10.1.9.9'), 16);
  assert.is(look(m, '10.9.9.9'), 8);
  assert.is(look(m, '11.0.0.1'), 0xff);
  assert.is(look(m, '10.1.2.3/16'), 16, 'the lookup key prefixlen limits the match');
  assert.ok(m.lookup(k('10.1.2.3'), 0, 0) >= 0);
});

test('lpm_trie: update and delete are exact-match with the kernel errnos', () => {
  const m = trie(2);
  assert.is(m.updateElem(k('10.0.0.0/33'), u32(1)), -EINVAL);
  assert.is(m.updateElem(k('10.0.0.0/8'), u32(1), 4), -EINVAL);
  assert.is(m.updateElem(k('10.0.0.0/8'), u32(1), BPF_EXIST), -ENOENT);
  assert.is(m.updateElem(k('10.0.0.0/8'), u32(1), BPF_NOEXIST), 0);
  assert.is(m.updateElem(k('10.0.0.0/8'), u32(2), BPF_NOEXIST), -EEXIST);
  assert.is(m.updateElem(k('10.0.0.0/8'), u32(3), BPF_EXIST), 0);
  assert.is(m.updateElem(k('10.1.0.0/16'), u32(4)), 0);
  assert.is(m.updateElem(k('10.2.0.0/16'), u32(5)), -ENOSPC, 'full');
  assert.is(m.updateElem(k('10.1.0.0/16'), u32(6)), 0, 'replacing in a full trie is fine (Linux 6.13+)');
  assert.is(m.deleteElem(k('10.0.0.0/16')), -ENOENT);
  assert.is(m.deleteElem(k('10.0.0.0/33')), -EINVAL);
  assert.is(m.deleteElem(k('10.0.0.0/8')), 0);
  assert.is(look(m, '10.9.0.1'), undefined);
  assert.is(look(m, '10.1.0.1'), 6);
  assert.is((m as LpmTrieMap).size, 1);
});

test('lpm_trie: get_next_key is post-order like the kernel (as bpftool dumps it)', () => {
  const m = trie();
  for (const c of ['10.1.2.0/24', '10.1.0.0/16', '10.0.0.0/8', '10.1.2.3/32']) m.updateElem(k(c), u32(1));
  assert.equal(order(m), ['10.1.2.3/32', '10.1.2.0/24', '10.1.0.0/16', '10.0.0.0/8']);
});

test('lpm_trie: diverging prefixes get an intermediate node that is never listed', () => {
  const m = trie();
  for (const c of ['192.168.1.0/24', '192.168.2.0/24', '10.0.0.0/8', '192.168.0.0/16']) m.updateElem(k(c), u32(1));
  assert.equal(order(m), ['10.0.0.0/8', '192.168.1.0/24', '192.168.2.0/24', '192.168.0.0/16']);
  assert.is(look(m, '192.168.3.1'), 1);
  assert.is(m.deleteElem(k('192.168.0.0/16')), 0);
  assert.is(look(m, '192.168.3.1'), undefined);
  assert.equal(order(m), ['10.0.0.0/8', '192.168.1.0/24', '192.168.2.0/24']);
  assert.is(m.updateElem(k('192.168.0.0/16'), u32(2), BPF_NOEXIST), 0, 'an intermediate node is not an element');
  assert.is(m.deleteElem(k('192.168.1.0/24')), 0);
  assert.is(m.deleteElem(k('192.168.2.0/24')), 0);
  assert.equal(order(m), ['10.0.0.0/8', '192.168.0.0/16']);
  assert.is(name(m.nextKey(k('1.2.3.4/40'))!), '10.0.0.0/8', 'an invalid key starts over');
  assert.is(m.nextKey(k('192.168.0.0/16')), undefined);
});

test('lpm_trie: deleting a prefix with two children keeps them reachable', () => {
  const m = trie();
  for (const c of ['10.0.0.0/8', '10.0.0.0/16', '10.128.0.0/16']) m.updateElem(k(c), u32(1));
  assert.is(m.deleteElem(k('10.0.0.0/8')), 0);
  assert.is(look(m, '10.1.0.1'), undefined);
  assert.is(look(m, '10.0.0.1'), 1);
  assert.is(look(m, '10.128.0.1'), 1);
  assert.equal(order(m), ['10.0.0.0/16', '10.128.0.0/16']);
  assert.is(m.updateElem(k('10.0.0.0/8'), u32(2), BPF_NOEXIST), 0);
  assert.is(look(m, '10.1.0.1'), 2);
  assert.equal(order(m), ['10.0.0.0/16', '10.128.0.0/16', '10.0.0.0/8']);
});

test('lpm_trie: value slots are stable across unrelated updates', () => {
  const m = trie();
  m.updateElem(k('10.0.0.0/8'), u32(1));
  const off = m.lookup(k('10.0.0.1'), 0, 0);
  m.updateElem(k('10.128.0.0/9'), u32(2));
  m.updateElem(k('10.0.0.0/8'), u32(3));
  assert.is(m.lookup(k('10.0.0.1'), 0, 0), off);
  assert.is(rd(m.valueStorage(0), off), 3);
});

test.run();
