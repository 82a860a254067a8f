// Tables as JSON for `--json`: the immer state entries plus the data plane's counters.
import type { SmartNic } from '../forward/nic.js';
import { DROP_LABEL, DROP_REASONS } from '../model/drops.js';
import { HOST_REASONS } from '../forward/verdict.js';
import { nhRefs } from './refs.js';

export type DumpTable = 'vif' | 'nh' | 'rt' | 'mpls' | 'vxlan' | 'flow' | 'drop';

export function dumpJson(nic: SmartNic, table: DumpTable, vrf?: number): unknown {
  const s = nic.state, st = nic.stats;
  switch (table) {
    case 'vif': return Object.values(s.vifs).map((v) => ({ ...v, rx: { packets: st.rxPackets[v.index], bytes: st.rxBytes[v.index] }, tx: { packets: st.txPackets[v.index], bytes: st.txBytes[v.index] }, drops: st.vifDrops[v.index] }));
    case 'nh': { const refs = nhRefs(s); return Object.values(s.nhs).map((n) => ({ ...n, refCount: refs.get(n.id) ?? 0 })); }
    case 'rt': return Object.values(s.routes).filter((r) => vrf === undefined || r.vrf === vrf);
    case 'mpls': return Object.entries(s.mpls).map(([label, nh]) => ({ label: Number(label), nh }));
    case 'vxlan': return Object.entries(s.vxlan).map(([vni, nh]) => ({ vni: Number(vni), nh }));
    case 'flow': {
      const t = nic.snap.flows;
      return Object.values(s.flows).filter((f) => vrf === undefined || f.vrf === vrf).map((f) => ({ ...f, packets: f.index < t.capacity ? t.packets[f.index] : 0, bytes: f.index < t.capacity ? t.bytes[f.index] : 0 }));
    }
    case 'drop': return {
      drops: Object.fromEntries(DROP_REASONS.map((r, i) => [DROP_LABEL[r], st.drops[i]]).filter(([, n]) => n)),
      hostFallback: Object.fromEntries(HOST_REASONS.map((r, i) => [r, st.host[i]]).filter(([, n]) => n)),
    };
  }
}
