// `bpftool map dump` output (bpftool 7.1, maps without BTF), text and JSON. Keys come from
// BPF_MAP_GET_NEXT_KEY and values from BPF_MAP_LOOKUP_ELEM, as bpftool gets them; a key
// whose lookup fails prints `value: <no entry>` (JSON: {"error": ...}) and is not counted.
// Queues and stacks have no keys: bpftool finds 0 elements; xdplab lists their values in
// pop order as `value:` lines (an xdplab extension), still counted as bpftool counts them.
import { isPerCpu } from './create.js';
import { QueueStackMap } from './queue.js';
import { round8, type BpfMap } from './types.js';

export interface DumpEntry {
  key: Uint8Array;
  /** undefined: the key exists but has no value (an empty devmap/prog_array slot). */
  value?: Uint8Array;
}

/** All entries in BPF_MAP_GET_NEXT_KEY order. */
export function dumpEntries(map: BpfMap): DumpEntry[] {
  const out: DumpEntry[] = [];
  const limit = map.spec.maxEntries + 1;
  for (let k = map.nextKey(); k !== undefined && out.length < limit; k = map.nextKey(k)) {
    out.push({ key: k, value: map.lookupElem(k) });
  }
  return out;
}

/** bpftool's fprint_hex: bytes in hex, two spaces after every 8th, a newline after every 16th. */
export function hexBytes(b: Uint8Array, from = 0, to = b.length): string {
  let s = '';
  for (let i = from; i < to; i++) {
    const j = i - from;
    if (j > 0) s += j % 16 === 0 ? '\n' : j % 8 === 0 ? '  ' : ' ';
    s += b[i].toString(16).padStart(2, '0');
  }
  return s;
}

function plainEntry(map: BpfMap, e: DumpEntry): string {
  const { keySize: K, valueSize: V } = map.spec;
  if (!isPerCpu(map.spec.type)) {
    const breakNames = K > 16 || V > 16;
    const singleLine = K + V <= 24 && !breakNames;
    let s = '';
    if (K) s += `key:${breakNames ? '\n' : ' '}${hexBytes(e.key)}${singleLine ? '  ' : '\n'}`;
    if (V) s += `value:${breakNames ? '\n' : ' '}${e.value ? hexBytes(e.value, 0, V) : '<no entry>'}`;
    return s + '\n';
  }
  let s = K ? `key:\n${hexBytes(e.key)}\n` : '';
  if (!e.value) return s + 'value: <no entry>\n';
  const step = round8(V);
  const cpus = e.value.length / step;
  for (let c = 0; c < cpus; c++) {
    s += `value (CPU ${String(c).padStart(2, '0')}):${V > 16 ? '\n' : ' '}${hexBytes(e.value, c * step, c * step + V)}\n`;
  }
  return s;
}

/** The text `bpftool map dump` prints, ending with `Found N element(s)`. */
export function formatDump(map: BpfMap): string {
  let s = '';
  let n = 0;
  if (map instanceof QueueStackMap) {
    for (const v of map.values()) s += `value: ${hexBytes(v)}\n`;
  } else {
    for (const e of dumpEntries(map)) {
      s += plainEntry(map, e);
      if (e.value) n++;
    }
  }
  return `${s}Found ${n} element${n === 1 ? '' : 's'}\n`;
}

const hexList = (b: Uint8Array, from = 0, to = b.length): string[] =>
  Array.from(b.subarray(from, to), (x) => `0x${x.toString(16).padStart(2, '0')}`);

/** The value `bpftool map dump -j` prints (JSON.stringify it for the exact compact text). */
export function dumpJson(map: BpfMap): unknown[] {
  if (map instanceof QueueStackMap) return map.values().map((v) => ({ value: hexList(v) }));
  const V = map.spec.valueSize;
  const step = round8(V);
  return dumpEntries(map).map((e) => {
    const key = hexList(e.key);
    if (!e.value) return { key, value: { error: 'No such file or directory' } };
    if (!isPerCpu(map.spec.type)) return { key, value: hexList(e.value, 0, V) };
    const values = [];
    for (let c = 0; c * step < e.value.length; c++) values.push({ cpu: c, value: hexList(e.value, c * step, c * step + V) });
    return { key, values };
  });
}
