// Address text <-> numbers/bytes: IPv4 as u32, IPv6 as 16 bytes, MAC as 6 bytes or a 48-bit number.

export function parseIPv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const b = Number(m[i]);
    if (b > 255) return undefined;
    v = v * 256 + b;
  }
  return v >>> 0;
}

export const formatIPv4 = (v: number): string => `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;

export function parseIPv6(s: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.split('::').length > 2) return undefined;
  const [head, tail] = s.includes('::') ? s.split('::') as [string, string] : [s, undefined];
  const words = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const w of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(w)) return undefined;
      out.push(parseInt(w, 16));
    }
    return out;
  };
  const h = words(head);
  const t = tail === undefined ? [] : words(tail);
  if (!h || !t) return undefined;
  if (tail === undefined ? h.length !== 8 : h.length + t.length > 7) return undefined;
  const all = [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
  const out = new Uint8Array(16);
  all.forEach((w, i) => { out[2 * i] = w >> 8; out[2 * i + 1] = w & 255; });
  return out;
}

/** RFC 5952 text (longest run of zero words compressed). */
export function formatIPv6(b: Uint8Array, off = 0): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push((b[off + 2 * i]! << 8) | b[off + 2 * i + 1]!);
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = (a: number[]): string => a.map((x) => x.toString(16)).join(':');
  return best < 0 ? hex(w) : `${hex(w.slice(0, best))}::${hex(w.slice(best + bestLen))}`;
}

export function parseMac(s: string): Uint8Array | undefined {
  const m = /^([0-9a-fA-F]{1,2})[:-]([0-9a-fA-F]{1,2})[:-]([0-9a-fA-F]{1,2})[:-]([0-9a-fA-F]{1,2})[:-]([0-9a-fA-F]{1,2})[:-]([0-9a-fA-F]{1,2})$/.exec(s);
  return m ? Uint8Array.from(m.slice(1).map((x) => parseInt(x, 16))) : undefined;
}

/** Canonical MAC text: lower case, two digits per byte. */
export const formatMac = (b: Uint8Array, off = 0): string =>
  Array.from(b.subarray(off, off + 6), (x) => x.toString(16).padStart(2, '0')).join(':');

/** vRouter's short MAC form (`2:0:5e:0:1:0`) used by rt --dump. */
export const shortMac = (mac: string): string => mac.split(':').map((x) => parseInt(x, 16).toString(16)).join(':');

/** A MAC as a 48-bit number (hash key). */
export const macNumber = (b: Uint8Array, off = 0): number =>
  ((b[off]! << 8) | b[off + 1]!) * 0x100000000 + (((b[off + 2]! << 24) | (b[off + 3]! << 16) | (b[off + 4]! << 8) | b[off + 5]!) >>> 0);

/** Zero the host bits of a 16-byte address beyond `len`. */
export function maskIPv6(b: Uint8Array, len: number): Uint8Array {
  const out = Uint8Array.from(b);
  for (let i = 0; i < 16; i++) {
    const keep = Math.max(0, Math.min(8, len - 8 * i));
    out[i]! &= (0xff00 >> keep) & 0xff;
  }
  return out;
}

export const maskIPv4 = (v: number, len: number): number => (len === 0 ? 0 : (v & (~0 << (32 - len))) >>> 0);
