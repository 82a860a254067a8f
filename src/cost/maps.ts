// Map accesses priced by the structure behind them: how many dependent memory reads one lookup
// makes (array 1; hash: hashing plus bucket and element reads; LPM trie: one node per level
// touched; DIR-24-8: 1 or 2 reads), each at the expected latency of the table's hot bytes.
import { MAP_TYPE, type MapSpec } from '../elf/index.js';
import { accessCycles } from './cache.js';
import type { CostProfile } from './profile.js';

export type MapKind = 'array' | 'hash' | 'lpm-trie' | 'dir-24-8' | 'devmap' | 'other';

export interface MapUse {
  name: string;
  kind: MapKind;
  entries: number;
  keySize: number;
  valueSize: number;
  /** Operations per packet (the VM's mapAccesses[name] / runs). */
  perPacket: number;
  /** Longest prefix matched (LPM, DIR-24-8); default the key's bits (LPM) or 24 (DIR-24-8). */
  prefixLen?: number;
  /** Memory reads per hash lookup (bucket + element = 2 unless measured otherwise). */
  probes?: number;
  /** Bytes the traffic actually touches (locality); default the whole table. */
  hotBytes?: number;
  /** The table lives on the other NUMA node. */
  remote?: boolean;
}

export interface MapCost {
  name: string;
  reads: number;
  bytes: number;
  cyclesPerAccess: number;
  cycles: number;
}

const round8 = (n: number): number => Math.ceil(n / 8) * 8;

/** A MapUse from an object's map spec and the measured operations per packet. */
export function mapUseFromSpec(spec: MapSpec, perPacket: number, extra: Partial<MapUse> = {}): MapUse {
  const t = spec.type;
  const kind: MapKind = t === MAP_TYPE.ARRAY || t === MAP_TYPE.PERCPU_ARRAY ? 'array'
    : t === MAP_TYPE.HASH || t === MAP_TYPE.PERCPU_HASH || t === MAP_TYPE.LRU_HASH || t === MAP_TYPE.LRU_PERCPU_HASH ? 'hash'
      : t === MAP_TYPE.LPM_TRIE ? 'lpm-trie'
        : t === MAP_TYPE.DEVMAP || t === MAP_TYPE.DEVMAP_HASH || t === MAP_TYPE.CPUMAP || t === MAP_TYPE.XSKMAP ? 'devmap' : 'other';
  return { name: spec.name, kind, entries: spec.maxEntries, keySize: spec.keySize, valueSize: spec.valueSize, perPacket, ...extra };
}

/** Table bytes by structure (kernel htab element header ~48 B, LPM node header ~40 B). */
export function tableBytes(m: MapUse): number {
  switch (m.kind) {
    case 'array': case 'devmap': case 'other': return m.entries * round8(m.valueSize);
    case 'hash': return m.entries * (48 + round8(m.keySize) + round8(m.valueSize)) + pow2(m.entries) * 8;
    case 'lpm-trie': return m.entries * (40 + m.keySize + m.valueSize);
    case 'dir-24-8': return (1 << 24) * 4 + 256 * 256 * 4;
  }
}

/** Dependent memory reads of one lookup. */
export function readsPerLookup(m: MapUse): number {
  switch (m.kind) {
    case 'array': case 'devmap': case 'other': return 1;
    case 'hash': return m.probes ?? 2;
    case 'lpm-trie': {
      // The kernel's trie is path-compressed: a lookup walks at most one node per prefix bit,
      // and a balanced trie of n entries is about log2(n)+1 deep.
      const bits = m.prefixLen ?? (m.keySize - 4) * 8;
      return Math.max(1, Math.min(bits, Math.ceil(Math.log2(Math.max(2, m.entries))) + 1));
    }
    case 'dir-24-8': return (m.prefixLen ?? 24) <= 24 ? 1 : 2;
  }
}

export function mapCost(p: CostProfile, m: MapUse): MapCost {
  const bytes = m.hotBytes ?? tableBytes(m);
  const reads = readsPerLookup(m);
  let compute = 0;
  if (m.kind === 'hash') compute = p.get('maps.hashBase') + p.get('maps.hashPerByte') * m.keySize;
  if (m.kind === 'lpm-trie') compute = p.get('maps.lpmPerLevel') * reads;
  const cyclesPerAccess = compute + reads * accessCycles(p, bytes, m.remote);
  return { name: m.name, reads, bytes, cyclesPerAccess, cycles: cyclesPerAccess * m.perPacket };
}

function pow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
