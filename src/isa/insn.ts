// Decoded instructions and the decode/encode pair (inverses of each other).
import { fail } from '../diag/index.js';
import { candidates, lookup, type OpSpec } from './opcodes.js';

/** One decoded instruction. `lddw` occupies two slots; its high word is in `imm64hi`. */
export interface Insn {
  readonly spec: OpSpec;
  readonly opcode: number;
  readonly dst: number;
  readonly src: number;
  /** Signed 16-bit offset. */
  readonly off: number;
  /** Signed 32-bit immediate. */
  readonly imm: number;
  /** lddw only: the second slot's imm (high 32 bits), signed 32-bit. */
  readonly imm64hi: number;
  /** Slot index of this instruction in the program (8-byte units). */
  readonly slot: number;
}

export const SLOT_BYTES = 8;

/** Number of 8-byte slots an instruction occupies. */
export function slotsOf(insn: Pick<Insn, 'spec'>): 1 | 2 {
  return insn.spec.shape === 'lddw' ? 2 : 1;
}

/** Read the raw fields of slot `i` (no validation). */
export function rawSlot(bytes: Uint8Array, i: number): { opcode: number; dst: number; src: number; off: number; imm: number } {
  const b = i * SLOT_BYTES;
  const regs = bytes[b + 1]!;
  return {
    opcode: bytes[b]!,
    dst: regs & 0x0f,
    src: regs >> 4,
    off: ((bytes[b + 2]! | (bytes[b + 3]! << 8)) << 16) >> 16,
    imm: bytes[b + 4]! | (bytes[b + 5]! << 8) | (bytes[b + 6]! << 16) | (bytes[b + 7]! << 24),
  };
}

const hex2 = (n: number): string => '0x' + (n & 0xff).toString(16).padStart(2, '0');

/**
 * Decode raw bytecode into instructions. Throws a `bytecode` diagnostic naming the slot
 * for a length that is not a multiple of 8, an unknown opcode, invalid fields, or an lddw
 * missing its second half.
 */
export function decode(bytes: Uint8Array, where = 'program'): Insn[] {
  if (bytes.length % SLOT_BYTES !== 0) {
    fail('bytecode', `${where} is ${bytes.length} bytes, not a whole number of 8-byte instructions`, {
      condition: `length % 8 == 0 (got remainder ${bytes.length % SLOT_BYTES})`,
    });
  }
  const n = bytes.length / SLOT_BYTES;
  const out: Insn[] = [];
  for (let i = 0; i < n; i++) {
    const r = rawSlot(bytes, i);
    const spec = lookup(r.opcode, r.src, r.off, r.imm);
    if (!spec) {
      const known = candidates(r.opcode);
      if (known.length === 0) {
        fail('bytecode', `unknown opcode ${hex2(r.opcode)} at slot ${i}`, { pc: i });
      }
      fail('bytecode', `invalid field values for ${known[0]!.name} (opcode ${hex2(r.opcode)}) at slot ${i}: src=${r.src} off=${r.off} imm=${r.imm}`, {
        pc: i,
        condition: describeMatch(known),
      });
    }
    let imm64hi = 0;
    if (spec.shape === 'lddw') {
      if (i + 1 >= n) {
        fail('bytecode', `lddw at slot ${i} is missing its second half`, { pc: i, condition: 'lddw needs two 8-byte slots' });
      }
      const h = rawSlot(bytes, i + 1);
      if (h.opcode !== 0 || h.dst !== 0 || h.src !== 0 || h.off !== 0) {
        fail('bytecode', `second half of lddw at slot ${i} has non-zero opcode or fields`, {
          pc: i + 1,
          condition: 'opcode == 0 && dst == 0 && src == 0 && off == 0 in slot ' + (i + 1),
        });
      }
      imm64hi = h.imm;
    }
    out.push({ spec, opcode: r.opcode, dst: r.dst, src: r.src, off: r.off, imm: r.imm, imm64hi, slot: i });
    if (spec.shape === 'lddw') i++;
  }
  return out;
}

function describeMatch(specs: readonly OpSpec[]): string {
  return specs
    .map((s) => {
      const parts = Object.entries(s.match).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} == ${v}`);
      return `${s.name}: ${parts.join(' && ') || 'any'}`;
    })
    .join(' | ');
}

/** Fields for building an instruction; missing fields are 0. */
export interface InsnFields { dst?: number; src?: number; off?: number; imm?: number; imm64hi?: number }

/** Make an Insn from a spec and fields (slot assigned by the caller or encode). */
export function make(spec: OpSpec, f: InsnFields = {}, slot = 0): Insn {
  const m = spec.match;
  return {
    spec,
    opcode: spec.opcode,
    dst: f.dst ?? 0,
    src: f.src ?? m.src ?? 0,
    off: f.off ?? m.off ?? 0,
    imm: f.imm ?? m.imm ?? 0,
    imm64hi: f.imm64hi ?? 0,
    slot,
  };
}

/** Encode instructions back to bytes. decode(encode(x)) == x and encode(decode(b)) == b. */
export function encode(insns: readonly Insn[]): Uint8Array {
  let slots = 0;
  for (const insn of insns) slots += slotsOf(insn);
  const out = new Uint8Array(slots * SLOT_BYTES);
  let s = 0;
  for (const insn of insns) {
    writeSlot(out, s, insn.opcode, insn.dst, insn.src, insn.off, insn.imm);
    if (insn.spec.shape === 'lddw') writeSlot(out, s + 1, 0, 0, 0, 0, insn.imm64hi);
    s += slotsOf(insn);
  }
  return out;
}

function writeSlot(out: Uint8Array, slot: number, opcode: number, dst: number, src: number, off: number, imm: number): void {
  const b = slot * SLOT_BYTES;
  out[b] = opcode;
  out[b + 1] = (dst & 0x0f) | ((src & 0x0f) << 4);
  out[b + 2] = off & 0xff;
  out[b + 3] = (off >> 8) & 0xff;
  out[b + 4] = imm & 0xff;
  out[b + 5] = (imm >> 8) & 0xff;
  out[b + 6] = (imm >> 16) & 0xff;
  out[b + 7] = (imm >>> 24) & 0xff;
}

/** Map from slot index to instruction index (undefined for the second half of lddw). */
export function slotIndex(insns: readonly Insn[]): Map<number, number> {
  const m = new Map<number, number>();
  insns.forEach((insn, i) => m.set(insn.slot, i));
  return m;
}
