// Maps of maps at run time: the static `.values = { [i] = &inner }` initialisers of
// ARRAY_OF_MAPS / HASH_OF_MAPS (libbpf fills them after creating every map), and
// bpf_map_lookup_elem on an outer map returning the inner map's pointer, as the kernel does,
// so the program can pass it to the map helpers. Installed only when the object has such maps.
import { fail } from '../../diag/index.js';
import { MAP_TYPE, type BpfObject } from '../../elf/index.js';
import { innerMap, u32bytes } from '../../maps/index.js';
import type { HelperFn } from '../call.js';
import { argBytes, argOff, mapArg, type HelperEnv } from '../helpers/env.js';
import { REGION_TAG } from '../memory.js';
import type { LiveMaps } from './maps.js';

const isOuter = (t: number): boolean => t === MAP_TYPE.ARRAY_OF_MAPS || t === MAP_TYPE.HASH_OF_MAPS;

export function installMapInMap(obj: BpfObject, live: LiveMaps, env: HelperEnv, helpers: Map<number, HelperFn>): void {
  if (!obj.maps.some((m) => isOuter(m.type))) return;
  for (const [i, spec] of obj.maps.entries()) {
    if (!isOuter(spec.type)) continue;
    for (const iv of spec.initialValues ?? []) {
      const inner = live.byName.get(iv.target);
      if (!inner) fail('semantic', `${obj.file}: map '${spec.name}' slot ${iv.index} names '${iv.target}', which is not a map of the object`);
      const r = live.list[i]!.updateElem(u32bytes(iv.index), u32bytes(inner!.id));
      if (r < 0) fail('semantic', `${obj.file}: map '${spec.name}' slot ${iv.index}: map '${iv.target}' does not match the inner map template (errno ${-r})`);
    }
  }
  const ptrOf = new Map(live.list.map((m, i) => [m, live.ptrRegion[i]!]));
  const lookup = helpers.get(1)!; // bpf_map_lookup_elem
  helpers.set(1, (vm) => {
    const map = mapArg(vm, env, 1, 'bpf_map_lookup_elem');
    if (!isOuter(map.spec.type)) return lookup(vm);
    const key = argBytes(vm, 2, map.spec.keySize, false);
    vm.counters.mapAccess(map.spec.name);
    const inner = innerMap(map, map.lookup(key, argOff, env.cpu));
    const region = inner ? ptrOf.get(inner) : undefined;
    if (region === undefined) vm.setR0(0, 0);
    else vm.setR0(0, REGION_TAG + region);
  });
}
