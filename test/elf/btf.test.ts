import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  BtfBuilder, formatLine, lineAt, parseBtf, parseBtfExt, readElf, type BtfTypeInput,
} from '../../src/elf/index.js';
import { fixture, elfError } from './fixtures.js';

const btfOf = (name: string) => {
  const elf = readElf(fixture(name), name);
  const btf = parseBtf(elf.sectionByName('.BTF')!.data, name);
  return { elf, btf, ext: parseBtfExt(elf.sectionByName('.BTF.ext')!.data, btf, name) };
};

test('clang BTF: map definition structs, typedefs resolved, sizes computed', () => {
  const { btf } = btfOf('maps.o');
  const flows = btf.find('flows', 'VAR')!;
  assert.is(flows.kind, 'VAR');
  const def = btf.resolve((flows as { type: number }).type)!;
  assert.is(def.kind, 'STRUCT');
  assert.equal((def as { members: { name: string }[] }).members.map((m) => m.name), ['type', 'max_entries', 'key', 'value']);
  assert.is(btf.sizeOf(def.id), 32);
  const u64 = btf.find('__u64', 'TYPEDEF')!;
  assert.is(btf.resolve(u64.id)!.name, 'unsigned long long');
  assert.is(btf.sizeOf(u64.id), 8);
  const xdpMd = btf.find('xdp_md', 'STRUCT')!;
  assert.is(btf.sizeOf(xdpMd.id), 24);
  const ds = btf.find('.maps', 'DATASEC')!;
  assert.is(ds.kind, 'DATASEC');
  assert.is(btf.describe(btf.find('count_packets', 'FUNC')!.id), 'count_packets');
});

test('BTF.ext: func info and line info per section, insn offsets as slots', () => {
  const { ext } = btfOf('calls.o');
  assert.equal(ext.funcInfo.get('.text')!.map((f) => [f.slot, f.name]), [[0, 'classify']]);
  assert.equal(ext.funcInfo.get('xdp.frags')!.map((f) => [f.slot, f.name]), [[0, 'entry_b']]);
  const l = lineAt(ext.lineInfo.get('.text'), 2)!;
  assert.is(formatLine(l), 'calls.c:9  if (data + 14 > data_end)');
  assert.is(l.col > 0, true);
  assert.ok(l.file.endsWith('calls.c'));
});

test('BTF.ext keeps CO-RE relocation records', () => {
  const { ext } = btfOf('core.o');
  const relos = ext.coreRelos.get('xdp')!;
  assert.is(relos.length, 1);
  assert.is(relos[0]!.accessStr, '0:3');
});

test('every BTF kind encodes and parses back', () => {
  const b = new BtfBuilder();
  const types: BtfTypeInput[] = [
    { kind: 'INT', name: 'int', size: 4, encoding: 1, bitOffset: 0, bits: 32 },
    { kind: 'PTR', name: '', type: 1 },
    { kind: 'ARRAY', name: '', type: 1, indexType: 1, nelems: 7 },
    { kind: 'STRUCT', name: 's', size: 8, members: [{ name: 'a', type: 1, bitOffset: 0, bitfieldSize: 0 }, { name: 'b', type: 1, bitOffset: 32, bitfieldSize: 0 }] },
    { kind: 'UNION', name: 'u', size: 4, members: [{ name: 'x', type: 1, bitOffset: 0, bitfieldSize: 3 }] },
    { kind: 'ENUM', name: 'e', size: 4, signed: true, values: [{ name: 'A', value: -1n }, { name: 'B', value: 2n }] },
    { kind: 'ENUM64', name: 'e64', size: 8, signed: false, values: [{ name: 'BIG', value: 0x123456789n }] },
    { kind: 'FWD', name: 'f', union: true },
    { kind: 'TYPEDEF', name: 'td', type: 4 },
    { kind: 'VOLATILE', name: '', type: 9 },
    { kind: 'CONST', name: '', type: 10 },
    { kind: 'RESTRICT', name: '', type: 2 },
    { kind: 'FUNC_PROTO', name: '', returnType: 1, params: [{ name: 'ctx', type: 2 }] },
    { kind: 'FUNC', name: 'fn', type: 13, linkage: 1 },
    { kind: 'VAR', name: 'v', type: 11, linkage: 1 },
    { kind: 'DATASEC', name: '.data', size: 8, vars: [{ type: 15, offset: 0, size: 8 }] },
    { kind: 'FLOAT', name: 'double', size: 8 },
    { kind: 'DECL_TAG', name: 'tag', type: 4, componentIdx: -1 },
    { kind: 'TYPE_TAG', name: 'user', type: 1 },
  ];
  for (const t of types) b.add(t);
  const btf = parseBtf(b.encode(), 't');
  assert.equal(btf.types.slice(1).map((t) => { const { id, ...rest } = t!; return rest; }), types);
  assert.is(btf.sizeOf(11), 8); // const volatile typedef struct s
  assert.is(btf.sizeOf(3), 28);
  assert.is(btf.resolve(11)!.name, 's');
  assert.is(btf.describe(11), 'const volatile td');
  assert.is(btf.describe(3), 'int[7]');
});

test('corrupt BTF is an elf diagnostic', () => {
  const good = new BtfBuilder();
  good.add({ kind: 'STRUCT', name: 's', size: 8, members: [{ name: 'a', type: 0, bitOffset: 0, bitfieldSize: 0 }] });
  const bytes = good.encode();
  assert.is(elfError(() => parseBtf(bytes.subarray(0, 10), 'b.o')), 'b.o: .BTF: section is 10 bytes, shorter than the 24-byte header');
  const badMagic = bytes.slice(); badMagic[0] = 0;
  assert.is(elfError(() => parseBtf(badMagic, 'b.o')), 'b.o: .BTF: bad magic 0xeb00 (expected 0xeb9f)');
  // Claim a longer type section than there is.
  const long = bytes.slice(); new DataView(long.buffer).setUint32(12, 4000, true);
  assert.match(elfError(() => parseBtf(long, 'b.o')), /^b\.o: \.BTF: type section at offset 0, length 4000 extends past the section/);
  // Claim two members where there is room for one.
  const vlen = bytes.slice(); vlen[24 + 4] = 2;
  assert.match(elfError(() => parseBtf(vlen, 'b.o')), /^b\.o: \.BTF: (type 1 is truncated|string offset)/);
  const kind = bytes.slice(); kind[24 + 7] = 31;
  assert.is(elfError(() => parseBtf(kind, 'b.o')), 'b.o: .BTF: type 1 has unknown kind 31');
});

test.run();
