// BTF for a written object: BTF-defined map definitions in `.maps` the way clang encodes
// `__uint(name, N)` (int (*name)[N]), `__type(name, T)` (T *name) and `__array(values, ...)`,
// and a DATASEC per global-data section.
import { fail } from '../diag/index.js';
import { BtfBuilder } from './btf-write.js';
import { BTF_INT, BTF_VAR_LINKAGE, type BtfMember } from './btf-types.js';
import { MAP_TYPE, type MapSpec } from './map-spec.js';

/** Map types whose key and value may carry BTF types (the kernel refuses them for fd maps). */
const TYPED = new Set<number>([MAP_TYPE.HASH, MAP_TYPE.ARRAY, MAP_TYPE.PERCPU_HASH, MAP_TYPE.PERCPU_ARRAY,
  MAP_TYPE.LRU_HASH, MAP_TYPE.LRU_PERCPU_HASH]);

export const MAP_DEF_SIZE = (spec: MapSpec): number => mapMembers(spec).length * 8;

function mapMembers(spec: MapSpec): string[] {
  const typed = TYPED.has(spec.type);
  const names = ['type', 'max_entries'];
  if (spec.keySize) names.push(typed ? 'key' : 'key_size');
  if (spec.valueSize && !spec.inner) names.push(typed ? 'value' : 'value_size');
  if (spec.flags) names.push('map_flags');
  if (spec.pinning) names.push('pinning');
  if (spec.inner) names.push('values');
  return names;
}

export class ObjectBtf {
  readonly b = new BtfBuilder();
  private readonly int: number;
  private readonly sizeType: number;
  private readonly uchar: number;
  private readonly byteInts = new Map<number, number>();

  constructor() {
    this.int = this.b.add({ kind: 'INT', name: 'int', size: 4, encoding: BTF_INT.SIGNED, bitOffset: 0, bits: 32 });
    this.sizeType = this.b.add({ kind: 'INT', name: '__ARRAY_SIZE_TYPE__', size: 4, encoding: 0, bitOffset: 0, bits: 32 });
    this.uchar = this.b.add({ kind: 'INT', name: 'unsigned char', size: 1, encoding: 0, bitOffset: 0, bits: 8 });
  }

  /** `unsigned char[n]` */
  bytes(n: number): number {
    return this.b.add({ kind: 'ARRAY', name: '', type: this.uchar, indexType: this.sizeType, nelems: n });
  }

  /** A type of n bytes: __u16/__u32/__u64 for those sizes, else unsigned char[n]. */
  private sized(n: number): number {
    if (n === 1) return this.uchar;
    const names: Record<number, string> = { 2: 'unsigned short', 4: 'unsigned int', 8: 'unsigned long long' };
    if (!names[n]) return this.bytes(n);
    let id = this.byteInts.get(n);
    if (id === undefined) {
      id = this.b.add({ kind: 'INT', name: names[n]!, size: n, encoding: 0, bitOffset: 0, bits: n * 8 });
      this.byteInts.set(n, id);
    }
    return id;
  }

  /** The anonymous struct of one map definition. */
  mapDef(spec: MapSpec): number {
    const uint = (n: number): number => {
      const arr = this.b.add({ kind: 'ARRAY', name: '', type: this.int, indexType: this.sizeType, nelems: n >>> 0 });
      return this.b.add({ kind: 'PTR', name: '', type: arr });
    };
    const ptrTo = (t: number): number => this.b.add({ kind: 'PTR', name: '', type: t });
    const members: BtfMember[] = mapMembers(spec).map((name, i) => {
      let type: number;
      switch (name) {
        case 'type': type = uint(spec.type); break;
        case 'max_entries': type = uint(spec.maxEntries); break;
        case 'key': type = ptrTo(this.sized(spec.keySize)); break;
        case 'value': type = ptrTo(this.sized(spec.valueSize)); break;
        case 'key_size': type = uint(spec.keySize); break;
        case 'value_size': type = uint(spec.valueSize); break;
        case 'map_flags': type = uint(spec.flags); break;
        case 'pinning': type = uint(spec.pinning!); break;
        default: { // values: struct inner_def *values[]
          const inner = this.mapDef(spec.inner!);
          type = this.b.add({ kind: 'ARRAY', name: '', type: ptrTo(inner), indexType: this.sizeType, nelems: 0 });
        }
      }
      return { name, type, bitOffset: i * 64, bitfieldSize: 0 };
    });
    return this.b.add({ kind: 'STRUCT', name: '', size: members.length * 8, members });
  }

  /** VARs and the DATASEC `.maps` for the map definitions at the given offsets. */
  mapsSection(maps: { spec: MapSpec; offset: number }[]): void {
    const vars = maps.map(({ spec, offset }) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(spec.name)) fail('elf', `cannot write map '${spec.name}': a map name must be a C identifier`);
      const def = this.mapDef(spec);
      const v = this.b.add({ kind: 'VAR', name: spec.name, type: def, linkage: BTF_VAR_LINKAGE.GLOBAL_ALLOCATED });
      return { type: v, offset, size: MAP_DEF_SIZE(spec) };
    });
    const size = maps.reduce((n, m) => n + MAP_DEF_SIZE(m.spec), 0);
    this.b.add({ kind: 'DATASEC', name: '.maps', size, vars });
  }

  /** A global-data section as one variable of raw bytes (the source's variables are not known). */
  dataSection(section: string, size: number, varName: string): void {
    const v = this.b.add({ kind: 'VAR', name: varName, type: this.bytes(size), linkage: BTF_VAR_LINKAGE.STATIC });
    this.b.add({ kind: 'DATASEC', name: section, size, vars: [{ type: v, offset: 0, size }] });
  }
}
