// Stack accesses (check_stack_read/write, check_stack_range_initialized): per-byte contents,
// 8-byte-slot register spills, and which frame a stack pointer belongs to.
import type { Access } from './access.js';
import type { Env } from './env.js';
import { reject } from './reject.js';
import { constReg, isPointer, scalarReg, type Reg } from './reg.js';
import { isConst, urange, unknown } from './scalar.js';
import { truncate } from './scalar-alu.js';
import { Slot, STACK_SIZE, type Frame, type State } from './state.js';
import { tformat } from './tnum.js';

function frameOf(st: State, reg: Reg): Frame {
  return st.frames[reg.frame]!;
}

function noteDepth(env: Env, fr: Frame, lowest: number): void {
  const d = env.stackDepth.get(fr.subprog) ?? 0;
  if (-lowest > d) env.stackDepth.set(fr.subprog, -lowest);
}

const fits = (r: Reg, size: number): boolean => size >= 8 || r.b.umax < 1n << BigInt(size * 8);

/** Remove a spill whose slot is partly overwritten: its bytes become plain data. */
function scrub(fr: Frame, k: number): void {
  if (!fr.spills[k]) return;
  fr.spills[k] = undefined;
  for (let i = k * 8; i < k * 8 + 8; i++) if (fr.bytes[i] !== Slot.INVALID) fr.bytes[i] = Slot.MISC;
}

function bounds(regno: number, off: number, size: number, write: boolean, varOff?: string): void {
  if (off < -STACK_SIZE || off + size > 0) {
    const verb = write ? 'write to' : 'read from';
    reject(varOff === undefined
      ? `invalid ${verb} stack R${regno} off=${off} size=${size}`
      : `invalid variable-offset ${verb.split(' ')[0]} stack R${regno} var_off=${varOff} off=${off} size=${size}`,
    `stack access out of bounds: ${write ? 'write' : 'read'} of ${size} byte${size > 1 ? 's' : ''} at fp${off} (the stack is fp-512 up to fp-1)`);
  }
}

