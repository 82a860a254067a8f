// Address literals: IPv4, IPv6 (with ::) and MAC text to integers, and back for messages.

/** IPv4 dotted quad to a 32-bit integer, or undefined when malformed. */
export function parseIp4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    v = (v << 8n) | BigInt(p);
  }
  return v;
}

/** IPv6 text (RFC 4291 forms, `::` compression, optional trailing IPv4) to a 128-bit integer. */
export function parseIp6(text: string): bigint | undefined {
  let s = text;
  // A trailing dotted quad (::ffff:10.0.0.1) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const n = parseIp4(v4[1]!);
    if (n === undefined) return undefined;
    s = s.slice(0, -v4[1]!.length) + (n >> 16n).toString(16) + ':' + (n & 0xffffn).toString(16);
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const a = groups(halves[0]!);
  const b = halves.length === 2 ? groups(halves[1]!) : [];
  if (!a || !b) return undefined;
  const fill = 8 - a.length - b.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return undefined;
  const all = [...a, ...Array<number>(halves.length === 2 ? fill : 0).fill(0), ...b];
  if (all.length !== 8) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

export function parseMac(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(text)) return undefined;
  return BigInt('0x' + text.replace(/:/g, ''));
}

export function formatIp4(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
}

export function formatIp6(v: bigint): string {
  const g = Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(112 - 16 * i)) & 0xffffn));
  // Longest run of zero groups (two or more) becomes `::`.
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j === i ? i + 1 : j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

export function formatMac(v: bigint): string {
  return Array.from({ length: 6 }, (_, i) => ((v >> BigInt(40 - 8 * i)) & 0xffn).toString(16).padStart(2, '0')).join(':');
}

/** The [lo, hi] range a prefix covers in a `bits`-wide address space. */
export function prefixRange(addr: bigint, plen: number, bits: number): [bigint, bigint] {
  const host = (1n << BigInt(bits - plen)) - 1n;
  const lo = addr & ~host & ((1n << BigInt(bits)) - 1n);
  return [lo, lo | host];
}

/** The prefix length when [lo, hi] is exactly one prefix, else undefined. */
export function asPrefix(lo: bigint, hi: bigint, bits: number): number | undefined {
  const size = hi - lo + 1n;
  if (size <= 0n || (size & (size - 1n)) !== 0n || (lo & (size - 1n)) !== 0n) return undefined;
  let k = 0;
  while ((1n << BigInt(k)) < size) k++;
  return bits - k;
}
