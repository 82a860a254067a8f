// `vif --list`, `nh --list`, `mpls --dump` and `vxlan --dump` layouts (tf-vrouter utils/vif.c, nh.c, mpls.c).
import { ECMP_HASH, NH_FLAG_NAMES, NH_TYPES, VIF_FLAGS, VIF_TYPES } from '../model/constants.js';
import type { SmartNic } from '../forward/nic.js';
import { byNumber, nhRefs, vifRefs } from './refs.js';

function legend(): string[] {
  const items = VIF_FLAGS.map((f) => `${f.letter}=${f.name}`);
  const out: string[] = [];
  for (let i = 0; i < items.length; i += 4) out.push((i === 0 ? 'Flags: ' : '       ') + items.slice(i, i + 4).join(', '));
  return out;
}

export function dumpVif(nic: SmartNic): string {
  const s = nic.state;
  const st = nic.stats;
  const refs = vifRefs(s);
  const out = ['Vrouter Interface Table', '', ...legend(), ''];
  for (const [i, v] of byNumber(s.vifs)) {
    const flags = VIF_FLAGS.filter((f) => v.flags & f.bit).map((f) => f.letter).join('');
    out.push(`${`vif0/${i}`.padEnd(12)}OS: ${v.name}${v.nh >= 0 ? ` NH: ${v.nh}` : ''}`);
    const pad = ' '.repeat(12);
    out.push(`${pad}Type:${VIF_TYPES[v.type].name} HWaddr:${v.mac} IPaddr:${v.ip || '0.0.0.0'}`);
    out.push(`${pad}Vrf:${v.vrf} Mcast Vrf:${v.vrf} Flags:${flags} QOS:-1 Ref:${refs.get(i) ?? 0}`);
    out.push(`${pad}RX packets:${st.rxPackets[i]}  bytes:${st.rxBytes[i]} errors:0`);
    out.push(`${pad}TX packets:${st.txPackets[i]}  bytes:${st.txBytes[i]} errors:0`);
    out.push(`${pad}Drops:${st.vifDrops[i]}`, '');
  }
  return out.join('\n');
}

const hex = (macs: string[], type: number): string =>
  [...macs.flatMap((m) => m.split(':')), (type >> 8).toString(16).padStart(2, '0'), (type & 255).toString(16).padStart(2, '0')].join(' ');

const FAMILY = { inet: 'AF_INET', inet6: 'AF_INET6', bridge: 'AF_BRIDGE' } as const;

export function dumpNh(nic: SmartNic): string {
  const s = nic.state;
  const refs = nhRefs(s);
  const out: string[] = [];
  for (const [id, n] of byNumber(s.nhs)) {
    out.push(`Id:${id}  Type:${NH_TYPES[n.type].name}  Fmly:${FAMILY[n.family]}  Rid:0  Ref_cnt:${refs.get(id) ?? 0} Vrf:${n.vrf}`);
    const pad = ' '.repeat(14);
    out.push(`${pad}Flags:${NH_FLAG_NAMES.filter(([b]) => n.flags & b).map(([, w]) => w).join(', ')}`);
    const data = n.dmac && n.smac ? hex([n.dmac, n.smac], n.ethertype ?? 0x0800) : '';
    switch (n.type) {
      case 'encap':
        out.push(`${pad}EncapFmly:0806 Oif:${n.vif} Len:${data ? 14 : 0}`);
        if (data) out.push(`${pad}Encap Data: ${data}`);
        break;
      case 'tunnel':
        out.push(`${pad}Oif:${n.vif} Len:14 Data:${data}`);
        out.push(`${pad}Sip:${n.sip} Dip:${n.dip}${n.tunnel === 'mplsogre' ? '' : ` Sport:${n.sport ?? 0} Dport:${n.dport || (n.tunnel === 'vxlan' ? 4789 : 6635)}`}`);
        break;
      case 'composite':
        out.push(`${pad}Valid Hash Key Parameters: ${ECMP_HASH.filter(([, b]) => (n.hash ?? 0) & b).map(([, , w]) => w).join(',')}`);
        out.push(`${pad}Sub NH(label): ${(n.members ?? []).map((m) => `${m.nh}(${m.label})`).join(' ')}`);
        break;
      case 'vrf-translate': out.push(`${pad}Vrf:${n.vrf}`); break;
      case 'receive': out.push(`${pad}Oif:${n.vif}`); break;
      default: break;
    }
    out.push('');
  }
  return out.join('\n');
}

function labelMap(title: string, head: string, rows: Array<[number, number]>): string {
  const out = [title, '', head, '-'.repeat(head.length)];
  for (const [k, nh] of rows) out.push(`${String(k).padStart(8)}    ${String(nh).padStart(6)}`);
  return out.join('\n') + '\n';
}

export const dumpMpls = (nic: SmartNic): string => labelMap('MPLS Input Label Map', '   Label    NextHop', byNumber(nic.state.mpls));
export const dumpVxlan = (nic: SmartNic): string => labelMap('VXLAN Table', '     VNID    NextHop', byNumber(nic.state.vxlan));
