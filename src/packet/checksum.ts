// Internet checksums (RFC 1071) and incremental updates (RFC 1624), as header rewrites need.

/** One's-complement sum of 16-bit big-endian words of bytes[off..off+len), folded to 16 bits, plus `initial`. */
export function onesSum(bytes: Uint8Array, off: number, len: number, initial = 0): number {
  let sum = initial;
  let i = off;
  const end = off + len;
  for (; i + 1 < end; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i < end) sum += bytes[i]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** The Internet checksum of a byte range (complement of the one's-complement sum). */
export function internetChecksum(bytes: Uint8Array, off: number, len: number, initial = 0): number {
  return ~onesSum(bytes, off, len, initial) & 0xffff;
}

/** RFC 1624 eqn. 3: new checksum after a 16-bit field changed from `oldWord` to `newWord`. */
export function checksumReplace16(check: number, oldWord: number, newWord: number): number {
  let sum = (~check & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** The same for a 32-bit field (an IPv4 address), as two 16-bit halves. */
export function checksumReplace32(check: number, oldValue: number, newValue: number): number {
  const c = checksumReplace16(check, oldValue >>> 16, newValue >>> 16);
  return checksumReplace16(c, oldValue & 0xffff, newValue & 0xffff);
}

/** Pseudo-header sum for TCP/UDP over IPv4 (src, dst as u32, protocol, L4 length). */
export function ipv4PseudoSum(src: number, dst: number, protocol: number, l4len: number): number {
  let sum = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + l4len;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** Pseudo-header sum for IPv6 (16-byte addresses at srcOff/dstOff in bytes). */
export function ipv6PseudoSum(bytes: Uint8Array, srcOff: number, dstOff: number, nextHeader: number, l4len: number): number {
  let sum = onesSum(bytes, srcOff, 16) + onesSum(bytes, dstOff, 16) + (l4len >>> 16) + (l4len & 0xffff) + nextHeader;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}