export function stackAccess(env: Env, st: State, a: Access): Reg | undefined {
  const { reg, regno, size, write } = a;
  const fr = frameOf(st, reg);
  if (!isConst(reg.b)) return varStackAccess(env, st, fr, a);
  const off = reg.off + a.off + Number(BigInt.asIntN(64, reg.b.t.v));
  if (off % size !== 0) reject(`misaligned stack access off ${isConst(reg.b) ? BigInt.asIntN(64, reg.b.t.v) : tformat(reg.b.t)}+${reg.off}+${a.off} size ${size}`, `stack access at fp${off} is not aligned to its size ${size}`);
  bounds(regno, off, size, write);
  noteDepth(env, fr, off);
  const base = off + STACK_SIZE;
  const k = base >> 3;
  if (!write) env.stackUse(st, reg.frame, k, (base + size - 1) >> 3, false);
  else if (size === 8) env.stackUse(st, reg.frame, k, k, true);
  if (write) {
    let v = a.value!;
    if (base % 8 === 0 && v.type === 'scalar') {
      // The register and its spilled copy are linked (a later check on one bounds both).
      if (!fits(v, size)) v = { ...v, id: 0 };
      else if (v.id === 0 && !isConst(v.b) && a.valueRegno !== undefined) {
        v = { ...v, id: env.nextId() };
        st.frames[st.frames.length - 1]!.regs[a.valueRegno] = v;
      }
      st.acc = reg.frame * 64 + k;
      fr.spills[k] = { reg: v, size };
      for (let i = 0; i < 8; i++) {
        if (i < size) fr.bytes[base + i] = Slot.SPILL;
        else if (fr.bytes[base + i] === Slot.SPILL || (fr.bytes[base + i] === Slot.INVALID && !env.priv)) fr.bytes[base + i] = Slot.MISC;
      }
      return undefined;
    }
    if (isPointer(v)) {
      if (size !== 8) reject('invalid size of register spill', `a pointer (${v.type}) can only be saved to the stack as 8 bytes, not ${size}`);
      if (v.type === 'fp' && reg.frame !== st.frames.length - 1) reject('cannot spill pointers to stack into stack frame of the caller', 'a stack pointer cannot be stored in the caller\'s stack frame');
      fr.spills[k] = { reg: v, size: 8 };
      fr.bytes.fill(Slot.SPILL, base, base + 8);
      st.acc = reg.frame * 64 + k;
      return undefined;
    }
    scrub(fr, k);
    const zero = v.type === 'scalar' && isConst(v.b) && v.b.t.v === 0n;
    // STACK_ZERO relies on the stored register being exactly 0.
    if (zero && !a.isImm && a.valueRegno !== undefined) env.precise(st, [a.valueRegno]);
    fr.bytes.fill(zero ? Slot.ZERO : Slot.MISC, base, base + size);
    return undefined;
  }
  // Read.
  const sp = fr.spills[k];
  if (sp && fr.bytes[base] === Slot.SPILL) {
    if (sp.reg.type !== 'scalar') {
      if (size !== 8 || base % 8 !== 0) reject('invalid size of register fill', `a spilled pointer (${sp.reg.type}) at fp${off - (base % 8)} must be read back as 8 bytes`);
      st.acc = reg.frame * 64 + k;
      return sp.reg;
    }
    if (base % 8 === 0 && size === sp.size) {
      st.acc = reg.frame * 64 + k;
      if (a.signExt && size < 8) return scalarReg(truncate(sp.reg.b, size));
      // The filled register stays linked to its spilled copy.
      if (sp.reg.id === 0 && !isConst(sp.reg.b) && (size === 8 || size === 4)) fr.spills[k] = { reg: { ...sp.reg, id: env.nextId() }, size };
      return fr.spills[k]!.reg;
    }
    if (base % 8 === 0 && size < sp.size) {
      st.acc = reg.frame * 64 + k;
      return fits(sp.reg, size) ? sp.reg : loaded(size);
    }
  }
  let allZero = true, spilled = 0;
  for (let i = 0; i < size; i++) {
    const t = fr.bytes[base + i]!;
    if (t !== Slot.ZERO) allZero = false;
    if (t === Slot.SPILL) spilled++;
    if (t === Slot.INVALID && !env.priv) {
      // Below the deepest slot this path has written, the kernel has no stack state at all.
      reject(off < -allocated(fr) ? `invalid read from stack R${regno} off=${off} size=${size}` : `invalid read from stack off ${off}+${i} size ${size}`,
        `stack read of uninitialised bytes: fp${off + i} is read (${size}-byte load at fp${off}) before anything is written there`,
        'without CAP_PERFMON the kernel refuses to let a program read stack bytes it has not written');
    }
    if (t === Slot.SPILL) {
      const s = fr.spills[(base + i) >> 3];
      if (s && s.reg.type !== 'scalar') reject('invalid size of register fill', `part of a spilled pointer (${s.reg.type}) is read as data`);
    }
  }
  // Part of a spilled zero is still a register fill (and so in the history); zero bytes are not.
  if (spilled === size && sp && sp.reg.type === 'scalar' && isConst(sp.reg.b) && sp.reg.b.t.v === 0n) {
    st.acc = reg.frame * 64 + k;
    return constReg(0n);
  }
  return allZero ? constReg(0n) : loaded(size);
}

/** Bytes of stack the kernel has allocated state for on this path (deepest written slot). */
function allocated(fr: Frame): number {
  const i = fr.bytes.findIndex((b) => b !== Slot.INVALID);
  return i < 0 ? 0 : STACK_SIZE - (i & ~7);
}

const loaded = (size: number): Reg => scalarReg(size >= 8 ? unknown() : urange(0n, (1n << BigInt(size * 8)) - 1n));

function varStackAccess(env: Env, st: State, fr: Frame, a: Access): Reg | undefined {
  const { reg, regno, size, write } = a;
  if (!env.priv) reject(`R${regno} variable stack access prohibited for !root, off=${reg.off}`, `R${regno} points into the stack at a variable offset, which needs CAP_PERFMON`);
  const lo = reg.off + a.off + Number(reg.b.smin);
  const hi = reg.off + a.off + Number(reg.b.smax);
  const vo = tformat(reg.b.t);
  if (reg.b.smin < -BigInt(STACK_SIZE) || reg.b.smax > BigInt(STACK_SIZE)) bounds(regno, -STACK_SIZE - 1, size, write, vo);
  bounds(regno, lo, size, write, vo);
  bounds(regno, hi, size, write, vo);
  noteDepth(env, fr, lo);
  if (!write) env.stackUse(st, reg.frame, (lo + STACK_SIZE) >> 3, (hi + size - 1 + STACK_SIZE) >> 3, false);
  for (let off = lo; off < hi + size; off++) {
    const i = off + STACK_SIZE;
    if (write) { scrub(fr, i >> 3); fr.bytes[i] = Slot.MISC; continue; }
    const t = fr.bytes[i]!;
    if (t === Slot.INVALID && !env.priv) reject(`invalid variable-offset read from stack R${regno} var_off=${vo} off=${lo} size=${size}`, `stack read may touch uninitialised bytes at fp${off}`);
  }
  void st;
  return write ? undefined : loaded(size);
}

