// What the compiled tier may inline of an object's maps: bpf_map_lookup_elem on the map
// types whose lookup is "the offset of the value in the map's storage" (arrays, hashes, LRU
// hashes, per-CPU variants, LPM tries). Maps of maps (the lookup returns an inner map) and
// the special maps (prog/dev/cpu/xsk maps, queues, ring buffers) keep the helper call.
import { MAP_TYPE } from '../../elf/index.js';
import { ArrayMap } from '../../maps/index.js';
import type { InlineMap, InlineMaps } from '../compiled/index.js';
import type { HelperEnv } from '../helpers/env.js';
import type { LiveMaps } from './maps.js';

const INLINE_TYPES = new Set<number>([
  MAP_TYPE.ARRAY, MAP_TYPE.PERCPU_ARRAY, MAP_TYPE.HASH, MAP_TYPE.PERCPU_HASH,
  MAP_TYPE.LRU_HASH, MAP_TYPE.LRU_PERCPU_HASH, MAP_TYPE.LPM_TRIE,
]);

export function inlineMaps(live: LiveMaps, env: HelperEnv): InlineMaps {
  const byPtr = new Map<number, InlineMap>();
  live.list.forEach((map, i) => {
    if (!INLINE_TYPES.has(map.spec.type)) return;
    const im: InlineMap = { valueRegion: live.valueRegion[i]!, keySize: map.spec.keySize, name: map.spec.name, map };
    if (map instanceof ArrayMap) im.array = { maxEntries: map.spec.maxEntries, stride: map.stride };
    byPtr.set(live.ptrRegion[i]!, im);
  });
  return {
    mapAt: (region) => byPtr.get(region),
    get cpu() { return env.cpu; },
  };
}
