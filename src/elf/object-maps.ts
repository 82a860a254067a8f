// Maps of a BPF object, the way libbpf finds them: BTF-defined maps in `.maps`
// (struct members `__uint(...)`, `__type(...)`, `__array(values, ...)`), then one
// single-entry array per global-data section (`.rodata*`, `.data*`, `.bss*`). Legacy
// `maps` sections (struct bpf_map_def) are read too, with a warning. max_entries 0 is left
// for the loader to size (loadObject's mapSizes; perf event arrays get the CPU count).
import { fail } from '../diag/index.js';
import type { Btf } from './btf.js';
import type { BtfStruct, BtfType } from './btf-types.js';
import { SHF, SHT } from './constants.js';
import { MAP_FLAG, MAP_TYPE, MAP_TYPE_NAME, type MapSpec } from './map-spec.js';
import type { ElfFile, ElfSection } from './reader.js';
import { legacyMaps } from './legacy-maps.js';

export interface ObjectMaps {
  maps: MapSpec[];
  /** `.maps` symbol name -> map index. */
  byName: Map<string, number>;
  /** Global-data section index -> map index. */
  bySection: Map<number, number>;
  /** Legacy `maps` section index -> (record offset -> map index). */
  legacy: Map<number, Map<number, number>>;
  warnings: string[];
}

/** True for sections libbpf turns into global-data maps. */
export function isDataSection(s: ElfSection): boolean {
  if (!(s.flags & SHF.ALLOC) || s.flags & SHF.EXECINSTR) return false;
  if (s.type !== SHT.PROGBITS && s.type !== SHT.NOBITS) return false;
  return /^\.(rodata|data|bss)(\.|$)/.test(s.name);
}

export function loadMaps(elf: ElfFile, btf: Btf | undefined, file: string): ObjectMaps {
  const out: ObjectMaps = { maps: [], byName: new Map(), bySection: new Map(), legacy: new Map(), warnings: [] };
  for (const sec of elf.sections) {
    if (!(sec.name === 'maps' || sec.name.startsWith('maps/')) || sec.size === 0 || sec.type !== SHT.PROGBITS) continue;
    const offsets = new Map<number, number>();
    const defs = legacyMaps(elf, sec, file);
    for (const { spec, offset } of defs) {
      if (out.byName.has(spec.name)) fail('elf', `${file}: map '${spec.name}' is defined twice`);
      checkSizes(spec, MAP_TYPE_NAME[spec.type] ?? `type ${spec.type}`, (msg) => fail('elf', `${file}: legacy map '${spec.name}': ${msg}`));
      offsets.set(offset, out.maps.length);
      out.byName.set(spec.name, out.maps.length);
      out.maps.push(spec);
    }
    out.legacy.set(sec.index, offsets);
    out.warnings.push(`${file}: section ${sec.name} declares ${defs.length} map${defs.length === 1 ? '' : 's'} the legacy way (struct bpf_map_def: ${defs.map((d) => d.spec.name).join(', ')}); libbpf 1.x refuses this, declare maps in SEC(".maps") with __uint/__type`);
  }
  const mapsSec = elf.sectionByName('.maps');
  if (mapsSec) {
    if (!btf) fail('elf', `${file}: section .maps needs BTF to describe its maps, but the object has no .BTF section (compile with -g)`);
    for (const spec of btfMaps(elf, mapsSec, btf!, file)) {
      out.byName.set(spec.name, out.maps.length);
      out.maps.push(spec);
    }
  }
  for (const s of elf.sections) {
    if (!isDataSection(s) || s.size === 0) continue;
    const readOnly = s.name.startsWith('.rodata');
    out.bySection.set(s.index, out.maps.length);
    out.maps.push({
      name: s.name, type: MAP_TYPE.ARRAY, keySize: 4, valueSize: s.size, maxEntries: 1,
      flags: MAP_FLAG.MMAPABLE | (readOnly ? MAP_FLAG.RDONLY_PROG : 0),
      initialData: s.type === SHT.NOBITS ? new Uint8Array(s.size) : s.data.slice(), readOnly, section: s.name,
    });
  }
  return out;
}

