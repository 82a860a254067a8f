// ALU instructions (check_alu_op, adjust_reg_min_max_vals): scalars through the bounds
// domain, pointers through the pointer arithmetic rules with the kernel's messages.
import type { Insn } from '../isa/index.js';
import { MAX_VAR_OFF } from './access.js';
import type { Env } from './env.js';
import { reject } from './reject.js';
import { isPointer, isPkt, scalarReg, typeName, unknownScalar, type Reg } from './reg.js';
import { isConst, known, unknown, zext32, S64_MIN, type Bounds } from './scalar.js';
import { scalarAlu, scalarNeg, signExtend, truncate, type AluOp } from './scalar-alu.js';
import { top, type State } from './state.js';
import { u32 } from './tnum.js';

const ALU_STRING: Record<string, string> = {
  add: '+=', sub: '-=', mul: '*=', div: '/=', sdiv: '/=', or: '|=', and: '&=', lsh: '<<=', rsh: '>>=',
  mod: '%=', smod: '%=', xor: '^=', mov: '=', arsh: 's>>=', neg: 'neg', le: 'endian', be: 'endian', bswap: 'endian',
};

export function readReg(st: State, regno: number, what = ''): Reg {
  const r = top(st).regs[regno]!;
  if (r.type === 'not_init') {
    reject(`R${regno} !read_ok`, `R${regno} is read before it is written${what}: no value was ever put in it on this path`,
      regno >= 1 && regno <= 5 ? `R1-R5 are cleared by every call; R${regno} must be set again after a call before it is used` : undefined);
  }
  return r;
}

function writeDst(st: State, regno: number, r: Reg): void {
  if (regno === 10) reject('frame pointer is read only', 'r10 is the frame pointer and cannot be written; copy it to another register first');
  top(st).regs[regno] = r;
}

export function aluInsn(env: Env, st: State, insn: Insn): void {
  const { spec, dst } = insn;
  const width = spec.width as 32 | 64;
  const op = spec.op;
  const fr = top(st);
  if (dst === 10) reject('frame pointer is read only', 'r10 is the frame pointer and cannot be written; copy it to another register first');
  if (spec.shape === 'alu_imm' && op === 'mov') {
    writeDst(st, dst, scalarReg(known(width === 64 ? BigInt(insn.imm) : u32(BigInt(insn.imm)))));
    return;
  }
  if (spec.shape === 'alu_reg' && op === 'mov') {
    const src = readReg(st, insn.src);
    if (width === 64) {
      if (src.type === 'scalar' && src.id === 0 && !isConst(src.b)) {
        // Copies share an id so a later comparison on one refines both (linked scalars).
        const linked = { ...src, id: env.nextId() };
        fr.regs[insn.src] = linked;
        writeDst(st, dst, linked);
      } else writeDst(st, dst, src);
      return;
    }
    if (isPointer(src)) {
      if (!env.priv) reject(`R${insn.src} partial copy of pointer`, `a 32-bit move of the pointer in R${insn.src} would leak part of an address`);
      writeDst(st, dst, scalarReg(zext32(unknown())));
      return;
    }
    writeDst(st, dst, scalarReg(truncate(src.b, 4)));
    return;
  }
  if (spec.shape === 'movsx') {
    const src = readReg(st, insn.src);
    if (isPointer(src)) {
      if (!env.priv) reject(`R${insn.src} sign-extension part of pointer`, `sign-extending the pointer in R${insn.src} would leak part of an address`);
      writeDst(st, dst, unknownScalar());
      return;
    }
    writeDst(st, dst, scalarReg(signExtend(src.b, insn.off as 8 | 16 | 32, width)));
    return;
  }
  const d = readReg(st, dst);
  if (spec.shape === 'neg' || spec.shape === 'end') {
    if (isPointer(d)) {
      if (!env.priv) reject(`R${dst} pointer arithmetic prohibited`, `R${dst} holds a pointer (${typeName(d.type)}); ${op} on it is not allowed`);
      writeDst(st, dst, unknownScalar());
      return;
    }
    writeDst(st, dst, scalarReg(spec.shape === 'neg' ? scalarNeg(d.b, width) : byteSwap(d.b, op, insn.imm)));
    return;
  }
  let s: Reg;
  if (spec.shape === 'alu_imm') {
    s = scalarReg(known(BigInt(insn.imm)));
    if ((op === 'div' || op === 'mod' || op === 'sdiv' || op === 'smod') && insn.imm === 0) reject('div by zero', 'division by the constant 0');
    if ((op === 'lsh' || op === 'rsh' || op === 'arsh') && (insn.imm < 0 || insn.imm >= width)) reject(`invalid shift ${insn.imm}`, `a ${width}-bit shift by ${insn.imm} is undefined: the amount must be 0..${width - 1}`);
  } else {
    s = readReg(st, insn.src);
  }
  if (isPointer(d) || isPointer(s)) {
    // The scalar offset decides where the pointer points: its value must be precise.
    if (spec.shape === 'alu_reg' && isPointer(d) !== isPointer(s)) env.precise(st, [isPointer(d) ? insn.src : dst]);
    writeDst(st, dst, pointerAlu(env, insn, d, s, width));
    return;
  }
  if (op === 'div' || op === 'mod' || op === 'sdiv' || op === 'smod') {
    // The kernel keeps no bounds across division (division by 0 yields 0 or the dividend).
    writeDst(st, dst, scalarReg(width === 32 ? zext32(unknown()) : unknown()));
    return;
  }
  writeDst(st, dst, scalarReg(scalarAlu(op as AluOp, d.b, s.b, width)));
}

