// Relocations and BPF-to-BPF calls, as libbpf applies them: an lddw of a map symbol becomes
// BPF_PSEUDO_MAP_FD with the map index in imm; an lddw of global data becomes
// BPF_PSEUDO_MAP_VALUE with the map index in imm and the offset in imm64hi; each subprogram a
// program calls (transitively) is appended once to that program and the call offsets fixed.
// An lddw of a function (a bpf_loop callback) becomes BPF_PSEUDO_FUNC with the pc-relative
// offset of the appended callback in imm; a call of an extern function becomes a kfunc call
// (src 2) with the extern's BTF id in imm, its name kept in `kfuncs`.
import { fail } from '../diag/index.js';
import { rawSlot } from '../isa/index.js';
import type { Btf } from './btf.js';
import { BPF_PSEUDO_CALL, BPF_PSEUDO_FUNC, BPF_PSEUDO_KFUNC_CALL, BPF_PSEUDO_MAP_FD, BPF_PSEUDO_MAP_VALUE, R_BPF, SHF, SHN_UNDEF, STT } from './constants.js';
import type { ObjectMaps } from './object-maps.js';
import type { ElfFile, ElfSection } from './reader.js';

const OP_LDDW = 0x18;
const OP_CALL = 0x85;

/** A function: a FUNC symbol's slot range in an executable section. */
export interface Func { name: string; sec: ElfSection; start: number; end: number; global: boolean }

type Fix =
  | { kind: 'map'; pseudo: 1 | 2; map: number; offset: number }
  | { kind: 'call'; sec: ElfSection; slot: number }
  | { kind: 'func'; sec: ElfSection; slot: number }
  | { kind: 'kfunc'; name: string };

/** A kfunc call in a linked program: the extern's name and its BTF id in the object. */
export interface KfuncRef { slot: number; name: string; btfId: number }
/** An lddw of a function (BPF_PSEUDO_FUNC): the slot of the lddw and of the function. */
export interface FuncRef { slot: number; target: number; name: string }

export interface MapRef {
  /** Slot of the lddw in the linked program. */
  slot: number;
  /** Index into BpfObject.maps. */
  map: number;
  /** Byte offset into the map value (global data); 0 for a map reference. */
  offset: number;
  /** BPF_PSEUDO_MAP_FD (1) or BPF_PSEUDO_MAP_VALUE (2). */
  pseudo: 1 | 2;
}

export interface Placement { func: Func; base: number }

export interface Linked { bytes: Uint8Array; placements: Placement[]; mapRefs: MapRef[]; kfuncs: KfuncRef[]; funcRefs: FuncRef[] }

export class Linker {
  private readonly fixes = new Map<number, Map<number, Fix>>();
  private readonly funcs = new Map<number, Func[]>();

  constructor(private readonly elf: ElfFile, private readonly maps: ObjectMaps, private readonly file: string, private readonly btf?: Btf) {}

  /** Functions of an executable section, sorted by start; a section without FUNC symbols is one function. */
  funcsOf(sec: ElfSection): Func[] {
    let list = this.funcs.get(sec.index);
    if (list) return list;
    const bad = (msg: string): never => fail('elf', `${this.file}: section ${sec.name}: ${msg}`);
    if (sec.size % 8 !== 0) bad(`size ${sec.size} is not a whole number of 8-byte instructions`);
    const slots = sec.size / 8;
    const syms = this.elf.symbols.filter((s) => s.shndx === sec.index && s.type === STT.FUNC).sort((a, b) => a.value - b.value);
    list = syms.map((s, i) => {
      if (s.value % 8 !== 0) bad(`function ${s.name} starts at offset ${s.value}, not on an instruction boundary`);
      const start = s.value / 8;
      const next = syms[i + 1]?.value;
      const end = s.size > 0 ? start + Math.ceil(s.size / 8) : next !== undefined ? next / 8 : slots;
      if (end > slots) bad(`function ${s.name} (offset ${s.value}, size ${s.size}) extends past the end of the section (size ${sec.size})`);
      return { name: s.name, sec, start, end, global: s.bind !== 0 };
    });
    if (list.length === 0 && slots > 0) list = [{ name: sec.name, sec, start: 0, end: slots, global: true }];
    this.funcs.set(sec.index, list);
    return list;
  }

  private funcAt(sec: ElfSection, slot: number): Func | undefined {
    return this.funcsOf(sec).find((f) => slot >= f.start && slot < f.end);
  }

