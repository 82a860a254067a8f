// JavaScript source for helper calls in the compiled tier, and bpf_map_lookup_elem inlined
// where the map is known when the program is compiled (an lddw of the map in r1, described by
// the runtime through `InlineMaps`). The inline lookup does what the helper does — check r1
// and the key's bytes, count the helper call, the map access and the map's own lookup and
// miss counters — and then, for arrays, computes the value's offset in place, or calls the
// map's lookup directly on the key's bytes (no register file, no helper object).
// Anything it does not expect (r1 is not that map, the key is out of bounds) takes the
// ordinary helper call, which faults or answers exactly as in the interpreter.
import type { Insn } from '../../isa/index.js';
import { FAST_IDS } from '../counters.js';
import { REGION_TAG } from '../memory.js';
import { hi, lo } from './emit-alu.js';

/** What the compiled tier needs to inline lookups in one map (built by the runtime). */
export interface InlineMap {
  /** Region id of the value storage lookups point into. */
  valueRegion: number;
  keySize: number;
  /** Name the map's accesses are counted under (Counters.mapAccess). */
  name: string;
  /** The map: lookup(key, keyOff, cpu) -> value offset or -1, and its own counters. */
  map: { lookup(key: Uint8Array, keyOff: number, cpu: number): number; counters: { lookups: number; lookupMisses: number } };
  /** Plain and per-CPU arrays: index < maxEntries gives index * stride, computed inline. */
  array?: { maxEntries: number; stride: number };
}

/** Maps the compiled tier may inline, by the region id of their map pointer (what lddw loads). */
export interface InlineMaps {
  mapAt(ptrRegion: number): InlineMap | undefined;
  /** The CPU whose copy per-CPU lookups use, read at each lookup. */
  readonly cpu: number;
}

export const HELPER_MAP_LOOKUP = 1;

const regs = (from: number, to: number, f: (i: number) => string): string => {
  let s = '';
  for (let i = from; i <= to; i++) s += f(i);
  return s;
};
export const spill = (from: number, to: number): string => regs(from, to, (i) => `R[${2 * i}] = ${lo(i)}; R[${2 * i + 1}] = ${hi(i)}; `);
export const reload = (from: number, to: number): string => regs(from, to, (i) => `${lo(i)} = R[${2 * i}]; ${hi(i)} = R[${2 * i + 1}]; `);

/**
 * A helper call: it reads r1-r5 (and may leave r0 alone) from R and sets r0; r10 is stored
 * too (bpf_tail_call checks it is the main program's frame). `after` reloads
 * the region locals a helper may have moved (the packet, after adjust_head/tail/meta).
 */
export function helperCall(insn: Insn, after: string): string {
  const s = insn.slot;
  return `${spill(0, 5)}${spill(10, 10)}at = ${s}; vm.pc = ${s}; H[${s}](vm); ${insn.imm >= 0 && insn.imm < FAST_IDS ? `HC[${insn.imm}]++;` : `counters.helper(${insn.imm});`} ${reload(0, 5)}${after} if (vm.stopped) { return n; }`;
}

/**
 * bpf_map_lookup_elem with r1 guessed to be the map at `ptrRegion` (`im`), slot of its access
 * counter `mapSlot`; `M<slot>` is the InlineMap in the generated function's context.
 */
export function inlineLookup(insn: Insn, ptrRegion: number, im: InlineMap, mapSlot: number, after: string): string {
  const s = insn.slot, mv = `IM${s}`;
  const key = `r = r2h - ${REGION_TAG}; o = r2l;`;
  const keyOk = `r2l >= 0 && (r >>> 0) < tb.count && o >= tb.low[r] && o <= tb.len[r] - ${im.keySize}`;
  const count = `tb.accesses[r]++; MC[${mapSlot}]++; HC[${HELPER_MAP_LOOKUP}]++;`;
  const found = `r0l = t; r0h = ${REGION_TAG + im.valueRegion};`;
  let find: string;
  if (im.array) {
    // The map's own lookup counters, as its lookup() keeps them.
    const miss = `${mv}.map.counters.lookupMisses++; r0l = 0; r0h = 0;`;
    // The index is the key's first four bytes, little-endian.
    find = `p = tb.base[r] + o; { const kb = tb.u8s[r]; t = kb[p] | (kb[p + 1] << 8) | (kb[p + 2] << 16) | (kb[p + 3] << 24); }`
      + ` ${mv}.map.counters.lookups++; if ((t >>> 0) < ${im.array.maxEntries}) { t = Math.imul(t, ${im.array.stride}); ${found} } else { ${miss} }`;
  } else {
    find = `t = ${mv}.map.lookup(tb.u8s[r], tb.base[r] + o, IMAPS.cpu); if (t >= 0) { ${found} } else { r0l = 0; r0h = 0; }`;
  }
  return `${key} if (r1h === ${REGION_TAG + ptrRegion} && r1l === 0 && ${keyOk}) { ${count} ${find} } else { ${helperCall(insn, after)} }`;
}
