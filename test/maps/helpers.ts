// Small builders shared by the map tests.
import { MAP_FLAG, MAP_TYPE, type MapSpec } from '../../src/elf/index.js';
import { createMap, type BpfMap } from '../../src/maps/index.js';

export { MAP_FLAG, MAP_TYPE };

export function spec(type: number, keySize: number, valueSize: number, maxEntries: number, extra: Partial<MapSpec> = {}): MapSpec {
  return { name: 'm', type, keySize, valueSize, maxEntries, flags: 0, ...extra };
}

export function make(type: number, keySize: number, valueSize: number, maxEntries: number, extra: Partial<MapSpec> = {}, cpus = 2): BpfMap {
  return createMap(spec(type, keySize, valueSize, maxEntries, extra), { cpus });
}

/** A little-endian u32 as 4 bytes. */
export function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
}

export function bytes(...xs: number[]): Uint8Array { return Uint8Array.from(xs); }

/** Read a little-endian u32. */
export function rd(b: Uint8Array | undefined, off = 0): number | undefined {
  if (!b) return undefined;
  return new DataView(b.buffer, b.byteOffset).getUint32(off, true);
}

/** All keys in get_next_key order, as u32s (for 4-byte keys). */
export function keys(m: BpfMap): number[] {
  const out: number[] = [];
  for (let k = m.nextKey(); k; k = m.nextKey(k)) out.push(rd(k)!);
  return out;
}
