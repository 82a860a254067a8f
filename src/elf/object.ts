// The BPF object loader: an ELF relocatable object in, programs and map specs out,
// the way libbpf's bpf_object__open reads it.
import { fail, XdplabError } from '../diag/index.js';
import { decode, type Insn } from '../isa/index.js';
import { parseBtf, type Btf } from './btf.js';
import { parseBtfExt, lineAt, type BtfExt, type FuncInfo, type LineInfo } from './btf-ext.js';
import { SHF, SHT } from './constants.js';
import type { MapSpec } from './map-spec.js';
import { Linker, type Func, type FuncRef, type KfuncRef, type MapRef } from './object-link.js';
import { loadMaps } from './object-maps.js';
import { programKind, type ProgramKind } from './prog-type.js';
import { readElf } from './reader.js';
import { applyLoadOptions, applyCore, type LoadOptions, type GlobalFunc } from './object-options.js';
import type { CoreResult } from './core-relo.js';

export interface BpfProgram extends ProgramKind {
  /** Function (symbol) name. */
  name: string;
  /** ELF section name, e.g. `xdp` or `xdp/devmap`. */
  section: string;
  /** The linked program: its own code followed by the subprograms it calls. */
  insns: Insn[];
  /** Which lddw slot refers to which map (and offset, for global data). */
  mapRefs: MapRef[];
  /** Line records (slots in this program), sorted; use `sourceLine(prog, slot)`. */
  lineInfo: LineInfo[];
  /** One record per function in the linked program (slot of its first insn). */
  funcInfo: FuncInfo[];
  /** Appended subprograms and the slot each starts at. */
  subprograms: { name: string; slot: number }[];
  /** kfunc calls (src 2): slot, the extern's name and its BTF id in the object. */
  kfuncs?: KfuncRef[];
  /** Function pointers (lddw src 4, e.g. bpf_loop callbacks): slot and target slot. */
  funcRefs?: FuncRef[];
  /**
   * Global (non-static) functions in the linked program other than the program itself: the
   * kernel verifies each on its own against its BTF prototype (FUNC type id, FUNC_PROTO).
   */
  globalFuncs?: GlobalFunc[];
}

export interface BpfObject {
  file: string;
  license: string;
  maps: MapSpec[];
  programs: BpfProgram[];
  btf?: Btf;
  btfExt?: BtfExt;
  /** Things libbpf 1.x would refuse or ignore that xdplab accepted (print them on stderr). */
  warnings?: string[];
  /** CO-RE relocations applied, and the BTF they were resolved against. */
  core?: { target: string; relocations: CoreResult[] };
}

/**
 * Load a BPF object (clang -target bpf output), as libbpf's open + the pre-load settings:
 * `opts` sets globals (`const volatile` config), map sizes, the program type and the CO-RE
 * target. Throws 'elf' diagnostics naming the file.
 */
export function loadObject(bytes: Uint8Array, file = 'object', opts: LoadOptions = {}): BpfObject {
  const elf = readElf(bytes, file);
  if (elf.type !== 1) fail('elf', `${file}: ELF type ${elf.type} is not a relocatable object (ET_REL)`);
  const btfSec = elf.sectionByName('.BTF');
  const btf = btfSec ? parseBtf(btfSec.data, file) : undefined;
  const extSec = elf.sectionByName('.BTF.ext');
  const btfExt = extSec && btf ? parseBtfExt(extSec.data, btf, file) : undefined;
  const licSec = elf.sectionByName('license');
  const license = licSec ? new TextDecoder().decode(licSec.data).replace(/\0[\s\S]*$/, '') : '';
  const maps = loadMaps(elf, btf, file);
  applyLoadOptions(elf, btf, maps, opts, file);
  const core = btf && btfExt ? applyCore(elf, btf, btfExt, opts.coreTarget, file) : undefined;
  const linker = new Linker(elf, maps, file, btf);

  const programs: BpfProgram[] = [];
  for (const sec of elf.sections) {
    if (sec.type !== SHT.PROGBITS || !(sec.flags & SHF.EXECINSTR) || sec.size === 0 || sec.name === '.text') continue;
    for (const f of linker.funcsOf(sec)) {
      if (!f.global) fail('elf', `${file}: section ${sec.name}: program '${f.name}' is static; programs must be global functions (static helpers belong in .text)`);
      programs.push(buildProgram(f, linker, btf, btfExt, file, opts));
    }
  }
  return { file, license, maps: maps.maps, programs, btf, btfExt, warnings: maps.warnings, core };
}

