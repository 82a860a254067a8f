// Instantiating an object's maps for the VM, as libbpf and the kernel do at load time: global
// data (.data/.bss/.rodata) starts with its section contents and .rodata is frozen and
// read-only to the program; static prog_array initialisers name programs of the object;
// perf event arrays get an event per CPU. Each map gets two memory regions: an empty one whose
// address is the "map pointer" an lddw loads, and its value storage, which lookups point into.
import { fail } from '../../diag/index.js';
import { MAP_FLAG, MAP_TYPE, type BpfObject } from '../../elf/index.js';
import { createMap, isPerCpu, PerfEventArrayMap, u32bytes, type BpfMap } from '../../maps/index.js';
import { ARENA_BYTES } from '../arena.js';
import type { Memory } from '../memory.js';

export interface LiveMaps {
  list: BpfMap[];
  byName: Map<string, BpfMap>;
  /** Region of the map pointer / of the value storage, per map index. */
  ptrRegion: number[];
  valueRegion: number[];
  /** map by region id (pointer regions and value regions). */
  ptrOwner: Map<number, BpfMap>;
  valueOwner: Map<number, BpfMap>;
  regionOf: Map<BpfMap, number>;
}

const EMPTY = new Uint8Array(0);
/** Arena bytes map storage leaves free (for the frame and the Wasm cores' registers and code). */
const MAP_ARENA_RESERVE = 64 << 10;

/**
 * The arena a runtime's memory needs: the default, the object's map value storage (every
 * entry, each CPU's copy) and its programs' code, so the interpreter's core finds them there.
 */
export function arenaBytesFor(obj: BpfObject, cpus: number): number {
  let bytes = ARENA_BYTES;
  for (const m of obj.maps) bytes += m.maxEntries * Math.ceil(m.valueSize / 8) * 8 * (isPerCpu(m.type) ? cpus : 1) + 64;
  for (const p of obj.programs) bytes += 8 * (p.insns.length + 2) + 64;
  return bytes;
}

export function createMaps(obj: BpfObject, memory: Memory, cpus: number, cpu: number, programId: (name: string) => number | undefined, isProgram: (id: number) => boolean): LiveMaps {
  const live: LiveMaps = { list: [], byName: new Map(), ptrRegion: [], valueRegion: [], ptrOwner: new Map(), valueOwner: new Map(), regionOf: new Map() };
  for (const spec of obj.maps) {
    // Value storage from the arena while it keeps room for the programs' Wasm cores.
    const map = createMap(spec, { cpus, isProgram, alloc: (n) => memory.alloc(n, MAP_ARENA_RESERVE) });
    const global = spec.initialData !== undefined;
    if (spec.initialData) map.updateElem(u32bytes(0), padPerCpu(spec.initialData, map));
    const writable = !spec.readOnly && (spec.flags & MAP_FLAG.RDONLY_PROG) === 0;
    const ptr = memory.registerRegion(EMPTY, false, 'other', `map ${spec.name}`);
    const val = memory.registerRegion(map.valueStorage(cpu), writable, global ? 'global' : 'map', spec.name);
    live.list.push(map);
    live.byName.set(spec.name, map);
    live.ptrRegion.push(ptr);
    live.valueRegion.push(val);
    live.ptrOwner.set(ptr, map);
    live.valueOwner.set(val, map);
    live.regionOf.set(map, val);
    if (map instanceof PerfEventArrayMap) map.attachAll();
  }
  // Static initialisers of prog arrays (`.values = { [0] = &prog }`), once every map exists.
  for (const [i, spec] of obj.maps.entries()) {
    for (const iv of spec.initialValues ?? []) {
      if (spec.type !== MAP_TYPE.PROG_ARRAY) continue; // maps of maps: not modelled here
      const id = programId(iv.target);
      if (id === undefined) fail('semantic', `${obj.file}: map '${spec.name}' slot ${iv.index} names '${iv.target}', which is not a program of the object`);
      live.list[i]!.updateElem(u32bytes(iv.index), u32bytes(id));
    }
    if (spec.readOnly) live.list[i]!.freeze();
  }
  return live;
}

/** A user-space value for every CPU (bpftool fills per-CPU maps with copies of one value). */
export function padPerCpu(value: Uint8Array, map: BpfMap): Uint8Array {
  if (!isPerCpu(map.spec.type)) return value;
  const out = new Uint8Array(map.userValueSize);
  const step = (map.spec.valueSize + 7) & ~7;
  for (let o = 0; o < out.length; o += step) out.set(value.subarray(0, map.spec.valueSize), o);
  return out;
}

/** Rebind per-CPU value regions to `cpu`'s copies. */
export function selectCpu(live: LiveMaps, memory: Memory, cpu: number): void {
  live.list.forEach((m, i) => { if (isPerCpu(m.spec.type)) memory.setRegion(live.valueRegion[i]!, m.valueStorage(cpu)); });
}
