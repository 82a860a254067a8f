// XDP helpers: moving the frame (adjust_head/tail/meta), copying bytes in and out, the buffer
// length, and redirects. Semantics and return codes follow net/core/filter.c.
import { MAP_TYPE, MAP_TYPE_NAME } from '../../elf/index.js';
import type { HelperFn } from '../call.js';
import { XDP_ACTION, XDP_META_MAX } from '../xdp/context.js';
import { ctxArg, hi, i32, mapArg, memArg, ret, u32, type HelperEnv, type RedirectTarget } from './env.js';

const EINVAL = 22, EFAULT = 14;
const BPF_F_BROADCAST = 1 << 3, BPF_F_EXCLUDE_INGRESS = 1 << 4;
const ACTION_MASK = XDP_ACTION.ABORTED | XDP_ACTION.DROP | XDP_ACTION.PASS | XDP_ACTION.TX;

export function xdpFrameHelpers(env: HelperEnv): Record<string, HelperFn> {
  const f = env.frame;
  // One target object per kind, reused by every redirect (no allocation per packet); the
  // runtime copies the last one out of a test run.
  const toIfindex: RedirectTarget = { kind: 'ifindex', index: 0 };
  const toMap: RedirectTarget = { kind: 'devmap', index: 0, map: '', value: undefined, flags: undefined };
  const keyBytes = new Uint8Array(4);
  const keyView = new DataView(keyBytes.buffer);
  const copy = (store: boolean): HelperFn => (vm) => {
    ctxArg(vm, store ? 'bpf_xdp_store_bytes' : 'bpf_xdp_load_bytes');
    const offset = u32(vm, 2), len = u32(vm, 4);
    // bpf_xdp_pointer: -EFAULT for huge offsets or lengths, -EINVAL past the end of the frame.
    if (offset > 0xffff || len > 0xffff) return ret(vm, -EFAULT);
    if (offset + len > f.end - f.data) return ret(vm, -EINVAL);
    const buf = memArg(vm, 3, len, !store);
    const at = f.base + f.data + offset;
    if (store) f.bytes.set(buf, at);
    else buf.set(f.bytes.subarray(at, at + len));
    ret(vm, 0);
  };
  return {
    xdp_adjust_head: (vm) => { ctxArg(vm, 'bpf_xdp_adjust_head'); ret(vm, f.adjustHead(i32(vm, 2))); },
    xdp_adjust_tail: (vm) => { ctxArg(vm, 'bpf_xdp_adjust_tail'); ret(vm, f.adjustTail(i32(vm, 2))); },
    xdp_adjust_meta: (vm) => { ctxArg(vm, 'bpf_xdp_adjust_meta'); ret(vm, f.adjustMeta(i32(vm, 2), XDP_META_MAX)); },
    xdp_get_buff_len: (vm) => { ctxArg(vm, 'bpf_xdp_get_buff_len'); ret(vm, f.end - f.data); },
    xdp_load_bytes: copy(false),
    xdp_store_bytes: copy(true),
    redirect: (vm) => {
      // bpf_xdp_redirect: any flag is XDP_ABORTED; otherwise the ifindex is recorded.
      if (vm.regs[4] !== 0 || hi(vm, 2) !== 0) return ret(vm, XDP_ACTION.ABORTED);
      toIfindex.index = u32(vm, 1);
      env.redirect = toIfindex;
      ret(vm, XDP_ACTION.REDIRECT);
    },
    redirect_map: (vm) => {
      const map = mapArg(vm, env, 1, 'bpf_redirect_map');
      const t = map.spec.type;
      const isDev = t === MAP_TYPE.DEVMAP || t === MAP_TYPE.DEVMAP_HASH;
      if (!isDev && t !== MAP_TYPE.CPUMAP && t !== MAP_TYPE.XSKMAP) {
        return ret(vm, XDP_ACTION.ABORTED); // the verifier would refuse other map types
      }
      // __bpf_xdp_redirect_map: the low two bits of flags are the action when the key is
      // missing; devmaps also take BPF_F_BROADCAST and BPF_F_EXCLUDE_INGRESS.
      const flags = vm.regs[6]! >>> 0;
      const allowed = ACTION_MASK | (isDev ? BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS : 0);
      if (hi(vm, 3) !== 0 || (flags & ~allowed) !== 0) return ret(vm, XDP_ACTION.ABORTED);
      const index = u32(vm, 2); // the u64 index is truncated to the map's u32 key
      vm.counters.mapAccess(map.spec.name);
      keyView.setUint32(0, index, true);
      const off = map.lookup(keyBytes, 0, env.cpu);
      if (off < 0 && !(flags & BPF_F_BROADCAST)) {
        env.redirect = undefined;
        return ret(vm, flags & ACTION_MASK);
      }
      const target = toMap;
      target.kind = MAP_TYPE_NAME[t] as RedirectTarget['kind'];
      target.index = index;
      target.map = map.spec.name;
      const vs = map.valueStorage(0);
      target.value = off >= 0 && t !== MAP_TYPE.XSKMAP ? (vs[off]! | (vs[off + 1]! << 8) | (vs[off + 2]! << 16) | (vs[off + 3]! << 24)) >>> 0 : undefined;
      target.flags = flags & (BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS) ? flags & (BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS) : undefined;
      env.redirect = target;
      ret(vm, XDP_ACTION.REDIRECT);
    },
  };
}