function buildProgram(main: Func, linker: Linker, btf: Btf | undefined, ext: BtfExt | undefined, file: string, opts: LoadOptions): BpfProgram {
  const linked = linker.link(main);
  const where = `${file}: section ${main.sec.name}, program ${main.name}`;
  let insns: Insn[];
  try {
    insns = decode(linked.bytes, where);
  } catch (e) {
    if (e instanceof XdplabError && e.diagnostics[0]?.kind === 'bytecode') {
      const d = e.diagnostics[0];
      fail('elf', d.message.startsWith(where) ? d.message : `${where}: ${d.message}`, { pc: d.pc, condition: d.condition });
    }
    throw e;
  }
  const lineInfo: LineInfo[] = [];
  const funcInfo: FuncInfo[] = [];
  for (const { func, base } of linked.placements) {
    const shift = <T extends { slot: number }>(list: readonly T[] | undefined): T[] =>
      (list ?? []).filter((r) => r.slot >= func.start && r.slot < func.end).map((r) => ({ ...r, slot: base + r.slot - func.start }));
    lineInfo.push(...shift(ext?.lineInfo.get(func.sec.name)));
    funcInfo.push(...shift(ext?.funcInfo.get(func.sec.name)));
  }
  let kind = programKind(main.sec.name);
  if (opts.type === 'xdp' && kind.type !== 'xdp') kind = { type: 'xdp', attach: 'xdp', frags: false, forced: true };
  const globalFuncs: GlobalFunc[] = [];
  for (const p of linked.placements.slice(1)) {
    if (!p.func.global) continue;
    const fi = funcInfo.find((f) => f.slot === p.base);
    const fn = fi && btf ? btf.get(fi.typeId) : undefined;
    globalFuncs.push({ name: p.func.name, slot: p.base, funcTypeId: fi?.typeId, protoTypeId: fn?.kind === 'FUNC' ? fn.type : undefined });
  }
  return {
    name: main.name, section: main.sec.name, ...kind, insns, mapRefs: linked.mapRefs, lineInfo, funcInfo,
    subprograms: linked.placements.slice(1).map((p) => ({ name: p.func.name, slot: p.base })),
    kfuncs: linked.kfuncs, funcRefs: linked.funcRefs, globalFuncs,
  };
}

/** The line info in effect at a slot of a program. */
export function sourceLine(prog: BpfProgram, slot: number): LineInfo | undefined {
  return lineAt(prog.lineInfo, slot);
}

/**
 * Select a program by name, else by section name. With no selector the object must hold
 * exactly one program. Errors list what the object holds.
 */
export function findProgram(obj: BpfObject, selector?: string): BpfProgram {
  const list = obj.programs.map((p) => `${p.name} (section ${p.section})`).join(', ') || 'none';
  if (selector === undefined) {
    if (obj.programs.length === 1) return obj.programs[0]!;
    fail('usage', `${obj.file} holds ${obj.programs.length} programs; choose one by name or section: ${list}`);
  }
  const byName = obj.programs.find((p) => p.name === selector);
  if (byName) return byName;
  const bySec = obj.programs.filter((p) => p.section === selector);
  if (bySec.length === 1) return bySec[0]!;
  if (bySec.length > 1) fail('usage', `${obj.file}: section ${selector} holds ${bySec.length} programs; choose one by name: ${bySec.map((p) => p.name).join(', ')}`);
  return fail('usage', `${obj.file} has no program or section named '${selector}'; it holds: ${list}`);
}
