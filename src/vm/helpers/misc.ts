// The small helpers: csum_diff, time, randomness, the CPU id, tail calls and the FIB.
import { fail } from '../../diag/index.js';
import { MAP_TYPE } from '../../elf/index.js';
import type { HelperFn } from '../call.js';
import { STACK_BYTES } from '../memory.js';
import { csumDiff } from './csum.js';
import { ctxArg, hi, mapArg, memArg, ret, u32, type HelperEnv } from './env.js';
import { AF_INET, AF_INET6, BPF_FIB_LKUP_RET, FIB_FLAGS_MASK, FIB_PARAMS_SIZE } from './fib.js';

const EINVAL = 22, EAFNOSUPPORT = 97;
const EMPTY = new Uint8Array(0);

export function miscHelpers(env: HelperEnv): Record<string, HelperFn> {
  const now: HelperFn = (vm) => { const c = env.clock; vm.setR0(c.lo, c.hi); c.advance(1); };
  return {
    csum_diff: (vm) => {
      const fromSize = u32(vm, 2), toSize = u32(vm, 4);
      if (((fromSize | toSize) & 3) !== 0) return ret(vm, -EINVAL);
      const from = fromSize ? memArg(vm, 1, fromSize, false) : EMPTY;
      const to = toSize ? memArg(vm, 3, toSize, false) : EMPTY;
      vm.setR0(csumDiff(from, to, u32(vm, 5)) | 0, 0);
    },
    ktime_get_ns: now,
    ktime_get_boot_ns: now,
    get_prandom_u32: (vm) => vm.setR0(env.random() | 0, 0),
    get_smp_processor_id: (vm) => vm.setR0(env.cpu, 0),
    tail_call: (vm) => {
      ctxArg(vm, 'bpf_tail_call');
      const map = mapArg(vm, env, 2, 'bpf_tail_call');
      if (map.spec.type !== MAP_TYPE.PROG_ARRAY) fail('fault', `bpf_tail_call needs a prog_array; '${map.spec.name}' is not one`, { pc: vm.pc });
      if (!env.tailCall(map, u32(vm, 3))) return; // no program there, or 33 tail calls already: go on
      if (vm.regs[20] !== STACK_BYTES) {
        fail('fault', 'bpf_tail_call from inside a BPF-to-BPF subprogram is not supported by xdplab', { pc: vm.pc, condition: 'tail calls are made from the main program' });
      }
      vm.stop();
    },
    fib_lookup: (vm) => {
      ctxArg(vm, 'bpf_fib_lookup');
      const plen = u32(vm, 3);
      const flags = vm.regs[8]! >>> 0;
      if (plen < FIB_PARAMS_SIZE || hi(vm, 4) !== 0 || (flags & ~FIB_FLAGS_MASK) !== 0) return ret(vm, -EINVAL);
      const p = memArg(vm, 2, FIB_PARAMS_SIZE, true);
      const dv = new DataView(p.buffer, p.byteOffset, FIB_PARAMS_SIZE);
      const family = p[0]!;
      if (family !== AF_INET && family !== AF_INET6) return ret(vm, -EAFNOSUPPORT);
      if (!env.fib) return ret(vm, BPF_FIB_LKUP_RET.NOT_FWDED);
      const n = family === AF_INET ? 4 : 16;
      const a = env.fib.lookup({
        family, src: p.slice(16, 16 + n), dst: p.slice(32, 32 + n), ifindex: dv.getUint32(8, true),
        l4Protocol: p[1]!, sport: dv.getUint16(2, false), dport: dv.getUint16(4, false), totLen: dv.getUint16(6, true), flags,
      });
      if (a.mtu !== undefined && (a.ret === BPF_FIB_LKUP_RET.SUCCESS || a.ret === BPF_FIB_LKUP_RET.FRAG_NEEDED)) dv.setUint16(6, a.mtu, true);
      if (a.ret === BPF_FIB_LKUP_RET.SUCCESS) {
        dv.setUint32(8, a.ifindex ?? 0, true);
        dv.setUint32(48, 0, true); // h_vlan_proto, h_vlan_TCI
        if (a.smac) p.set(a.smac.subarray(0, 6), 52);
        if (a.dmac) p.set(a.dmac.subarray(0, 6), 58);
      }
      ret(vm, a.ret);
    },
  };
}
