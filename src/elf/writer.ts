// The object writer: programs and map specs out as a relocatable ELF64 EM_BPF object that
// libbpf (bpftool prog load) and loadObject accept. Programs come in linked form, as
// loadObject gives them: an lddw with src BPF_PSEUDO_MAP_FD (1) refers to maps[imm], one with
// BPF_PSEUDO_MAP_VALUE (2) to maps[imm] at offset imm64hi; both become R_BPF_64_64 relocations.
// Appended subprograms go to `.text` (once, even when several programs call them), and calls
// to them become R_BPF_64_32 relocations, as clang emits them.
import { fail } from '../diag/index.js';
import type { Insn } from '../isa/index.js';
import { BPF_PSEUDO_MAP_FD, BPF_PSEUDO_MAP_VALUE, R_BPF, SHF, SHT, STB, STT } from './constants.js';
import { ElfBuilder } from './elf-write.js';
import type { MapSpec } from './map-spec.js';
import { MAP_DEF_SIZE, ObjectBtf } from './writer-btf.js';
import { splitProgram, type Piece } from './writer-split.js';

export interface WriteProgram {
  name: string;
  section: string;
  insns: readonly Insn[];
  /** Where appended subprograms start (names them; otherwise found from the calls). */
  subprograms?: readonly { name: string; slot: number }[];
}
export interface WriteObjectInput {
  programs: readonly WriteProgram[];
  maps: readonly MapSpec[];
  license: string;
  /** Emit `.BTF` (default true; BTF-defined maps need it). */
  btf?: boolean;
}

const DATA_NAME = /^\.(rodata|data|bss)(\..+)?$/;

/** True for a MapSpec that stands for a global-data section (written as that section). */
export const isDataMap = (m: MapSpec): boolean => DATA_NAME.test(m.name) && m.initialData !== undefined;

interface Placed { piece: Piece; sec: number; off: number; sym: number }

