// Map ids, as the kernel gives each map a process-wide id. Map-in-map values and program
// references name maps by id; the registry resolves them without keeping dead maps alive.
import type { BpfMap } from './types.js';

let nextId = 1;
const live = new Map<number, WeakRef<BpfMap>>();
const gone = new FinalizationRegistry<number>((id) => live.delete(id));

/** Assign the next id to a new map. */
export function registerMap(map: BpfMap): number {
  const id = nextId++;
  live.set(id, new WeakRef(map));
  gone.register(map, id);
  return id;
}

/** The live map with this id, if any (BPF_MAP_GET_FD_BY_ID). */
export function mapById(id: number): BpfMap | undefined {
  return live.get(id)?.deref();
}