function byteSwap(b: Bounds, op: string, bits: number): Bounds {
  const bytes = bits / 8;
  if (op === 'le') return truncate(b, bytes);
  // Permute the bytes of the known bits: value and mask swap the same way.
  const swap = (x: bigint): bigint => {
    let r = 0n;
    for (let i = 0; i < bytes; i++) r = (r << 8n) | ((x >> BigInt(8 * i)) & 0xffn);
    return r;
  };
  const out = unknown();
  out.t = { v: swap(b.t.v), m: swap(b.t.m) };
  return truncate({ ...out, umax: (1n << BigInt(bits)) - 1n, umin: 0n, smin: 0n }, bytes);
}

const unboundedMin = (b: Bounds): boolean => b.smin === S64_MIN;

const PROHIBITED = 'pointer arithmetic with it prohibited for !root';

/**
 * Spectre v1 (sanitize_ptr_alu): without CAP_PERFMON, pointer += register must be maskable
 * at run time: only stack and map value pointers, an offset that does not mix signs, and a
 * result that stays within the object.
 */
function sanitize(env: Env, insn: Insn, ptr: Reg, off: Reg, ptrRegno: number, offRegno: number): void {
  const op = insn.spec.op;
  if (!isConst(off.b)) env.flags.aluLimits = true;
  const spectre = 'without CAP_PERFMON the kernel must be able to mask the offset against speculative out-of-bounds access';
  if (!isConst(off.b) && (off.b.smin < 0n) !== (off.b.smax < 0n)) {
    reject(`R${offRegno} has unknown scalar with mixed signed bounds, ${PROHIBITED}`, `R${offRegno} may be negative or positive; ${spectre}: bound it to one sign first`);
  }
  if (ptr.type !== 'fp' && ptr.type !== 'map_value') {
    reject(`R${ptrRegno} has pointer with unsupported alu operation, ${PROHIBITED}`,
      `R${ptrRegno} is a ${typeName(ptr.type)} pointer; adding a register to it needs CAP_PERFMON (${spectre}, which works only for stack and map value pointers)`);
  }
  const maskLeft = (op === 'add' && off.b.smin < 0n) || (op === 'sub' && off.b.smin >= 0n);
  const max = ptr.type === 'fp' ? 512 + (maskLeft ? 1 : 0) : env.input.maps[ptr.map]?.valueSize ?? 0;
  const limit = ptr.type === 'fp' ? -(Number(BigInt.asIntN(64, ptr.b.t.v)) + ptr.off) : Number(maskLeft ? ptr.b.smin : ptr.b.umax) + ptr.off;
  if (limit >= max) {
    reject(`R${insn.dst} tried to ${op} beyond pointer bounds, ${PROHIBITED}`, `R${insn.dst} would point outside its object; ${spectre}`);
  }
}

