// What a loader decides between opening an object and loading it (libbpf: the calls made on
// a skeleton before bpf_object__load): global variables (`const volatile` configuration),
// map sizes, the program type of unrecognised sections, and the BTF that CO-RE relocations
// resolve against. Also what the verifier needs from that: the frozen .rodata bytes.
import { fail } from '../diag/index.js';
import type { Btf } from './btf.js';
import type { BtfExt } from './btf-ext.js';
import { applyCoreRelos, type CoreResult } from './core-relo.js';
import { coreTarget, type CoreTargetChoice } from './core-target.js';
import { applyGlobals, globalVars, type GlobalSetting } from './globals.js';
import type { MapSpec } from './map-spec.js';
import { checkSized, type ObjectMaps } from './object-maps.js';
import type { ElfFile } from './reader.js';

export interface LoadOptions {
  /** Force this program type for sections libbpf does not recognise (bpftool's `type xdp`). */
  type?: 'xdp';
  /** Values for global variables by BTF name, set in the initial image before load. */
  globals?: readonly GlobalSetting[];
  /** max_entries by map name (libbpf's bpf_map__set_max_entries); maps declared with 0 need one. */
  mapSizes?: Readonly<Record<string, number>>;
  /** BTF the CO-RE relocations resolve against (default: the kernel's, else the bundled one). */
  coreTarget?: CoreTargetChoice;
}

/** A global (non-static) function linked into a program: verified alone against its prototype. */
export interface GlobalFunc { name: string; slot: number; funcTypeId?: number; protoTypeId?: number }

export function applyLoadOptions(elf: ElfFile, btf: Btf | undefined, maps: ObjectMaps, opts: LoadOptions, file: string): void {
  for (const [name, n] of Object.entries(opts.mapSizes ?? {})) {
    const i = maps.byName.get(name);
    if (i === undefined) {
      fail('usage', `${file}: no map named '${name}' to size`, { notes: [`maps that can be sized: ${[...maps.byName.keys()].join(', ') || 'none'}`] });
    }
    if (!Number.isInteger(n) || n < 1 || n > 0xffffffff) fail('usage', `${file}: size of map '${name}' must be from 1 to 4294967295, got ${n}`);
    maps.maps[i!]!.maxEntries = n;
  }
  if (opts.globals?.length) applyGlobals(opts.globals, globalVars(elf, btf, maps.maps, maps.bySection), maps.maps, btf, file);
  for (const spec of maps.maps) checkSized(spec, file);
}

/** Apply every section's CO-RE relocations to a copy of its code. */
export function applyCore(elf: ElfFile, btf: Btf, ext: BtfExt, choice: CoreTargetChoice | undefined, file: string): { target: string; relocations: CoreResult[] } | undefined {
  const sections = [...ext.coreRelos].filter(([, list]) => list.length > 0);
  if (sections.length === 0) return undefined;
  const target = coreTarget(choice);
  const relocations: CoreResult[] = [];
  for (const [name, relos] of sections) {
    const sec = elf.sectionByName(name);
    if (!sec) fail('elf', `${file}: .BTF.ext has CO-RE relocations for section ${name}, which the object does not have`);
    const code = sec!.data.slice();
    const syms = elf.symbols.filter((s) => s.shndx === sec!.index && s.type === 2).sort((a, b) => a.value - b.value);
    const where = (slot: number): string => {
      const f = [...syms].reverse().find((s) => s.value / 8 <= slot);
      return `${file}: section ${name}${f ? `, function ${f.name}` : ''}`;
    };
    relocations.push(...applyCoreRelos(code, relos, btf, target.btf, where));
    sec!.data = code;
  }
  return { target: target.name, relocations };
}

/** The frozen global data (.rodata*) after the settings: map index, name and bytes. */
export function frozenData(maps: readonly MapSpec[]): { map: number; name: string; bytes: Uint8Array }[] {
  return maps.flatMap((m, i) => (m.readOnly && m.initialData ? [{ map: i, name: m.name, bytes: m.initialData }] : []));
}

/** `NAME=N` (the --map-size option). */
export function parseMapSizeOption(arg: string, into: Record<string, number> = {}): Record<string, number> {
  const m = /^([^=\s]+)=(0x[0-9a-f]+|\d+)$/i.exec(arg.trim());
  if (!m) fail('usage', `--map-size takes NAME=N (a map name and its max_entries), got '${arg}'`);
  into[m![1]!] = Number(m![2]!);
  return into;
}
