// Hand-built packets for the SmartNIC walks: every header written field by field here, so the
// expected bytes do not come from the code under test.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { internetChecksum, ipv4PseudoSum } from '../../src/packet/index.js';
import { parseSetup, SmartNic, loadProfile, type NicProfile } from '../../src/smartnic/index.js';

export const repo = fileURLToPath(new URL('../../../', import.meta.url));

export function compute1(profile?: NicProfile): SmartNic {
  const nic = new SmartNic(profile);
  nic.apply(parseSetup(readFileSync(`${repo}programs/tables/compute-1.yaml`, 'utf8'), 'compute-1.yaml'));
  return nic;
}

export function profile(name: string): NicProfile {
  return loadProfile(JSON.parse(readFileSync(`${repo}programs/profiles/${name}`, 'utf8')), name);
}

const mac = (s: string): number[] => s.split(':').map((x) => parseInt(x, 16));
const ip4 = (s: string): number[] => s.split('.').map(Number);
const u16 = (v: number): number[] => [(v >> 8) & 255, v & 255];
const u32 = (v: number): number[] => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

export const cat = (...parts: Array<number[] | Uint8Array>): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

export function eth(dst: string, src: string, type: number): number[] {
  return [...mac(dst), ...mac(src), ...u16(type)];
}

export interface Ip4Opts { src: string; dst: string; proto: number; ttl?: number; id?: number; df?: boolean }

/** IPv4 header + payload with a correct header checksum. */
export function ipv4(o: Ip4Opts, payload: Uint8Array | number[]): number[] {
  const h = [0x45, 0, ...u16(20 + payload.length), ...u16(o.id ?? 0), o.df ? 0x40 : 0, 0, o.ttl ?? 64, o.proto, 0, 0, ...ip4(o.src), ...ip4(o.dst)];
  const c = internetChecksum(Uint8Array.from(h), 0, 20);
  h[10] = c >> 8; h[11] = c & 255;
  return [...h, ...payload];
}

function l4sum(src: string, dst: string, proto: number, seg: number[]): number {
  const a = ip4(src), b = ip4(dst);
  const pseudo = ipv4PseudoSum(((a[0]! << 24) | (a[1]! << 16) | (a[2]! << 8) | a[3]!) >>> 0, ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0, proto, seg.length);
  return internetChecksum(Uint8Array.from(seg), 0, seg.length, pseudo);
}

/** UDP segment; checksum computed over the pseudo header when `csum` (else 0). */
export function udp(src: string, dst: string, sport: number, dport: number, data: number[], csum = true): number[] {
  const seg = [...u16(sport), ...u16(dport), ...u16(8 + data.length), 0, 0, ...data];
  if (csum) { const c = l4sum(src, dst, 17, seg) || 0xffff; seg[6] = c >> 8; seg[7] = c & 255; }
  return seg;
}

export function tcp(src: string, dst: string, sport: number, dport: number, data: number[] = []): number[] {
  const seg = [...u16(sport), ...u16(dport), ...u32(1), ...u32(0), 0x50, 0x02, ...u16(65535), 0, 0, 0, 0, ...data];
  const c = l4sum(src, dst, 6, seg);
  seg[16] = c >> 8; seg[17] = c & 255;
  return seg;
}

export const mplsLabel = (label: number, ttl: number): number[] => u32(((label << 12) | 0x100 | ttl) >>> 0);
export const gre = (): number[] => [0, 0, 0x88, 0x47];
export const vxlan = (vni: number): number[] => [0x08, 0, 0, 0, ...u32((vni << 8) >>> 0)];

/** Is the IPv4 header at `off` and its UDP/TCP checksum valid? */
export function checksumsValid(b: Uint8Array, off: number): boolean {
  if (internetChecksum(b, off, 20) !== 0) return false;
  const proto = b[off + 9]!;
  const len = ((b[off + 2]! << 8) | b[off + 3]!) - 20;
  const r32 = (o: number): number => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
  if (proto === 17 && b[off + 26] === 0 && b[off + 27] === 0) return true;
  return internetChecksum(b, off + 20, len, ipv4PseudoSum(r32(off + 12), r32(off + 16), proto, len)) === 0;
}

export const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
