// Receive-side scaling: which host queue a frame lands in. Two deterministic hashes:
//  - toeplitz: the Toeplitz hash NICs implement, with the default 40-byte key of the Microsoft
//    RSS specification (also DPDK's default), over src IP, dst IP, src port, dst port for TCP
//    and UDP over IPv4/IPv6 (addresses only for other IP protocols); the low 7 bits index a
//    128-entry indirection table filled round robin (entry i -> queue i % queues), as ethtool's
//    default `-X equal`. Non-IP frames go to queue 0.
//  - xor: the 5-tuple folded with XOR and a multiply, modulo the queue count (cheaper; same
//    flow, same queue).
// One VLAN tag is skipped. The hash only reads the frame.

const KEY = Uint8Array.from([
  0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
  0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
  0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
]);

/** Toeplitz hash of b[off..off+len) with the default key (len <= 36). */
export function toeplitz(b: Uint8Array, off: number, len: number): number {
  let result = 0;
  let v = ((KEY[0]! << 24) | (KEY[1]! << 16) | (KEY[2]! << 8) | KEY[3]!) >>> 0;
  for (let i = 0; i < len; i++) {
    const byte = b[off + i]!;
    const next = KEY[i + 4] ?? 0;
    for (let bit = 7; bit >= 0; bit--) {
      if (byte & (1 << bit)) result ^= v;
      v = ((v << 1) | ((next >> bit) & 1)) >>> 0;
    }
  }
  return result >>> 0;
}

export class Rss {
  private readonly table: Uint8Array;
  private readonly tuple = new Uint8Array(36);

  constructor(readonly queues: number, readonly kind: 'toeplitz' | 'xor' = 'toeplitz') {
    this.table = new Uint8Array(128);
    for (let i = 0; i < 128; i++) this.table[i] = i % queues;
  }

  /** Queue of the frame at b[off..off+len). */
  queue(b: Uint8Array, off: number, len: number): number {
    if (this.queues === 1) return 0;
    const n = this.extract(b, off, len);
    if (n === 0) return 0;
    if (this.kind === 'toeplitz') return this.table[toeplitz(this.tuple, 0, n) & 127]!;
    let h = 0;
    for (let i = 0; i < n; i += 4) h ^= ((this.tuple[i]! << 24) | (this.tuple[i + 1]! << 16) | (this.tuple[i + 2]! << 8) | (this.tuple[i + 3] ?? 0)) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
    return ((h ^ (h >>> 16)) >>> 0) % this.queues;
  }

  /** Copy the hash input into `tuple`; its length (0: not IP). */
  private extract(b: Uint8Array, off: number, len: number): number {
    const end = off + len;
    let p = off + 12;
    if (p + 2 > end) return 0;
    let type = (b[p]! << 8) | b[p + 1]!;
    if (type === 0x8100 || type === 0x88a8) { p += 4; if (p + 2 > end) return 0; type = (b[p]! << 8) | b[p + 1]!; }
    p += 2;
    let proto: number, addrLen: number, l4: number;
    if (type === 0x0800) {
      if (p + 20 > end) return 0;
      proto = b[p + 9]!; addrLen = 8;
      this.tuple.set(b.subarray(p + 12, p + 20), 0);
      const frag = ((b[p + 6]! & 0x3f) << 8) | b[p + 7]!;
      l4 = frag === 0 ? p + (b[p]! & 15) * 4 : -1; // fragments hash on addresses only
    } else if (type === 0x86dd) {
      if (p + 40 > end) return 0;
      proto = b[p + 6]!; addrLen = 32;
      this.tuple.set(b.subarray(p + 8, p + 40), 0);
      l4 = p + 40;
    } else return 0;
    if ((proto === 6 || proto === 17) && l4 >= 0 && l4 + 4 <= end) {
      this.tuple.set(b.subarray(l4, l4 + 4), addrLen);
      return addrLen + 4;
    }
    return addrLen;
  }
}
