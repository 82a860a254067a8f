// Text forms of addresses and byte strings. Parsers return undefined on bad input; the
// notation turns that into a diagnostic that says what was expected.

const HEX = '0123456789abcdef';

export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += HEX[x >> 4]! + HEX[x & 15]!;
  return s;
}

/** Even number of hex digits, optional `0x`, `:`/`-`/`_` separators between bytes ignored. */
export function parseHex(text: string): Uint8Array | undefined {
  const t = text.replace(/^0x/i, '').replace(/[:_\s-]/g, '');
  if (t.length % 2 || !/^[0-9a-fA-F]*$/.test(t)) return undefined;
  const out = new Uint8Array(t.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(t.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function formatMac(b: Uint8Array): string {
  return [...b].map((x) => HEX[x >> 4]! + HEX[x & 15]!).join(':');
}

/** `02:00:00:00:00:01` or `02-00-00-00-00-01`, one or two hex digits per byte. */
export function parseMac(text: string): Uint8Array | undefined {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) return undefined;
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

export function formatIpv4(b: Uint8Array): string {
  return [...b].join('.');
}

export function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return Uint8Array.from(parts.map(Number));
}

/** RFC 4291 text forms: eight groups, `::` for a run of zeros, an IPv4 tail. */
export function parseIpv6(text: string): Uint8Array | undefined {
  let t = text;
  const tail: number[] = [];
  const v4 = /(?:^|:)(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (v4) {
    const b = parseIpv4(v4[1]!);
    if (!b) return undefined;
    tail.push((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!);
    t = t.slice(0, t.length - v4[1]!.length);
    if (t.endsWith(':') && !t.endsWith('::')) t = t.slice(0, -1);
  }
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const g = s.split(':');
    return g.every((x) => /^[0-9a-fA-F]{1,4}$/.test(x)) ? g.map((x) => parseInt(x, 16)) : undefined;
  };
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const words = [...head, ...rest, ...tail];
  const fill = 8 - words.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...rest, ...tail];
  const out = new Uint8Array(16);
  all.forEach((w, i) => { out[2 * i] = w >> 8; out[2 * i + 1] = w & 0xff; });
  return out;
}

/** RFC 5952: lowercase, longest run (>= 2) of zero groups as `::`. */
export function formatIpv6(b: Uint8Array): string {
  const w: number[] = [];
  for (let i = 0; i < 16; i += 2) w.push((b[i]! << 8) | b[i + 1]!);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(':');
  if (best < 0) return hex(w);
  return `${hex(w.slice(0, best))}::${hex(w.slice(best + bestLen))}`;
}
