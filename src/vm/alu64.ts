// ALU64 class: 64-bit arithmetic on the register file (an Int32Array of lo/hi words).
// `code` is the operation (opcode >> 4); the source operand arrives as (slo, shi): a register
// or the immediate sign-extended to 64 bits. `off` selects sdiv/smod (1) and movsx (8/16/32).
import {
  add64, sub64, mul64, neg64, udiv64, umod64, sdiv64, smod64, lsh64, rsh64, arsh64, bswap16, bswap32, bswap64, sext,
} from '../num/index.js';

export function alu64(R: Int32Array, code: number, d: number, slo: number, shi: number, off: number): void {
  const lo = R[d]!, hi = R[d + 1]!;
  switch (code) {
    case 0x0: add64(R, d, lo, hi, slo, shi); return;
    case 0x1: sub64(R, d, lo, hi, slo, shi); return;
    case 0x2: mul64(R, d, lo, hi, slo, shi); return;
    case 0x3: if (off === 1) sdiv64(R, d, lo, hi, slo, shi); else udiv64(R, d, lo, hi, slo, shi); return;
    case 0x4: R[d] = lo | slo; R[d + 1] = hi | shi; return;
    case 0x5: R[d] = lo & slo; R[d + 1] = hi & shi; return;
    case 0x6: lsh64(R, d, lo, hi, slo); return;
    case 0x7: rsh64(R, d, lo, hi, slo); return;
    case 0x8: neg64(R, d, lo, hi); return;
    case 0x9: if (off === 1) smod64(R, d, lo, hi, slo, shi); else umod64(R, d, lo, hi, slo, shi); return;
    case 0xa: R[d] = lo ^ slo; R[d + 1] = hi ^ shi; return;
    case 0xb: // mov, or movsx8/16/32 when off is the source width
      if (off === 0) { R[d] = slo; R[d + 1] = shi; } else { const v = sext(slo, off as 8 | 16 | 32); R[d] = v; R[d + 1] = v >> 31; }
      return;
    case 0xc: arsh64(R, d, lo, hi, slo); return;
    case 0xd: // bswap16/32/64 (opcode 0xd7): the width is the immediate
      if (slo === 16) { R[d] = bswap16(lo); R[d + 1] = 0; } else if (slo === 32) { R[d] = bswap32(lo); R[d + 1] = 0; } else bswap64(R, d, lo, hi);
      return;
  }
}
