// bpf_csum_diff (net/core/filter.c, kernels since 6.13): sums as csum_partial computes them
// (32-bit words read in memory order, little-endian on x86-64, end-around carry), combined by
// case, then folded to 16 bits with csum_from32to16 on every architecture:
//   only `to`:   csum_partial(to, seed)                   (pushing data)
//   only `from`: ~csum_partial(from, ~seed)               (pulling data)
//   both:        csum_sub(csum_partial(to, seed), csum_partial(from, 0))
// The zero cases differ from the older scratch-buffer version (0 against 0xffff); the
// differential test checks them against the running kernel. Sizes must be multiples of 4.

/** csum_partial over whole 32-bit words: end-around-carry sum plus `seed`. */
export function csumPartial(b: Uint8Array, seed: number): number {
  let sum = seed >>> 0;
  for (let i = 0; i + 3 < b.length; i += 4) {
    sum += (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
    if (sum > 0xffffffff) sum -= 0xffffffff; // the carry out of bit 31 comes back in at bit 0
  }
  return sum;
}

const csumAdd = (a: number, b: number): number => { const r = a + b; return r > 0xffffffff ? r - 0xffffffff : r; };

/** csum_from32to16: add the halves with the carry (x + ror32(x, 16), upper half). */
export function fold16(x: number): number {
  const ror = ((x >>> 16) | (x << 16)) >>> 0;
  return ((x + ror) >>> 16) & 0xffff;
}

export function csumDiff(from: Uint8Array, to: Uint8Array, seed: number): number {
  let r: number;
  if (to.length === 0) r = ~csumPartial(from, ~seed >>> 0) >>> 0;
  else if (from.length === 0) r = csumPartial(to, seed);
  else r = csumAdd(csumPartial(to, seed), ~csumPartial(from, 0) >>> 0);
  return fold16(r);
}
