// Preparing an object's programs for the interpreter the way the kernel fixes them up at
// load: a kfunc call (src 2, BTF id) is bound to its emulation (a call to an internal helper
// id, as the kernel binds it to an address), bpf_loop calls are inlined into an appended loop
// (../helpers/loop-inline.ts) and function pointers become constants naming their callback.
// A kfunc xdplab does not emulate is a load error naming it and the instruction.
import { fail } from '../../diag/index.js';
import type { BpfObject, BpfProgram } from '../../elf/index.js';
import { decode, encode, type Insn } from '../../isa/index.js';
import type { HelperFn } from '../call.js';
import type { HelperEnv } from '../helpers/env.js';
import { BPF_LOOP, loopTrampoline } from '../helpers/loop-inline.js';
import type { Memory } from '../memory.js';
import { Conntrack } from './kfuncs-conntrack.js';
import { KFUNC_NAMES, kfuncTable } from './kfuncs.js';
import { installMapInMap } from './kfuncs-map-in-map.js';
import type { LiveMaps } from './maps.js';

/** Helper ids given to kfunc emulations (above every kernel helper id). */
export const KFUNC_HELPER_BASE = 0x10000;

export interface Lowered {
  /** The instructions to run, by program. */
  code: Map<BpfProgram, Insn[]>;
  conntrack: Conntrack;
}

/**
 * Lower every XDP program of the object; kfunc emulations are added to `helpers`, and the
 * map-in-map lookup when the object has maps of maps.
 */
export function lowerPrograms(obj: BpfObject, env: HelperEnv, memory: Memory, helpers: Map<number, HelperFn>, live: LiveMaps): Lowered {
  installMapInMap(obj, live, env, helpers);
  const conntrack = new Conntrack(memory);
  const table = kfuncTable(env, conntrack);
  const code = new Map<BpfProgram, Insn[]>();
  for (const p of obj.programs) {
    if (p.type !== 'xdp') continue;
    code.set(p, lowerProgram(p, obj.file, table, helpers));
  }
  return { code, conntrack };
}

function lowerProgram(p: BpfProgram, file: string, table: Record<string, HelperFn>, helpers: Map<number, HelperFn>): Insn[] {
  const kfuncs = p.kfuncs ?? [], funcRefs = p.funcRefs ?? [];
  const loops = p.insns.filter((i) => i.opcode === 0x85 && i.src === 0 && i.imm === BPF_LOOP);
  if (kfuncs.length === 0 && funcRefs.length === 0 && loops.length === 0) return p.insns;
  const bytes = encode(p.insns);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const where = `${file}: program ${p.name} (section ${p.section})`;
  for (const k of kfuncs) {
    const fn = table[k.name];
    if (!fn) {
      fail('semantic', `${where}: insn ${k.slot}: calls kfunc ${k.name}, which xdplab does not emulate`, {
        pc: k.slot, notes: [`emulated kfuncs: ${KFUNC_NAMES.join(', ')}`],
      });
    }
    const id = KFUNC_HELPER_BASE + KFUNC_NAMES.indexOf(k.name);
    helpers.set(id, fn!);
    bytes[k.slot * 8 + 1] = 0; // src 0: a helper call
    dv.setInt32(k.slot * 8 + 4, id, true);
  }
  for (const f of funcRefs) { // lddw src 4 -> lddw of the callback's slot
    bytes[f.slot * 8 + 1]! &= 0x0f;
    dv.setInt32(f.slot * 8 + 4, f.target, true);
    dv.setInt32(f.slot * 8 + 12, 0, true);
  }
  if (loops.length === 0) return decode(bytes);
  const base = bytes.length / 8;
  const targets = [...new Set(funcRefs.map((f) => f.target))];
  for (const l of loops) {
    bytes[l.slot * 8 + 1] = 1 << 4; // call local
    dv.setInt32(l.slot * 8 + 4, base - (l.slot + 1), true);
  }
  const tramp = loopTrampoline(base, targets);
  const out = new Uint8Array(bytes.length + tramp.length * 8);
  out.set(bytes);
  tramp.forEach((t, i) => out.set(t, bytes.length + i * 8));
  return decode(out);
}
