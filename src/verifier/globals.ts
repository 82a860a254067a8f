// Global (non-static) functions (btf_prepare_func_args, btf_check_func_arg_match): the
// kernel verifies each one once, on its own, for any arguments that match its BTF prototype,
// and a caller only checks that its arguments match. Pointer arguments are the context
// (`struct xdp_md *` or `__arg_ctx`) or memory of the pointee's size, NULL allowed unless
// `__arg_nonnull`; integers and enums are unknown scalars; the result is an unknown scalar.
import type { BpfProgram, Btf, BtfType } from '../elf/index.js';
import { checkAccess } from './access.js';
import { memArg } from './call.js';
import type { Env } from './env.js';
import { Reject, reject } from './reject.js';
import { isNullable, ptrReg, typeName, unknownScalar, type Reg } from './reg.js';
import { isConst } from './scalar.js';
import { stackRange } from './stack.js';
import { newFrame, type State } from './state.js';

export type GlobalArg = { kind: 'ctx' } | { kind: 'scalar' } | { kind: 'mem'; size: number; nullable: boolean };

export interface GlobalProto {
  name: string;
  args: GlobalArg[];
  /** Why the kernel refuses the prototype (its message), if it does. */
  bad?: string;
}

const MODIFIERS = new Set(['TYPEDEF', 'VOLATILE', 'CONST', 'RESTRICT', 'TYPE_TAG']);

function skip(btf: Btf, id: number): BtfType | undefined {
  let t = btf.get(id);
  while (t && MODIFIERS.has(t.kind)) t = btf.get((t as { type: number }).type);
  return t;
}

const isInt = (t: BtfType | undefined): boolean => t?.kind === 'INT' || t?.kind === 'ENUM' || t?.kind === 'ENUM64';

/** The prototype of each global function of a program, from the object's BTF. */
export function globalProtos(prog: Pick<BpfProgram, 'globalFuncs'>, btf: Btf | undefined): Map<number, GlobalProto> {
  const out = new Map<number, GlobalProto>();
  for (const g of prog.globalFuncs ?? []) {
    const proto = g.protoTypeId !== undefined && btf ? btf.get(g.protoTypeId) : undefined;
    if (!btf || !proto || proto.kind !== 'FUNC_PROTO') {
      out.set(g.slot, { name: g.name, args: [], bad: 'reference type: missing BTF func_info' });
      continue;
    }
    const tags = (i: number): string[] => btf.types.flatMap((t) => (t?.kind === 'DECL_TAG' && t.type === g.funcTypeId && t.componentIdx === i && t.name.startsWith('arg:') ? [t.name.slice(4)] : []));
    const p: GlobalProto = { name: g.name, args: [] };
    if (proto.params.length > 5) p.bad = `Global function ${g.name}() with ${proto.params.length} > 5 args. Buggy compiler.`;
    else if (!isInt(skip(btf, proto.returnType))) p.bad = `Global function ${g.name}() doesn't return scalar. Only those are supported.`;
    proto.params.forEach((param, i) => {
      if (p.bad) return;
      const tg = tags(i);
      const t = skip(btf, param.type);
      if (t?.kind !== 'PTR') {
        if (tg.length) p.bad = `arg#${i} has pointer tag, but is not a pointer type`;
        else if (isInt(t)) p.args.push({ kind: 'scalar' });
        else p.bad = `Arg#${i} type ${t?.kind.toLowerCase() ?? 'void'} in ${g.name}() is not supported yet.`;
        return;
      }
      const to = skip(btf, t.type);
      if (tg.includes('ctx') || (to?.kind === 'STRUCT' && to.name === 'xdp_md')) { p.args.push({ kind: 'ctx' }); return; }
      let size = -1;
      try { size = to ? btf.sizeOf(to.id) : -1; } catch { size = -1; }
      if (size <= 0) { p.bad = `arg#${i} reference type('${to ? to.kind : 'UNKNOWN'} ${to?.name ?? ''}') size cannot be determined: -22`; return; }
      p.args.push({ kind: 'mem', size, nullable: !tg.includes('nonnull') });
    });
    out.set(g.slot, p);
  }
  return out;
}

