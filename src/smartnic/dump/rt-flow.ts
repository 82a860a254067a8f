// `rt --dump`, `flow -l` and `dropstats` layouts (tf-vrouter utils/rt.c, flow.c, dropstats.c).
import { NAT_FLAGS, RT_FLAG } from '../model/constants.js';
import { DROP_LABEL, DROP_REASONS } from '../model/drops.js';
import { formatIPv4, formatIPv6, maskIPv4, maskIPv6, parseIPv4, parseIPv6, shortMac } from '../model/addr.js';
import type { Route } from '../model/types.js';
import type { SmartNic } from '../forward/nic.js';
import { HOST_REASONS } from '../forward/verdict.js';
import { KW } from '../flow/flow-table.js';

const RT_LETTERS: Array<[number, string]> = [[RT_FLAG.LABEL_VALID, 'L'], [RT_FLAG.ARP_PROXY, 'P'], [RT_FLAG.ARP_TRAP, 'T'], [RT_FLAG.ARP_FLOOD, 'F']];

/** PPL: the length of the route that would take over this prefix if it were deleted. */
function ppl(r: Route, have: Set<string>): number {
  for (let l = r.len - 1; l >= 0; l--) {
    const p = r.family === 'inet' ? formatIPv4(maskIPv4(parseIPv4(r.prefix)!, l)) : formatIPv6(maskIPv6(parseIPv6(r.prefix)!, l));
    if (have.has(`${p}/${l}`)) return l;
  }
  return 0;
}

export function dumpRt(nic: SmartNic, vrf: number, family: 'inet' | 'inet6' | 'bridge' = 'inet'): string {
  const s = nic.state;
  if (family === 'bridge') {
    const out = ['Flags: L=Label Valid, Df=DHCP flood, Mm=Mac Moved, L2c=L2 Evpn Control Word, N=New Entry, Ec=EvpnControlProcessing', `vRouter bridge table 0/${vrf}`,
      'Index       DestMac                  Flags           Label/VNID      Nexthop           Stats'];
    Object.values(s.bridge).filter((b) => b.vrf === vrf).sort((a, b) => a.mac.localeCompare(b.mac)).forEach((b, i) => {
      out.push(`${String(i).padEnd(12)}${shortMac(b.mac).padEnd(25)}${(b.label >= 0 ? 'L' : '').padEnd(16)}${String(b.label >= 0 ? b.label : '-').padEnd(16)}${String(b.nh).padEnd(18)}0`);
    });
    return out.join('\n') + '\n';
  }
  const routes = Object.values(s.routes).filter((r) => r.vrf === vrf && r.family === family);
  const have = new Set(routes.map((r) => `${r.prefix}/${r.len}`));
  const macOf = new Map<string, string>();
  for (const v of Object.values(s.vifs)) if (v.vrf === vrf && v.ip) macOf.set(`${v.ip}/32`, v.mac);
  const sortKey = (r: Route): string => (r.family === 'inet' ? parseIPv4(r.prefix)!.toString(16).padStart(8, '0') : formatIPv6(parseIPv6(r.prefix)!)) + String(r.len).padStart(3, '0');
  routes.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  const out = ['Flags: L=Label Valid, P=Proxy ARP, T=Trap ARP, F=Flood ARP, Ml=MAC-IP learnt route',
    `vRouter ${family === 'inet' ? 'inet4' : 'inet6'} routing table 0/${vrf}/unicast`,
    'Destination           PPL        Flags        Label         Nexthop    Stitched MAC(Index)'];
  for (const r of routes) {
    const flags = RT_LETTERS.filter(([b]) => r.flags & b).map(([, l]) => l).join('') || '-';
    const mac = macOf.get(`${r.prefix}/${r.len}`);
    out.push(`${`${r.prefix}/${r.len}`.padEnd(22)}${String(ppl(r, have)).padEnd(11)}${flags.padEnd(13)}${String(r.label >= 0 ? r.label : '-').padEnd(14)}${String(r.nh).padEnd(11)}${mac ? shortMac(mac) : '-'}`);
  }
  return out.join('\n') + '\n';
}

export function dumpFlow(nic: SmartNic): string {
  const t = nic.snap.flows;
  const s = nic.state;
  const out = [`Flow table(size ${t.capacity * 256}, entries ${t.capacity})`, '',
    `Entries: Created ${t.count} Added ${t.count} Deleted 0 Changed 0 Processed ${t.count} Used Overflow entries 0`,
    `(Created Flows/CPU: ${t.count})(oflows 0)`, '',
    'Action:F=Forward, D=Drop N=NAT(S=SNAT, D=DNAT, Ps=SPAT, Pd=DPAT, L=Link Local Port)',
    ' Other:K(nh)=Key_Nexthop, S(nh)=RPF_Nexthop',
    ' Flags:E=Evicted, Ec=Evict Candidate, N=New Flow, M=Modified Dm=Delete Marked',
    'TCP(r=reverse):S=SYN, F=FIN, R=RST, C=HalfClose, E=Established, D=Dead', '',
    '    Index                Source:Port/Destination:Port                      Proto(V)',
    '-----------------------------------------------------------------------------------'];
  for (let i = 0; i < t.capacity; i++) {
    if (!t.used(i)) continue;
    const k = t.keys.subarray(i * KW, i * KW + KW);
    const v6 = (k[2]! >> 8) === 1;
    const addr = (o: number): string => {
      if (!v6) return formatIPv4(k[o]! >>> 0);
      const b = new Uint8Array(16);
      for (let j = 0; j < 4; j++) { const w = k[o + j]!; b[4 * j] = w >>> 24; b[4 * j + 1] = w >>> 16; b[4 * j + 2] = w >>> 8; b[4 * j + 3] = w; }
      return formatIPv6(b);
    };
    const f = s.flows[i];
    const vrf = k[0]!, dvrf = t.dvrf[i]!;
    const rf = t.rflow[i]!;
    const action = ['D', 'H', 'F', 'N'][t.action[i]!]!;
    const nat = action === 'N' ? `(${NAT_FLAGS.filter(([, b]) => t.nat[i]! & b).map(([, , l]) => l).join(', ')})` : '';
    const idx = `${i}${rf >= 0 ? `<=>${rf}` : ''}`;
    out.push(`${idx.padStart(13)}       ${`${addr(4)}:${k[3]! >>> 16}`.padEnd(52)}${k[2]! & 0xff} (${vrf}${dvrf !== vrf ? `->${dvrf}` : ''})`);
    out.push(`                         ${addr(8)}:${k[3]! & 0xffff}`);
    out.push(`(Gen: 1, K(nh):${k[1]}, Action:${action}${nat}, Flags:${f ? '' : 'N'}, E:${t.ecmp[i]}, QOS:-1, S(nh):${t.srcNh[i]},  Stats:${t.packets[i]}/${t.bytes[i]},  SPort ${t.udpSport[i]}, TTL 0, Sinfo 0.0.0.0)`, '');
  }
  return out.join('\n');
}

export function dumpDrop(nic: SmartNic): string {
  const out: string[] = [];
  DROP_REASONS.forEach((r, i) => { const n = nic.stats.drops[i]!; if (n) out.push(`${DROP_LABEL[r].padEnd(28)}${n}`); });
  const host = HOST_REASONS.map((r, i) => [r, nic.stats.host[i]!] as const).filter(([, n]) => n > 0);
  if (host.length > 0) {
    out.push('', 'Host fallback (NIC -> host vRouter)');
    for (const [r, n] of host) out.push(`${r.padEnd(28)}${n}`);
  }
  return out.join('\n') + '\n';
}
