// Table setups in YAML (programs/tables/*.yaml): sections of entries to add or replace, and a
// `delete:` section. A setup applied to a draft is one transaction; entries keep their source
// position so integrity errors name file:line:col and the entry.
import type { Node, YAMLMap } from 'yaml';
import type { Draft } from 'immer';
import type { SourceLocation } from '../../diag/index.js';
import {
  ECMP_HASH, ECMP_HASH_ALL, FLOW_ACTIONS, NAT_FLAGS, NH_FLAG, NH_TYPES, RT_FLAG, TUNNEL_KINDS, VIF_FLAGS, VIF_TYPES,
  type FlowAction, type NhType, type TunnelKind, type VifType,
} from '../model/constants.js';
import { formatIPv6, formatMac, maskIPv6, parseIPv6, parseMac } from '../model/addr.js';
import { bridgeKey, routeKey, type NextHop, type TableName, type TablesState } from '../model/types.js';
import { YamlReader } from './yaml-reader.js';
import type { Locator } from './commit.js';

export interface SetupEntry { table: TableName; key: string; value: unknown; where?: SourceLocation }
export interface Setup { file: string; entries: SetupEntry[]; deletes: SetupEntry[] }

const SECTIONS = ['interfaces', 'nexthops', 'mpls', 'vxlan', 'routes', 'bridge', 'flows', 'delete', 'description'];
const PROTOS: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, icmp6: 58 };

export function parseSetup(source: string, file = '<tables>'): Setup {
  const r = new YamlReader(file, source);
  const root = r.root();
  const out: Setup = { file, entries: [], deletes: [] };
  if (root === null) return out;
  const top = r.map(root, 'a table setup');
  r.keys(top, SECTIONS, 'a table setup');
  const seen = new Map<string, SourceLocation | undefined>();
  const push = (list: SetupEntry[], table: TableName, key: string, value: unknown, node: Node): void => {
    const id = `${list === out.deletes ? 'del ' : ''}${table}/${key}`;
    if (seen.has(id)) r.error(node, `${describe(table, key)} is listed twice in this file`);
    const where = r.where(node);
    seen.set(id, where);
    list.push({ table, key, value, where });
  };
  for (const n of r.list(r.get(top, 'interfaces'), 'interfaces')) { const v = vif(r, n); push(out.entries, 'vifs', String(v.index), v, n); }
  for (const n of r.list(r.get(top, 'nexthops'), 'nexthops')) { const v = nexthop(r, n); push(out.entries, 'nhs', String(v.id), v, n); }
  for (const n of r.list(r.get(top, 'mpls'), 'mpls')) {
    const m = r.map(n, 'an MPLS entry'); r.keys(m, ['label', 'nh'], 'an MPLS entry');
    push(out.entries, 'mpls', String(r.int(m, 'label', 'MPLS entry', undefined, 0, (1 << 20) - 1)), r.int(m, 'nh', 'MPLS entry', undefined, 0), n);
  }
  for (const n of r.list(r.get(top, 'vxlan'), 'vxlan')) {
    const m = r.map(n, 'a VXLAN entry'); r.keys(m, ['vni', 'nh'], 'a VXLAN entry');
    push(out.entries, 'vxlan', String(r.int(m, 'vni', 'VXLAN entry', undefined, 0, (1 << 24) - 1)), r.int(m, 'nh', 'VXLAN entry', undefined, 0), n);
  }
  for (const n of r.list(r.get(top, 'routes'), 'routes')) { const v = route(r, n, false); push(out.entries, 'routes', routeKey(v.vrf, v.prefix, v.len), v, n); }
  for (const n of r.list(r.get(top, 'bridge'), 'bridge')) { const v = bridge(r, n, false); push(out.entries, 'bridge', bridgeKey(v.vrf, v.mac), v, n); }
  for (const n of r.list(r.get(top, 'flows'), 'flows')) { const v = flow(r, n); push(out.entries, 'flows', String(v.index), v, n); }
  const del = r.get(top, 'delete');
  if (del !== undefined) {
    const d = r.map(del, "'delete'");
    r.keys(d, ['interfaces', 'nexthops', 'mpls', 'vxlan', 'routes', 'bridge', 'flows'], "'delete'");
    const ids = (sec: string, table: TableName): void => {
      for (const n of r.list(r.get(d, sec), `delete.${sec}`)) {
        const v = (n as { value?: unknown }).value;
        if (typeof v !== 'number' || !Number.isInteger(v)) r.error(n, `delete.${sec} lists ${sec === 'vxlan' ? 'VNIs' : 'numbers'}`);
        push(out.deletes, table, String(v), undefined, n);
      }
    };
    ids('interfaces', 'vifs'); ids('nexthops', 'nhs'); ids('mpls', 'mpls'); ids('vxlan', 'vxlan'); ids('flows', 'flows');
    for (const n of r.list(r.get(d, 'routes'), 'delete.routes')) { const v = route(r, n, true); push(out.deletes, 'routes', routeKey(v.vrf, v.prefix, v.len), undefined, n); }
    for (const n of r.list(r.get(d, 'bridge'), 'delete.bridge')) { const v = bridge(r, n, true); push(out.deletes, 'bridge', bridgeKey(v.vrf, v.mac), undefined, n); }
  }
  return out;
}

