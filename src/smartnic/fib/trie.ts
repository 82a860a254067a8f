// A multibit trie with leaf pushing (controlled prefix expansion), the structure of vRouter's
// "IP mtrie" (vr_ip_mtrie.c) with DIR-24-8's wide first level: strides are byte multiples
// (IPv4 16-8-8 or DIR-24-8's 24-8, IPv6 16-8-...-8), so a lookup is at most 3 (IPv4) or 15 (IPv6) array reads.
//
// All nodes live in one Int32Array pool. An entry is 0 (no route), > 0 (a leaf id: the route
// that covers this slot, from the leaf table shared with Fib) or < 0 (minus the offset of a child
// node). Updates are incremental: insert paints the slots a prefix covers unless a longer prefix
// holds them; delete repaints the slots the prefix held with its longest covering route.

export class Trie {
  /** The node pool. Offset 0 is never a node, so a child reference is always negative. */
  ent: Int32Array;
  private used = 16;
  /** Root node offset per VRF, 0 when the VRF has no routes in this family. */
  readonly roots: Int32Array;
  private readonly freeNodes: number[][];
  readonly nodeSize: number[];
  nodes = 0;

  constructor(readonly strides: readonly number[], private readonly leafPlen: () => Int32Array, maxVrfs: number) {
    this.nodeSize = strides.map((s) => 1 << s);
    this.freeNodes = strides.map(() => []);
    this.ent = new Int32Array(1 << 20);
    this.roots = new Int32Array(maxVrfs);
  }

  /** Slot index of `bytes` at a level that starts at bit `bit` (byte aligned). */
  private index(bytes: Uint8Array, bit: number, level: number): number {
    const k = bit >> 3;
    const w = this.strides[level]!;
    return w === 8 ? bytes[k]! : w === 16 ? (bytes[k]! << 8) | bytes[k + 1]! : (bytes[k]! << 16) | (bytes[k + 1]! << 8) | bytes[k + 2]!;
  }

  private allocNode(level: number, fill: number): number {
    const size = this.nodeSize[level]!;
    let off = this.freeNodes[level]!.pop();
    if (off === undefined) {
      if (this.used + size > this.ent.length) {
        let n = this.ent.length * 2;
        while (n < this.used + size) n *= 2;
        const grown = new Int32Array(n);
        grown.set(this.ent);
        this.ent = grown;
      }
      off = this.used;
      this.used += size;
    }
    this.ent.fill(fill, off, off + size);
    this.nodes++;
    return off;
  }

  /** Paint `leaf` (prefix length `len`) over `bytes/len` in `vrf`. */
  insert(vrf: number, bytes: Uint8Array, len: number, leaf: number): void {
    let node = this.roots[vrf]!;
    if (node === 0) node = this.roots[vrf] = this.allocNode(0, 0);
    let level = 0;
    let bit = 0;
    while (len > bit + this.strides[level]!) {
      const at = node + this.index(bytes, bit, level);
      let v = this.ent[at]!;
      if (v >= 0) {
        const child = this.allocNode(level + 1, v);
        this.ent[at] = -child;
        v = -child;
      }
      node = -v;
      bit += this.strides[level]!;
      level++;
    }
    const free = bit + this.strides[level]! - len;
    const start = this.index(bytes, bit, level) & ~((1 << free) - 1);
    const plen = this.leafPlen();
    for (let i = 0; i < 1 << free; i++) this.paintIn(node + start + i, level, leaf, len, plen);
  }

  private paintIn(at: number, level: number, leaf: number, len: number, plen: Int32Array): void {
    const v = this.ent[at]!;
    if (v < 0) {
      const child = -v;
      const size = this.nodeSize[level + 1]!;
      for (let i = 0; i < size; i++) this.paintIn(child + i, level + 1, leaf, len, plen);
    } else if (v === 0 || plen[v]! <= len) {
      this.ent[at] = leaf;
    }
  }

  /** Replace `leaf` by `replacement` (0 = none) wherever `bytes/len` painted it. */
  remove(vrf: number, bytes: Uint8Array, len: number, leaf: number, replacement: number): void {
    let node = this.roots[vrf]!;
    if (node === 0) return;
    let level = 0;
    let bit = 0;
    while (len > bit + this.strides[level]!) {
      const v = this.ent[node + this.index(bytes, bit, level)]!;
      if (v >= 0) return;
      node = -v;
      bit += this.strides[level]!;
      level++;
    }
    const free = bit + this.strides[level]! - len;
    const start = this.index(bytes, bit, level) & ~((1 << free) - 1);
    for (let i = 0; i < 1 << free; i++) this.repaint(node + start + i, level, leaf, replacement);
  }

  private repaint(at: number, level: number, leaf: number, replacement: number): void {
    const v = this.ent[at]!;
    if (v < 0) {
      const child = -v;
      const size = this.nodeSize[level + 1]!;
      let same = true;
      for (let i = 0; i < size; i++) {
        this.repaint(child + i, level + 1, leaf, replacement);
        if (this.ent[child + i] !== this.ent[child]) same = false;
      }
      // A child whose slots all agree again is folded back into its parent slot.
      if (same && this.ent[child]! >= 0) {
        this.ent[at] = this.ent[child]!;
        this.freeNodes[level + 1]!.push(child);
        this.nodes--;
      }
    } else if (v === leaf) {
      this.ent[at] = replacement;
    }
  }

  /** Leaf id for a full address (generic walk; Fib has unrolled IPv4 and IPv6 forms). */
  lookup(vrf: number, bytes: Uint8Array, off = 0): number {
    let node = this.roots[vrf]!;
    if (node === 0) return 0;
    const ent = this.ent;
    let k = off;
    for (let level = 0; ; level++) {
      const w = this.strides[level]!;
      const idx = w === 8 ? bytes[k]! : w === 16 ? (bytes[k]! << 8) | bytes[k + 1]! : (bytes[k]! << 16) | (bytes[k + 1]! << 8) | bytes[k + 2]!;
      k += this.strides[level]! >> 3;
      const v = ent[node + idx]!;
      if (v >= 0) return v;
      node = -v;
    }
  }

  /** Bytes the node pool holds (for reports). */
  get bytes(): number {
    return this.used * 4;
  }
}
