// bpf_fib_lookup answered from the vRouter tables: the ingress interface's VRF, a longest-
// prefix match in the SmartNIC's FIB, then the next hop's outgoing interface and L2 rewrite.
// The VM (a lower floor) defines the FibLookup it needs; this is the SmartNIC's answer to it.
import { BPF_FIB_LKUP_RET, AF_INET, type FibAnswer, type FibLookup, type FibQuery } from '../vm/helpers/index.js';
import type { SmartNic } from './forward/nic.js';
import { parseMac } from './model/addr.js';
import type { NextHop } from './model/types.js';

/** How deep composite and VRF-translate next hops may nest before the answer is "not forwarded". */
const MAX_NH_DEPTH = 4;

export class NicFibLookup implements FibLookup {
  constructor(private readonly nic: SmartNic) {}

  lookup(q: FibQuery): FibAnswer {
    const state = this.nic.state;
    const vrf = state.vifs[String(q.ifindex)]?.vrf ?? 0;
    const hit = q.family === AF_INET
      ? this.nic.snap.fib.lookup4(vrf, ((q.dst[0]! << 24) | (q.dst[1]! << 16) | (q.dst[2]! << 8) | q.dst[3]!) >>> 0)
      : this.nic.snap.fib.lookup6(vrf, q.dst);
    if (!hit) return { ret: BPF_FIB_LKUP_RET.NOT_FWDED };
    return this.answer(state.nhs[String(hit.nh)], q, 0);
  }

  private answer(nh: NextHop | undefined, q: FibQuery, depth: number): FibAnswer {
    if (!nh || depth > MAX_NH_DEPTH) return { ret: BPF_FIB_LKUP_RET.NOT_FWDED };
    const state = this.nic.state;
    switch (nh.type) {
      case 'discard':
      case 'dead':
        return { ret: BPF_FIB_LKUP_RET.BLACKHOLE };
      case 'resolve':
        return { ret: BPF_FIB_LKUP_RET.NO_NEIGH };
      case 'composite': {
        const members = nh.members ?? [];
        if (members.length === 0) return { ret: BPF_FIB_LKUP_RET.BLACKHOLE };
        // ECMP: the member a flow hash picks; ports and protocol stand in for the 5-tuple.
        const pick = members[((q.sport * 31 + q.dport) * 31 + q.l4Protocol) % members.length]!;
        return this.answer(state.nhs[String(pick.nh)], q, depth + 1);
      }
      case 'encap':
      case 'tunnel': {
        const vif = state.vifs[String(nh.vif)];
        if (!vif) return { ret: BPF_FIB_LKUP_RET.NOT_FWDED };
        const smac = parseMac(nh.smac ?? vif.mac);
        const dmac = parseMac(nh.dmac ?? '00:00:00:00:00:00');
        if (vif.mtu > 0 && q.totLen > vif.mtu) return { ret: BPF_FIB_LKUP_RET.FRAG_NEEDED, mtu: vif.mtu };
        return { ret: BPF_FIB_LKUP_RET.SUCCESS, ifindex: vif.index, smac, dmac, mtu: vif.mtu };
      }
      default: // receive, l2-receive, vrf-translate: the host stack's business, not forwarding
        return { ret: BPF_FIB_LKUP_RET.NOT_FWDED };
    }
  }
}
