// Helper calls (check_helper_call): argument kinds, map compatibility, memory the helper
// reads or writes, and the effects (scratched r1-r5, r0, packet pointers, references).
import { HELPER_NAMES, helperName } from '../isa/index.js';
import { checkAccess, MAX_VAR_OFF } from './access.js';
import type { Env } from './env.js';
import { DEDICATED_MAPS, XDP_HELPERS, type ArgKind } from './helpers.js';
import { reject } from './reject.js';
import { isPkt, isPointer, NOT_INIT, ptrReg, typeName, unknownScalar, type Reg } from './reg.js';
import { isConst } from './scalar.js';
import { constStackValue, stackRange } from './stack.js';
import { MAP_TYPE } from '../elf/index.js';
import { mapAllRegs, top, type State } from './state.js';

const MEM_TYPES = ['fp', 'pkt', 'pkt_meta', 'map_value', 'ringbuf_mem', 'mem'];
const KEY_TYPES = ['fp', 'pkt', 'pkt_meta', 'map_value'];
const EXPECTED: Partial<Record<ArgKind, string>> = {
  map_ptr: 'map_ptr', ctx: 'ctx', func: 'func', ringbuf_mem: 'ringbuf_mem',
  map_key: 'fp, pkt, pkt_meta, map_key, map_value', map_value: 'fp, pkt, pkt_meta, map_key, map_value',
  map_value_uninit: 'fp, pkt, pkt_meta, map_key, map_value',
  mem: 'fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_',
  mem_or_null: 'fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_',
  mem_uninit: 'fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_',
  size: 'scalar', size_or_zero: 'scalar', alloc_size: 'scalar', stack_or_null: 'fp',
};
const ARG_WORDS: Partial<Record<ArgKind, string>> = {
  map_ptr: 'a map (lddw of a map)', ctx: 'the context pointer (r1 at entry)', map_key: 'a pointer to the key',
  map_value: 'a pointer to the value', map_value_uninit: 'a pointer to a value buffer', mem: 'a pointer to memory',
  mem_or_null: 'a pointer to memory or NULL', mem_uninit: 'a pointer to a buffer', size: 'a size', size_or_zero: 'a size',
  alloc_size: 'a constant size', ringbuf_mem: 'a ring buffer reservation', func: 'a callback function', stack_or_null: 'a stack pointer or NULL',
};

export interface CallOutcome {
  /** bpf_loop: the callback to run in a new frame, and its context argument. */
  callback?: { target: number; ctxArg: Reg };
}

/** Is `a` a helper argument that reads/writes memory described by the following size argument? */
const sizedMem = (k: ArgKind): boolean => k === 'mem' || k === 'mem_or_null' || k === 'mem_uninit';

