// The flow table as the data plane sees it: flow index -> key and state in typed arrays, and an
// open-addressing hash from key to flow index (vr_htable's role; the index is what `flow -l`
// prints and what fe_rflow refers to). Deleted slots become tombstones so indexes never move.
// A slot is 32 bytes holding the index and the IPv4 part of the key, so an IPv4 lookup touches
// one cache line (IPv6 keys compare their remaining words from `keys`).
import { FLOW_ACTIONS } from '../model/constants.js';

/** Key words per flow: vrf, nh, family<<8|proto, sport<<16|dport, sip[4], dip[4]. */
export const KW = 12;
const ACTION_NONE = -1;
/** Words per hash slot: index+1, vrf, nh, proto word, ports, sip, dip, unused. */
const SW = 8;

/** One word into the running hash (multiply-xorshift; cheap and well mixed after fmix). */
function mix(h: number, w: number): number {
  h = Math.imul(h ^ w, 0x9e3779b1);
  return h ^ (h >>> 15);
}
function fmix(h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
/** Hash of the IPv4 part of a key (vrf, nh, proto, ports, sip, dip); IPv6 keys mix in the rest. */
function hash6(a: number, b: number, c: number, d: number, e: number, f: number): number {
  return mix(mix(mix(mix(mix(mix(0x2545f491, a), b), c), d), e), f);
}

export class FlowTable {
  readonly keys: Int32Array;
  /** VR_FLOW_ACTION_* per index, -1 when the index is free. */
  readonly action: Int8Array;
  readonly nat: Int32Array;
  readonly rflow: Int32Array;
  readonly dvrf: Int32Array;
  readonly ecmp: Int32Array;
  readonly srcNh: Int32Array;
  /** Counters and ageing live only here, never in immer state. */
  readonly packets: Float64Array;
  readonly bytes: Float64Array;
  readonly lastUsed: Float64Array;
  /** Tunnel UDP source port chosen for the flow (fe_udp_src_port), 0 until used. */
  readonly udpSport: Int32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;
  count = 0;
  private tombstones = 0;
  /** Home slots of the burst being looked up (lookupBurst4), and a sink for its touch pass. */
  private readonly home = new Int32Array(256);
  touched = 0;

  constructor(readonly capacity: number) {
    this.keys = new Int32Array(capacity * KW);
    this.action = new Int8Array(capacity).fill(ACTION_NONE);
    this.nat = new Int32Array(capacity);
    this.rflow = new Int32Array(capacity).fill(-1);
    this.dvrf = new Int32Array(capacity);
    this.ecmp = new Int32Array(capacity).fill(-1);
    this.srcNh = new Int32Array(capacity).fill(-1);
    this.packets = new Float64Array(capacity);
    this.bytes = new Float64Array(capacity);
    this.lastUsed = new Float64Array(capacity);
    this.udpSport = new Int32Array(capacity);
    let n = 16;
    while (n < capacity * 2) n *= 2;
    this.slots = new Int32Array(n * SW);
    this.mask = n - 1;
  }

  used(index: number): boolean {
    return this.action[index] !== ACTION_NONE;
  }

  private hashAt(k: Int32Array, o: number): number {
    let h = hash6(k[o]!, k[o + 1]!, k[o + 2]!, k[o + 3]!, k[o + 4]!, k[o + 8]!);
    if (k[o + 2]! >> 8 === 1) for (const i of [5, 6, 7, 9, 10, 11]) h = mix(h, k[o + i]!);
    return fmix(h);
  }

  /** Flow index for an IPv4 key, -1 on a miss. The data plane's fast path. */
  lookup4(vrf: number, nh: number, proto: number, sip: number, dip: number, sport: number, dport: number): number {
    const w2 = proto & 0xff;
    const w3 = (sport << 16) | dport;
    sip |= 0; dip |= 0;
    const h = fmix(hash6(vrf, nh, w2, w3, sip, dip));
    const sl = this.slots;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const o = i * SW;
      const s = sl[o]!;
      if (s === 0) return -1;
      if (s > 0 && sl[o + 5] === sip && sl[o + 6] === dip && sl[o + 4] === w3 && sl[o + 1] === vrf && sl[o + 2] === nh && sl[o + 3] === w2) return s - 1;
    }
  }

  /**
   * IPv4 lookups for a burst, as the NIC takes them: queries are rows of 4 words in `q`
   * (sip, dip, sport<<16|dport, proto) for flows of one (vrf, nh); indexes go to `out`.
   * The first pass hashes every query and touches its home slot, so the cache misses of the
   * whole burst overlap instead of being paid one after another; the second pass probes.
   */
  lookupBurst4(vrf: number, nh: number, q: Int32Array, n: number, out: Int32Array): void {
    const sl = this.slots, mask = this.mask, home = this.home;
    let touch = 0;
    for (let k = 0; k < n; k++) {
      const o = k * 4;
      const i = fmix(hash6(vrf, nh, q[o + 3]! & 0xff, q[o + 2]!, q[o]!, q[o + 1]!)) & mask;
      home[k] = i;
      touch |= sl[i * SW]!; // the load that brings the slot's line in
    }
    this.touched = touch;
    for (let k = 0; k < n; k++) {
      const o = k * 4;
      const sip = q[o]!, dip = q[o + 1]!, w3 = q[o + 2]!, w2 = q[o + 3]! & 0xff;
      let r = -1;
      for (let i = home[k]!; ; i = (i + 1) & mask) {
        const so = i * SW;
        const s = sl[so]!;
        if (s === 0) break;
        if (s > 0 && sl[so + 5] === sip && sl[so + 6] === dip && sl[so + 4] === w3 && sl[so + 1] === vrf && sl[so + 2] === nh && sl[so + 3] === w2) { r = s - 1; break; }
      }
      out[k] = r;
    }
  }

  /** Flow index for a key in KW words (either family), -1 on a miss. */
  lookupKey(k: Int32Array): number {
    const keys = this.keys, sl = this.slots;
    for (let i = this.hashAt(k, 0) & this.mask; ; i = (i + 1) & this.mask) {
      const s = sl[i * SW]!;
      if (s === 0) return -1;
      if (s > 0) {
        const o = (s - 1) * KW;
        let eq = true;
        for (let j = 0; j < KW && eq; j++) eq = keys[o + j] === k[j];
        if (eq) return s - 1;
      }
    }
  }

  /** Fill `k` with an IPv4 key. */
  static key4(k: Int32Array, vrf: number, nh: number, proto: number, sip: number, dip: number, sport: number, dport: number): Int32Array {
    k.fill(0);
    k[0] = vrf; k[1] = nh; k[2] = proto & 0xff; k[3] = (sport << 16) | dport; k[4] = sip; k[8] = dip;
    return k;
  }

  /** Fill `k` with an IPv6 key from 16-byte addresses. */
  static key6(k: Int32Array, vrf: number, nh: number, proto: number, sip: Uint8Array, sOff: number, dip: Uint8Array, dOff: number, sport: number, dport: number): Int32Array {
    k[0] = vrf; k[1] = nh; k[2] = (1 << 8) | (proto & 0xff); k[3] = (sport << 16) | dport;
    for (let i = 0; i < 4; i++) {
      const a = sOff + 4 * i, b = dOff + 4 * i;
      k[4 + i] = (sip[a]! << 24) | (sip[a + 1]! << 16) | (sip[a + 2]! << 8) | sip[a + 3]!;
      k[8 + i] = (dip[b]! << 24) | (dip[b + 1]! << 16) | (dip[b + 2]! << 8) | dip[b + 3]!;
    }
    return k;
  }

  /** Install `key` at `index` with an action; an index in use is rekeyed. */
  put(index: number, key: Int32Array, action: number): void {
    if (this.used(index)) this.remove(index);
    if (this.tombstones > this.slots.length / SW / 4) this.rehash();
    this.keys.set(key.subarray(0, KW), index * KW);
    let i = this.hashAt(key, 0) & this.mask;
    while (this.slots[i * SW]! > 0) i = (i + 1) & this.mask;
    if (this.slots[i * SW] === -1) this.tombstones--;
    this.fill(i, index);
    this.action[index] = action;
    this.packets[index] = 0; this.bytes[index] = 0; this.udpSport[index] = 0;
    this.count++;
  }

  remove(index: number): void {
    if (!this.used(index)) return;
    for (let i = this.hashAt(this.keys, index * KW) & this.mask; ; i = (i + 1) & this.mask) {
      const s = this.slots[i * SW]!;
      if (s === 0) break;
      if (s === index + 1) { this.slots[i * SW] = -1; this.tombstones++; break; }
    }
    this.action[index] = ACTION_NONE;
    this.rflow[index] = -1; this.ecmp[index] = -1; this.srcNh[index] = -1; this.nat[index] = 0;
    this.count--;
  }

  private rehash(): void {
    this.slots.fill(0);
    this.tombstones = 0;
    for (let idx = 0; idx < this.capacity; idx++) {
      if (!this.used(idx)) continue;
      let i = this.hashAt(this.keys, idx * KW) & this.mask;
      while (this.slots[i * SW] !== 0) i = (i + 1) & this.mask;
      this.fill(i, idx);
    }
  }

  private fill(slot: number, index: number): void {
    const o = slot * SW, k = index * KW, keys = this.keys, sl = this.slots;
    sl[o] = index + 1; sl[o + 1] = keys[k]!; sl[o + 2] = keys[k + 1]!; sl[o + 3] = keys[k + 2]!;
    sl[o + 4] = keys[k + 3]!; sl[o + 5] = keys[k + 4]!; sl[o + 6] = keys[k + 8]!;
  }

  /** Lowest free index at or after `from` (wrapping), -1 when full. */
  freeIndex(from = 0): number {
    for (let n = 0; n < this.capacity; n++) {
      const i = (from + n) % this.capacity;
      if (!this.used(i)) return i;
    }
    return -1;
  }

  /** Indexes idle for at least `idleNs` at time `nowNs` (flow ageing; the agent deletes them). */
  idle(nowNs: number, idleNs: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.capacity; i++) if (this.used(i) && nowNs - this.lastUsed[i]! >= idleNs) out.push(i);
    return out;
  }

  keyWords(index: number): Int32Array {
    return this.keys.subarray(index * KW, index * KW + KW);
  }
}

export const ACTION_CODE = FLOW_ACTIONS;
