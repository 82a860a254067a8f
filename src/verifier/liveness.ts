// Static register liveness (a backward dataflow over the CFG): which of r0-r9 may be read
// before being written from each slot on. Pruning ignores dead registers, as the kernel does.
import { HELPER_NAMES, jumpTarget, type Insn } from '../isa/index.js';
import type { Cfg } from './cfg.js';
import { XDP_HELPERS } from './helpers.js';

const bit = (r: number): number => (r <= 9 ? 1 << r : 0);
const ARGS = [0, 0b10, 0b110, 0b1110, 0b11110, 0b111110];
const CALLER_SAVED = 0b111111;

function useDef(i: Insn): [number, number] {
  const { dst, src } = i;
  switch (i.spec.shape) {
    case 'alu_imm': return i.spec.op === 'mov' ? [0, bit(dst)] : [bit(dst), bit(dst)];
    case 'alu_reg': return i.spec.op === 'mov' ? [bit(src), bit(dst)] : [bit(dst) | bit(src), bit(dst)];
    case 'neg': case 'end': return [bit(dst), bit(dst)];
    case 'movsx': return [bit(src), bit(dst)];
    case 'lddw': return [0, bit(dst)];
    case 'ldx': case 'ldxs': return [bit(src), bit(dst)];
    case 'st': return [bit(dst), 0];
    case 'stx': return [bit(dst) | bit(src), 0];
    case 'atomic': {
      const cmpx = i.spec.op === 'cmpxchg';
      const fetch = i.spec.op.startsWith('fetch') || i.spec.op === 'xchg';
      return [bit(dst) | bit(src) | (cmpx ? 1 : 0), (fetch ? bit(src) : 0) | (cmpx ? 1 : 0)];
    }
    case 'jcond_imm': return [bit(dst), 0];
    case 'jcond_reg': return [bit(dst) | bit(src), 0];
    case 'call': {
      const p = XDP_HELPERS[HELPER_NAMES[i.imm] ?? ''];
      return [ARGS[p ? p.args.length : 5]!, CALLER_SAVED];
    }
    case 'call_local': case 'call_kfunc': return [ARGS[5]!, CALLER_SAVED];
    case 'exit': return [1, 0];
    default: return [0, 0];
  }
}

/** live[slot]: bit r set when r may be read before written from `slot` on. */
export function liveness(cfg: Cfg): Uint16Array {
  const n = cfg.bySlot.length;
  const live = new Uint16Array(n);
  const ud = cfg.bySlot.map((i) => (i ? useDef(i) : [0, 0]));
  let changed = true;
  while (changed) {
    changed = false;
    for (let s = n - 1; s >= 0; s--) {
      const i = cfg.bySlot[s];
      if (!i) continue;
      let out = 0;
      const sh = i.spec.shape;
      const next = s + (sh === 'lddw' ? 2 : 1);
      if (sh !== 'exit' && sh !== 'ja' && sh !== 'ja32' && next < n) out |= live[next]!;
      const t = jumpTarget(i);
      if (t !== undefined && t >= 0 && t < n) out |= live[t]!;
      const [use, def] = ud[s]!;
      const inn = use | (out & ~def);
      if (inn !== live[s]) { live[s] = inn; changed = true; }
    }
  }
  return live;
}
