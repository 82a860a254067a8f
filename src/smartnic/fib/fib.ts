// The FIB index: one trie per family, VRF-scoped roots, and a leaf table holding what vRouter's
// mtrie leaf holds (next hop, label, prefix length). Reusable on its own: `FibLookup` is the small
// interface a consumer such as the eBPF `bpf_fib_lookup` helper can be handed.
import { Trie } from './trie.js';

export interface FibResult { nh: number; label: number; prefixLen: number }

/** What a consumer of the FIB needs: longest-prefix match per VRF. */
export interface FibLookup {
  lookup4(vrf: number, addr: number): FibResult | undefined;
  lookup6(vrf: number, addr: Uint8Array): FibResult | undefined;
}

/** VR_MAX_VRFS (vr_route.h). */
export const MAX_VRFS = 65536;

/**
 * IPv4 strides. 16-8-8 keeps an empty VRF at 256 KB; 24-8 (DIR-24-8, as DPDK's rte_lpm) costs
 * 64 MB per VRF but answers most lookups with one memory read: for large tables.
 */
export type V4Layout = '16-8-8' | '24-8';
const V6_STRIDES = [16, ...new Array<number>(14).fill(8)];

export class Fib implements FibLookup {
  /** Leaf table, indexed by leaf id (0 = none). */
  nh = new Int32Array(1024);
  label = new Int32Array(1024);
  plen = new Int32Array(1024);
  private nextLeaf = 1;
  private readonly freeLeaves: number[] = [];
  readonly v4: Trie;
  readonly v6: Trie;
  /** Exact routes: v4 key (vrf*64+len)*2^32+prefix, v6 key text; value = leaf id. */
  private readonly routes4 = new Map<number, number>();
  private readonly routes6 = new Map<string, number>();
  private readonly scratch4 = new Uint8Array(4);
  private readonly perVrf = new Map<number, number>();

  readonly wide: boolean;

  constructor(opts: { maxVrfs?: number; v4Layout?: V4Layout } = {}) {
    const maxVrfs = opts.maxVrfs ?? MAX_VRFS;
    this.wide = opts.v4Layout === '24-8';
    this.v4 = new Trie(this.wide ? [24, 8] : [16, 8, 8], () => this.plen, maxVrfs);
    this.v6 = new Trie(V6_STRIDES, () => this.plen, maxVrfs);
  }

  get size(): number {
    return this.routes4.size + this.routes6.size;
  }

  /** Routes installed in one VRF (both families). */
  routesIn(vrf: number): number {
    return this.perVrf.get(vrf) ?? 0;
  }

  /** VRFs with routes, ascending. */
  vrfs(): number[] {
    return [...this.perVrf].filter(([, n]) => n > 0).map(([v]) => v).sort((a, b) => a - b);
  }

  private allocLeaf(nh: number, label: number, plen: number): number {
    let id = this.freeLeaves.pop();
    if (id === undefined) {
      id = this.nextLeaf++;
      if (id >= this.nh.length) {
        const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => { const b = new Int32Array(a.length * 2); b.set(a); return b; };
        this.nh = grow(this.nh); this.label = grow(this.label); this.plen = grow(this.plen);
      }
    }
    this.nh[id] = nh; this.label[id] = label; this.plen[id] = plen;
    return id;
  }

  private bytes4(prefix: number): Uint8Array {
    const b = this.scratch4;
    b[0] = prefix >>> 24; b[1] = prefix >>> 16; b[2] = prefix >>> 8; b[3] = prefix;
    return b;
  }

  /** Add or replace vrf/prefix/len (prefix host bits must be zero). */
  add4(vrf: number, prefix: number, len: number, nh: number, label: number): void {
    const key = (vrf * 64 + len) * 0x100000000 + prefix;
    const old = this.routes4.get(key);
    if (old !== undefined) { this.nh[old] = nh; this.label[old] = label; return; }
    const leaf = this.allocLeaf(nh, label, len);
    this.routes4.set(key, leaf);
    this.perVrf.set(vrf, this.routesIn(vrf) + 1);
    this.v4.insert(vrf, this.bytes4(prefix), len, leaf);
  }

  /** Delete vrf/prefix/len; returns false when there was no such route. */
  delete4(vrf: number, prefix: number, len: number): boolean {
    const key = (vrf * 64 + len) * 0x100000000 + prefix;
    const leaf = this.routes4.get(key);
    if (leaf === undefined) return false;
    this.routes4.delete(key);
    this.perVrf.set(vrf, this.routesIn(vrf) - 1);
    let repl = 0;
    for (let l = len - 1; l >= 0 && repl === 0; l--) {
      const p = l === 0 ? 0 : (prefix & (~0 << (32 - l))) >>> 0;
      repl = this.routes4.get((vrf * 64 + l) * 0x100000000 + p) ?? 0;
    }
    this.v4.remove(vrf, this.bytes4(prefix), len, leaf, repl);
    this.freeLeaves.push(leaf);
    return true;
  }