  /** Turn the relocations of one executable section into per-slot fixes. */
  private fixesOf(sec: ElfSection): Map<number, Fix> {
    let m = this.fixes.get(sec.index);
    if (m) return m;
    m = new Map();
    const slots = sec.size / 8;
    for (const r of this.elf.relocations.get(sec.index) ?? []) {
      if (r.type === R_BPF.NONE) continue;
      const slot = r.offset / 8;
      const owner = () => this.funcAt(sec, slot)?.name ?? '?';
      const bad = (msg: string): never => fail('elf', `${this.file}: section ${sec.name}, function ${owner()}: relocation at insn ${slot}: ${msg}`);
      if (r.offset % 8 !== 0 || slot >= slots) bad(`offset ${r.offset} is not an instruction in the section (size ${sec.size})`);
      const sym = this.elf.symbols[r.symbol]!;
      const symName = sym.name || `#${r.symbol}`;
      const raw = rawSlot(sec.data, slot);
      if (sym.shndx === SHN_UNDEF) {
        if (raw.opcode === OP_CALL && r.type === R_BPF.R64_32 && r.symbol !== 0) { m.set(slot, { kind: 'kfunc', name: sym.name }); continue; }
        bad(r.symbol === 0 ? 'refers to no symbol' : `refers to undefined symbol '${symName}' (extern variables and ksyms are not supported yet)`);
      }
      if (r.type === R_BPF.R64_64) {
        if (raw.opcode !== OP_LDDW || slot + 1 >= slots) bad(`R_BPF_64_64 on opcode 0x${raw.opcode.toString(16)}, expected lddw (0x18) with two slots`);
        const target = sym.section;
        const legacy = target ? this.maps.legacy.get(target.index) : undefined;
        if (legacy) {
          const map = legacy.get(sym.value + raw.imm + r.addend);
          if (map === undefined) bad(`refers to '${symName}' + ${raw.imm} in legacy map section ${target!.name}, which is not the start of a map definition`);
          m.set(slot, { kind: 'map', pseudo: BPF_PSEUDO_MAP_FD, map: map!, offset: 0 });
        } else if (target?.name === '.maps') {
          const map = this.maps.byName.get(sym.name);
          if (map === undefined) bad(`refers to '${symName}' in .maps, which is not a map definition in the BTF`);
          m.set(slot, { kind: 'map', pseudo: BPF_PSEUDO_MAP_FD, map: map!, offset: 0 });
        } else if (target && this.maps.bySection.has(target.index)) {
          const offset = sym.value + raw.imm + r.addend;
          m.set(slot, { kind: 'map', pseudo: BPF_PSEUDO_MAP_VALUE, map: this.maps.bySection.get(target.index)!, offset });
        } else if (target && target.flags & SHF.EXECINSTR) {
          // libbpf: the callback is at (symbol value + imm) bytes into its section.
          const tslot = (sym.value + raw.imm + r.addend) / 8;
          if (!Number.isInteger(tslot) || tslot < 0 || tslot >= target.size / 8) bad(`function pointer '${symName}' + ${raw.imm} bytes is outside section ${target.name}`);
          m.set(slot, { kind: 'func', sec: target, slot: tslot });
        } else {
          bad(`refers to '${symName}' in section ${target?.name ?? sym.shndx}, which is neither a map nor global data`);
        }
      } else if (r.type === R_BPF.R64_32) {
        if (raw.opcode !== OP_CALL || raw.src !== BPF_PSEUDO_CALL) bad(`R_BPF_64_32 on an instruction that is not a BPF-to-BPF call (opcode 0x${raw.opcode.toString(16)}, src ${raw.src})`);
        const target = sym.section!;
        if (!(target.flags & SHF.EXECINSTR)) bad(`call target '${symName}' is in section ${target.name}, which is not executable`);
        const tslot = sym.value / 8 + raw.imm + 1;
        if (!Number.isInteger(tslot) || tslot < 0 || tslot >= target.size / 8) bad(`call target '${symName}' + ${raw.imm + 1} insns is outside section ${target.name}`);
        m.set(slot, { kind: 'call', sec: target, slot: tslot });
      } else {
        bad(`unsupported relocation type ${r.type} against '${symName}'`);
      }
    }
    this.fixes.set(sec.index, m);
    return m;
  }

