// ELF64 little-endian reader for BPF relocatable objects. Every offset and size is checked
// against the file before it is read, so a corrupt object is an 'elf' diagnostic, never a crash.
import { fail } from '../diag/index.js';
import { EM_BPF, SHT, SHN_XINDEX } from './constants.js';

export interface ElfSection {
  index: number; name: string; type: number; flags: number; addr: number; offset: number; size: number;
  link: number; info: number; addralign: number; entsize: number;
  /** Section contents (empty for SHT_NOBITS, e.g. `.bss`; use `size` there). */
  data: Uint8Array;
}

export interface ElfSymbol {
  index: number; name: string; value: number; size: number;
  type: number; // STT_*
  bind: number; // STB_*
  /** st_other & 3: STV_* visibility. */
  visibility: number;
  shndx: number;
  section?: ElfSection;
}

export interface ElfRelocation {
  offset: number; symbol: number; type: number; addend: number;
  /** Index of the SHT_REL/SHT_RELA section this came from. */
  from: number;
}

export interface ElfFile {
  file: string;
  machine: number;
  /** e_type: 1 = ET_REL. */
  type: number;
  sections: ElfSection[];
  symbols: ElfSymbol[];
  /** Keyed by the index of the section the relocations apply to. */
  relocations: Map<number, ElfRelocation[]>;
  sectionByName(name: string): ElfSection | undefined;
}

const EHDR_SIZE = 64;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;

