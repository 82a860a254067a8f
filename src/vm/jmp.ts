// Conditions of the JMP (64-bit) and JMP32 (low 32 bits) classes; `code` is opcode >> 4.
// The caller has already turned an immediate into (blo, bhi), sign-extended for JMP.
import { ult64, slt64 } from '../num/index.js';

export function cond64(code: number, alo: number, ahi: number, blo: number, bhi: number): boolean {
  switch (code) {
    case 0x1: return alo === blo && ahi === bhi; // jeq
    case 0x2: return ult64(blo, bhi, alo, ahi); // jgt
    case 0x3: return !ult64(alo, ahi, blo, bhi); // jge
    case 0x4: return ((alo & blo) | (ahi & bhi)) !== 0; // jset
    case 0x5: return alo !== blo || ahi !== bhi; // jne
    case 0x6: return slt64(blo, bhi, alo, ahi); // jsgt
    case 0x7: return !slt64(alo, ahi, blo, bhi); // jsge
    case 0xa: return ult64(alo, ahi, blo, bhi); // jlt
    case 0xb: return !ult64(blo, bhi, alo, ahi); // jle
    case 0xc: return slt64(alo, ahi, blo, bhi); // jslt
    case 0xd: return !slt64(blo, bhi, alo, ahi); // jsle
    default: return false;
  }
}

export function cond32(code: number, a: number, b: number): boolean {
  switch (code) {
    case 0x1: return a === b;
    case 0x2: return a >>> 0 > b >>> 0;
    case 0x3: return a >>> 0 >= b >>> 0;
    case 0x4: return (a & b) !== 0;
    case 0x5: return a !== b;
    case 0x6: return (a | 0) > (b | 0);
    case 0x7: return (a | 0) >= (b | 0);
    case 0xa: return a >>> 0 < b >>> 0;
    case 0xb: return a >>> 0 <= b >>> 0;
    case 0xc: return (a | 0) < (b | 0);
    case 0xd: return (a | 0) <= (b | 0);
    default: return false;
  }
}