  private key6(vrf: number, b: Uint8Array, len: number): string {
    let s = `${vrf}/${len}/`;
    for (let i = 0; i < (len + 7) >> 3; i++) s += b[i]!.toString(16).padStart(2, '0');
    return s;
  }

  add6(vrf: number, prefix: Uint8Array, len: number, nh: number, label: number): void {
    const key = this.key6(vrf, prefix, len);
    const old = this.routes6.get(key);
    if (old !== undefined) { this.nh[old] = nh; this.label[old] = label; return; }
    const leaf = this.allocLeaf(nh, label, len);
    this.routes6.set(key, leaf);
    this.perVrf.set(vrf, this.routesIn(vrf) + 1);
    this.v6.insert(vrf, prefix, len, leaf);
  }

  delete6(vrf: number, prefix: Uint8Array, len: number): boolean {
    const key = this.key6(vrf, prefix, len);
    const leaf = this.routes6.get(key);
    if (leaf === undefined) return false;
    this.routes6.delete(key);
    this.perVrf.set(vrf, this.routesIn(vrf) - 1);
    let repl = 0;
    const m = Uint8Array.from(prefix);
    for (let l = len - 1; l >= 0 && repl === 0; l--) {
      m[l >> 3]! &= (0xff00 >> (l & 7)) & 0xff;
      repl = this.routes6.get(this.key6(vrf, m, l)) ?? 0;
    }
    this.v6.remove(vrf, prefix, len, leaf, repl);
    this.freeLeaves.push(leaf);
    return true;
  }

  /** Leaf id of the longest match for an IPv4 address (0 = no route). The data plane's fast path. */
  leaf4(vrf: number, a: number): number {
    let v = this.v4.roots[vrf]!;
    if (v === 0) return 0;
    const ent = this.v4.ent;
    if (this.wide) {
      v = ent[v + (a >>> 8)]!;
      return v < 0 ? ent[-v + (a & 255)]! : v;
    }
    v = ent[v + (a >>> 16)]!;
    if (v < 0) {
      v = ent[-v + ((a >>> 8) & 255)]!;
      if (v < 0) v = ent[-v + (a & 255)]!;
    }
    return v;
  }

  /**
   * Leaf ids for a burst of IPv4 addresses. Level by level over the whole burst, so the memory
   * reads of different packets are independent and overlap (the way rte_lpm_lookup_bulk works).
   */
  leaf4Burst(vrf: number, addrs: Uint32Array, n: number, out: Int32Array): void {
    const root = this.v4.roots[vrf]!;
    if (root === 0) { out.fill(0, 0, n); return; }
    const ent = this.v4.ent;
    if (this.wide) {
      for (let i = 0; i < n; i++) out[i] = ent[root + (addrs[i]! >>> 8)]!;
      for (let i = 0; i < n; i++) { const v = out[i]!; if (v < 0) out[i] = ent[-v + (addrs[i]! & 255)]!; }
      return;
    }
    for (let i = 0; i < n; i++) out[i] = ent[root + (addrs[i]! >>> 16)]!;
    for (let i = 0; i < n; i++) { const v = out[i]!; if (v < 0) out[i] = ent[-v + ((addrs[i]! >>> 8) & 255)]!; }
    for (let i = 0; i < n; i++) { const v = out[i]!; if (v < 0) out[i] = ent[-v + (addrs[i]! & 255)]!; }
  }

  /** Leaf id of the longest match for the IPv6 address at bytes[off..off+16). */
  leaf6(vrf: number, bytes: Uint8Array, off = 0): number {
    return this.v6.lookup(vrf, bytes, off);
  }

  private result(leaf: number): FibResult | undefined {
    return leaf === 0 ? undefined : { nh: this.nh[leaf]!, label: this.label[leaf]!, prefixLen: this.plen[leaf]! };
  }

  lookup4(vrf: number, addr: number): FibResult | undefined {
    return this.result(this.leaf4(vrf, addr >>> 0));
  }

  lookup6(vrf: number, addr: Uint8Array): FibResult | undefined {
    return this.result(this.leaf6(vrf, addr));
  }

  /** Bytes held by the node pools (for reports). */
  get memoryBytes(): number {
    return this.v4.bytes + this.v6.bytes + this.nh.byteLength * 3;
  }
}
