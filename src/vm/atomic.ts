// Atomic read-modify-write (STX class, ATOMIC mode) on 32- and 64-bit words. The operation is
// in imm: add 0x00, or 0x40, and 0x50, xor 0xa0 (| 0x01 = fetch the old value into src),
// xchg 0xe1, cmpxchg 0xf1 (compares with r0, always loads the old value into r0).
// The interpreter is single-threaded, so each is a plain load, compute and store.
import { add64 } from '../num/index.js';
import type { Memory } from './memory.js';

const tmp = new Int32Array(2);

export function atomic(mem: Memory, R: Int32Array, op: number, d: number, s: number, off: number, imm: number, pc: number): void {
  const wide = (op & 0x18) === 0x18;
  const p = mem.at(R[d]!, R[d + 1]!, off, wide ? 8 : 4, true, pc);
  const v = mem.view;
  const oldLo = v.getInt32(p, true);
  const oldHi = wide ? v.getInt32(p + 4, true) : 0;
  const sLo = R[s]!, sHi = wide ? R[s + 1]! : 0;
  let lo: number, hi: number;
  switch (imm & ~1) {
    case 0x00: add64(tmp, 0, oldLo, oldHi, sLo, sHi); lo = tmp[0]!; hi = tmp[1]!; break;
    case 0x40: lo = oldLo | sLo; hi = oldHi | sHi; break;
    case 0x50: lo = oldLo & sLo; hi = oldHi & sHi; break;
    case 0xa0: lo = oldLo ^ sLo; hi = oldHi ^ sHi; break;
    case 0xe0: lo = sLo; hi = sHi; break; // xchg
    case 0xf0: { // cmpxchg: store src only when the old value equals r0
      const eq = oldLo === R[0] && (!wide || oldHi === R[1]);
      lo = eq ? sLo : oldLo; hi = eq ? sHi : oldHi;
      R[0] = oldLo; R[1] = oldHi;
      break;
    }
    default: return;
  }
  v.setInt32(p, lo, true);
  if (wide) v.setInt32(p + 4, hi, true);
  // The fetch forms and xchg return the old value in src (zero-extended for 32 bits).
  if ((imm & 1) !== 0 && imm !== 0xf1) { R[s] = oldLo; R[s + 1] = oldHi; }
}