/** True when the bytes start with the ELF magic. */
export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/** Parse an ELF64 LE EM_BPF object. `file` names the object in error messages. */
export function readElf(bytes: Uint8Array, file = 'object'): ElfFile {
  const bad = (msg: string): never => fail('elf', `${file}: ${msg}`);
  if (!isElf(bytes)) bad('not an ELF file (missing \\x7fELF magic)');
  if (bytes.length < EHDR_SIZE) bad(`truncated ELF header (file is ${bytes.length} bytes, header needs 64)`);
  if (bytes[4] !== 2) bad(`unsupported ELF class ${bytes[4]} (only ELF64 is supported)`);
  if (bytes[5] !== 1) bad(`unsupported ELF data encoding ${bytes[5]} (only little-endian is supported)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number): number => dv.getUint16(o, true);
  const u32 = (o: number): number => dv.getUint32(o, true);
  const u64 = (o: number, what: string): number => {
    const lo = dv.getUint32(o, true);
    const hi = dv.getUint32(o + 4, true);
    if (hi > 0x1fffff) bad(`${what} 0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')} is too large`);
    return hi * 0x100000000 + lo;
  };
  const i64 = (o: number): number => Number(dv.getBigInt64(o, true));
  const size = bytes.length;
  const within = (off: number, len: number, what: string): void => {
    if (off > size || len > size - off) bad(`${what} at offset ${off} extends past end of file (size ${size})`);
  };

  const type = u16(16);
  const machine = u16(18);
  if (machine !== EM_BPF) bad(`machine ${machine} is not BPF (e_machine must be ${EM_BPF})`);
  const shoff = u64(40, 'section header offset');
  const shentsize = u16(58);
  let shnum = u16(60);
  let shstrndx = u16(62);
  if (shoff === 0) bad('no section header table');
  if (shentsize !== SHDR_SIZE) bad(`section header entry size ${shentsize} is not ${SHDR_SIZE}`);
  within(shoff, SHDR_SIZE, 'section header table');
  // Extended numbering: counts too large for 16 bits live in section 0.
  if (shnum === 0) shnum = u64(shoff + 32, 'section count');
  if (shstrndx === SHN_XINDEX) shstrndx = u32(shoff + 40);
  if (shnum > size / SHDR_SIZE) bad(`section header table at offset ${shoff} extends past end of file (size ${size})`);
  within(shoff, shnum * SHDR_SIZE, 'section header table');

  const sections: ElfSection[] = [];
  const nameOffsets: number[] = [];
  for (let i = 0; i < shnum; i++) {
    const h = shoff + i * SHDR_SIZE;
    const s: ElfSection = {
      index: i, name: '', type: u32(h + 4), flags: u64(h + 8, `section ${i} flags`), addr: u64(h + 16, `section ${i} address`),
      offset: u64(h + 24, `section ${i} offset`), size: u64(h + 32, `section ${i} size`), link: u32(h + 40), info: u32(h + 44),
      addralign: u64(h + 48, `section ${i} alignment`), entsize: u64(h + 56, `section ${i} entry size`), data: new Uint8Array(0),
    };
    nameOffsets.push(u32(h));
    if (s.type !== SHT.NOBITS && s.type !== SHT.NULL) {
      within(s.offset, s.size, `section ${i} data (${s.size} bytes)`);
      s.data = bytes.subarray(s.offset, s.offset + s.size);
    }
    sections.push(s);
  }

  const strAt = (tab: ElfSection, off: number, what: string): string => {
    if (off >= tab.data.length) bad(`${what}: name offset ${off} is outside string table ${tab.index} (size ${tab.data.length})`);
    let end = off;
    while (end < tab.data.length && tab.data[end] !== 0) end++;
    if (end === tab.data.length) bad(`${what}: name at offset ${off} in string table ${tab.index} is not NUL-terminated`);
    return new TextDecoder().decode(tab.data.subarray(off, end));
  };
  const strtabOf = (idx: number, what: string): ElfSection => {
    const t = sections[idx];
    if (!t || t.type !== SHT.STRTAB) bad(`${what} refers to section ${idx}, which is not a string table`);
    return t!;
  };

  if (shstrndx !== 0) {
    const shstr = strtabOf(shstrndx, 'section name table index');
    sections.forEach((s, i) => { if (i > 0 || nameOffsets[i]) s.name = strAt(shstr, nameOffsets[i]!, `section ${i}`); });
  }

  const symbols: ElfSymbol[] = [];
  const symtabs = sections.filter((s) => s.type === SHT.SYMTAB);
  if (symtabs.length > 1) bad(`${symtabs.length} symbol tables (expected at most one)`);
  const symtab = symtabs[0];
  if (symtab) {
    if (symtab.entsize !== SYM_SIZE && symtab.entsize !== 0) bad(`symbol table entry size ${symtab.entsize} is not ${SYM_SIZE}`);
    if (symtab.size % SYM_SIZE !== 0) bad(`symbol table size ${symtab.size} is not a multiple of ${SYM_SIZE}`);
    const strtab = strtabOf(symtab.link, `symbol table ${symtab.name}`);
    const n = symtab.size / SYM_SIZE;
    for (let i = 0; i < n; i++) {
      const e = symtab.offset + i * SYM_SIZE;
      const info = bytes[e + 4]!;
      const shndx = u16(e + 6);
      const nameOff = u32(e);
      const sym: ElfSymbol = {
        index: i, name: nameOff ? strAt(strtab, nameOff, `symbol ${i}`) : '', value: u64(e + 8, `symbol ${i} value`),
        size: u64(e + 16, `symbol ${i} size`), type: info & 0xf, bind: info >> 4, visibility: bytes[e + 5]! & 3, shndx,
      };
      if (shndx > 0 && shndx < 0xff00) {
        const sec = sections[shndx];
        if (!sec) bad(`symbol ${i} (${sym.name || 'unnamed'}) refers to section ${shndx}, but there are only ${shnum} sections`);
        sym.section = sec;
      }
      // STT_SECTION symbols have no name of their own: give them the section's.
      if (sym.type === 3 && !sym.name && sym.section) sym.name = sym.section.name;
      symbols.push(sym);
    }
  }

  const relocations = new Map<number, ElfRelocation[]>();
  for (const s of sections) {
    if (s.type !== SHT.REL && s.type !== SHT.RELA) continue;
    const ent = s.type === SHT.RELA ? 24 : 16;
    const kind = s.type === SHT.RELA ? 'SHT_RELA' : 'SHT_REL';
    if (s.size % ent !== 0) bad(`relocation section ${s.name} size ${s.size} is not a multiple of ${ent} (${kind})`);
    const target = sections[s.info];
    if (!target || s.info === 0) bad(`relocation section ${s.name} applies to section ${s.info}, which does not exist`);
    if (s.link !== (symtab?.index ?? -1)) bad(`relocation section ${s.name} links to section ${s.link}, not the symbol table`);
    const list = relocations.get(s.info) ?? [];
    for (let o = 0; o < s.size; o += ent) {
      const e = s.offset + o;
      const r: ElfRelocation = {
        offset: u64(e, `relocation offset in ${s.name}`), symbol: u32(e + 12), type: u32(e + 8),
        addend: s.type === SHT.RELA ? i64(e + 16) : 0, from: s.index,
      };
      if (r.symbol >= symbols.length) bad(`relocation in ${s.name} at offset ${r.offset} refers to symbol ${r.symbol}, but the symbol table has ${symbols.length} entries`);
      list.push(r);
    }
    relocations.set(s.info, list);
  }

  const byName = new Map<string, ElfSection>();
  for (const s of sections) if (s.name && !byName.has(s.name)) byName.set(s.name, s);
  return { file, machine, type, sections, symbols, relocations, sectionByName: (name) => byName.get(name) };
}