export function writeObject(input: WriteObjectInput): Uint8Array {
  const bad = (msg: string): never => fail('elf', `cannot write object: ${msg}`);
  const elf = new ElfBuilder();
  const btf = input.btf === false ? undefined : new ObjectBtf();

  // Split programs into main functions (per program section) and shared subprograms (.text).
  const mains = new Map<string, Piece[]>();
  const subs = new Map<string, Piece>();
  const calleeKey = new Map<Piece, Map<string, string>>();
  for (const p of input.programs) {
    if (p.section === '.text' || !p.section) bad(`program ${p.name} needs a program section such as 'xdp', not '${p.section}'`);
    const pieces = splitProgram(p.name, p.insns, p.subprograms);
    const keys = new Map(pieces.map((x) => [x.name, x.key]));
    for (const x of pieces) calleeKey.set(x, keys);
    const list = mains.get(p.section) ?? [];
    list.push(pieces[0]!);
    mains.set(p.section, list);
    for (const x of pieces.slice(1)) if (!subs.has(x.key)) subs.set(x.key, x);
  }
  const placed = new Map<Piece, Placed>();
  const layout = (name: string, pieces: Piece[]): number => {
    const size = pieces.reduce((n, x) => n + x.bytes.length, 0);
    const data = new Uint8Array(size);
    const sec = elf.addSection({ name, type: SHT.PROGBITS, flags: SHF.ALLOC | SHF.EXECINSTR, data, addralign: 8 });
    let off = 0;
    for (const x of pieces) { data.set(x.bytes, off); placed.set(x, { piece: x, sec, off, sym: 0 }); off += x.bytes.length; }
    return sec;
  };
  if (subs.size > 0) layout('.text', [...subs.values()]);
  for (const [name, pieces] of mains) layout(name, pieces);

  // Maps: BTF-defined ones in .maps, global data as their own sections.
  const mapSym: number[] = [];
  const indexed = input.maps.map((m, i) => ({ m, i }));
  const btfMaps = indexed.filter(({ m }) => !isDataMap(m));
  const mapOffsets: { spec: MapSpec; offset: number }[] = [];
  let mapsIdx = 0;
  if (btfMaps.length > 0) {
    if (!btf) bad('BTF-defined maps need BTF (btf: false was given)');
    let size = 0;
    for (const { m } of btfMaps) { mapOffsets.push({ spec: m, offset: size }); size += MAP_DEF_SIZE(m); }
    mapsIdx = elf.addSection({ name: '.maps', type: SHT.PROGBITS, flags: SHF.ALLOC | SHF.WRITE, data: new Uint8Array(size), addralign: 8 });
    btf!.mapsSection(mapOffsets);
  }
  for (const { m, i } of indexed.filter(({ m }) => isDataMap(m))) {
    if (m.maxEntries !== 1 || m.initialData!.length !== m.valueSize) bad(`global data map ${m.name} must have one entry of ${m.initialData!.length} bytes`);
    const bss = m.name.startsWith('.bss');
    const sec = elf.addSection({
      name: m.name, type: bss ? SHT.NOBITS : SHT.PROGBITS, flags: SHF.ALLOC | (m.name.startsWith('.rodata') ? 0 : SHF.WRITE),
      data: bss ? new Uint8Array(0) : m.initialData!.slice(), size: m.valueSize, addralign: 8,
    });
    mapSym[i] = elf.addSymbol({ name: '', value: 0, size: 0, type: STT.SECTION, bind: STB.LOCAL, shndx: sec });
    btf?.dataSection(m.name, m.valueSize, `__${m.name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^_+/, '')}`);
  }
  const licData = new TextEncoder().encode(input.license + '\0');
  const licIdx = elf.addSection({ name: 'license', type: SHT.PROGBITS, flags: SHF.ALLOC | SHF.WRITE, data: licData, addralign: 1 });

  // Symbols: static subprograms (local) first, then programs, maps and LICENSE (global).
  const sym = (x: Placed, bind: number): void => {
    x.sym = elf.addSymbol({ name: x.piece.name, value: x.off, size: x.piece.bytes.length, type: STT.FUNC, bind, shndx: x.sec });
  };
  for (const x of subs.values()) sym(placed.get(x)!, STB.LOCAL);
  for (const list of mains.values()) for (const x of list) sym(placed.get(x)!, STB.GLOBAL);
  btfMaps.forEach(({ m, i }, k) => {
    mapSym[i] = elf.addSymbol({ name: m.name, value: mapOffsets[k]!.offset, size: MAP_DEF_SIZE(m), type: STT.OBJECT, bind: STB.GLOBAL, shndx: mapsIdx });
  });
  elf.addSymbol({ name: 'LICENSE', value: 0, size: licData.length, type: STT.OBJECT, bind: STB.GLOBAL, shndx: licIdx });

  // Relocations, with the instruction fields cleared as clang leaves them.
  for (const x of placed.values()) {
    const data = elf.sections[x.sec]!.data;
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (const c of x.piece.calls) {
      const callee = subs.get(calleeKey.get(x.piece)!.get(c.callee)!)!;
      dv.setInt32(x.off + c.at + 4, -1, true);
      elf.addReloc(x.sec, { offset: x.off + c.at, symbol: placed.get(callee)!.sym, type: R_BPF.R64_32 });
    }
    for (const { at, insn } of x.piece.lddws) {
      const where = `function ${x.piece.name}, byte ${at}`;
      if (insn.src !== BPF_PSEUDO_MAP_FD && insn.src !== BPF_PSEUDO_MAP_VALUE) bad(`${where}: lddw with src ${insn.src} cannot be written`);
      const map = input.maps[insn.imm];
      if (!map) bad(`${where} refers to map ${insn.imm}, but there are ${input.maps.length} maps`);
      if ((insn.src === BPF_PSEUDO_MAP_VALUE) !== isDataMap(map!)) {
        bad(`${where}: ${insn.src === BPF_PSEUDO_MAP_VALUE ? 'direct value access' : 'a map reference'} to ${map!.name} is not supported by the writer`);
      }
      const o = x.off + at;
      data[o + 1] = insn.dst & 0x0f;
      dv.setInt32(o + 4, insn.src === BPF_PSEUDO_MAP_VALUE ? insn.imm64hi : 0, true);
      dv.setInt32(o + 12, 0, true);
      elf.addReloc(x.sec, { offset: o, symbol: mapSym[insn.imm]!, type: R_BPF.R64_64 });
    }
  }
  if (btf) elf.addSection({ name: '.BTF', type: SHT.PROGBITS, flags: 0, data: btf.b.encode(), addralign: 4 });
  return elf.build();
}
