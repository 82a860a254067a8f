import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { byName, make, type Insn, type Shape } from '../../src/isa/index.js';
import { loadObject, MAP_TYPE, readElf, writeObject, type BpfObject, type MapSpec } from '../../src/elf/index.js';
import { fixture, elfError } from './fixtures.js';

const op = (name: string, shape?: Shape, src?: number) =>
  byName(name).find((s) => (shape === undefined || s.shape === shape) && (src === undefined || s.match.src === src))!;

/** r1 = *(u32 *)(ctx + 12); key on the stack; lookup in map 0; return XDP_PASS. */
function lookupProgram(): Insn[] {
  return [
    make(op('ldxw'), { dst: 2, src: 1, off: 12 }),
    make(op('stxw'), { dst: 10, src: 2, off: -4 }),
    make(op('mov', 'alu_reg'), { dst: 2, src: 10 }),
    make(op('add', 'alu_imm'), { dst: 2, imm: -4 }),
    make(op('lddw', 'lddw', 1), { dst: 1, src: 1, imm: 0 }),
    make(op('call', 'call'), { imm: 1 }), // bpf_map_lookup_elem
    make(op('mov', 'alu_imm'), { dst: 0, imm: 2 }),
    make(op('exit')),
  ];
}
const hash: MapSpec = { name: 'flows', type: MAP_TYPE.HASH, keySize: 4, valueSize: 8, maxEntries: 64, flags: 0 };

const shape = (o: BpfObject) => ({
  license: o.license,
  maps: o.maps.map((m) => ({ ...m, initialData: m.initialData && [...m.initialData] })),
  programs: o.programs.map((p) => ({
    name: p.name, section: p.section, type: p.type, subprograms: p.subprograms, mapRefs: p.mapRefs,
    insns: p.insns.map((i) => [i.opcode, i.dst, i.src, i.off, i.imm, i.imm64hi, i.slot]),
  })),
});

test('a written object with a hash map loads back with the same program and map', () => {
  const bytes = writeObject({ programs: [{ name: 'lookup', section: 'xdp', insns: lookupProgram() }], maps: [hash], license: 'GPL' });
  const obj = loadObject(bytes, 'w.o');
  assert.is(obj.license, 'GPL');
  assert.equal(obj.maps.map((m) => [m.name, m.type, m.keySize, m.valueSize, m.maxEntries]), [['flows', MAP_TYPE.HASH, 4, 8, 64]]);
  assert.equal(obj.programs[0]!.mapRefs, [{ slot: 4, map: 0, offset: 0, pseudo: 1 }]);
  // In the file the lddw is plain with an R_BPF_64_64 relocation, as clang writes it.
  const elf = readElf(bytes);
  const xdp = elf.sectionByName('xdp')!;
  assert.is(xdp.data[4 * 8 + 1], 0x01);
  assert.equal(elf.relocations.get(xdp.index)!.map((r) => [r.offset, r.type, elf.symbols[r.symbol]!.name]), [[32, 1, 'flows']]);
});

for (const f of ['maps.o', 'globals.o', 'calls.o']) {
  test(`round trip: loadObject(writeObject(loadObject(${f}))) gives the same programs and maps`, () => {
    const a = loadObject(fixture(f), f);
    const b = loadObject(writeObject({ programs: a.programs, maps: a.maps, license: a.license }), f);
    assert.equal(shape(b), shape(a));
  });
}

test('map-in-map, flags and fd-array maps round trip through the generated BTF', () => {
  const inner: MapSpec = { name: 'm.inner', type: MAP_TYPE.ARRAY, keySize: 4, valueSize: 4, maxEntries: 8, flags: 0 };
  const maps: MapSpec[] = [
    { name: 'outer', type: MAP_TYPE.ARRAY_OF_MAPS, keySize: 4, valueSize: 4, maxEntries: 2, flags: 0, inner: { ...inner, name: 'outer.inner' } },
    { name: 'jmp', type: MAP_TYPE.PROG_ARRAY, keySize: 4, valueSize: 4, maxEntries: 4, flags: 0 },
    { name: 'lru', type: MAP_TYPE.LRU_HASH, keySize: 6, valueSize: 12, maxEntries: 100, flags: 2, pinning: 1 },
  ];
  const obj = loadObject(writeObject({ programs: [{ name: 'p', section: 'xdp', insns: lookupProgram() }], maps, license: 'GPL' }), 'w.o');
  assert.equal(obj.maps.map((m) => ({ ...m, section: undefined })), maps.map((m) => ({ ...m, section: undefined })));
});

test('writer errors are elf diagnostics', () => {
  assert.is(elfError(() => writeObject({ programs: [{ name: 'p', section: 'xdp', insns: lookupProgram() }], maps: [], license: 'GPL' })),
    'cannot write object: function p, byte 32 refers to map 0, but there are 0 maps');
  assert.is(elfError(() => writeObject({ programs: [], maps: [{ ...hash, name: 'bad-name' }], license: 'GPL' })),
    "cannot write map 'bad-name': a map name must be a C identifier");
});

// bpftool prog load needs root, bpffs and bpftool.
const bpftool = spawnSync('bpftool', ['version'], { encoding: 'utf8' });
const skipKernel = bpftool.status !== 0 ? 'bpftool not found'
  : process.getuid?.() !== 0 ? 'not running as root'
  : !existsSync('/sys/fs/bpf') ? '/sys/fs/bpf is not mounted' : '';
if (skipKernel) console.log(`skip: kernel load of written objects (${skipKernel})`);
const kernelTest = skipKernel ? test.skip : test;

kernelTest('bpftool prog load accepts a written object with a hash map', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xdplab-elf-'));
  const obj = join(dir, 'lookup.o');
  const pin = `/sys/fs/bpf/xdplab_test_${process.pid}`;
  try {
    writeFileSync(obj, writeObject({ programs: [{ name: 'lookup', section: 'xdp', insns: lookupProgram() }], maps: [hash], license: 'GPL' }));
    const r = spawnSync('bpftool', ['prog', 'load', obj, pin], { encoding: 'utf8' });
    assert.is(r.status, 0, `bpftool prog load failed: ${r.stderr}`);
    const show = spawnSync('bpftool', ['prog', 'show', 'pinned', pin], { encoding: 'utf8' });
    assert.match(show.stdout, /xdp\s+name lookup/);
  } finally {
    rmSync(pin, { force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});

kernelTest('bpftool loads re-written global-data and subprogram objects', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xdplab-elf-'));
  try {
    for (const f of ['globals.o', 'calls.o']) {
      const a = loadObject(fixture(f), f);
      const obj = join(dir, f);
      const pin = `/sys/fs/bpf/xdplab_test_${process.pid}_${f.replace('.o', '')}`;
      writeFileSync(obj, writeObject({ programs: a.programs, maps: a.maps, license: a.license }));
      const r = spawnSync('bpftool', ['prog', 'loadall', obj, pin], { encoding: 'utf8' });
      rmSync(pin, { recursive: true, force: true });
      assert.is(r.status, 0, `${f}: bpftool prog loadall failed: ${r.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