function btfMaps(elf: ElfFile, sec: ElfSection, btf: Btf, file: string): MapSpec[] {
  const ds = btf.find('.maps', 'DATASEC');
  if (!ds || ds.kind !== 'DATASEC') return fail('elf', `${file}: section .maps has no DATASEC '.maps' in its BTF`);
  const specs: MapSpec[] = [];
  for (const v of ds.vars) {
    const variable = btf.get(v.type);
    if (!variable || variable.kind !== 'VAR') fail('elf', `${file}: .maps DATASEC entry refers to type ${v.type}, which is not a variable`);
    const name = variable!.name;
    const sym = elf.symbols.find((s) => s.shndx === sec.index && s.name === name);
    if (!sym) fail('elf', `${file}: map '${name}' is in the .maps BTF but has no symbol in section .maps`);
    const def = btf.resolve((variable as { type: number }).type);
    if (!def || def.kind !== 'STRUCT') fail('elf', `${file}: map '${name}' in .maps is ${btf.describe((variable as { type: number }).type)}, not a struct`);
    const spec = mapFromStruct(name, def as BtfStruct, btf, file, false);
    spec.section = '.maps';
    initialSlots(elf, sec, sym!.value, def as BtfStruct, spec);
    specs.push(spec);
  }
  return specs;
}

/** Decode one `struct { __uint(type, ...); ... }` map definition. */
function mapFromStruct(name: string, def: BtfStruct, btf: Btf, file: string, inner: boolean): MapSpec {
  const where = `${file}: ${inner ? 'inner map of ' : ''}map '${name}'`;
  const bad = (msg: string): never => fail('elf', `${where}: ${msg}`);
  // `__uint(name, N)` is `int (*name)[N]`: N is the array's element count.
  const uint = (m: { name: string; type: number }): number => {
    const p = btf.resolve(m.type);
    if (!p || p.kind !== 'PTR') return bad(`field '${m.name}' should be __uint(${m.name}, ...) (a pointer to an array), found ${btf.describe(m.type)}`);
    const a = btf.resolve(p.type);
    if (!a || a.kind !== 'ARRAY') return bad(`field '${m.name}' should be __uint(${m.name}, ...) (a pointer to an array), found ${btf.describe(m.type)}`);
    return a.nelems;
  };
  // `__type(name, T)` is `T *name`: the size of T.
  const typeSize = (m: { name: string; type: number }): number => {
    const p = btf.resolve(m.type);
    if (!p || p.kind !== 'PTR') return bad(`field '${m.name}' should be __type(${m.name}, T) (a pointer), found ${btf.describe(m.type)}`);
    return btf.sizeOf(p.type);
  };
  const spec: MapSpec = { name, type: 0, keySize: 0, valueSize: 0, maxEntries: 0, flags: 0 };
  let keySize: number | undefined;
  let valueSize: number | undefined;
  let values: BtfType | undefined;
  for (const m of def.members) {
    switch (m.name) {
      case 'type': spec.type = uint(m); break;
      case 'max_entries': spec.maxEntries = uint(m); break;
      case 'map_flags': spec.flags = uint(m); break;
      case 'pinning': spec.pinning = uint(m); break;
      case 'numa_node': case 'map_extra': uint(m); break;
      case 'key_size': case 'key': case 'value_size': case 'value': {
        const n = m.name.endsWith('_size') ? uint(m) : typeSize(m);
        const isKey = m.name.startsWith('key');
        const prev = isKey ? keySize : valueSize;
        if (prev !== undefined && prev !== n) bad(`${isKey ? 'key' : 'value'} size is given twice and disagrees (${prev} and ${n})`);
        if (isKey) keySize = n; else valueSize = n;
        break;
      }
      case 'values': values = btf.resolve(m.type); break;
      default: bad(`unknown field '${m.name}' in the map definition`);
    }
  }
  if (spec.type === 0) bad('has no type (add __uint(type, BPF_MAP_TYPE_...))');
  const typeName = MAP_TYPE_NAME[spec.type] ?? `type ${spec.type}`;
  if (spec.type > MAP_TYPE.BLOOM_FILTER) bad(`unknown map type ${spec.type}`);
  if (values) {
    if (values.kind !== 'ARRAY') bad(`field 'values' should be __array(values, ...), found ${btf.describe(values.id)}`);
    const el = btf.resolve((values as { type: number }).type);
    const target = el?.kind === 'PTR' ? btf.resolve(el.type) : undefined;
    const ofMaps = spec.type === MAP_TYPE.ARRAY_OF_MAPS || spec.type === MAP_TYPE.HASH_OF_MAPS;
    if (ofMaps) {
      if (!target || target.kind !== 'STRUCT') bad(`__array(values, ...) of a map-in-map must point to a map definition struct`);
      spec.inner = mapFromStruct(`${name}.inner`, target as BtfStruct, btf, file, true);
    } else if (spec.type !== MAP_TYPE.PROG_ARRAY) {
      bad(`__array(values, ...) is only allowed for prog_array, array_of_maps and hash_of_maps, not ${typeName}`);
    }
    if (valueSize !== undefined && valueSize !== 4) bad(`value size must be 4 for ${typeName} with __array(values, ...), got ${valueSize}`);
    valueSize = 4;
  }
  // libbpf fills key/value sizes for perf event arrays and fd arrays when omitted.
  if (spec.type === MAP_TYPE.PERF_EVENT_ARRAY || spec.type === MAP_TYPE.PROG_ARRAY) { keySize ??= 4; valueSize ??= 4; }
  spec.keySize = keySize ?? 0;
  spec.valueSize = valueSize ?? 0;
  checkSizes(spec, typeName, bad, inner);
  return spec;
}

