// Load, store and atomic instructions: find the base pointer, check the access, move values.
import type { Insn } from '../isa/index.js';
import { checkAccess } from './access.js';
import { readReg } from './alu.js';
import type { Env } from './env.js';
import { reject } from './reject.js';
import { isPointer, scalarReg, typeName, unknownScalar } from './reg.js';
import { known, unknown, urange } from './scalar.js';
import { top, type State } from './state.js';

export function loadInsn(env: Env, st: State, insn: Insn): void {
  const base = readReg(st, insn.src);
  if (insn.dst === 10) reject('frame pointer is read only', 'r10 is the frame pointer and cannot be loaded into');
  const v = checkAccess(env, st, { regno: insn.src, reg: base, off: insn.off, size: insn.spec.width / 8, write: false, signExt: insn.spec.shape === 'ldxs' });
  top(st).regs[insn.dst] = v ?? unknownScalar();
}

export function storeInsn(env: Env, st: State, insn: Insn): void {
  const base = readReg(st, insn.dst);
  const size = insn.spec.width / 8;
  if (insn.spec.shape === 'st') {
    checkAccess(env, st, { regno: insn.dst, reg: base, off: insn.off, size, write: true, value: scalarReg(known(BigInt(insn.imm))), isImm: true });
    return;
  }
  const value = readReg(st, insn.src);
  if (base.type === 'ctx' && isPointer(value) && !env.priv) reject(`R${insn.src} leaks addr into ctx`, 'a pointer would be written into the context');
  checkAccess(env, st, { regno: insn.dst, reg: base, off: insn.off, size, write: true, value, valueRegno: insn.src });
}

export function atomicInsn(env: Env, st: State, insn: Insn): void {
  const base = readReg(st, insn.dst);
  const value = readReg(st, insn.src);
  const size = insn.spec.width / 8;
  const op = insn.spec.op;
  if (base.type !== 'fp' && base.type !== 'map_value' && base.type !== 'ringbuf_mem') {
    const k = typeName(base.type);
    if (base.type === 'ctx' || base.type === 'pkt' || base.type === 'pkt_meta') {
      reject(`BPF_ATOMIC stores into R${insn.dst} ${k} is not allowed`, `atomic operations work on the stack and on map values, not on ${k === 'ctx' ? 'the context' : 'packet data'}`);
    }
  }
  if (isPointer(value)) {
    if (!env.priv) reject(`R${insn.src} leaks addr into mem`, 'a pointer would be written by an atomic operation');
    if (op !== 'xchg' && op !== 'cmpxchg') reject(`R${insn.src} leaks addr into mem`, 'atomic arithmetic on a pointer value is not allowed');
  }
  if (op === 'cmpxchg') readReg(st, 0, ' (cmpxchg compares with R0)');
  // The old value is read, then the new one written.
  checkAccess(env, st, { regno: insn.dst, reg: base, off: insn.off, size, write: false });
  checkAccess(env, st, { regno: insn.dst, reg: base, off: insn.off, size, write: true, value: scalarReg(unknown()), valueRegno: insn.src });
  const old = scalarReg(size === 8 ? unknown() : urange(0n, 0xffffffffn));
  if (op === 'cmpxchg') top(st).regs[0] = old;
  else if (op.startsWith('fetch') || op === 'xchg') top(st).regs[insn.src] = old;
}