const funcLabel = (env: Env, slot: number, idx: number): string => `func#${idx} ('${env.input.funcNames?.get(slot) ?? `func@${slot}`}')`;

/** The caller's side of a call to a global function: the arguments must match the prototype. */
export function checkGlobalCall(env: Env, st: State, proto: GlobalProto, slot: number, idx: number): void {
  const fr = st.frames[st.frames.length - 1]!;
  const bad = (why: string, ours: string): never => reject(`${why}\nCaller passes invalid args into ${funcLabel(env, slot, idx)}`, ours);
  if (proto.bad) bad(proto.bad, `${proto.name}() has a prototype the kernel cannot verify on its own: ${proto.bad}`);
  proto.args.forEach((a, i) => {
    const regno = i + 1;
    const r = fr.regs[regno]!;
    if (r.type === 'not_init') reject(`R${regno} !read_ok`, `argument ${regno} of ${proto.name}() (R${regno}) is not set`);
    if (a.kind === 'scalar') {
      if (r.type !== 'scalar') bad(`R${regno} is not a scalar`, `argument ${regno} of ${proto.name}() must be a number, but R${regno} is a ${typeName(r.type)} pointer`);
    } else if (a.kind === 'ctx') {
      if (r.type === 'ctx' && (r.off !== 0 || !isConst(r.b) || r.b.t.v !== 0n)) bad(`R${regno} must have zero offset when passed to release func or trusted arg to kfunc`, `argument ${regno} of ${proto.name}() must be the unmodified context pointer`);
      if (r.type !== 'ctx') bad(`arg#${i} expects pointer to ctx`, `argument ${regno} of ${proto.name}() must be the context pointer, but R${regno} is ${r.type === 'scalar' ? 'a number' : `a ${typeName(r.type)} pointer`}`);
    } else {
      if (r.type === 'scalar' && isConst(r.b) && r.b.t.v === 0n) return;
      const p: Reg = isNullable(r) ? { ...r, type: r.type.slice(0, -'_or_null'.length) as Reg['type'] } : r;
      // The function may read and write the memory (check_mem_reg): stack bytes become data.
      const what = `argument ${regno} of ${proto.name}() (${a.size} bytes)`;
      try {
        memArg(env, st, p, regno, a.size, false, what);
        if (p.type === 'fp') stackRange(env, st, p, regno, a.size, true, what);
        else checkAccess(env, st, { regno, reg: p, off: 0, size: a.size, write: true, value: unknownScalar() });
      } catch (e) {
        if (!(e instanceof Reject)) throw e;
        throw new Reject(`${e.kernelMessage}\nCaller passes invalid args into ${funcLabel(env, slot, idx)}`, e.headline, e.counterexample, e.pc);
      }
      if (!a.nullable && isNullable(r)) bad(`arg#${i} is expected to be non-NULL`, `argument ${regno} of ${proto.name}() is declared __arg_nonnull, but R${regno} may be NULL`);
    }
  });
}

/** The state a global function is verified from: its arguments as the prototype describes them. */
export function globalEntry(env: Env, proto: GlobalProto, slot: number): State {
  const st: State = { frames: [newFrame(0, -1, slot)], refs: [], pc: slot, histLen: 0, first: slot, prevPc: -1, last: -1, acc: -1 };
  const regs = st.frames[0]!.regs;
  proto.args.forEach((a, i) => {
    regs[i + 1] = a.kind === 'ctx' ? ptrReg('ctx') : a.kind === 'scalar' ? unknownScalar()
      : ptrReg(a.nullable ? 'mem_or_null' : 'mem', { memSize: a.size, rw: true, ...(a.nullable ? { id: env.nextId() } : {}) });
  });
  return st;
}
