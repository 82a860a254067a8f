// Lookup indexes compiled from the immer state and kept up to date from each commit's patches:
// FIB tries, ILM/VNID/bridge hash maps, the flow hash table, parsed next hops and interfaces,
// and which entries the NIC's capacity lets it hold (the rest fall back to the host).
import { NH_TYPES, TUNNEL_KINDS, MPLS_OVER_UDP_PORT, VXLAN_PORT, type NhType, type TunnelKind } from '../model/constants.js';
import { macNumber, maskIPv6, parseIPv4, parseIPv6, parseMac } from '../model/addr.js';
import { emptyTables, type NextHop, type TableName, type TablesState, type Vif } from '../model/types.js';
import { Fib } from '../fib/fib.js';
import { FlowTable, KW } from '../flow/flow-table.js';
import { FLOW_ACTIONS } from '../model/constants.js';
import type { NicProfile } from '../profile.js';

/** A next hop with its rewrite data parsed once. */
export interface CNh {
  nh: NextHop;
  code: number;
  dmac: Uint8Array;
  smac: Uint8Array;
  l3mac: Uint8Array | undefined;
  sip: number;
  dip: number;
  dport: number;
  tunnel: TunnelKind | undefined;
  offloaded: boolean;
}

export interface CVif { vif: Vif; ip: number; mac: Uint8Array; offloaded: boolean }

const ZERO_MAC = new Uint8Array(6);

/** Entries that fit the NIC; once the table is full, further entries stay on the host. */
class Capacity {
  readonly on = new Set<string>();
  constructor(readonly limit: number) {}
  add(key: string): boolean {
    if (this.on.has(key)) return true;
    if (this.on.size >= this.limit) return false;
    this.on.add(key);
    return true;
  }
  del(key: string): void { this.on.delete(key); }
  has(key: string): boolean { return this.on.has(key); }
}

export class Snapshot {
  state: TablesState = emptyTables();
  readonly fib = new Fib();
  readonly ilm = new Map<number, number>();
  readonly vnid = new Map<number, number>();
  readonly bridge = new Map<number, Map<number, { nh: number; label: number }>>();
  readonly flows: FlowTable;
  readonly nhs = new Map<number, CNh>();
  readonly vifs = new Map<number, CVif>();
  /** VRFs whose route table did not fit (routes are offloaded all-or-nothing per VRF). */
  readonly vrfOff = new Uint8Array(65536);
  /** Configured flows that did not fit the NIC flow table: key text -> index. */
  readonly hostFlows = new Map<string, number>();
  private readonly cap: Record<'nhs' | 'labels' | 'vnis' | 'bridge' | 'vifs', Capacity>;
  private readonly key = new Int32Array(KW);

  constructor(readonly profile: NicProfile) {
    this.flows = new FlowTable(profile.capacity.flows);
    const c = profile.capacity;
    this.cap = { nhs: new Capacity(c.nexthops), labels: new Capacity(c.labels), vnis: new Capacity(c.vnis), bridge: new Capacity(c.bridge), vifs: new Capacity(c.interfaces) };
  }

  /** Bring the indexes from `prev` to `next` for the entries `touched` names. */
  apply(next: TablesState, touched: Map<TableName, Set<string>>): void {
    const prev = this.state;
    this.state = next;
    for (const [table, keys] of touched) for (const k of keys) this.one(table, k, prev, next);
    if (touched.has('routes')) this.placeVrfs();
  }

