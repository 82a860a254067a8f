// A small ELF64 little-endian relocatable-object builder: sections, one symbol table,
// one string table (shared by section and symbol names, as clang does), REL sections.
import { EM_BPF, ET_REL, SHT } from './constants.js';

export interface OutSection {
  name: string; type: number; flags: number; data: Uint8Array;
  /** For SHT_NOBITS: the size (data is empty). */
  size?: number;
  link?: number; info?: number; addralign?: number; entsize?: number;
}
export interface OutSymbol { name: string; value: number; size: number; type: number; bind: number; shndx: number }
export interface OutReloc { offset: number; symbol: number; type: number }

export class ElfBuilder {
  readonly sections: OutSection[] = [{ name: '', type: SHT.NULL, flags: 0, data: new Uint8Array(0) }];
  private readonly symbols: OutSymbol[] = [{ name: '', value: 0, size: 0, type: 0, bind: 0, shndx: 0 }];
  private readonly relocs = new Map<number, OutReloc[]>();

  addSection(s: OutSection): number {
    this.sections.push(s);
    return this.sections.length - 1;
  }

  /** Add a symbol; all locals must be added before the first global. Returns its index. */
  addSymbol(s: OutSymbol): number {
    this.symbols.push(s);
    return this.symbols.length - 1;
  }

  addReloc(section: number, r: OutReloc): void {
    const list = this.relocs.get(section);
    if (list) list.push(r); else this.relocs.set(section, [r]);
  }

  build(): Uint8Array {
    const enc = new TextEncoder();
    const strs: number[] = [0];
    const strOff = new Map<string, number>([['', 0]]);
    const str = (s: string): number => {
      let off = strOff.get(s);
      if (off === undefined) {
        off = strs.length;
        strOff.set(s, off);
        strs.push(...enc.encode(s), 0);
      }
      return off;
    };
    const secs = [...this.sections];
    // Relocation sections, named .rel<target> like clang.
    for (const [target, list] of this.relocs) {
      const data = new Uint8Array(list.length * 16);
      const dv = new DataView(data.buffer);
      list.forEach((r, i) => {
        dv.setBigUint64(i * 16, BigInt(r.offset), true);
        dv.setUint32(i * 16 + 8, r.type, true);
        dv.setUint32(i * 16 + 12, r.symbol, true);
      });
      secs.push({ name: '.rel' + secs[target]!.name, type: SHT.REL, flags: 0x40, data, info: target, addralign: 8, entsize: 16 });
    }
    const symtabIdx = secs.length;
    const strtabIdx = secs.length + 1;
    for (const s of secs) if (s.type === SHT.REL) s.link = symtabIdx;
    const symData = new Uint8Array(this.symbols.length * 24);
    const sdv = new DataView(symData.buffer);
    let firstGlobal = this.symbols.length;
    this.symbols.forEach((s, i) => {
      if (s.bind !== 0 && firstGlobal === this.symbols.length) firstGlobal = i;
      const o = i * 24;
      sdv.setUint32(o, str(s.name), true);
      symData[o + 4] = (s.bind << 4) | (s.type & 0xf);
      sdv.setUint16(o + 6, s.shndx, true);
      sdv.setBigUint64(o + 8, BigInt(s.value), true);
      sdv.setBigUint64(o + 16, BigInt(s.size), true);
    });
    secs.push({ name: '.symtab', type: SHT.SYMTAB, flags: 0, data: symData, link: strtabIdx, info: firstGlobal, addralign: 8, entsize: 24 });
    const nameOffs = secs.map((s) => str(s.name));
    nameOffs.push(str('.strtab'));
    secs.push({ name: '.strtab', type: SHT.STRTAB, flags: 0, data: Uint8Array.from(strs), addralign: 1 });

    // Layout: header, section contents (aligned), section header table.
    const offsets: number[] = [];
    let pos = 64;
    for (const s of secs) {
      const align = Math.max(1, s.addralign ?? 1);
      pos = Math.ceil(pos / align) * align;
      offsets.push(pos);
      if (s.type !== SHT.NOBITS) pos += s.data.length;
    }
    const shoff = Math.ceil(pos / 8) * 8;
    const out = new Uint8Array(shoff + secs.length * 64);
    const dv = new DataView(out.buffer);
    out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
    dv.setUint16(16, ET_REL, true);
    dv.setUint16(18, EM_BPF, true);
    dv.setUint32(20, 1, true);
    dv.setBigUint64(40, BigInt(shoff), true);
    dv.setUint16(52, 64, true);
    dv.setUint16(58, 64, true);
    dv.setUint16(60, secs.length, true);
    dv.setUint16(62, strtabIdx, true);
    secs.forEach((s, i) => {
      if (s.type !== SHT.NOBITS) out.set(s.data, offsets[i]!);
      const h = shoff + i * 64;
      if (i === 0) return;
      dv.setUint32(h, nameOffs[i]!, true);
      dv.setUint32(h + 4, s.type, true);
      dv.setBigUint64(h + 8, BigInt(s.flags), true);
      dv.setBigUint64(h + 24, BigInt(offsets[i]!), true);
      dv.setBigUint64(h + 32, BigInt(s.type === SHT.NOBITS ? s.size ?? 0 : s.data.length), true);
      dv.setUint32(h + 40, s.link ?? 0, true);
      dv.setUint32(h + 44, s.info ?? 0, true);
      dv.setBigUint64(h + 48, BigInt(s.addralign ?? 1), true);
      dv.setBigUint64(h + 56, BigInt(s.entsize ?? 0), true);
    });
    return out;
  }
}
