// The one opcode table. Every other part of xdplab (decoder, encoder, disassembler,
// assembler operand shapes, interpreter dispatch, verifier, cost classes) derives from it.
// Encodings follow RFC 9669; the conformance mnemonics follow the bpf_conformance suite.

/** Operand shape: how an instruction uses dst/src/off/imm. */
export type Shape =
  | 'alu_reg' // dst op= src
  | 'alu_imm' // dst op= imm
  | 'neg' // dst = -dst
  | 'movsx' // dst = (sN) src
  | 'end' // byte swap of dst, width in imm
  | 'lddw' // dst = imm64 (two slots), src = pseudo kind
  | 'ldabs' // r0 = packet[imm]
  | 'ldind' // r0 = packet[src + imm]
  | 'ldx' // dst = *(size *)(src + off)
  | 'ldxs' // dst = *(sN *)(src + off), sign-extended
  | 'st' // *(size *)(dst + off) = imm
  | 'stx' // *(size *)(dst + off) = src
  | 'atomic' // atomic op on *(size *)(dst + off) with src, op in imm
  | 'ja' // pc += off
  | 'ja32' // pc += imm (gotol)
  | 'jcond_reg' // if dst op src goto pc + off
  | 'jcond_imm' // if dst op imm goto pc + off
  | 'call' // helper by id in imm
  | 'call_local' // BPF-to-BPF call, pc-relative imm
  | 'call_kfunc' // kernel function by BTF id in imm
  | 'callx' // call through register (dst field)
  | 'exit';

export type Group = 'base32' | 'base64' | 'atomic32' | 'atomic64' | 'divmul32' | 'divmul64' | 'packet' | 'callx';
export type CostClass = 'alu' | 'mul' | 'div' | 'load' | 'store' | 'atomic' | 'branch' | 'call' | 'exit' | 'lddw';

export interface OpSpec {
  /** The opcode byte. */
  readonly opcode: number;
  /** Extra fields that, with the opcode, select this entry (undefined = any value). */
  readonly match: { readonly src?: number; readonly off?: number; readonly imm?: number };
  /** Conformance-suite mnemonic, e.g. `add32`, `ldxw`, `lock fetch add`. */
  readonly name: string;
  /** The semantic operation: `add`, `jgt`, `xchg`, `be`, ... */
  readonly op: string;
  readonly shape: Shape;
  /** Operation width in bits: 32 or 64 for ALU/JMP; access size for memory. */
  readonly width: 8 | 16 | 32 | 64;
  readonly version: 1 | 2 | 3 | 4;
  readonly group: Group;
  readonly cost: CostClass;
}

// Instruction classes (low 3 bits of the opcode).
export const CLS = { LD: 0, LDX: 1, ST: 2, STX: 3, ALU: 4, JMP: 5, JMP32: 6, ALU64: 7 } as const;
// Size field for memory instructions.
export const SIZE = { W: 0x00, H: 0x08, B: 0x10, DW: 0x18 } as const;
// Mode field for memory instructions.
export const MODE = { IMM: 0x00, ABS: 0x20, IND: 0x40, MEM: 0x60, MEMSX: 0x80, ATOMIC: 0xc0 } as const;
const K = 0x00;
const X = 0x08;

// Atomic operations (imm field); FETCH is or-ed in.
export const ATOMIC = { ADD: 0x00, OR: 0x40, AND: 0x50, XOR: 0xa0, FETCH: 0x01, XCHG: 0xe1, CMPXCHG: 0xf1 } as const;

/** Pseudo source kinds of the 64-bit immediate load (src field). */
export const LDDW_SRC = { IMM64: 0, MAP_FD: 1, MAP_VALUE: 2, BTF_ID: 3, FUNC: 4, MAP_IDX: 5, MAP_IDX_VALUE: 6 } as const;
/** Source kinds of call (src field). */
export const CALL_SRC = { HELPER: 0, LOCAL: 1, KFUNC: 2 } as const;

const table: OpSpec[] = [];
function add(
  opcode: number, match: OpSpec['match'], name: string, op: string, shape: Shape,
  width: OpSpec['width'], version: OpSpec['version'], group: Group, cost: CostClass,
): void {
  table.push({ opcode, match, name, op, shape, width, version, group, cost });
}

