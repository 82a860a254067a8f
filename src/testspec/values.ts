// Values a spec writes: verdicts (XDP_DROP, drop, 1), map keys and values (an integer sized to
// the map, a list of bytes, or a string of tokens), and packet field values (as the packet
// notation reads them).
import { isScalar, isSeq, type Node, type Scalar } from 'yaml';
import { XdplabError } from '../diag/index.js';
import { parseIpv4, parseIpv6, parseMac, parsePacketLayers, type FieldValue } from '../packet/index.js';
import { rawText, type SpecSource } from './yaml-read.js';

const VERDICTS = ['XDP_ABORTED', 'XDP_DROP', 'XDP_PASS', 'XDP_TX', 'XDP_REDIRECT'];

export function verdictName(n: number): string {
  return VERDICTS[n] ? `${VERDICTS[n]} (${n})` : String(n);
}

/** `XDP_DROP`, `drop`, `Drop` or a number (a program may return anything). */
export function parseVerdict(src: SpecSource, node: Node | null): number {
  const v = isScalar(node) ? node.value : undefined;
  if (typeof v === 'bigint' && v >= 0n && v <= 0xffffffffn) return Number(v);
  if (typeof v === 'string') {
    const i = VERDICTS.indexOf(v.toUpperCase().replace(/^(XDP_)?/, 'XDP_'));
    if (i >= 0) return i;
  }
  const shown = isScalar(node) ? ` '${String(node.value)}'` : '';
  return src.fail(node, `bad verdict${shown}; expected XDP_ABORTED, XDP_DROP, XDP_PASS, XDP_TX, XDP_REDIRECT (or aborted, drop, pass, tx, redirect) or a number`);
}

export type Expected = { bytes: Uint8Array } | { int: bigint };

/**
 * A map key or value of `size` bytes:
 *   17                        an integer, little-endian like the host's u32/u64 (negative: two's complement)
 *   [17, 0, 0, 0]             the bytes
 *   "11 00 00 00"             a string of tokens: hex bytes (`c0a80001` for several), an IPv4,
 *                             IPv6 or MAC address (network order), or a typed integer
 *                             u8:N u16:N u32:N u64:N (little-endian) be16:N be32:N be64:N
 * Integers stay integers for values (compared as numbers, per-CPU values summed).
 */
export function parseSized(src: SpecSource, node: Node | null, size: number, what: string): Expected {
  if (isScalar(node) && typeof node.value === 'bigint') {
    const max = 1n << BigInt(8 * size);
    if (node.value >= max || node.value < -(max >> 1n)) src.fail(node, `${what} ${node.value} does not fit in ${size} bytes`);
    return { int: node.value };
  }
  let bytes: Uint8Array;
  if (isSeq(node)) {
    bytes = Uint8Array.from(node.items.map((it) => {
      const v = isScalar(it) ? it.value : undefined;
      if (typeof v !== 'bigint' || v < 0n || v > 255n) src.fail(it as Node, `${what}: each byte in a list must be an integer from 0 to 255`);
      return Number(v);
    }));
  } else if (isScalar(node) && typeof node.value === 'string') {
    bytes = tokenBytes(src, node, what);
  } else {
    return src.fail(node, `${what} must be an integer, a list of bytes or a string of hex bytes`);
  }
  if (bytes.length !== size) src.fail(node, `${what} is ${bytes.length} byte${bytes.length === 1 ? '' : 's'}; the map's size is ${size}`);
  return { bytes };
}

export function sizedBytes(e: Expected, size: number): Uint8Array {
  if ('bytes' in e) return e.bytes;
  const out = new Uint8Array(size);
  let v = BigInt.asUintN(8 * size, e.int);
  for (let i = 0; i < size; i++) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
}

export function leInt(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

function tokenBytes(src: SpecSource, node: Scalar, what: string): Uint8Array {
  const out: number[] = [];
  for (const tok of String(node.value).split(/[\s,]+/).filter(Boolean)) {
    const typed = /^(u8|u16|u32|u64|be16|be32|be64):(-?(?:0x[0-9a-f]+|\d+))$/i.exec(tok);
    if (typed) {
      const bits = Number(typed[1]!.replace(/\D/g, ''));
      const neg = typed[2]!.startsWith('-');
      const mag = BigInt(typed[2]!.replace('-', ''));
      if (mag >= 1n << BigInt(bits)) src.fail(node, `${what}: ${tok} does not fit in ${bits} bits`);
      let v = BigInt.asUintN(bits, neg ? -mag : mag);
      const bs: number[] = [];
      for (let i = 0; i < bits / 8; i++) { bs.push(Number(v & 0xffn)); v >>= 8n; }
      out.push(...(typed[1]!.toLowerCase().startsWith('be') ? bs.reverse() : bs));
      continue;
    }
    const addr = /^\d+\.\d+\.\d+\.\d+$/.test(tok) ? parseIpv4(tok) : /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(tok) ? parseMac(tok) : tok.includes(':') ? parseIpv6(tok) : undefined;
    if (addr) { out.push(...addr); continue; }
    if (/^([0-9a-f]{2})+$/i.test(tok)) { for (let i = 0; i < tok.length; i += 2) out.push(parseInt(tok.slice(i, i + 2), 16)); continue; }
    src.fail(node, `${what}: cannot read '${tok}'`, ['tokens are hex bytes (0a or 0a0b0c0d), an IPv4/IPv6/MAC address, or u8:N u16:N u32:N u64:N be16:N be32:N be64:N']);
  }
  return Uint8Array.from(out);
}

/** A field value as the packet notation reads it (`ipv4.ttl=63`, `eth.dst=02:..`, `udp.dport=dns`). */
export function parseFieldValue(src: SpecSource, node: Node | null, layer: string, field: string): FieldValue {
  const v = isScalar(node) ? node.value : undefined;
  if (typeof v !== 'bigint' && typeof v !== 'string') return src.fail(node, `${layer}.${field}: expected a value`);
  const text = String(v).replace(/["\\]/g, (c) => `\\${c}`);
  try {
    return parsePacketLayers(`${layer}(${field}="${text}")`)[0]!.given[field]!;
  } catch (e) {
    if (!(e instanceof XdplabError)) throw e;
    return src.fail(node, e.diagnostics[0]!.message);
  }
}

/** Hex bytes, spaces, colons and 0x prefixes allowed: `02 00 5e`, `0x0800`, `deadbeef`. */
export function hexBytes(src: SpecSource, node: Node | null, what: string): Uint8Array {
  const text = rawText(src, node, what).replace(/0x/gi, '').replace(/[\s:]+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(text) || text.length === 0) src.fail(node, `${what} must be hex bytes (an even number of hex digits; spaces allowed)`);
  return Uint8Array.from(text.match(/../g)!.map((b) => parseInt(b, 16)));
}
