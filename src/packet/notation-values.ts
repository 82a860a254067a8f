// What a value means for a field: numbers (decimal, 0x, 0b) and constant names for integers,
// MAC / IPv4 / IPv6 text for addresses, hex for byte strings. Returns the value or the
// sentence saying what was expected; the caller adds the location.
import type { FieldSpec, FieldValue } from './headers.js';
import { parseHex, parseIpv4, parseIpv6, parseMac } from './headers-addr.js';

export type Converted = { ok: true; value: FieldValue } | { ok: false; message: string };

const ok = (value: FieldValue): Converted => ({ ok: true, value });
const bad = (message: string): Converted => ({ ok: false, message });

/** A non-negative integer literal, or undefined. */
export function parseNumber(text: string): number | undefined {
  if (/^[0-9]+$/.test(text)) return Number(text);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (/^0b[01]+$/.test(text)) return parseInt(text.slice(2), 2);
  return undefined;
}

/** `text` is the word or the unquoted string; `what` names the field (`ipv4.ttl`). */
export function convert(f: FieldSpec, text: string, what: string): Converted {
  switch (f.kind) {
    case 'uint': return convertUint(f, text, what);
    case 'mac': {
      const b = parseMac(text);
      return b ? ok(b) : bad(`bad MAC address '${text}' for ${what}; expected six hex bytes like 02:00:00:00:00:01`);
    }
    case 'ipv4': {
      const b = parseIpv4(text);
      return b ? ok(b) : bad(`bad IPv4 address '${text}' for ${what}; expected four numbers 0..255 like 10.0.0.1`);
    }
    case 'ipv6': {
      const b = parseIpv6(text);
      return b ? ok(b) : bad(`bad IPv6 address '${text}' for ${what}; expected eight groups of hex digits (:: for a run of zeros) like fd00::1`);
    }
    case 'bytes': return convertHex(text, what);
  }
}

export function convertHex(text: string, what: string): Converted {
  const b = parseHex(text);
  return b ? ok(b) : bad(`bad hex '${text}' for ${what}; expected an even number of hex digits like deadbeef`);
}

/** An integer in 0..max for a pseudo-field such as payload's len= or fill=. */
export function convertCount(text: string, max: number, what: string): Converted {
  const n = parseNumber(text);
  if (n === undefined && /^-[0-9]+$/.test(text)) return bad(`${what}=${text} is out of range; expected 0..${max}`);
  if (n === undefined) return bad(`${what} expects a number, got '${text}'`);
  if (n > max) return bad(`${what}=${text} is out of range; expected 0..${max}`);
  return ok(n);
}

function convertUint(f: FieldSpec, text: string, what: string): Converted {
  const max = 2 ** f.bits! - 1;
  const n = parseNumber(text);
  if (n !== undefined) return n > max ? bad(`${what}=${text} is out of range; expected 0..${max}`) : ok(n);
  if (/^-[0-9]+$/.test(text)) return bad(`${what}=${text} is out of range; expected 0..${max}`);
  const named = f.names && Object.prototype.hasOwnProperty.call(f.names, text.toLowerCase()) ? f.names[text.toLowerCase()] : undefined;
  if (named !== undefined) return ok(named);
  if (f.parse) {
    const r = f.parse(text);
    return typeof r === 'number' ? ok(r) : bad(`bad ${what} '${text}': ${r}`);
  }
  const names = f.names ? ` or one of ${Object.keys(f.names).join(', ')}` : '';
  return bad(`${what} expects a number${names}, got '${text}'`);
}