export function helperCall(env: Env, st: State, id: number): CallOutcome {
  const fr = top(st);
  const name = id > 0 && id < HELPER_NAMES.length - 1 ? HELPER_NAMES[id]! : undefined;
  if (name === undefined) reject(`invalid func unknown#${id}`, `helper #${id} does not exist in the kernel`);
  const proto = XDP_HELPERS[name];
  const full = helperName(id);
  if (!proto || (proto.perfmon && !env.priv)) {
    reject(`program of this type cannot use helper ${full}#${id}`,
      proto ? `${full} needs CAP_PERFMON` : `${full} is not available to XDP programs`);
  }
  let mapIdx = -1;
  let allocSize = 0;
  let constKey: bigint | undefined;
  const out: CallOutcome = {};
  for (let i = 0; i < proto.args.length; i++) {
    const kind = proto.args[i]!;
    const regno = i + 1;
    const r = fr.regs[regno]!;
    if (r.type === 'not_init') reject(`R${regno} !read_ok`, `argument ${regno} of ${full} (R${regno}) is not set: it should be ${ARG_WORDS[kind] ?? 'a value'}`);
    const wrong = (extra = ''): never => reject(`R${regno} type=${typeName(r.type)} expected=${EXPECTED[kind] ?? 'scalar'}`,
      `argument ${regno} of ${full} must be ${ARG_WORDS[kind] ?? 'a number'}, but R${regno} is ${describe(r)}${extra}`);
    switch (kind) {
      case 'anything':
        if (isPointer(r) && !env.priv) reject(`R${regno} leaks addr into helper function`, `a pointer is passed to ${full} as a number (allowed only with CAP_PERFMON)`);
        break;
      case 'map_ptr': {
        if (r.type !== 'map_ptr') wrong();
        mapIdx = r.map;
        break;
      }
      case 'ctx':
        if (r.type !== 'ctx') wrong();
        if (r.off !== 0 || !isConst(r.b) || r.b.t.v !== 0n) reject(`dereference of modified ctx ptr R${regno} off=${r.off} disallowed`, `argument ${regno} of ${full} must be the unmodified context pointer`);
        break;
      case 'map_key':
      case 'map_value':
      case 'map_value_uninit': {
        if (!KEY_TYPES.includes(r.type)) wrong();
        if (mapIdx < 0) reject(`invalid map_ptr to access map->${kind === 'map_key' ? 'key' : 'value'}`, `${full} needs the map in R1 to size its argument`);
        const m = env.input.maps[mapIdx]!;
        const size = kind === 'map_key' ? m.keySize : m.valueSize;
        memArg(env, st, r, regno, size, kind === 'map_value_uninit', `${kind === 'map_key' ? 'key' : 'value'} of ${m.name} for ${full}`);
        if (kind === 'map_key' && (m.type === MAP_TYPE.ARRAY || m.type === MAP_TYPE.PERCPU_ARRAY)) {
          // A constant key from a spilled register: the lookup result depends on its value.
          const k = constStackValue(st, r, size);
          constKey = k?.value;
          if (k?.slot) env.precise(st, [], [k.slot]);
        }
        break;
      }
      case 'mem':
      case 'mem_uninit':
      case 'mem_or_null': {
        if (kind === 'mem_or_null' && r.type === 'scalar' && isConst(r.b) && r.b.t.v === 0n) { env.precise(st, [regno + 1]); i++; break; }
        if (!MEM_TYPES.includes(r.type)) wrong();
        const next = proto.args[i + 1];
        let size = 4; // check_mtu's u32 *mtu_len
        if (next === 'size' || next === 'size_or_zero') {
          size = sizeArg(fr.regs[regno + 1]!, regno + 1, next === 'size_or_zero', full);
          i++;
        }
        if (size > 0) memArg(env, st, r, regno, size, kind === 'mem_uninit', `argument ${regno} of ${full}`);
        if (next === 'size' || next === 'size_or_zero') env.precise(st, [regno + 1]);
        break;
      }
      case 'size':
      case 'size_or_zero':
        sizeArg(r, regno, kind === 'size_or_zero', full);
        env.precise(st, [regno]);
        break;
      case 'alloc_size':
        if (r.type !== 'scalar') wrong();
        if (!isConst(r.b)) reject(`R${regno} is not a known constant'`, `the size passed to ${full} must be a constant known at load time`);
        allocSize = Number(r.b.t.v);
        env.precise(st, [regno]);
        break;
      case 'ringbuf_mem':
        if (r.type !== 'ringbuf_mem') wrong(r.type === 'ringbuf_mem_or_null' ? ' (check it against NULL first)' : '');
        if (r.off !== 0 || !isConst(r.b) || r.b.t.v !== 0n) reject(`R${regno} must have zero offset when passed to release func`, `pass ${full} the pointer that ringbuf_reserve returned, not a pointer into it`);
        break;
      case 'func':
        if (r.type !== 'func') wrong();
        out.callback = { target: r.frame, ctxArg: fr.regs[regno + 1]! };
        break;
      case 'stack_or_null':
        if (!(r.type === 'fp' || (r.type === 'scalar' && isConst(r.b) && r.b.t.v === 0n))) wrong();
        break;
    }
  }
  if (mapIdx >= 0) {
    const m = env.input.maps[mapIdx]!;
    const dedicated = DEDICATED_MAPS[m.type];
    const okHelper = proto.mapTypes ? proto.mapTypes.includes(m.type) : dedicated === undefined || dedicated.includes(name);
    if (!okHelper || (dedicated && !dedicated.includes(name))) {
      reject(`cannot pass map_type ${m.type} into func ${full}#${id}`, `${full} cannot be used with map ${m.name} (map type ${m.type})`);
    }
  }
  if (name === 'tail_call') {
    // A constant index in range: the kernel records it (and so relies on its value).
    const r3 = fr.regs[3]!;
    if (r3.type === 'scalar' && isConst(r3.b) && r3.b.t.v < BigInt(env.input.maps[mapIdx]!.maxEntries)) env.precise(st, [3]);
  }
  if (name === 'loop') {
    // Flags 0 lets the kernel inline the loop; it relies on that value while every visit agrees.
    const r4 = fr.regs[4]!;
    const zero = r4.type === 'scalar' && isConst(r4.b) && r4.b.t.v === 0n;
    const inl = env.flags.loopInline.get(st.pc);
    if (inl === undefined || inl) {
      if (zero) env.precise(st, [4]);
      env.flags.loopInline.set(st.pc, zero && (inl === undefined || out.callback?.target === env.flags.loopTarget.get(st.pc)));
      if (inl === undefined && out.callback) env.flags.loopTarget.set(st.pc, out.callback.target);
    }
    env.precise(st, [1]);
  }
  if (proto.releasesRef) {
    const ref = fr.regs[1]!.refId;
    st.refs = st.refs.filter((x) => x.id !== ref);
    mapAllRegs(st, (x) => (x.refId === ref ? NOT_INIT : x));
  }
  if (proto.changesPkt) {
    mapAllRegs(st, (x) => (isPkt(x) || x.type === 'pkt_end' || ((x.type === 'mem' || x.type === 'mem_or_null') && !x.rw) ? (env.priv ? unknownScalar() : NOT_INIT) : x));
  }
  for (let r = 1; r <= 5; r++) fr.regs[r] = NOT_INIT;
  switch (proto.ret) {
    case 'integer': fr.regs[0] = unknownScalar(); break;
    case 'void': fr.regs[0] = NOT_INIT; break;
    case 'map_value_or_null': {
      // An array lookup with a constant in-range key cannot fail (kernel 6.16+).
      const m = env.input.maps[mapIdx]!;
      const inRange = constKey !== undefined && constKey < BigInt(m.maxEntries) && name === 'map_lookup_elem' &&
        (m.type === MAP_TYPE.ARRAY || m.type === MAP_TYPE.PERCPU_ARRAY);
      const inner = name === 'map_lookup_elem' ? env.innerMap(mapIdx) : undefined;
      // A map-in-map lookup yields the inner map (its template), or NULL.
      if (inner !== undefined) fr.regs[0] = ptrReg('map_ptr_or_null', { map: inner, id: env.nextId() });
      else fr.regs[0] = inRange ? ptrReg('map_value', { map: mapIdx }) : ptrReg('map_value_or_null', { map: mapIdx, id: env.nextId() });
      break;
    }
    case 'ringbuf_mem_or_null': {
      const id = env.nextId();
      const ref = env.nextId();
      st.refs = [...st.refs, { id: ref, pc: st.pc }];
      fr.regs[0] = ptrReg('ringbuf_mem_or_null', { id, refId: ref, memSize: allocSize });
      break;
    }
  }
  return out;
}

