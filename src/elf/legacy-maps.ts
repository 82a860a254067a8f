// The legacy `maps` section: `struct bpf_map_def { type, key_size, value_size, max_entries,
// map_flags }` records, one per symbol, as samples/bpf and iproute2 programs declare maps.
// libbpf 1.x refuses the section; xdplab reads it (the caller prints a warning). Records may
// be longer than 20 bytes (iproute2's bpf_elf_map adds id, pinning, inner_id, inner_idx):
// the first five fields are the same, the extra ones are ignored.
import { fail } from '../diag/index.js';
import { STT } from './constants.js';
import { MAP_TYPE, type MapSpec } from './map-spec.js';
import type { ElfFile, ElfSection } from './reader.js';

const DEF_SIZE = 20;

/** Map specs of one legacy section, each with the byte offset of its record. */
export function legacyMaps(elf: ElfFile, sec: ElfSection, file: string): { spec: MapSpec; offset: number }[] {
  const bad = (msg: string): never => fail('elf', `${file}: legacy map section ${sec.name}: ${msg}`);
  const syms = elf.symbols
    .filter((s) => s.shndx === sec.index && s.type !== STT.SECTION && s.type !== STT.FILE && s.name)
    .sort((a, b) => a.value - b.value);
  if (syms.length === 0) bad('has data but no map symbols');
  // libbpf's old rule: every record has the same size, the section size over the symbol count.
  const recSize = sec.size / syms.length;
  if (!Number.isInteger(recSize) || recSize < DEF_SIZE) bad(`${sec.size} bytes for ${syms.length} maps is not a whole number of records of at least ${DEF_SIZE} bytes`);
  const dv = new DataView(sec.data.buffer, sec.data.byteOffset, sec.data.byteLength);
  return syms.map((s) => {
    if (s.value % recSize !== 0 || s.value + recSize > sec.size) bad(`map '${s.name}' at offset ${s.value} is not on a ${recSize}-byte record boundary`);
    const u32 = (i: number): number => dv.getUint32(s.value + 4 * i, true);
    const spec: MapSpec = {
      name: s.name, type: u32(0), keySize: u32(1), valueSize: u32(2), maxEntries: u32(3), flags: u32(4), section: sec.name,
    };
    if (spec.type === MAP_TYPE.ARRAY_OF_MAPS || spec.type === MAP_TYPE.HASH_OF_MAPS) {
      bad(`map '${s.name}' holds maps, but a legacy definition cannot name its inner map; declare it in SEC(".maps") with __array(values, ...)`);
    }
    return { spec, offset: s.value };
  });
}