/**
 * A helper reads (or, `write`, fills) `size` stack bytes at the pointer: check bounds and,
 * for reads, initialisation. Writes make the bytes plain data.
 */
export function stackRange(env: Env, st: State, reg: Reg, regno: number, size: number, write: boolean, what: string): void {
  const fr = frameOf(st, reg);
  if (!isConst(reg.b) && !env.priv) reject(`R${regno} variable stack access prohibited for !root, off=${reg.off}`, `R${regno} points into the stack at a variable offset, which needs CAP_PERFMON`);
  const lo = reg.off + Number(reg.b.smin);
  const hi = reg.off + Number(reg.b.smax);
  if (lo < -STACK_SIZE || hi + size > 0 || size < 0) {
    reject(`invalid indirect access to stack R${regno} off=${lo} size=${size}`,
      `${what}: ${size} bytes at fp${lo} do not fit in the stack (fp-512 up to fp-1)`);
  }
  noteDepth(env, fr, lo);
  const b0 = lo + STACK_SIZE, b1 = hi + size + STACK_SIZE;
  if (!write) env.stackUse(st, reg.frame, b0 >> 3, (b1 - 1) >> 3, false);
  else if (lo === hi && (b1 >> 3) - 1 >= (b0 + 7) >> 3) env.stackUse(st, reg.frame, (b0 + 7) >> 3, (b1 >> 3) - 1, true);
  for (let off = lo; off < hi + size; off++) {
    const i = off + STACK_SIZE;
    if (write) {
      const sp = fr.spills[i >> 3];
      if (sp) { fr.spills[i >> 3] = undefined; for (let j = (i >> 3) * 8; j < (i >> 3) * 8 + 8; j++) fr.bytes[j] = Slot.MISC; }
      fr.bytes[i] = Slot.MISC;
      continue;
    }
    const t = fr.bytes[i]!;
    if (t === Slot.INVALID && !env.priv) {
      reject(`invalid indirect read from stack R${regno} off ${lo}+${off - lo} size ${size}`,
        `${what}: byte fp${off} is passed to the helper before it is written`);
    }
    if (t === Slot.SPILL) {
      const sp = fr.spills[i >> 3];
      if (sp && sp.reg.type !== 'scalar' && !env.priv) reject(`invalid indirect read from stack R${regno} off ${lo}+${off - lo} size ${size}`, `${what}: a spilled pointer would be passed to the helper as data`);
    }
  }
}

/**
 * The constant `size` bytes at a stack pointer hold, if known (array map keys), and the
 * slot (frame, index) of the spilled register it came from.
 */
export function constStackValue(st: State, reg: Reg, size: number): { value: bigint; slot?: [number, number] } | undefined {
  if (reg.type !== 'fp' || !isConst(reg.b)) return undefined;
  const fr = frameOf(st, reg);
  const off = reg.off + Number(BigInt.asIntN(64, reg.b.t.v));
  const base = off + STACK_SIZE;
  if (base < 0 || base + size > STACK_SIZE) return undefined;
  const sp = fr.spills[base >> 3];
  if (base % 8 === 0 && sp && sp.reg.type === 'scalar' && sp.size === size && isConst(sp.reg.b) && fr.bytes[base] === Slot.SPILL) {
    return { value: sp.reg.b.t.v & ((1n << BigInt(size * 8)) - 1n), slot: [reg.frame, base >> 3] };
  }
  for (let i = 0; i < size; i++) if (fr.bytes[base + i] !== Slot.ZERO) return undefined;
  return { value: 0n };
}
