// Loads and stores (LDX, LDXS, ST, STX) and the legacy packet loads (ldabs, ldind).
// Every access goes through Memory.at, which bounds-checks it and names the fault.
import { CTX, type Memory } from './memory.js';

/** Access size in bytes from the size field of a memory opcode (W=0, H=8, B=0x10, DW=0x18). */
export function sizeOf(op: number): number {
  const sz = op & 0x18;
  return sz === 0x00 ? 4 : sz === 0x08 ? 2 : sz === 0x10 ? 1 : 8;
}

/** dst = *(size *)(src + off); `signed` sign-extends (the MEMSX mode). */
export function load(mem: Memory, R: Int32Array, op: number, d: number, s: number, off: number, signed: boolean, pc: number): void {
  const size = sizeOf(op);
  const p = mem.at(R[s]!, R[s + 1]!, off, size, false, pc);
  const v = mem.view;
  let lo: number, hi: number;
  switch (size) {
    case 1: lo = signed ? v.getInt8(p) : v.getUint8(p); hi = signed ? lo >> 31 : 0; break;
    case 2: lo = signed ? v.getInt16(p, true) : v.getUint16(p, true); hi = signed ? lo >> 31 : 0; break;
    case 4: lo = v.getInt32(p, true); hi = signed ? lo >> 31 : 0; break;
    default: lo = v.getInt32(p, true); hi = v.getInt32(p + 4, true); break;
  }
  if (mem.region === CTX && size >= 4) {
    // Context fields that hold pointers (xdp_md->data, ...) read as whole pointers.
    const i = mem.ctxPointerAt(mem.offset);
    if (i >= 0) { lo = mem.ctxPointerLo(i); hi = mem.ctxPointerHi(i); }
  }
  R[d] = lo;
  R[d + 1] = hi;
}

/** *(size *)(dst + off) = (lo, hi): from a register (STX) or the immediate (ST). */
export function store(mem: Memory, R: Int32Array, op: number, d: number, off: number, lo: number, hi: number, pc: number): void {
  const size = sizeOf(op);
  const p = mem.at(R[d]!, R[d + 1]!, off, size, true, pc);
  const v = mem.view;
  switch (size) {
    case 1: v.setInt8(p, lo); break;
    case 2: v.setInt16(p, lo, true); break;
    case 4: v.setInt32(p, lo, true); break;
    default: v.setInt32(p, lo, true); v.setInt32(p + 4, hi, true); break;
  }
}

/**
 * Legacy packet load: r0 = big-endian value at packet[offset]. Returns false when the access
 * is out of bounds; the program then ends with r0 = 0, as in the kernel.
 */
export function loadPacket(mem: Memory, R: Int32Array, op: number, offset: number): boolean {
  const size = sizeOf(op);
  const p = mem.packetAt(offset, size);
  if (p < 0) return false;
  const v = mem.view;
  switch (size) {
    case 1: R[0] = v.getUint8(p); R[1] = 0; break;
    case 2: R[0] = v.getUint16(p, false); R[1] = 0; break;
    case 4: R[0] = v.getInt32(p, false); R[1] = 0; break;
    default: R[1] = v.getInt32(p, false); R[0] = v.getInt32(p + 4, false); break;
  }
  return true;
}