function describe(table: TableName, key: string): string {
  return `${table} entry ${key.replace('|', '/')}`;
}

/** Apply a setup to a draft (deletes first, then adds/replaces). */
export function applySetup(draft: Draft<TablesState>, setup: Setup): void {
  for (const d of setup.deletes) delete (draft[d.table] as Record<string, unknown>)[d.key];
  for (const e of setup.entries) (draft[e.table] as Record<string, unknown>)[e.key] = e.value;
}

/** Where an entry of one of these setups was written. */
export function setupLocator(...setups: Setup[]): Locator {
  return (table, key) => {
    for (const s of [...setups].reverse()) {
      const e = s.entries.find((x) => x.table === table && x.key === key) ?? s.deletes.find((x) => x.table === table && x.key === key);
      if (e) return e.where;
    }
    return undefined;
  };
}

type M = YAMLMap<unknown, Node>;

function mac(r: YamlReader, m: M, key: string, what: string, def?: string): string {
  const s = r.str(m, key, what, def);
  const b = parseMac(s);
  if (!b) r.error(r.get(m, key) ?? (m as unknown as Node), `${what}: '${s}' is not a MAC address`);
  return formatMac(b);
}

function flagBits(r: YamlReader, m: M, key: string, what: string, table: ReadonlyArray<[string, number, ...unknown[]]>): number {
  let bits = 0;
  for (const { word, node } of r.words(m, key, what)) {
    const f = table.find((t) => t[0] === word);
    if (!f) r.error(node, `${what}: unknown ${key} '${word}'; expected one of ${table.map((t) => t[0]).join(', ')}`);
    bits |= f[1];
  }
  return bits;
}

function vif(r: YamlReader, n: Node) {
  const m = r.map(n, 'an interface');
  r.keys(m, ['index', 'type', 'name', 'mac', 'ip', 'vrf', 'mtu', 'flags', 'nh'], 'an interface');
  const index = r.int(m, 'index', 'interface', undefined, 0);
  const what = `interface vif0/${index}`;
  const type = r.str(m, 'type', what);
  if (!(type in VIF_TYPES)) r.error(r.get(m, 'type'), `${what}: type '${type}' is not one of ${Object.keys(VIF_TYPES).join(', ')}`);
  const flags = flagBits(r, m, 'flags', what, VIF_FLAGS.map((f) => [f.key, f.bit]));
  return {
    index, type: type as VifType, name: r.str(m, 'name', what, `vif${index}`), mac: mac(r, m, 'mac', what, '00:00:00:00:00:00'),
    ip: r.str(m, 'ip', what, ''), vrf: r.int(m, 'vrf', what, 0, 0), mtu: r.int(m, 'mtu', what, 1500, 0), flags, nh: r.int(m, 'nh', what, -1),
  };
}

