// The kernel functions (kfuncs) XDP programs use, by name: dynptrs over the packet, slices
// of them, conntrack lookups (acquire/release), and the RX metadata kfuncs that only
// device-bound programs may call. Other kfuncs are refused with the kernel's message.
import { checkAccess } from './access.js';
import { memArg } from './call.js';
import type { Env } from './env.js';
import { reject } from './reject.js';
import { NOT_INIT, ptrReg, typeName, unknownScalar, type Reg } from './reg.js';
import { isConst } from './scalar.js';
import { stackRange } from './stack.js';
import { mapAllRegs, Slot, STACK_SIZE, top, type State } from './state.js';

/** RX metadata kfuncs and the sizes of the pointers they fill. */
const METADATA: Record<string, number[]> = {
  bpf_xdp_metadata_rx_hash: [4, 4],
  bpf_xdp_metadata_rx_timestamp: [8],
  bpf_xdp_metadata_rx_vlan_tag: [2, 2],
};
const KNOWN = new Set(['bpf_dynptr_from_xdp', 'bpf_dynptr_slice', 'bpf_xdp_ct_lookup', 'bpf_ct_release', ...Object.keys(METADATA)]);

/** Structure check (before analysis), as the kernel's add_kfunc_call and fixup. */
export function checkKfunc(name: string, slot: number, offload: boolean): void {
  if (!KNOWN.has(name)) reject(`calling kernel function ${name} is not allowed`, `instruction ${slot} calls ${name}, which XDP programs cannot use (or xdplab does not model)`, undefined, slot);
  if (METADATA[name] && !offload) {
    reject('metadata kfuncs require device-bound program', `${name} reads NIC receive metadata: only a program bound to a device (loaded for one NIC) may call it`, undefined, slot);
  }
}

const DYNPTR: Reg = ptrReg('dynptr');

function arg(st: State, regno: number, name: string): Reg {
  const r = top(st).regs[regno]!;
  if (r.type === 'not_init') reject(`R${regno} !read_ok`, `argument ${regno} of ${name} (R${regno}) is not set`);
  return r;
}

function ctxArg(st: State, name: string): void {
  const r = arg(st, 1, name);
  if (r.type !== 'ctx') reject(`arg#0 expected pointer to ctx, but got ${typeName(r.type)}`, `argument 1 of ${name} must be the context pointer (r1 at entry)`);
}

function constArg(st: State, regno: number, name: string): number {
  const r = arg(st, regno, name);
  if (r.type !== 'scalar' || !isConst(r.b)) reject(`R${regno} must be a known constant`, `argument ${regno} of ${name} (a size) must be a constant known at load time`);
  return Number(r.b.t.v);
}

/** A stack pointer at a constant, 8-byte aligned offset: the first byte's index. */
function dynptrBase(env: Env, st: State, regno: number, name: string, init: boolean): { fr: State['frames'][number]; base: number } {
  const r = arg(st, regno, name);
  if (r.type !== 'fp' || !isConst(r.b)) reject(`arg#${regno - 1} expected pointer to stack or const struct bpf_dynptr`, `argument ${regno} of ${name} must point to a struct bpf_dynptr on the stack`);
  const off = r.off + Number(BigInt.asIntN(64, r.b.t.v));
  if (off % 8 !== 0) reject(`cannot pass in dynptr at an offset=${off}`, `the struct bpf_dynptr at fp${off} must be 8-byte aligned`);
  const fr = st.frames[r.frame]!;
  const base = off + STACK_SIZE;
  if (!init) env.stackUse(st, r.frame, base >> 3, (base >> 3) + 1, false);
  if (init) {
    stackRange(env, st, r, regno, 16, true, `the dynptr of ${name}`);
  } else if (base < 0 || base + 16 > STACK_SIZE || fr.spills[base >> 3]?.reg.type !== 'dynptr' || fr.spills[(base >> 3) + 1]?.reg.type !== 'dynptr') {
    reject(`Expected an initialized dynptr as arg #${regno - 1}`, `argument ${regno} of ${name} must be a dynptr set up by bpf_dynptr_from_xdp on this path`);
  }
  return { fr, base };
}

export function kfuncCall(env: Env, st: State, slot: number, name: string): void {
  const fr = top(st);
  let ret: Reg = unknownScalar();
  switch (name) {
    case 'bpf_dynptr_from_xdp': {
      ctxArg(st, name);
      arg(st, 2, name);
      const { fr: f, base } = dynptrBase(env, st, 3, name, true);
      for (const k of [base >> 3, (base >> 3) + 1]) { f.spills[k] = { reg: DYNPTR, size: 8 }; f.bytes.fill(Slot.SPILL, k * 8, k * 8 + 8); }
      break;
    }
    case 'bpf_dynptr_slice': {
      dynptrBase(env, st, 1, name, false);
      if (arg(st, 2, name).type !== 'scalar') reject(`R2 is not a scalar`, `argument 2 of ${name} (the offset) must be a number`);
      const size = constArg(st, 4, name);
      env.precise(st, [4]);
      const buf = arg(st, 3, name);
      if (!(buf.type === 'scalar' && isConst(buf.b) && buf.b.t.v === 0n) && size > 0) memArg(env, st, buf, 3, size, true, `the buffer of ${name}`);
      ret = ptrReg('mem_or_null', { id: env.nextId(), memSize: size });
      break;
    }
    case 'bpf_xdp_ct_lookup': {
      ctxArg(st, name);
      const tsz = constArg(st, 3, name);
      const osz = constArg(st, 5, name);
      env.precise(st, [3, 5]);
      memArg(env, st, arg(st, 2, name), 2, tsz, false, `the tuple of ${name}`);
      // opts is read and written (opts->error).
      const opts = arg(st, 4, name);
      if (opts.type === 'fp') stackRange(env, st, opts, 4, osz, false, `the options of ${name}`);
      else checkAccess(env, st, { regno: 4, reg: opts, off: 0, size: osz, write: true, value: unknownScalar() });
      const ref = env.nextId();
      st.refs = [...st.refs, { id: ref, pc: slot, what: 'the conntrack entry looked up' }];
      ret = ptrReg('btf_ptr_or_null', { id: env.nextId(), refId: ref });
      break;
    }
    case 'bpf_ct_release': {
      const r = arg(st, 1, name);
      if (r.type !== 'btf_ptr' || !r.refId) reject(`R1 must be referenced or trusted`, `argument 1 of ${name} must be a conntrack entry from bpf_xdp_ct_lookup, checked against NULL`);
      st.refs = st.refs.filter((x) => x.id !== r.refId);
      mapAllRegs(st, (x) => (x.refId === r.refId ? NOT_INIT : x));
      break;
    }
    default: {
      const sizes = METADATA[name]!;
      ctxArg(st, name);
      sizes.forEach((size, k) => memArg(env, st, arg(st, k + 2, name), k + 2, size, true, `argument ${k + 2} of ${name}`));
    }
  }
  for (let r = 1; r <= 5; r++) fr.regs[r] = NOT_INIT;
  fr.regs[0] = ret;
}
