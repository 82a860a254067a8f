// The kfuncs XDP programs call, emulated with the kernel's return codes: the RX metadata
// kfuncs (answered as a device without RX metadata answers: -EOPNOTSUPP), the XDP dynptr
// family (bpf_dynptr_from_xdp, bpf_dynptr_slice, bpf_dynptr_slice_rdwr over the linear
// frame) and conntrack (kfuncs-conntrack.ts). A kfunc is found by the extern's name.
import { fail } from '../../diag/index.js';
import type { HelperContext, HelperFn } from '../call.js';
import { hi, memArg, ret, u32, type HelperEnv } from '../helpers/env.js';
import { CTX, PACKET, REGION_TAG } from '../memory.js';
import { conntrackKfuncs, type Conntrack } from './kfuncs-conntrack.js';

const EINVAL = 22, EOPNOTSUPP = 95;
/** Our bpf_dynptr (16 opaque bytes on the stack): magic, flags, offset, size. */
const DYNPTR_XDP = 0x44504458; // 'XDPD'
const DYNPTR_SZ = 16;
const DYNPTR_RDONLY = 1;

function ctxArg(vm: HelperContext, what: string): void {
  if (hi(vm, 1) - REGION_TAG !== CTX || vm.regs[2] !== 0) {
    fail('fault', `${what}: r1 (${vm.memory.describe(vm.regs[2]!, hi(vm, 1))}) is not the context`, { pc: vm.pc, condition: 'r1 == ctx' });
  }
}

function dynptrHelpers(env: HelperEnv): Record<string, HelperFn> {
  const f = env.frame;
  const fromXdp: HelperFn = (vm) => {
    ctxArg(vm, 'bpf_dynptr_from_xdp');
    const dst = memArg(vm, 3, DYNPTR_SZ, true);
    if (vm.regs[4] !== 0 || hi(vm, 2) !== 0) { dst.fill(0); return ret(vm, -EINVAL); } // flags must be 0
    const out = new DataView(dst.buffer, dst.byteOffset, DYNPTR_SZ);
    out.setUint32(0, DYNPTR_XDP, true);
    out.setUint32(4, 0, true);
    out.setUint32(8, 0, true);
    out.setUint32(12, f.end - f.data, true); // xdp_get_buff_len
    ret(vm, 0);
  };
  // bpf_dynptr_slice(ptr, offset, buffer__opt, buffer__szk): a pointer into the frame when the
  // bytes are in the linear part (always, here), NULL when out of range.
  const slice = (rdwr: boolean): HelperFn => (vm) => {
    const d = new DataView(memArg(vm, 1, DYNPTR_SZ, false).slice().buffer);
    const offset = u32(vm, 2), len = u32(vm, 4);
    if (d.getUint32(0, true) !== DYNPTR_XDP) return vm.setR0(0, 0); // a NULL or foreign dynptr
    if (rdwr && d.getUint32(4, true) & DYNPTR_RDONLY) return vm.setR0(0, 0);
    const start = d.getUint32(8, true), size = d.getUint32(12, true);
    if (offset + len > size) return vm.setR0(0, 0);
    if (len > 0 && (vm.regs[6] !== 0 || hi(vm, 3) !== 0)) memArg(vm, 3, len, true); // the buffer must be valid if given
    vm.setR0(f.data - f.meta + start + offset, REGION_TAG + PACKET);
  };
  return { bpf_dynptr_from_xdp: fromXdp, bpf_dynptr_slice: slice(false), bpf_dynptr_slice_rdwr: slice(true) };
}

function metadataHelpers(): Record<string, HelperFn> {
  const unsupported = (what: string): HelperFn => (vm) => { ctxArg(vm, what); ret(vm, -EOPNOTSUPP); };
  return {
    bpf_xdp_metadata_rx_hash: unsupported('bpf_xdp_metadata_rx_hash'),
    bpf_xdp_metadata_rx_timestamp: unsupported('bpf_xdp_metadata_rx_timestamp'),
    bpf_xdp_metadata_rx_vlan_tag: unsupported('bpf_xdp_metadata_rx_vlan_tag'),
  };
}

/** Every emulated kfunc by name. */
export function kfuncTable(env: HelperEnv, ct: Conntrack): Record<string, HelperFn> {
  return { ...metadataHelpers(), ...dynptrHelpers(env), ...conntrackKfuncs(env, ct) };
}

/** Names of the kfuncs xdplab emulates. */
export const KFUNC_NAMES: readonly string[] = [
  'bpf_xdp_metadata_rx_hash', 'bpf_xdp_metadata_rx_timestamp', 'bpf_xdp_metadata_rx_vlan_tag',
  'bpf_dynptr_from_xdp', 'bpf_dynptr_slice', 'bpf_dynptr_slice_rdwr',
  'bpf_xdp_ct_lookup', 'bpf_xdp_ct_alloc', 'bpf_ct_insert_entry', 'bpf_ct_release',
  'bpf_ct_set_timeout', 'bpf_ct_change_timeout', 'bpf_ct_set_status', 'bpf_ct_change_status',
];
