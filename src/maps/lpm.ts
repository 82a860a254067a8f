// BPF_MAP_TYPE_LPM_TRIE (kernel/bpf/lpm_trie.c). Key: u32 prefixlen (host order, little
// endian here) then the data bytes, compared most significant bit first. The trie has the
// kernel's shape — real nodes, and intermediate nodes (exactly two children) created where
// two prefixes diverge — so lookup, update, delete and get_next_key (post-order: leftmost
// leaf first, children before parents) walk it exactly as the kernel does.
// Values live in preallocated slots; a node keeps its slot while it holds a value.
// Keys with four data bytes (IPv4) are looked up on int32 words: the match length of a node
// is clz32 of the XOR of the two addresses, the branch bit a shift.
import type { MapSpec } from '../elf/index.js';
import { BaseMap, u32 } from './base.js';
import { BPF_EXIST, BPF_NOEXIST, EEXIST, EINVAL, ENOENT, ENOSPC } from './errno.js';
import type { MapOptions } from './types.js';

interface Node {
  prefixlen: number;
  data: Uint8Array;
  /** The first four data bytes as a big-endian int32 (the IPv4 fast path's compare word). */
  w: number;
  /** Intermediate node (LPM_TREE_NODE_FLAG_IM): no value, two children. */
  im: boolean;
  slot: number;
  child: [Node | null, Node | null];
}

/** A place that holds a node pointer: the root or a child link. */
interface Link { get(): Node | null; set(n: Node | null): void }

export class LpmTrieMap extends BaseMap {
  private root: Node | null = null;
  private entries = 0;
  private readonly dataSize: number;
  private readonly maxPrefixlen: number;
  private readonly free: number[] = [];

  constructor(spec: MapSpec, opts: MapOptions) {
    super(spec, opts, false, spec.maxEntries);
    this.dataSize = spec.keySize - 4;
    this.maxPrefixlen = this.dataSize * 8;
    for (let i = spec.maxEntries - 1; i >= 0; i--) this.free.push(i);
  }

  get size(): number { return this.entries; }

  private bit(data: Uint8Array, off: number, index: number): 0 | 1 {
    return (data[off + (index >> 3)] >> (7 - (index & 7))) & 1 ? 1 : 0;
  }

  /** Matching leading bits of node and key, at most min(node, key) prefix length. */
  private match(node: Node, key: Uint8Array, keyOff: number): number {
    const limit = Math.min(node.prefixlen, u32(key, keyOff));
    let len = 0;
    for (let i = 0; i < this.dataSize && len < limit; i++) {
      const x = node.data[i] ^ key[keyOff + 4 + i];
      if (x === 0) { len += 8; continue; }
      len += Math.clz32(x) - 24;
      break;
    }
    return Math.min(len, limit);
  }

  // trie_lookup_elem: the longest real prefix on the path that matches the key.
  protected find(key: Uint8Array, keyOff: number): number {
    if (this.dataSize === 4) return this.find4(key, keyOff);
    let found: Node | null = null;
    for (let node = this.root; node;) {
      const m = this.match(node, key, keyOff);
      if (m === this.maxPrefixlen) { found = node; break; }
      if (m < node.prefixlen) break;
      if (!node.im) found = node;
      node = node.child[this.bit(key, keyOff + 4, node.prefixlen)];
    }
    return found ? found.slot * this.stride : -1;
  }

  /** find() for four data bytes: the same walk, on words. */
  private find4(key: Uint8Array, keyOff: number): number {
    const kp = u32(key, keyOff);
    const kw = (key[keyOff + 4] << 24) | (key[keyOff + 5] << 16) | (key[keyOff + 6] << 8) | key[keyOff + 7];
    let found: Node | null = null;
    for (let node = this.root; node !== null;) {
      const pl = node.prefixlen;
      const limit = pl < kp ? pl : kp;
      const c = Math.clz32(node.w ^ kw);
      const m = c < limit ? c : limit;
      if (m === 32) { found = node; break; }
      if (m < pl) break;
      if (!node.im) found = node;
      node = node.child[(kw >>> (31 - pl)) & 1];
    }
    return found !== null ? found.slot * this.stride : -1;
  }

  private word(data: Uint8Array): number {
    return this.dataSize === 4 ? (data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3] : 0;
  }

  private rootLink(): Link { return { get: () => this.root, set: (n) => { this.root = n; } }; }
  private childLink(p: Node, b: 0 | 1): Link { return { get: () => p.child[b], set: (n) => { p.child[b] = n; } }; }

  /** trie_check_add_elem: a new value needs BPF_EXIST unset and room below max_entries. */
  private addCheck(flags: number): number {
    if (flags === BPF_EXIST) return -ENOENT;
    if (this.entries === this.spec.maxEntries) return -ENOSPC;
    return 0;
  }

  private newNode(key: Uint8Array, keyOff: number, prefixlen: number): Node {
    this.entries++;
    this.created = true;
    const data = key.slice(keyOff + 4, keyOff + 4 + this.dataSize);
    return { prefixlen, data, w: this.word(data), im: false, slot: this.free.pop()!, child: [null, null] };
  }