  /** Link one program: its own code, then each subprogram it reaches, once. */
  link(main: Func): Linked {
    const placements: Placement[] = [{ func: main, base: 0 }];
    let total = main.end - main.start;
    const chunks: { func: Func; base: number; bytes: Uint8Array }[] = [];
    const mapRefs: MapRef[] = [];
    const kfuncs: KfuncRef[] = [];
    const funcRefs: FuncRef[] = [];
    const placeOf = (f: Func): number => {
      const p = placements.find((x) => x.func === f);
      if (p) return p.base;
      placements.push({ func: f, base: total });
      total += f.end - f.start;
      return total - (f.end - f.start);
    };
    for (let pi = 0; pi < placements.length; pi++) {
      const { func, base } = placements[pi]!;
      // A copy: section data may be a view into the caller's buffer (a Node Buffer's pool).
      const bytes = new Uint8Array(func.sec.data.subarray(func.start * 8, func.end * 8));
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const fixes = this.fixesOf(func.sec);
      for (let s = func.start; s < func.end; s++) {
        const o = (s - func.start) * 8;
        const out = base + s - func.start;
        const fix = fixes.get(s);
        const raw = rawSlot(func.sec.data, s);
        if (fix?.kind === 'map') {
          bytes[o + 1] = (raw.dst & 0x0f) | (fix.pseudo << 4);
          dv.setInt32(o + 4, fix.map, true);
          dv.setInt32(o + 12, fix.pseudo === BPF_PSEUDO_MAP_VALUE ? fix.offset : 0, true);
          mapRefs.push({ slot: out, map: fix.map, offset: fix.offset, pseudo: fix.pseudo });
          continue;
        }
        if (fix?.kind === 'func') {
          const tf = this.funcAt(fix.sec, fix.slot);
          if (!tf || fix.slot !== tf.start) fail('elf', `${this.file}: section ${func.sec.name}, function ${func.name}: function pointer at insn ${s} points into the middle of ${tf?.name ?? 'no function'} (insn ${fix.slot} of ${fix.sec.name})`);
          const target = tf === func ? base : placeOf(tf!);
          bytes[o + 1] = (raw.dst & 0x0f) | (BPF_PSEUDO_FUNC << 4);
          dv.setInt32(o + 4, target - (out + 1), true);
          dv.setInt32(o + 12, 0, true);
          funcRefs.push({ slot: out, target, name: tf!.name });
          continue;
        }
        if (raw.opcode !== OP_CALL) continue;
        if (fix?.kind === 'kfunc') {
          const ext = this.btf?.types.find((t) => t?.kind === 'FUNC' && t.name === fix.name);
          bytes[o + 1] = BPF_PSEUDO_KFUNC_CALL << 4;
          dv.setInt32(o + 4, ext?.id ?? 0, true);
          kfuncs.push({ slot: out, name: fix.name, btfId: ext?.id ?? 0 });
          continue;
        }
        if (raw.src === BPF_PSEUDO_KFUNC_CALL) fail('elf', `${this.file}: section ${func.sec.name}, function ${func.name}: kfunc call at insn ${s} has no relocation naming the kernel function`);
        if (raw.src !== BPF_PSEUDO_CALL) continue;
        const tsec = fix?.kind === 'call' ? fix.sec : func.sec;
        const tslot = fix?.kind === 'call' ? fix.slot : s + raw.imm + 1;
        const tf = this.funcAt(tsec, tslot);
        if (!tf) fail('elf', `${this.file}: section ${func.sec.name}, function ${func.name}: call at insn ${s} jumps to insn ${tslot} of ${tsec.name}, outside any function`);
        if (tf !== func && tslot !== tf!.start) fail('elf', `${this.file}: section ${func.sec.name}, function ${func.name}: call at insn ${s} enters ${tf!.name} in the middle (insn ${tslot})`);
        if (tf !== func && tf!.sec.name !== '.text' && tf!.global) {
          fail('elf', `${this.file}: section ${func.sec.name}, function ${func.name}: calls program ${tf!.name} in section ${tsec.name}; only subprograms in .text can be called`);
        }
        const tbase = tf === func ? base : placeOf(tf!);
        dv.setInt32(o + 4, tbase + (tslot - tf!.start) - (out + 1), true);
      }
      chunks.push({ func, base, bytes });
    }
    const all = new Uint8Array(total * 8);
    for (const c of chunks) all.set(c.bytes, c.base * 8);
    return { bytes: all, placements, mapRefs, kfuncs, funcRefs };
  }
}
