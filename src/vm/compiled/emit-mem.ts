// JavaScript source for loads, stores, atomics and legacy packet loads in the compiled tier.
// An address is resolved three ways, all counting the access per region as Memory.at does:
// - r10 + constant offset inside the frame, when nothing writes r10: the stack, no check;
// - a slot in the proven-safe set (from the verifier): the region from the tag, no check;
// - otherwise the same test as Memory.at, inline over the region tables. When it fails, the
//   run continues in the interpreter's loop from this instruction (`bail`), which faults with
//   the identical message and count, or performs the rare access the inline test leaves out
//   (an offset carrying into the next region's tag). The fast path never merges with a slow
//   one, so V8 keeps what it knows about the tables from one access to the next.
// Each run reads the tables into locals: V views, B bases, L lengths, LO lowest offsets,
// W writable flags, A access counts, CNT regions, CP context pointer fields; SV/SB stack.
import type { Insn } from '../../isa/index.js';
import { CTX, FRAME_BYTES } from '../memory.js';
import { hi, lit, lo } from './emit-alu.js';

export interface MemContext {
  /** No instruction writes r10, so r10 is always the top of the current frame. */
  r10Fixed: boolean;
  /** Slots whose access the verifier proved in bounds. */
  proven: ReadonlySet<number>;
  /** Source that ends the run in the interpreter's loop from this slot. */
  bail(slot: number): string;
}

const SIZES: Record<number, number> = { 0x00: 4, 0x08: 2, 0x10: 1, 0x18: 8 };
const sizeOf = (insn: Insn): number => SIZES[insn.opcode & 0x18]!;

/** Source that leaves the region in `r` and the byte offset of the access in its view in `p`. */
function address(insn: Insn, base: number, size: number, write: boolean, m: MemContext): string {
  const off = insn.off, s = insn.slot;
  if (base === 10 && m.r10Fixed && off >= -FRAME_BYTES && off + size <= 0) {
    return `A[0]++; r = 0; p = SB + r10l + ${lit(off)};`;
  }
  const bl = lo(base), bh = hi(base);
  const at = `r = ${bh} - 256; o = (${bl} + ${lit(off)}) | 0;`;
  if (m.proven.has(s)) return `${at} A[r]++; p = B[r] + o;`;
  return `${at} if (${bl} < 0 || (r >>> 0) >= CNT || o < LO[r] || o > L[r] - ${size}${write ? ' || W[r] !== 1' : ''}) { ${m.bail(s)} } A[r]++; p = B[r] + o;`;
}

/** ldx / ldxs: dst = *(size *)(src + off). */
export function load(insn: Insn, m: MemContext): string {
  const size = sizeOf(insn), signed = insn.spec.shape === 'ldxs';
  const stack = insn.src === 10 && m.r10Fixed && insn.off >= -FRAME_BYTES && insn.off + size <= 0;
  const v = stack ? 'SV' : 'V[r]';
  const dl = lo(insn.dst), dh = hi(insn.dst);
  let body: string;
  switch (size) {
    case 1: body = signed ? `${dl} = ${v}.getInt8(p); ${dh} = ${dl} >> 31;` : `${dl} = ${v}.getUint8(p); ${dh} = 0;`; break;
    case 2: body = signed ? `${dl} = ${v}.getInt16(p, true); ${dh} = ${dl} >> 31;` : `${dl} = ${v}.getUint16(p, true); ${dh} = 0;`; break;
    case 4: body = `${dl} = ${v}.getInt32(p, true); ${dh} = ${signed ? `${dl} >> 31` : '0'};`; break;
    default: body = `${dl} = ${v}.getInt32(p, true); ${dh} = ${v}.getInt32(p + 4, true);`;
  }
  // Context fields that hold pointers (xdp_md->data, ...) read as whole pointers.
  const ctx = size >= 4 && !stack
    ? ` if (r === ${CTX}) { for (t = 0; t < CP.length; t += 3) if (CP[t] === o) { ${dl} = CP[t + 1]; ${dh} = CP[t + 2]; break; } }`
    : '';
  return `${address(insn, insn.src, size, false, m)} ${body}${ctx}`;
}

/** st / stx: *(size *)(dst + off) = imm or src. */
export function store(insn: Insn, m: MemContext): string {
  const size = sizeOf(insn);
  const stack = insn.dst === 10 && m.r10Fixed && insn.off >= -FRAME_BYTES && insn.off + size <= 0;
  const v = stack ? 'SV' : 'V[r]';
  const isReg = insn.spec.shape === 'stx';
  const vl = isReg ? lo(insn.src) : lit(insn.imm), vh = isReg ? hi(insn.src) : lit(insn.imm >> 31);
  let body: string;
  switch (size) {
    case 1: body = `${v}.setInt8(p, ${vl});`; break;
    case 2: body = `${v}.setInt16(p, ${vl}, true);`; break;
    case 4: body = `${v}.setInt32(p, ${vl}, true);`; break;
    default: body = `${v}.setInt32(p, ${vl}, true); ${v}.setInt32(p + 4, ${vh}, true);`;
  }
  return `${address(insn, insn.dst, size, true, m)} ${body}`;
}

/** Atomics go through the interpreter's routine on the register file. */
export function atomicOp(insn: Insn): string {
  const regs = [...new Set([0, insn.dst, insn.src])];
  const spill = regs.map((i) => `R[${2 * i}] = ${lo(i)}; R[${2 * i + 1}] = ${hi(i)};`).join(' ');
  const reload = [...new Set([0, insn.src])].map((i) => `${lo(i)} = R[${2 * i}]; ${hi(i)} = R[${2 * i + 1}];`).join(' ');
  return `${spill} at = ${insn.slot}; atomic(mem, R, ${insn.opcode}, ${2 * insn.dst}, ${2 * insn.src}, ${lit(insn.off)}, ${lit(insn.imm)}, ${insn.slot}); ${reload}`;
}

/** ldabs / ldind: r0 = big-endian packet bytes; out of bounds ends the program with r0 = 0. */
export function legacyLoad(insn: Insn): string {
  const offset = insn.spec.shape === 'ldabs' ? lit(insn.imm) : `(${lo(insn.src)} + ${lit(insn.imm)}) | 0`;
  return `if (!loadPacket(mem, R, ${insn.opcode}, ${offset})) { R[0] = 0; R[1] = 0; return n; } r0l = R[0]; r0h = R[1];`;
}
