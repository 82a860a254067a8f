import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findProgram, formatLine, loadObject, MAP_FLAG, MAP_TYPE, programKind, readElf, sourceLine } from '../../src/elf/index.js';
import { fixture, elfError } from './fixtures.js';

const load = (name: string) => loadObject(fixture(name), name);

test('BTF-defined hash and array maps become MapSpecs', () => {
  const obj = load('maps.o');
  assert.is(obj.license, 'GPL');
  assert.equal(obj.maps.map((m) => [m.name, m.type, m.keySize, m.valueSize, m.maxEntries, m.flags]), [
    ['flows', MAP_TYPE.HASH, 4, 8, 1024, 0],
    ['stats', MAP_TYPE.ARRAY, 4, 16, 4, 0],
  ]);
});

test('map references become BPF_PSEUDO_MAP_FD lddw with the map index', () => {
  const p = findProgram(load('maps.o'), 'count_packets');
  assert.is(p.type, 'xdp');
  assert.equal(p.mapRefs, [{ slot: 4, map: 0, offset: 0, pseudo: 1 }, { slot: 14, map: 1, offset: 0, pseudo: 1 }]);
  const ld = p.insns.find((i) => i.slot === 14)!;
  assert.is(ld.spec.name, 'lddw');
  assert.equal([ld.src, ld.imm, ld.imm64hi], [1, 1, 0]);
});

test('line info gives the source line of an instruction', () => {
  const p = findProgram(load('maps.o'), 'xdp');
  assert.is(formatLine(sourceLine(p, 4)!), 'maps.c:24  __u64 *n = bpf_map_lookup_elem(&flows, &key);');
  assert.is(sourceLine(p, 18)!.line, 30);
  assert.is(sourceLine(p, 18)!.text.trim(), '*s += 1;');
  assert.equal(p.funcInfo.map((f) => [f.slot, f.name]), [[0, 'count_packets']]);
});

test('global data sections become single-entry arrays; lddw becomes BPF_PSEUDO_MAP_VALUE', () => {
  const obj = load('globals.o');
  assert.is(obj.license, 'Dual MIT/GPL');
  assert.equal(obj.maps.map((m) => [m.name, m.type, m.keySize, m.valueSize, m.maxEntries, !!m.readOnly, [...m.initialData!]]), [
    ['.rodata', MAP_TYPE.ARRAY, 4, 4, 1, true, [53, 0, 0, 0]],
    ['.data', MAP_TYPE.ARRAY, 4, 8, 1, false, [7, 0, 0, 0, 0, 0, 0, 0]],
    ['.bss', MAP_TYPE.ARRAY, 4, 8, 1, false, [0, 0, 0, 0, 0, 0, 0, 0]],
  ]);
  assert.ok(obj.maps[0]!.flags & MAP_FLAG.RDONLY_PROG);
  const p = obj.programs[0]!;
  assert.equal(p.mapRefs.map((r) => [r.slot, obj.maps[r.map]!.name, r.offset, r.pseudo]), [[0, '.data', 0, 2], [7, '.rodata', 0, 2], [11, '.bss', 0, 2]]);
  const ld = p.insns.find((i) => i.slot === 7)!;
  assert.equal([ld.src, ld.imm, ld.imm64hi], [2, 0, 0]);
});

test('a .text subprogram is appended to each program that calls it, call offsets fixed', () => {
  const obj = load('calls.o');
  assert.equal(obj.programs.map((p) => [p.name, p.section, p.frags]), [['entry_a', 'xdp', false], ['entry_b', 'xdp.frags', true]]);
  const [a, b] = obj.programs as [typeof obj.programs[0], typeof obj.programs[0]];
  assert.equal(a.subprograms, [{ name: 'classify', slot: 2 }]);
  assert.equal(b.subprograms, [{ name: 'classify', slot: 9 }]);
  // call at slot 0 jumps to slot 0 + imm + 1.
  assert.is(a.insns[0]!.imm + 1, 2);
  assert.is(b.insns[0]!.imm + 1, 9);
  assert.is(a.insns.length, 9);
  assert.is(b.insns.at(-1)!.spec.name, 'exit');
  // Line and func info follow the subprogram to where it was appended.
  assert.equal(b.funcInfo.map((f) => [f.slot, f.name]), [[0, 'entry_b'], [9, 'classify']]);
  assert.is(formatLine(sourceLine(b, 11)!), 'calls.c:9  if (data + 14 > data_end)');
});

test('programs are selected by name or section, with a clear error otherwise', () => {
  const obj = load('calls.o');
  assert.is(findProgram(obj, 'xdp.frags').name, 'entry_b');
  assert.is(findProgram(obj, 'entry_a').section, 'xdp');
  assert.throws(() => findProgram(obj), /calls\.o holds 2 programs; choose one by name or section: entry_a \(section xdp\), entry_b \(section xdp\.frags\)/);
  assert.throws(() => findProgram(obj, 'nope'), /has no program or section named 'nope'/);
});

test('section names give the program type as libbpf does', () => {
  const k = (s: string) => { const x = programKind(s); return [x.type, x.attach, x.frags]; };
  assert.equal(k('xdp'), ['xdp', 'xdp', false]);
  assert.equal(k('xdp.frags'), ['xdp', 'xdp', true]);
  assert.equal(k('xdp/devmap'), ['xdp', 'devmap', false]);
  assert.equal(k('xdp.frags/cpumap'), ['xdp', 'cpumap', true]);
  assert.equal(k('xdp_devmap/fwd'), ['xdp', 'devmap', false]);
  assert.equal(k('xdp_drop'), ['xdp', 'xdp', false]);
  assert.equal(k('tc'), ['other', undefined, false]);
  assert.equal(k('filter_v2'), ['unknown', undefined, false]);
});

test('impossible map sizes are elf errors naming the map', () => {
  assert.is(elfError(() => load('bad-hash-nokey.o')), "bad-hash-nokey.o: map 'bad': key size is 0, but a hash map needs a key (add __type(key, ...))");
  assert.is(elfError(() => load('bad-array-noentries.o')), "bad-array-noentries.o: map 'bad' has max_entries 0, to be sized at load time; give its size with --map-size bad=N");
  assert.is(elfError(() => load('bad-novalue.o')), "bad-novalue.o: map 'bad': value size is 0 (add __type(value, ...))");
});

test('legacy maps, kfunc calls and CO-RE relocations load (test/elf/realworld.test.ts has the details)', () => {
  assert.match(load('legacy-maps.o').warnings![0]!, 'legacy-maps.o: section maps declares 1 map the legacy way (struct bpf_map_def: counters)');
  assert.equal(load('kfunc.o').programs[0]!.kfuncs!.map((k) => k.name), ['bpf_xdp_metadata_rx_timestamp']);
  assert.is(loadObject(fixture('core.o'), 'core.o', { coreTarget: 'bundled' }).core!.relocations.length, 1);
});

test('a relocation to an undefined symbol is an elf error', () => {
  const bytes = fixture('maps.o');
  const elf = readElf(bytes);
  const rel = elf.sectionByName('.relxdp')!;
  // Point the first relocation at the file symbol's slot 0 (the undefined null symbol).
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(rel.offset + 12, 0, true);
  assert.is(elfError(() => loadObject(bytes, 'm.o')), 'm.o: section xdp, function count_packets: relocation at insn 4: refers to no symbol');
});

test('a truncated object is an elf error', () => {
  assert.match(elfError(() => load('maps-truncated.o')), /^maps-truncated\.o: section header table at offset 5552 extends past end of file/);
});

test.run();