  private one(table: TableName, k: string, prev: TablesState, next: TablesState): void {
    switch (table) {
      case 'vifs': {
        const v = next.vifs[k];
        if (!v) { this.vifs.delete(Number(k)); this.cap.vifs.del(k); break; }
        this.vifs.set(v.index, { vif: v, ip: parseIPv4(v.ip) ?? 0, mac: parseMac(v.mac) ?? ZERO_MAC, offloaded: this.cap.vifs.add(k) });
        break;
      }
      case 'nhs': {
        const n = next.nhs[k];
        if (!n) { this.nhs.delete(Number(k)); this.cap.nhs.del(k); break; }
        const tunnel = n.tunnel;
        this.nhs.set(n.id, {
          nh: n, code: NH_TYPES[n.type as NhType].code, dmac: parseMac(n.dmac ?? '') ?? ZERO_MAC, smac: parseMac(n.smac ?? '') ?? ZERO_MAC,
          l3mac: n.l3mac ? parseMac(n.l3mac) : undefined, sip: parseIPv4(n.sip ?? '') ?? 0, dip: parseIPv4(n.dip ?? '') ?? 0,
          dport: n.dport || (tunnel === 'vxlan' ? VXLAN_PORT : MPLS_OVER_UDP_PORT),
          tunnel: tunnel && tunnel in TUNNEL_KINDS ? tunnel : undefined, offloaded: this.cap.nhs.add(k),
        });
        break;
      }
      case 'mpls': {
        const nh = next.mpls[k];
        if (nh === undefined) { this.ilm.delete(Number(k)); this.cap.labels.del(k); } else { this.ilm.set(Number(k), nh); this.cap.labels.add(k); }
        break;
      }
      case 'vxlan': {
        const nh = next.vxlan[k];
        if (nh === undefined) { this.vnid.delete(Number(k)); this.cap.vnis.del(k); } else { this.vnid.set(Number(k), nh); this.cap.vnis.add(k); }
        break;
      }
      case 'routes': {
        const old = prev.routes[k];
        const r = next.routes[k];
        if (old && !r) {
          if (old.family === 'inet') this.fib.delete4(old.vrf, parseIPv4(old.prefix)!, old.len);
          else this.fib.delete6(old.vrf, maskIPv6(parseIPv6(old.prefix)!, old.len), old.len);
        } else if (r) {
          if (r.family === 'inet') this.fib.add4(r.vrf, parseIPv4(r.prefix)!, r.len, r.nh, r.label);
          else this.fib.add6(r.vrf, maskIPv6(parseIPv6(r.prefix)!, r.len), r.len, r.nh, r.label);
        }
        break;
      }
      case 'bridge': {
        const old = prev.bridge[k];
        const b = next.bridge[k];
        if (old) this.bridge.get(old.vrf)?.delete(macNumber(parseMac(old.mac)!));
        if (!b) { this.cap.bridge.del(k); break; }
        let m = this.bridge.get(b.vrf);
        if (!m) this.bridge.set(b.vrf, (m = new Map()));
        m.set(macNumber(parseMac(b.mac)!), { nh: b.nh, label: b.label });
        this.cap.bridge.add(k);
        break;
      }
      case 'flows': this.flow(k, prev, next); break;
    }
  }

  /** Bridge entry, or undefined (and whether the NIC holds it). */
  bridgeLookup(vrf: number, mac: Uint8Array, off: number): { nh: number; label: number } | undefined {
    return this.bridge.get(vrf)?.get(macNumber(mac, off));
  }

  bridgeOffloaded(vrf: number, mac: string): boolean {
    return this.cap.bridge.has(`${vrf}|${mac}`);
  }

  labelOffloaded(label: number): boolean { return this.cap.labels.has(String(label)); }
  vniOffloaded(vni: number): boolean { return this.cap.vnis.has(String(vni)); }

  private flowKey(f: TablesState['flows'][string]): Int32Array {
    if (f.family === 'inet') return FlowTable.key4(this.key, f.vrf, f.nh, f.proto, parseIPv4(f.sip)!, parseIPv4(f.dip)!, f.sport, f.dport);
    return FlowTable.key6(this.key, f.vrf, f.nh, f.proto, parseIPv6(f.sip)!, 0, parseIPv6(f.dip)!, 0, f.sport, f.dport);
  }

  private flow(k: string, prev: TablesState, next: TablesState): void {
    const idx = Number(k);
    const f = next.flows[k];
    const t = this.flows;
    const old = prev.flows[k];
    if (old) this.hostFlows.delete(this.flowKey(old).join(','));
    if (!f) { if (idx < t.capacity) t.remove(idx); return; }
    const key = this.flowKey(f);
    if (idx >= t.capacity) { this.hostFlows.set(key.join(','), idx); return; }
    // A HOLD entry the data plane made for this key under another index gives way (its queue moves).
    const other = t.lookupKey(key);
    if (other >= 0 && other !== idx && next.flows[other] === undefined) { this.movedHolds.push([other, idx]); t.remove(other); }
    const keep = t.used(idx) && !old;
    const pk = keep ? t.packets[idx]! : 0, by = keep ? t.bytes[idx]! : 0;
    if (!(t.used(idx) && t.keyWords(idx).every((w, i) => w === key[i]))) t.put(idx, key, FLOW_ACTIONS[f.action]);
    t.action[idx] = FLOW_ACTIONS[f.action];
    t.nat[idx] = f.nat; t.rflow[idx] = f.rflow; t.dvrf[idx] = f.dvrf; t.ecmp[idx] = f.ecmp; t.srcNh[idx] = f.srcNh;
    if (keep) { t.packets[idx] = pk; t.bytes[idx] = by; }
  }

  /** Filled by flow compilation when a data-plane HOLD entry moved index: [from, to]. */
  readonly movedHolds: Array<[number, number]> = [];

  /** Routes are offloaded per VRF, all or nothing, in VRF order while capacity lasts. */
  private placeVrfs(): void {
    this.vrfOff.fill(0);
    let room = this.profile.capacity.routes;
    for (const v of this.fib.vrfs()) {
      const n = this.fib.routesIn(v);
      if (n <= room) room -= n;
      else this.vrfOff[v] = 1;
    }
  }
}