function nexthop(r: YamlReader, n: Node): NextHop {
  const m = r.map(n, 'a next hop');
  r.keys(m, ['id', 'type', 'family', 'vrf', 'vif', 'policy', 'dmac', 'smac', 'ethertype', 'tunnel', 'sip', 'dip', 'sport', 'dport', 'l3mac', 'members', 'hash', 'flags'], 'a next hop');
  const id = r.int(m, 'id', 'next hop', undefined, 0);
  const what = `next hop ${id}`;
  const type = r.str(m, 'type', what) === 'drop' ? 'discard' : r.str(m, 'type', what);
  if (!(type in NH_TYPES)) r.error(r.get(m, 'type'), `${what}: type '${type}' is not one of ${[...Object.keys(NH_TYPES), 'drop'].join(', ')}`);
  const family = r.str(m, 'family', what, 'inet');
  if (!['inet', 'inet6', 'bridge'].includes(family)) r.error(r.get(m, 'family'), `${what}: family must be inet, inet6 or bridge`);
  let flags = NH_FLAG.VALID | (r.bool(m, 'policy', what) ? NH_FLAG.POLICY : 0);
  flags |= flagBits(r, m, 'flags', what, [['relaxed-policy', NH_FLAG.RELAXED_POLICY], ['flow-lookup', NH_FLAG.FLOW_LOOKUP], ['l3-vxlan', NH_FLAG.L3_VXLAN]]);
  const nh: NextHop = { id, type: type as NhType, family: family as NextHop['family'], vrf: r.int(m, 'vrf', what, 0, 0), flags, vif: r.int(m, 'vif', what, -1) };
  if (r.get(m, 'dmac')) nh.dmac = mac(r, m, 'dmac', what);
  if (r.get(m, 'smac')) nh.smac = mac(r, m, 'smac', what);
  if (r.get(m, 'l3mac')) nh.l3mac = mac(r, m, 'l3mac', what);
  if (type === 'encap' || type === 'tunnel') nh.ethertype = r.int(m, 'ethertype', what, 0x0800, 0, 0xffff);
  if (type === 'tunnel') {
    const kind = r.str(m, 'tunnel', what);
    if (!(kind in TUNNEL_KINDS)) r.error(r.get(m, 'tunnel'), `${what}: tunnel '${kind}' is not one of ${Object.keys(TUNNEL_KINDS).join(', ')}`);
    nh.tunnel = kind as TunnelKind;
    nh.flags |= TUNNEL_KINDS[nh.tunnel] | (kind === 'mplsogre' ? 0 : NH_FLAG.TUNNEL_UDP);
    nh.sip = r.str(m, 'sip', what); nh.dip = r.str(m, 'dip', what);
    nh.sport = r.int(m, 'sport', what, 0, 0, 65535); nh.dport = r.int(m, 'dport', what, 0, 0, 65535);
  }
  if (type === 'composite') {
    nh.members = r.list(r.get(m, 'members'), `${what}: members`).map((x) => {
      const mm = r.map(x, `${what}: a member`); r.keys(mm, ['nh', 'label'], `${what}: a member`);
      return { nh: r.int(mm, 'nh', `${what}: member`, undefined, 0), label: r.int(mm, 'label', `${what}: member`, -1, -1) };
    });
    nh.flags |= NH_FLAG.COMPOSITE_ECMP;
    nh.hash = r.get(m, 'hash') ? flagBits(r, m, 'hash', what, ECMP_HASH) : ECMP_HASH_ALL;
  }
  return nh;
}

function prefixOf(r: YamlReader, m: M, what: string): { family: 'inet' | 'inet6'; prefix: string; len: number } {
  const text = r.str(m, 'prefix', what);
  const node = r.get(m, 'prefix');
  const mm = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!mm) r.error(node, `${what}: prefix '${text}' must be ADDRESS/LENGTH`);
  const len = Number(mm[2]);
  if (mm[1]!.includes(':')) {
    const a = parseIPv6(mm[1]!);
    if (!a || len > 128) r.error(node, `${what}: '${text}' is not an IPv6 prefix`);
    if (formatIPv6(maskIPv6(a, len)) !== formatIPv6(a)) r.error(node, `${what}: '${text}' has host bits set beyond /${len}`);
    return { family: 'inet6', prefix: formatIPv6(a), len };
  }
  // IPv4 text is checked (and host bits refused) by the validator, so one rule covers YAML and API.
  return { family: 'inet', prefix: mm[1]!, len };
}