function pointerAlu(env: Env, insn: Insn, d: Reg, s: Reg, width: 32 | 64): Reg {
  const op = insn.spec.op;
  const dst = insn.dst;
  const str = ALU_STRING[op] ?? op;
  if (isPointer(d) && isPointer(s)) {
    // Any width: the kernel makes the result an unknown scalar (clang emits w2 -= w1 for a length).
    if (op === 'sub') {
      if (!env.priv) reject(`R${dst} pointer -= pointer prohibited`, 'subtracting pointers needs CAP_PERFMON');
      return unknownScalar();
    }
    reject(`R${dst} pointer ${str} pointer prohibited`, `R${dst} and R${insn.src} both hold pointers; only pointer - pointer is allowed`);
  }
  const ptr = isPointer(d) ? d : s;
  const off = isPointer(d) ? s : d;
  const ptrRegno = isPointer(d) ? dst : insn.src;
  if (width === 32) reject(`R${dst} 32-bit pointer arithmetic prohibited`, `R${ptrRegno} holds a pointer (${typeName(ptr.type)}); pointer arithmetic must be 64-bit`);
  if (op === 'and' || op === 'or' || op === 'xor') reject(`R${dst} bitwise operator ${str} on pointer prohibited`, `R${ptrRegno} holds a pointer (${typeName(ptr.type)}); bitwise operations on pointers are not allowed`);
  if (op !== 'add' && op !== 'sub') reject(`R${dst} pointer arithmetic with ${str} operator prohibited`, `R${ptrRegno} holds a pointer (${typeName(ptr.type)}); only + and - of a number are allowed`);
  if (op === 'sub' && !isPointer(d)) reject(`R${dst} tried to subtract pointer from scalar`, `R${dst} - R${insn.src} subtracts a pointer from a number`);
  const kind = typeName(ptr.type);
  switch (ptr.type) {
    case 'map_value_or_null':
    case 'map_ptr_or_null':
    case 'ringbuf_mem_or_null':
    case 'mem_or_null':
    case 'btf_ptr_or_null':
      reject(`R${dst} pointer arithmetic on ${kind} prohibited, null-check it first`, `R${ptrRegno} may be NULL: compare it with 0 before doing arithmetic on it`);
    // eslint-disable-next-line no-fallthrough
    case 'map_ptr':
      if (isConst(off.b) && off.b.t.v === 0n && op === 'add') return ptr;
      reject(`R${dst} pointer arithmetic on ${kind} prohibited`, `R${ptrRegno} is a map reference, not a pointer into memory: it cannot be moved`);
    // eslint-disable-next-line no-fallthrough
    case 'pkt_end':
    case 'func':
      reject(`R${dst} pointer arithmetic on ${kind} prohibited`,
        ptr.type === 'pkt_end' ? `R${ptrRegno} is data_end; compare packet pointers with it, but do not move it (move the data pointer instead)` : `R${ptrRegno} cannot be moved`);
  }
  // The kernel's order: sane offsets, then Spectre sanitation, then the per-op rules.
  const sane = (): void => {
    if (!env.priv && insn.spec.shape === 'alu_reg') sanitize(env, insn, ptr, off, ptrRegno, isPointer(d) ? insn.src : dst);
  };
  if (isConst(off.b)) {
    const v = BigInt.asIntN(64, off.b.t.v);
    if (v >= BigInt(MAX_VAR_OFF) || v <= -BigInt(MAX_VAR_OFF)) reject(`math between ${kind} pointer and ${v} is not allowed`, `adding ${v} to a ${kind} pointer is out of any valid range`);
  } else {
    if (unboundedMin(off.b)) {
      reject(`math between ${kind} pointer and register with unbounded min value is not allowed`,
        `pointer arithmetic with an unbounded value: R${isPointer(d) ? insn.src : dst} may be any number, so ${kind} + R${isPointer(d) ? insn.src : dst} could point anywhere; bound it first (e.g. if (x > N) return, or x &= mask)`);
    }
    if (off.b.smin >= BigInt(MAX_VAR_OFF) || off.b.smin <= -BigInt(MAX_VAR_OFF)) {
      reject(`value ${off.b.smin} makes ${kind} pointer be out of bounds`, `adding at least ${off.b.smin} to a ${kind} pointer leaves any valid range`);
    }
  }
  sane();
  if (ptr.type === 'fp' && op === 'sub') reject(`R${dst} subtraction from stack pointer prohibited`, 'the kernel does not allow subtracting from a stack pointer; add a negative number instead (r1 += -8)');
  if (isConst(off.b)) {
    const v = BigInt.asIntN(64, off.b.t.v);
    const n = ptr.off + Number(op === 'add' ? v : -v);
    if (n >= MAX_VAR_OFF || n <= -MAX_VAR_OFF) reject(`${kind} pointer offset ${n} is not allowed`, `the ${kind} pointer's offset ${n} is out of range`);
    return { ...ptr, off: n };
  }
  if (ptr.type === 'fp' && !env.priv) reject(`R${dst} variable stack access prohibited for !root, off=${ptr.off}`, 'a stack pointer with a variable offset needs CAP_PERFMON');
  const b = scalarAlu(op as AluOp, ptr.b, off.b, 64);
  const out: Reg = { ...ptr, b };
  if (isPkt(ptr)) return { ...out, id: env.nextId(), range: 0 };
  return out;
}
