// The index behind hash maps: keys stored in one preallocated Uint8Array, slots numbered
// 0..capacity-1 (a slot's value lives at slot * stride in the map's stores, so a value never
// moves while its element exists), chained buckets over Int32Arrays and a free list, as the
// kernel preallocates htab elements. find() allocates nothing.
// Keys are hashed and compared four bytes at a time (little-endian int32 words, then any
// trailing bytes): the key is read once into a scratch word array, then each candidate slot
// is compared word by word (the slot's key as words when the key size is a multiple of 4).

/** A doubly linked list of slots over two Int32Arrays (insertion order, LRU recency). */
export class SlotList {
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  head = -1;
  tail = -1;

  constructor(capacity: number) {
    this.prev = new Int32Array(capacity).fill(-1);
    this.next = new Int32Array(capacity).fill(-1);
  }

  append(s: number): void {
    this.prev[s] = this.tail;
    this.next[s] = -1;
    if (this.tail >= 0) this.next[this.tail] = s; else this.head = s;
    this.tail = s;
  }

  unlink(s: number): void {
    const p = this.prev[s];
    const n = this.next[s];
    if (p >= 0) this.next[p] = n; else this.head = n;
    if (n >= 0) this.prev[n] = p; else this.tail = p;
    this.prev[s] = this.next[s] = -1;
  }

  moveToTail(s: number): void {
    if (this.tail === s) return;
    this.unlink(s);
    this.append(s);
  }

  after(s: number): number { return this.next[s]; }
}

export class KeyIndex {
  readonly keys: Uint8Array;
  /** Elements in insertion order: the order dumps and BPF_MAP_GET_NEXT_KEY follow. */
  readonly order: SlotList;
  count = 0;
  private readonly heads: Int32Array;
  private readonly chain: Int32Array;
  private readonly free: Int32Array;
  private freeTop: number;
  private readonly mask: number;
  /** Whole words in a key, and the stored keys as words (when keySize is a multiple of 4). */
  private readonly words: number;
  private readonly kw: Int32Array | null;
  /** The key being looked up, as words, then its trailing bytes. */
  private readonly scratch: Int32Array;

  constructor(readonly keySize: number, readonly capacity: number) {
    this.keys = new Uint8Array(capacity * keySize);
    this.words = keySize >> 2;
    this.kw = (keySize & 3) === 0 ? new Int32Array(this.keys.buffer, 0, capacity * this.words) : null;
    this.scratch = new Int32Array(keySize);
    let buckets = 1;
    while (buckets < capacity) buckets <<= 1;
    this.mask = buckets - 1;
    this.heads = new Int32Array(buckets).fill(-1);
    this.chain = new Int32Array(capacity).fill(-1);
    this.free = new Int32Array(capacity);
    // Pop order 0, 1, 2, ...: the first element gets slot 0 (deterministic value offsets).
    for (let i = 0; i < capacity; i++) this.free[i] = capacity - 1 - i;
    this.freeTop = capacity;
    this.order = new SlotList(capacity);
  }

  get full(): boolean { return this.freeTop === 0; }

  /** Read the key into scratch and return its bucket. */
  private load(key: Uint8Array, off: number): number {
    const w = this.words, sc = this.scratch;
    let h = 0x811c9dc5 ^ this.keySize;
    for (let i = 0, o = off; i < w; i++, o += 4) {
      const x = key[o] | (key[o + 1] << 8) | (key[o + 2] << 16) | (key[o + 3] << 24);
      sc[i] = x;
      h = Math.imul(h ^ x, 0x9e3779b1);
      h ^= h >>> 16;
    }
    for (let i = w << 2; i < this.keySize; i++) {
      const x = key[off + i];
      sc[w + i - (w << 2)] = x;
      h = Math.imul(h ^ x, 0x01000193);
    }
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
    return (h ^ (h >>> 13)) & this.mask;
  }

  /** Whether slot s holds the key in scratch (loaded by load()). */
  private same(s: number): boolean {
    const w = this.words, sc = this.scratch, kw = this.kw;
    if (kw !== null) {
      const base = s * w;
      for (let i = 0; i < w; i++) if (kw[base + i] !== sc[i]) return false;
      return true;
    }
    const keys = this.keys, base = s * this.keySize;
    for (let i = 0, o = base; i < w; i++, o += 4) {
      if ((keys[o] | (keys[o + 1] << 8) | (keys[o + 2] << 16) | (keys[o + 3] << 24)) !== sc[i]) return false;
    }
    for (let i = w << 2; i < this.keySize; i++) if (keys[base + i] !== sc[w + i - (w << 2)]) return false;
    return true;
  }

  find(key: Uint8Array, off: number): number {
    for (let s = this.heads[this.load(key, off)]; s >= 0; s = this.chain[s]) {
      if (this.same(s)) return s;
    }
    return -1;
  }

  /** Add a key known to be absent: its slot, or -1 when every slot is taken. */
  insert(key: Uint8Array, off: number): number {
    if (this.freeTop === 0) return -1;
    const s = this.free[--this.freeTop];
    this.keys.set(key.subarray(off, off + this.keySize), s * this.keySize);
    const b = this.load(key, off);
    this.chain[s] = this.heads[b];
    this.heads[b] = s;
    this.order.append(s);
    this.count++;
    return s;
  }

  removeSlot(s: number): void {
    const b = this.load(this.keys, s * this.keySize);
    if (this.heads[b] === s) this.heads[b] = this.chain[s];
    else {
      let p = this.heads[b];
      while (p >= 0 && this.chain[p] !== s) p = this.chain[p];
      if (p >= 0) this.chain[p] = this.chain[s];
    }
    this.chain[s] = -1;
    this.order.unlink(s);
    this.free[this.freeTop++] = s;
    this.count--;
  }

  keyAt(s: number): Uint8Array {
    return this.keys.slice(s * this.keySize, (s + 1) * this.keySize);
  }
}
