// Fixed-offset header access (big-endian), the few headers the vRouter walk needs.
export const ETH_HLEN = 14;
export const ETH_P_IP = 0x0800;
export const ETH_P_IPV6 = 0x86dd;
export const ETH_P_ARP = 0x0806;
export const IPPROTO_GRE = 47;
export const IPPROTO_UDP = 17;
export const IPPROTO_TCP = 6;
export const IPPROTO_ICMP = 1;
export const IPPROTO_ICMPV6 = 58;

export const r16 = (b: Uint8Array, o: number): number => (b[o]! << 8) | b[o + 1]!;
export const r32 = (b: Uint8Array, o: number): number => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
export function w16(b: Uint8Array, o: number, v: number): void { b[o] = v >>> 8; b[o + 1] = v; }
export function w32(b: Uint8Array, o: number, v: number): void { b[o] = v >>> 24; b[o + 1] = v >>> 16; b[o + 2] = v >>> 8; b[o + 3] = v; }

/** Write an Ethernet header at `o`. */
export function writeEth(b: Uint8Array, o: number, dmac: Uint8Array, smac: Uint8Array, type: number): void {
  b.set(dmac, o); b.set(smac, o + 6); w16(b, o + 12, type);
}

/** Ports of TCP/UDP (others: 0, as the vRouter flow key has them for ICMP without echo id). */
export function hasPorts(proto: number): boolean {
  return proto === IPPROTO_TCP || proto === IPPROTO_UDP;
}

/** Offset of the L4 checksum field for TCP/UDP, -1 otherwise. */
export function l4CheckOffset(proto: number): number {
  return proto === IPPROTO_TCP ? 16 : proto === IPPROTO_UDP ? 6 : -1;
}