  // trie_update_elem: exact-match insert or replace.
  protected place(key: Uint8Array, keyOff: number, _v: Uint8Array, _vo: number, flags: number): number {
    const prefixlen = u32(key, keyOff);
    if (flags > BPF_EXIST || flags < 0) return -EINVAL;
    if (prefixlen > this.maxPrefixlen) return -EINVAL;
    let link = this.rootLink();
    let node = link.get();
    let m = 0;
    while (node) {
      m = this.match(node, key, keyOff);
      if (node.prefixlen !== m || node.prefixlen === prefixlen) break;
      link = this.childLink(node, this.bit(key, keyOff + 4, node.prefixlen));
      node = link.get();
    }
    if (!node) { // an empty slot: the new node goes there
      const r = this.addCheck(flags);
      if (r < 0) return r;
      const n = this.newNode(key, keyOff, prefixlen);
      link.set(n);
      return n.slot * this.stride;
    }
    if (node.prefixlen === m) { // the exact prefix exists: replace (here: in place)
      if (!node.im) {
        if (flags === BPF_NOEXIST) return -EEXIST;
      } else {
        const r = this.addCheck(flags);
        if (r < 0) return r;
        this.entries++;
        this.created = true;
        node.im = false;
        node.slot = this.free.pop()!;
      }
      node.data = key.slice(keyOff + 4, keyOff + 4 + this.dataSize);
      node.w = this.word(node.data);
      return node.slot * this.stride;
    }
    const r = this.addCheck(flags);
    if (r < 0) return r;
    const n = this.newNode(key, keyOff, prefixlen);
    if (m === prefixlen) { // the new prefix is an ancestor of node
      n.child[this.bit(node.data, 0, m)] = node;
      link.set(n);
      return n.slot * this.stride;
    }
    // They diverge at bit m: an intermediate node with both as children.
    const im: Node = { prefixlen: m, data: node.data.slice(), w: node.w, im: true, slot: -1, child: [null, null] };
    if (this.bit(key, keyOff + 4, m)) { im.child[0] = node; im.child[1] = n; } else { im.child[0] = n; im.child[1] = node; }
    link.set(im);
    return n.slot * this.stride;
  }

  // trie_delete_elem
  protected remove(key: Uint8Array, keyOff: number): number {
    const prefixlen = u32(key, keyOff);
    if (prefixlen > this.maxPrefixlen) return -EINVAL;
    let trim = this.rootLink();
    let trim2 = trim;
    let parent: Node | null = null;
    let node = trim.get();
    let m = 0;
    while (node) {
      m = this.match(node, key, keyOff);
      if (node.prefixlen !== m || node.prefixlen === prefixlen) break;
      parent = node;
      trim2 = trim;
      trim = this.childLink(node, this.bit(key, keyOff + 4, node.prefixlen));
      node = trim.get();
    }
    if (!node || node.prefixlen !== prefixlen || node.prefixlen !== m || node.im) return -ENOENT;
    this.entries--;
    this.free.push(node.slot);
    if (node.child[0] && node.child[1]) { // two children: it becomes intermediate
      node.im = true;
      node.slot = -1;
      return 0;
    }
    if (parent && parent.im && !node.child[0] && !node.child[1]) { // drop the parent too
      trim2.set(node === parent.child[0] ? parent.child[1] : parent.child[0]);
      return 0;
    }
    trim.set(node.child[0] ?? node.child[1] ?? null);
    return 0;
  }

  // trie_get_next_key: post-order successor of the exact node, or the leftmost real node.
  nextKey(key?: Uint8Array): Uint8Array | undefined {
    if (!this.root) return undefined;
    let searchRoot: Node | null = this.root;
    if (key && key.length >= this.spec.keySize && u32(key, 0) <= this.maxPrefixlen) {
      const prefixlen = u32(key, 0);
      const stack: Node[] = [];
      let node: Node | null = this.root;
      let m = 0;
      while (node) {
        stack.push(node);
        m = this.match(node, key, 0);
        if (node.prefixlen !== m || node.prefixlen === prefixlen) break;
        node = node.child[this.bit(key, 4, node.prefixlen)];
      }
      if (node && node.prefixlen === m && !node.im) {
        let cur = stack[stack.length - 1];
        for (let sp = stack.length - 1; sp > 0; sp--) {
          const parent = stack[sp - 1];
          if (parent.child[0] === cur && parent.child[1]) { searchRoot = parent.child[1]; return this.leftmost(searchRoot); }
          if (!parent.im) return this.keyOf(parent);
          cur = parent;
        }
        return undefined;
      }
    }
    return this.leftmost(searchRoot);
  }

  /** The first real node in post-order under `root` (intermediates always have two children). */
  private leftmost(root: Node | null): Uint8Array | undefined {
    let next: Node | null = null;
    for (let node = root; node;) {
      if (node.im) { node = node.child[0]; continue; }
      next = node;
      node = node.child[0] ?? next.child[1];
    }
    return next ? this.keyOf(next) : undefined;
  }

  private keyOf(n: Node): Uint8Array {
    const k = new Uint8Array(this.spec.keySize);
    new DataView(k.buffer).setUint32(0, n.prefixlen, true);
    k.set(n.data, 4);
    return k;
  }
}
