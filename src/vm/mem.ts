// Memory helpers of the interpreter's loop (whose LDX/ST/STX cases call Memory.at, which
// bounds-checks every access and names the fault): context pointer fields and the legacy
// packet loads (ldabs, ldind).
import type { Memory, RegionTables } from './memory.js';

/** Access size in bytes from the size field of a memory opcode (W=0, H=8, B=0x10, DW=0x18). */
export function sizeOf(op: number): number {
  const sz = op & 0x18;
  return sz === 0x00 ? 4 : sz === 0x08 ? 2 : sz === 0x10 ? 1 : 8;
}

/**
 * After a 4- or 8-byte load at offset `o` of the context: a pointer field (xdp_md->data, ...)
 * reads as the whole pointer.
 */
export function ctxLoad(tb: RegionTables, R: Int32Array, d: number, o: number): void {
  if (tb.ctxPtrFlag[o] === 1) { R[d] = tb.ctxPtrLo[o]!; R[d + 1] = tb.ctxPtrHi[o]!; }
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
