// Applying setup entries (`bpftool map update` lines) to a runtime's maps, with errors that
// point at the line: unknown maps and programs, keys and values of the wrong size, and the
// errno the update returned.
import { fail, type SourceLocation } from '../../diag/index.js';
import { MAP_TYPE } from '../../elf/index.js';
import { errnoName, isPerCpu, u32bytes, type BpfMap, type SetupEntry } from '../../maps/index.js';
import { padPerCpu } from './maps.js';

export interface SetupTarget {
  maps: ReadonlyMap<string, BpfMap>;
  programId(name: string): number | undefined;
  programNames(): string[];
}

/** Point at `word` on the line of `where`, at or after its column. */
function at(where: SourceLocation, word: string): SourceLocation {
  const i = where.text?.indexOf(word, where.col - 1) ?? -1;
  return i < 0 ? where : { ...where, col: i + 1, length: word.length };
}

export function applySetup(target: SetupTarget, entries: readonly SetupEntry[]): void {
  for (const e of entries) {
    const map = target.maps.get(e.map);
    if (!map) {
      fail('semantic', `unknown map '${e.map}'`, {
        where: at(e.where, e.map), notes: [`maps of the object: ${[...target.maps.keys()].join(', ') || 'none'}`],
      });
    }
    const { keySize, valueSize, name } = map.spec;
    if (e.key.length !== keySize) {
      fail('semantic', `key has ${e.key.length} byte${e.key.length === 1 ? '' : 's'}, map '${name}' wants ${keySize}`, { where: e.keyWhere });
    }
    let value: Uint8Array;
    if ('prog' in e.value) {
      if (map.spec.type !== MAP_TYPE.PROG_ARRAY) fail('semantic', `map '${name}' is not a prog_array; its values are bytes, not programs`, { where: e.valueWhere });
      const id = target.programId(e.value.prog);
      if (id === undefined) {
        fail('semantic', `unknown program '${e.value.prog}'`, { where: at(e.valueWhere, e.value.prog), notes: [`programs of the object: ${target.programNames().join(', ')}`] });
      }
      value = u32bytes(id);
    } else if ('map' in e.value) {
      const inner = target.maps.get(e.value.map);
      if (!inner) fail('semantic', `unknown map '${e.value.map}'`, { where: at(e.valueWhere, e.value.map) });
      value = u32bytes(inner.id);
    } else {
      value = e.value.bytes;
      if (value.length !== valueSize) {
        const per = isPerCpu(map.spec.type) ? ' (one value; it is copied to every CPU, as bpftool does)' : '';
        fail('semantic', `value has ${value.length} byte${value.length === 1 ? '' : 's'}, map '${name}' wants ${valueSize}${per}`, { where: e.valueWhere });
      }
      value = padPerCpu(value, map);
    }
    const r = map.updateElem(e.key, value, e.flags);
    if (r < 0) fail('semantic', `updating map '${name}' failed with ${errnoName(r)} (${-r}), as the kernel would fail it`, { where: e.where });
  }
}
