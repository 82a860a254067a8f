// ALU class: 32-bit arithmetic on the low words; every result is zero-extended to 64 bits.
// `s` is the source operand (register low word or immediate); `off` selects sdiv/smod (1)
// and movsx (8/16); `imm` is the width of le/be. Byte order: le is a truncation on this
// little-endian machine, be swaps.
import { udiv32, umod32, sdiv32, smod32, lsh32, rsh32, arsh32, bswap16, bswap32, bswap64, sext } from '../num/index.js';

export function alu32(R: Int32Array, op: number, d: number, s: number, off: number, imm: number): void {
  const a = R[d]!;
  let r: number;
  switch (op >> 4) {
    case 0x0: r = (a + s) | 0; break;
    case 0x1: r = (a - s) | 0; break;
    case 0x2: r = Math.imul(a, s); break;
    case 0x3: r = off === 1 ? sdiv32(a, s) : udiv32(a, s); break;
    case 0x4: r = a | s; break;
    case 0x5: r = a & s; break;
    case 0x6: r = lsh32(a, s); break;
    case 0x7: r = rsh32(a, s); break;
    case 0x8: r = -a | 0; break;
    case 0x9: r = off === 1 ? smod32(a, s) : umod32(a, s); break;
    case 0xa: r = a ^ s; break;
    case 0xb: r = off === 0 ? s : sext(s, off as 8 | 16); break;
    case 0xc: r = arsh32(a, s); break;
    case 0xd: endian(R, d, (op & 0x08) !== 0, imm); return;
    default: return;
  }
  R[d] = r;
  R[d + 1] = 0;
}

/** le16/le32/le64 (to little endian: truncate) and be16/be32/be64 (to big endian: swap). */
function endian(R: Int32Array, d: number, big: boolean, width: number): void {
  const lo = R[d]!;
  if (width === 16) { R[d] = big ? bswap16(lo) : lo & 0xffff; R[d + 1] = 0; }
  else if (width === 32) { R[d] = big ? bswap32(lo) : lo; R[d + 1] = 0; }
  else if (big) bswap64(R, d, lo, R[d + 1]!);
}
