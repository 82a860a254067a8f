import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readElf, isElf, EM_BPF, SHT, STT, R_BPF } from '../../src/elf/index.js';
import { fixture, elfError } from './fixtures.js';

test('reads sections, symbols and relocations of a clang object', () => {
  const elf = readElf(fixture('maps.o'), 'maps.o');
  assert.is(elf.machine, EM_BPF);
  const xdp = elf.sectionByName('xdp')!;
  assert.ok(xdp);
  assert.is(xdp.type, SHT.PROGBITS);
  assert.is(xdp.data.length, xdp.size);
  assert.is(elf.sectionByName('license')!.data.length, 4);
  const prog = elf.symbols.find((s) => s.name === 'count_packets')!;
  assert.is(prog.type, STT.FUNC);
  assert.is(prog.section, xdp);
  const relos = elf.relocations.get(xdp.index)!;
  assert.is(relos.length, 2);
  assert.equal(relos.map((r) => [r.type, elf.symbols[r.symbol]!.name]), [[R_BPF.R64_64, 'flows'], [R_BPF.R64_64, 'stats']]);
});

test('NOBITS sections keep their size and have no data', () => {
  const elf = readElf(fixture('globals.o'), 'globals.o');
  const bss = elf.sectionByName('.bss')!;
  assert.is(bss.type, SHT.NOBITS);
  assert.is(bss.size, 8);
  assert.is(bss.data.length, 0);
});

test('isElf checks the magic', () => {
  assert.ok(isElf(fixture('calls.o')));
  assert.not.ok(isElf(new TextEncoder().encode('hello world')));
});

test('a truncated object names the section header table', () => {
  assert.is(elfError(() => readElf(fixture('maps-truncated.o'), 'x.o')),
    'x.o: section header table at offset 5552 extends past end of file (size 1200)');
});

test('corrupt headers are elf diagnostics', () => {
  const base = fixture('maps.o');
  const poke = (f: (dv: DataView) => void): Uint8Array => {
    const b = base.slice();
    f(new DataView(b.buffer));
    return b;
  };
  assert.is(elfError(() => readElf(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1]), 'a.o')), 'a.o: truncated ELF header (file is 6 bytes, header needs 64)');
  assert.is(elfError(() => readElf(poke((d) => d.setUint8(4, 1)), 'a.o')), 'a.o: unsupported ELF class 1 (only ELF64 is supported)');
  assert.is(elfError(() => readElf(poke((d) => d.setUint8(5, 2)), 'a.o')), 'a.o: unsupported ELF data encoding 2 (only little-endian is supported)');
  assert.is(elfError(() => readElf(poke((d) => d.setUint16(18, 62, true)), 'a.o')), 'a.o: machine 62 is not BPF (e_machine must be 247)');
  assert.is(elfError(() => readElf(new Uint8Array(10), 'a.o')), 'a.o: not an ELF file (missing \\x7fELF magic)');
  // Section 3 (xdp): move its data offset past the end.
  const shoff = Number(new DataView(base.buffer, base.byteOffset).getBigUint64(40, true));
  assert.is(elfError(() => readElf(poke((d) => d.setUint32(shoff + 3 * 64 + 24, 100000, true)), 'a.o')),
    `a.o: section 3 data (184 bytes) at offset 100000 extends past end of file (size ${base.length})`);
  // A relocation pointing at a symbol that does not exist.
  const relxdp = readElf(base).sectionByName('.relxdp')!;
  assert.match(elfError(() => readElf(poke((d) => d.setUint32(relxdp.offset + 12, 999, true)), 'a.o')),
    /^a\.o: relocation in \.relxdp at offset \d+ refers to symbol 999, but the symbol table has \d+ entries$/);
});

test('no crash on any truncation of a real object', () => {
  const base = fixture('calls.o');
  for (let n = 0; n < base.length; n += 37) {
    try { readElf(base.subarray(0, n), 't.o'); } catch (e) {
      assert.is((e as { diagnostics?: { kind: string }[] }).diagnostics?.[0]?.kind, 'elf', `length ${n}: ${e}`);
    }
  }
});

test.run();