function route(r: YamlReader, n: Node, keyOnly: boolean) {
  const m = r.map(n, 'a route');
  r.keys(m, keyOnly ? ['vrf', 'prefix'] : ['vrf', 'prefix', 'nh', 'label', 'flags'], 'a route');
  const vrf = r.int(m, 'vrf', 'route', undefined, 0);
  const p = prefixOf(r, m, `route in VRF ${vrf}`);
  const what = `route ${vrf}/${p.prefix}/${p.len}`;
  if (keyOnly) return { vrf, ...p, nh: 0, label: -1, flags: 0 };
  const label = r.int(m, 'label', what, -1, -1, (1 << 24) - 1);
  const flags = flagBits(r, m, 'flags', what, [['proxy-arp', RT_FLAG.ARP_PROXY], ['trap-arp', RT_FLAG.ARP_TRAP], ['flood-arp', RT_FLAG.ARP_FLOOD]])
    | (label >= 0 ? RT_FLAG.LABEL_VALID : 0);
  return { vrf, ...p, nh: r.int(m, 'nh', what, undefined, 0), label, flags };
}

function bridge(r: YamlReader, n: Node, keyOnly: boolean) {
  const m = r.map(n, 'a bridge entry');
  r.keys(m, keyOnly ? ['vrf', 'mac'] : ['vrf', 'mac', 'nh', 'label'], 'a bridge entry');
  const vrf = r.int(m, 'vrf', 'bridge entry', undefined, 0);
  const a = mac(r, m, 'mac', `bridge entry in VRF ${vrf}`);
  if (keyOnly) return { vrf, mac: a, nh: 0, label: -1, flags: 0 };
  const label = r.int(m, 'label', `bridge entry ${vrf}/${a}`, -1, -1, (1 << 24) - 1);
  return { vrf, mac: a, nh: r.int(m, 'nh', `bridge entry ${vrf}/${a}`, undefined, 0), label, flags: label >= 0 ? 0x2 : 0 };
}

function flow(r: YamlReader, n: Node) {
  const m = r.map(n, 'a flow');
  r.keys(m, ['index', 'proto', 'src', 'dst', 'sport', 'dport', 'nh', 'vrf', 'dvrf', 'action', 'nat', 'reverse', 'src-nh', 'ecmp'], 'a flow');
  const index = r.int(m, 'index', 'flow', undefined, 0);
  const what = `flow ${index}`;
  const p = r.str(m, 'proto', what);
  const proto = PROTOS[p] ?? (/^\d+$/.test(p) ? Number(p) : NaN);
  if (!(proto >= 0 && proto <= 255)) r.error(r.get(m, 'proto'), `${what}: protocol '${p}' is not tcp, udp, icmp, icmp6 or a number`);
  const action = r.str(m, 'action', what, 'forward');
  if (!(action in FLOW_ACTIONS)) r.error(r.get(m, 'action'), `${what}: action '${action}' is not one of ${Object.keys(FLOW_ACTIONS).join(', ')}`);
  const sip = r.str(m, 'src', what), dip = r.str(m, 'dst', what);
  const vrf = r.int(m, 'vrf', what, 0, 0);
  return {
    index, family: (sip.includes(':') ? 'inet6' : 'inet') as 'inet' | 'inet6', proto, sip, dip,
    sport: r.int(m, 'sport', what, 0, 0, 65535), dport: r.int(m, 'dport', what, 0, 0, 65535),
    nh: r.int(m, 'nh', what, undefined, 0), vrf, action: action as FlowAction,
    nat: flagBits(r, m, 'nat', what, NAT_FLAGS), rflow: r.int(m, 'reverse', what, -1), dvrf: r.int(m, 'dvrf', what, vrf, 0),
    srcNh: r.int(m, 'src-nh', what, -1), ecmp: r.int(m, 'ecmp', what, -1),
  };
}