const HASH_LIKE = new Set<number>([MAP_TYPE.HASH, MAP_TYPE.PERCPU_HASH, MAP_TYPE.LRU_HASH, MAP_TYPE.LRU_PERCPU_HASH,
  MAP_TYPE.LPM_TRIE, MAP_TYPE.HASH_OF_MAPS, MAP_TYPE.DEVMAP_HASH, MAP_TYPE.SOCKHASH]);
const ARRAY_LIKE = new Set<number>([MAP_TYPE.ARRAY, MAP_TYPE.PERCPU_ARRAY, MAP_TYPE.PROG_ARRAY, MAP_TYPE.PERF_EVENT_ARRAY,
  MAP_TYPE.ARRAY_OF_MAPS, MAP_TYPE.DEVMAP, MAP_TYPE.CPUMAP, MAP_TYPE.XSKMAP, MAP_TYPE.CGROUP_ARRAY]);
const NO_VALUE = new Set<number>([MAP_TYPE.RINGBUF]);
const NO_ENTRIES = new Set<number>([MAP_TYPE.PERF_EVENT_ARRAY, MAP_TYPE.SK_STORAGE, MAP_TYPE.INODE_STORAGE,
  MAP_TYPE.TASK_STORAGE, MAP_TYPE.CGROUP_STORAGE, MAP_TYPE.PERCPU_CGROUP_STORAGE, MAP_TYPE.STRUCT_OPS]);

const a = (word: string): string => (/^[aeiou]/.test(word) ? 'an ' : 'a ') + word;

/** Sizes the kernel would refuse at map creation, caught at load with the map's name. */
function checkSizes(spec: MapSpec, typeName: string, bad: (msg: string) => never, inner = false): void {
  if (HASH_LIKE.has(spec.type) && spec.keySize === 0) bad(`key size is 0, but ${a(typeName)} map needs a key (add __type(key, ...))`);
  if (ARRAY_LIKE.has(spec.type) && spec.keySize !== 4) bad(`key size is ${spec.keySize}, but ${a(typeName)} map is indexed by a 4-byte key`);
  if (!NO_VALUE.has(spec.type) && spec.valueSize === 0) bad(`value size is 0 (add __type(value, ...))`);
  if (inner && !NO_ENTRIES.has(spec.type) && spec.maxEntries === 0) bad(`max_entries is 0 for ${a(typeName)} map (add __uint(max_entries, N))`);
}

/** After sizing at load: a map still at max_entries 0 cannot be created (libbpf: -EINVAL). */
export function checkSized(spec: MapSpec, file: string): void {
  if (NO_ENTRIES.has(spec.type) || spec.maxEntries !== 0 || spec.initialData) return;
  fail('elf', `${file}: map '${spec.name}' has max_entries 0, to be sized at load time; give its size with --map-size ${spec.name}=N`);
}

/** `.values = { [i] = &prog_or_map }` initialisers: ABS64 relocations inside the map's definition. */
function initialSlots(elf: ElfFile, sec: ElfSection, base: number, def: BtfStruct, spec: MapSpec): void {
  const values = def.members.find((m) => m.name === 'values');
  if (!values) return;
  const start = base + values.bitOffset / 8;
  for (const r of elf.relocations.get(sec.index) ?? []) {
    if (r.offset < start || r.offset >= start + spec.maxEntries * 8) continue;
    (spec.initialValues ??= []).push({ index: (r.offset - start) / 8, target: elf.symbols[r.symbol]!.name });
  }
}