// ---- ALU and ALU64 -----------------------------------------------------------------
const aluOps: [string, number][] = [
  ['add', 0x00], ['sub', 0x10], ['mul', 0x20], ['div', 0x30], ['or', 0x40], ['and', 0x50],
  ['lsh', 0x60], ['rsh', 0x70], ['mod', 0x90], ['xor', 0xa0], ['mov', 0xb0], ['arsh', 0xc0],
];
for (const [cls, width] of [[CLS.ALU, 32], [CLS.ALU64, 64]] as const) {
  const sfx = width === 32 ? '32' : '';
  const base: Group = width === 32 ? 'base32' : 'base64';
  const divmul: Group = width === 32 ? 'divmul32' : 'divmul64';
  for (const [op, code] of aluOps) {
    const isDivMul = op === 'mul' || op === 'div' || op === 'mod';
    const group = isDivMul ? divmul : base;
    const cost: CostClass = op === 'mul' ? 'mul' : isDivMul ? 'div' : 'alu';
    const offMatch = op === 'div' || op === 'mod' || op === 'mov' ? { off: 0 } : {};
    add(cls | code | K, { src: 0, ...offMatch }, op + sfx, op, 'alu_imm', width, 1, group, cost);
    add(cls | code | X, op === 'mov' ? { off: 0, imm: 0 } : { ...offMatch, imm: 0 }, op + sfx, op, 'alu_reg', width, 1, group, cost);
    if (op === 'div' || op === 'mod') {
      const sop = 's' + op;
      add(cls | code | K, { src: 0, off: 1 }, sop + sfx, sop, 'alu_imm', width, 4, group, 'div');
      add(cls | code | X, { off: 1, imm: 0 }, sop + sfx, sop, 'alu_reg', width, 4, group, 'div');
    }
  }
  add(cls | 0x80, { src: 0, imm: 0 }, 'neg' + sfx, 'neg', 'neg', width, 1, base, 'alu');
  // Sign-extending moves: offset holds the source width.
  const sxWidths = width === 32 ? [8, 16] : [8, 16, 32];
  for (const w of sxWidths) {
    add(cls | 0xb0 | X, { off: w, imm: 0 }, `movsx${w}${width}`, 'movsx', 'movsx', width, 4, base, 'alu');
  }
}
// Byte swaps: 0xd4 = to little endian, 0xdc = to big endian, 0xd7 = unconditional (ALU64).
for (const w of [16, 32, 64] as const) {
  add(0xd4, { src: 0, off: 0, imm: w }, `le${w}`, 'le', 'end', w, 1, 'base32', 'alu');
  add(0xdc, { src: 0, off: 0, imm: w }, `be${w}`, 'be', 'end', w, 1, 'base32', 'alu');
  add(0xd7, { src: 0, off: 0, imm: w }, `bswap${w}`, 'bswap', 'end', w, 4, 'base64', 'alu');
}

// ---- JMP and JMP32 -----------------------------------------------------------------
const jmpOps: [string, number, 1 | 2][] = [
  ['jeq', 0x10, 1], ['jgt', 0x20, 1], ['jge', 0x30, 1], ['jset', 0x40, 1], ['jne', 0x50, 1],
  ['jsgt', 0x60, 1], ['jsge', 0x70, 1], ['jlt', 0xa0, 2], ['jle', 0xb0, 2], ['jslt', 0xc0, 2], ['jsle', 0xd0, 2],
];
for (const [op, code, v] of jmpOps) {
  add(CLS.JMP | code | K, { src: 0 }, op, op, 'jcond_imm', 64, v, 'base64', 'branch');
  add(CLS.JMP | code | X, { imm: 0 }, op, op, 'jcond_reg', 64, v, 'base64', 'branch');
  add(CLS.JMP32 | code | K, { src: 0 }, op + '32', op, 'jcond_imm', 32, 3, 'base32', 'branch');
  add(CLS.JMP32 | code | X, { imm: 0 }, op + '32', op, 'jcond_reg', 32, 3, 'base32', 'branch');
}
add(CLS.JMP | 0x00, { src: 0, imm: 0 }, 'ja', 'ja', 'ja', 64, 1, 'base32', 'branch');
add(CLS.JMP32 | 0x00, { src: 0, off: 0 }, 'ja32', 'ja', 'ja32', 32, 4, 'base32', 'branch');
add(CLS.JMP | 0x80, { src: CALL_SRC.HELPER, off: 0 }, 'call', 'call', 'call', 64, 1, 'base32', 'call');
add(CLS.JMP | 0x80, { src: CALL_SRC.LOCAL, off: 0 }, 'call local', 'call', 'call_local', 64, 3, 'base32', 'call');
add(CLS.JMP | 0x80, { src: CALL_SRC.KFUNC, off: 0 }, 'call runtime', 'call', 'call_kfunc', 64, 3, 'base32', 'call');
add(CLS.JMP | 0x80 | X, { src: 0, off: 0, imm: 0 }, 'callx', 'call', 'callx', 64, 1, 'callx', 'call');
add(CLS.JMP | 0x90, { src: 0, off: 0, imm: 0 }, 'exit', 'exit', 'exit', 64, 1, 'base32', 'exit');

