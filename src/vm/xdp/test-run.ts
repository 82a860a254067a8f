// The kernel's rules for BPF_PROG_TEST_RUN on XDP (net/bpf/test_run.c,
// bpf_prog_test_run_xdp and xdp_convert_md_to_buff): what data_in and ctx_in may be.
// Everything the kernel answers with EINVAL/ENODEV becomes a diagnostic (exit 2).
import { fail } from '../../diag/index.js';
import { MAX_FRAME, MIN_FRAME } from '../../packet/index.js';
import { XDP_MD, XDP_MD_SIZE } from './context.js';

export interface XdpInput {
  /** Bytes of metadata at the start of data_in (ctx_in's data). */
  metaLen: number;
  ingressIfindex: number;
  rxQueue: number;
}

/** Interfaces the test run knows: lo (ifindex 1) has one rx queue; others are taken as given. */
const LO = 1, LO_QUEUES = 1;

export function checkXdpInput(size: number, ctxIn?: Uint8Array): XdpInput {
  const input: XdpInput = { metaLen: 0, ingressIfindex: LO, rxQueue: 0 };
  if (ctxIn) {
    const bad = (msg: string, condition: string): never => fail('semantic', `ctx_in: ${msg}; the kernel's test run refuses it (EINVAL)`, { condition });
    for (let i = XDP_MD_SIZE; i < ctxIn.length; i++) {
      if (ctxIn[i] !== 0) fail('semantic', `ctx_in has ${ctxIn.length} bytes and byte ${i} is not zero; struct xdp_md has ${XDP_MD_SIZE} (the kernel says E2BIG)`);
    }
    const md = new Uint8Array(XDP_MD_SIZE);
    md.set(ctxIn.subarray(0, XDP_MD_SIZE));
    const v = new DataView(md.buffer);
    const f = (off: number): number => v.getUint32(off, true);
    const data = f(XDP_MD.data), end = f(XDP_MD.data_end), meta = f(XDP_MD.data_meta);
    if (meta !== 0) bad(`data_meta is ${meta}, it must be 0`, 'data_meta == 0');
    if (end !== size) bad(`data_end is ${end} but the packet is ${size} bytes`, 'data_end == size of data_in');
    if (data > end) bad(`data (${data}) is past data_end (${end})`, 'data <= data_end');
    if (data % 4 !== 0 || data > 255) bad(`data is ${data}: the metadata before it must be a multiple of 4 bytes, at most 252`, 'data % 4 == 0 && data <= 255');
    if (f(XDP_MD.egress_ifindex) !== 0) bad('egress_ifindex must be 0', 'egress_ifindex == 0');
    const ifindex = f(XDP_MD.ingress_ifindex), rxq = f(XDP_MD.rx_queue_index);
    if (ifindex === 0 && rxq !== 0) bad(`rx_queue_index ${rxq} needs an ingress_ifindex`, 'ingress_ifindex != 0 || rx_queue_index == 0');
    if (ifindex === LO && rxq >= LO_QUEUES) bad(`lo (ifindex 1) has ${LO_QUEUES} rx queue; rx_queue_index is ${rxq}`, `rx_queue_index < ${LO_QUEUES}`);
    input.metaLen = data;
    // With ifindex 0 the kernel keeps lo's queue 0, as without ctx_in.
    if (ifindex !== 0) { input.ingressIfindex = ifindex; input.rxQueue = rxq; }
  }
  if (size < MIN_FRAME) {
    fail('packet', `the packet is ${size} bytes; an XDP test run needs at least ${MIN_FRAME} (an Ethernet header), the kernel says EINVAL`, { condition: `size >= ${MIN_FRAME}` });
  }
  const max = MAX_FRAME + input.metaLen;
  if (size > max) {
    fail('packet', `the packet is ${size} bytes; one XDP frame holds at most ${max} (4096 - 256 headroom - 320 tailroom${input.metaLen ? ` + ${input.metaLen} metadata` : ''}); the kernel would put the rest in fragments, which xdplab does not model`, { condition: `size <= ${max}` });
  }
  return input;
}
