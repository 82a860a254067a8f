// Register states: a type, a fixed offset and bounds (the value of a scalar, the variable
// offset of a pointer), plus what each pointer type needs (packet range, map, frame, ...).
import type { MapSpec } from '../elf/index.js';
import { formatBounds, isConst, known, unknown, type Bounds } from './scalar.js';

export type RegType =
  | 'not_init' | 'scalar' | 'ctx' | 'pkt' | 'pkt_meta' | 'pkt_end' | 'fp' | 'map_ptr'
  | 'map_value' | 'map_value_or_null' | 'map_ptr_or_null' | 'ringbuf_mem' | 'ringbuf_mem_or_null' | 'func'
  // kfuncs: a dynptr on the stack, a read-only slice (PTR_TO_MEM), a kernel object (PTR_TO_BTF_ID).
  | 'dynptr' | 'mem' | 'mem_or_null' | 'btf_ptr' | 'btf_ptr_or_null';

export interface Reg {
  readonly type: RegType;
  /** Scalar: the value. Pointer: the variable part of the offset. */
  readonly b: Bounds;
  /** Pointer: the fixed part of the offset. */
  readonly off: number;
  /** pkt: shared by pointers with the same variable offset; *_or_null: null-check group; scalar: copies. */
  readonly id: number;
  /** pkt/pkt_meta: bytes [0, range) from the pointer's fixed offset base are proven in bounds. */
  readonly range: number;
  /** map_ptr/map_value: index into the input's maps. */
  readonly map: number;
  /** fp: which call frame's stack. func: target slot. */
  readonly frame: number;
  /** ringbuf_mem: size of the reservation. */
  readonly memSize: number;
  /** ringbuf_mem: the reference this pointer holds (must be released). */
  readonly refId: number;
  /**
   * Scalar in a checkpoint: its exact value mattered to some later decision (precision
   * tracking); pruning compares only precise scalars. mem/mem_or_null: writable (global
   * function arguments) rather than a read-only slice.
   */
  readonly precise?: boolean;
  readonly rw?: boolean;
}

/** Range values for a packet pointer known to be at or beyond pkt_end (kernel BEYOND_PKT_END etc.). */
export const BEYOND_PKT_END = -2;
export const AT_PKT_END = -1;

const BASE: Reg = { type: 'not_init', b: unknown(), off: 0, id: 0, range: 0, map: -1, frame: 0, memSize: 0, refId: 0 };

export const NOT_INIT: Reg = BASE;
export const scalarReg = (b: Bounds): Reg => ({ ...BASE, type: 'scalar', b });
export const unknownScalar = (): Reg => scalarReg(unknown());
export const constReg = (v: bigint): Reg => scalarReg(known(v));
export const ptrReg = (type: RegType, fields: Partial<Reg> = {}): Reg => ({ ...BASE, b: known(0n), type, ...fields });

export const isPointer = (r: Reg): boolean => r.type !== 'scalar' && r.type !== 'not_init';
export const isPkt = (r: Reg): boolean => r.type === 'pkt' || r.type === 'pkt_meta';
export const isNullable = (r: Reg): boolean => r.type.endsWith('_or_null');

/** The kernel's name for a register type, as in `R1 type=scalar expected=map_ptr`. */
export function typeName(t: RegType): string {
  return t === 'not_init' ? 'invalid' : t === 'btf_ptr' ? 'ptr_' : t === 'btf_ptr_or_null' ? 'ptr_or_null_' : t;
}

/** `R2=pkt(off=14,r=14)` style text for one register. */
export function formatReg(r: Reg, maps: readonly MapSpec[], curFrame = 0): string {
  if (r.type === 'not_init') return 'invalid';
  if (r.type === 'scalar') {
    if (isConst(r.b) && r.id === 0) return formatBounds(r.b);
    const inner = formatBounds(r.b);
    return `scalar(${[r.id ? `id=${r.id}` : '', isConst(r.b) ? `var_off=(0x${r.b.t.v.toString(16)}; 0x0)` : inner].filter(Boolean).join(',')})`;
  }
  if (r.type === 'fp' && isConst(r.b)) {
    const off = r.off + Number(BigInt.asIntN(64, r.b.t.v));
    return (r.frame !== curFrame ? `fp[${r.frame}]` : 'fp') + (off === 0 ? '0' : `${off}`);
  }
  const parts: string[] = [];
  if (r.id) parts.push(`id=${r.id}`);
  if (r.refId) parts.push(`ref_obj_id=${r.refId}`);
  const m = maps[r.map];
  if (m && (r.type.startsWith('map_ptr') || r.type.startsWith('map_value'))) parts.push(`map=${m.name}`, `ks=${m.keySize}`, `vs=${m.valueSize}`);
  if (r.off) parts.push(`off=${r.off}`);
  if (r.type === 'pkt' || r.type === 'pkt_meta') parts.push(`r=${r.range < 0 ? '0x' + BigInt.asUintN(64, BigInt(r.range)).toString(16) : r.range}`);
  if (r.type.startsWith('ringbuf_mem') || r.type.startsWith('mem')) parts.push(`sz=${r.memSize}`);
  if (r.type === 'func') return `func(insn=${r.frame})`;
  if (!isConst(r.b) || r.b.t.v !== 0n) parts.push(formatBounds(r.b));
  return `${r.type}(${parts.join(',')})`;
}