// ---- Loads and stores --------------------------------------------------------------
const sizes: [string, number, 8 | 16 | 32 | 64][] = [['b', SIZE.B, 8], ['h', SIZE.H, 16], ['w', SIZE.W, 32], ['dw', SIZE.DW, 64]];
for (let s = 0; s <= 6; s++) {
  add(CLS.LD | MODE.IMM | SIZE.DW, { src: s, off: 0 }, 'lddw', 'lddw', 'lddw', 64, 1, 'base64', 'lddw');
}
for (const [sfx, size, w] of sizes) {
  const g: Group = w === 64 ? 'base64' : 'base32';
  add(CLS.LD | MODE.ABS | size, { src: 0, off: 0 }, 'ldabs' + sfx, 'ldabs', 'ldabs', w, 1, 'packet', 'load');
  add(CLS.LD | MODE.IND | size, { off: 0 }, 'ldind' + sfx, 'ldind', 'ldind', w, 1, 'packet', 'load');
  add(CLS.LDX | MODE.MEM | size, { imm: 0 }, 'ldx' + sfx, 'ldx', 'ldx', w, 1, g, 'load');
  if (w !== 64) add(CLS.LDX | MODE.MEMSX | size, { imm: 0 }, 'ldxs' + sfx, 'ldxs', 'ldxs', w, 4, 'base32', 'load');
  add(CLS.ST | MODE.MEM | size, { src: 0 }, 'st' + sfx, 'st', 'st', w, 1, g, 'store');
  add(CLS.STX | MODE.MEM | size, { imm: 0 }, 'stx' + sfx, 'stx', 'stx', w, 1, g, 'store');
}
const atomicOps: [string, number][] = [
  ['add', ATOMIC.ADD], ['or', ATOMIC.OR], ['and', ATOMIC.AND], ['xor', ATOMIC.XOR],
];
for (const [size, w] of [[SIZE.W, 32], [SIZE.DW, 64]] as const) {
  const sfx = w === 32 ? '32' : '';
  const g: Group = w === 32 ? 'atomic32' : 'atomic64';
  for (const [op, code] of atomicOps) {
    add(CLS.STX | MODE.ATOMIC | size, { imm: code }, `lock ${op}${sfx}`, op, 'atomic', w, 3, g, 'atomic');
    add(CLS.STX | MODE.ATOMIC | size, { imm: code | ATOMIC.FETCH }, `lock fetch ${op}${sfx}`, 'fetch_' + op, 'atomic', w, 3, g, 'atomic');
  }
  add(CLS.STX | MODE.ATOMIC | size, { imm: ATOMIC.XCHG }, `lock xchg${sfx}`, 'xchg', 'atomic', w, 3, g, 'atomic');
  add(CLS.STX | MODE.ATOMIC | size, { imm: ATOMIC.CMPXCHG }, `lock cmpxchg${sfx}`, 'cmpxchg', 'atomic', w, 3, g, 'atomic');
}

/** Every instruction encoding xdplab knows, in a fixed order. */
export const OPCODES: readonly OpSpec[] = table;

// Candidates per opcode byte, for the decoder.
const byOpcode: OpSpec[][] = Array.from({ length: 256 }, () => []);
for (const spec of table) byOpcode[spec.opcode]!.push(spec);

/** Entries that share an opcode byte (empty for an unknown opcode). */
export function candidates(opcode: number): readonly OpSpec[] {
  return byOpcode[opcode & 0xff]!;
}

/** The entry for these fields, or undefined when the encoding is not a valid instruction. */
export function lookup(opcode: number, src: number, off: number, imm: number): OpSpec | undefined {
  for (const spec of byOpcode[opcode & 0xff]!) {
    const m = spec.match;
    if (m.src !== undefined && m.src !== src) continue;
    if (m.off !== undefined && m.off !== off) continue;
    if (m.imm !== undefined && m.imm !== imm) continue;
    return spec;
  }
  return undefined;
}

/** True when the opcode byte names any instruction at all. */
export function knownOpcode(opcode: number): boolean {
  return byOpcode[opcode & 0xff]!.length > 0;
}

/** Entries by conformance mnemonic (several for lddw, jumps with reg/imm forms). */
export function byName(name: string): readonly OpSpec[] {
  return nameIndex.get(name) ?? [];
}
const nameIndex = new Map<string, OpSpec[]>();
for (const spec of table) {
  const list = nameIndex.get(spec.name);
  if (list) list.push(spec); else nameIndex.set(spec.name, [spec]);
}