function describe(r: Reg): string {
  if (r.type === 'scalar') return isConst(r.b) ? `the number ${BigInt.asIntN(64, r.b.t.v)}` : 'a number';
  return `a ${typeName(r.type)} pointer`;
}

function sizeArg(r: Reg, regno: number, zeroOk: boolean, full: string): number {
  if (r.type !== 'scalar') reject(`R${regno} type=${typeName(r.type)} expected=scalar`, `argument ${regno} of ${full} must be a size, but R${regno} is a ${typeName(r.type)} pointer`);
  if (r.b.smin < 0n) reject(`R${regno} min value is negative, either use unsigned index or do a if (index >=0) check.`, `the size passed to ${full} in R${regno} may be negative`);
  if (r.b.umin === 0n && !zeroOk) reject(`R${regno} invalid zero-sized read: u64=[${r.b.umin},${r.b.umax}]`, `the size passed to ${full} in R${regno} may be 0`);
  if (r.b.umax >= BigInt(MAX_VAR_OFF)) reject(`R${regno} unbounded memory access, use 'var &= const' or 'if (var < const)'`, `the size passed to ${full} in R${regno} has no upper bound`);
  return Number(r.b.umax);
}

/** The helper touches `size` bytes at `r`: check them like a load or store of that many bytes. */
export function memArg(env: Env, st: State, r: Reg, regno: number, size: number, write: boolean, what: string): void {
  if (size === 0) reject('invalid zero-sized read', `${what}: the helper would access 0 bytes`);
  if (r.type === 'fp') { stackRange(env, st, r, regno, size, write, what); return; }
  checkAccess(env, st, { regno, reg: r, off: 0, size, write: false });
}
