// Setup files: one `bpftool map update` argument list per line, applied before a run.
//   name MAP key [hex] BYTES value [hex] BYTES [any|exist|noexist]
//   name PROG_ARRAY key 0 0 0 0 value name PROG        (a program of the same object)
// Bytes are parsed as bpftool parses them: each token decimal, 0x hex or leading-zero octal,
// or all hex after the word `hex`. `#` starts a comment.
import { fail, locate, type SourceLocation } from '../diag/index.js';

export interface SetupEntry {
  map: string;
  key: Uint8Array;
  /** Bytes, or a reference to a program (prog arrays) or a map (maps of maps) by name. */
  value: { bytes: Uint8Array } | { prog: string } | { map: string };
  /** BPF_ANY = 0, BPF_NOEXIST = 1, BPF_EXIST = 2. */
  flags: number;
  where: SourceLocation;
  /** Where the key and the value start, for size errors. */
  keyWhere: SourceLocation;
  valueWhere: SourceLocation;
}

const FLAGS: Record<string, number> = { any: 0, noexist: 1, exist: 2 };
const KEYWORDS = new Set(['key', 'value', 'any', 'noexist', 'exist']);

interface Tok { text: string; offset: number }

export function parseSetup(source: string, file = '<setup>'): SetupEntry[] {
  const out: SetupEntry[] = [];
  let lineStart = 0;
  for (const rawLine of source.split('\n')) {
    const line = rawLine.replace(/#.*$/, '').replace(/\r$/, '');
    const toks: Tok[] = [];
    for (const m of line.matchAll(/\S+/g)) toks.push({ text: m[0], offset: lineStart + m.index! });
    if (toks.length > 0) out.push(parseLine(toks, source, file));
    lineStart += rawLine.length + 1;
  }
  return out;
}

function parseLine(toks: Tok[], source: string, file: string): SetupEntry {
  let i = 0;
  const last = toks[toks.length - 1]!;
  const at = (t: Tok | undefined): SourceLocation =>
    t ? locate(file, source, t.offset, t.text.length) : locate(file, source, last.offset + last.text.length);
  const expect = (word: string): void => {
    const t = toks[i];
    if (t?.text !== word) fail('semantic', `expected '${word}'${t ? ` but found '${t.text}'` : ' at end of line'}`, { where: at(t) });
    i++;
  };
  expect('name');
  const mapTok = toks[i++];
  if (!mapTok) fail('semantic', "expected a map name after 'name'", { where: at(undefined) });
  const where = at(toks[0]);
  expect('key');
  const keyWhere = at(toks[i]);
  const key = parseBytes(toks, i, at, 'key');
  i = key.next;
  expect('value');
  const valueWhere = at(toks[i]);
  let value: SetupEntry['value'];
  if (toks[i]?.text === 'name' && toks[i + 1]) {
    value = { prog: toks[i + 1]!.text };
    i += 2;
  } else if (toks[i]?.text === 'map' && toks[i + 1]?.text === 'name' && toks[i + 2]) {
    value = { map: toks[i + 2]!.text };
    i += 3;
  } else {
    const v = parseBytes(toks, i, at, 'value');
    value = { bytes: v.bytes };
    i = v.next;
  }
  let flags = 0;
  if (i < toks.length) {
    const f = FLAGS[toks[i]!.text];
    if (f === undefined) fail('semantic', `unexpected '${toks[i]!.text}'; expected any, exist or noexist`, { where: at(toks[i]) });
    flags = f;
    i++;
  }
  if (i < toks.length) fail('semantic', `unexpected '${toks[i]!.text}' after the update flags`, { where: at(toks[i]) });
  return { map: mapTok.text, key: key.bytes, value, flags, where, keyWhere, valueWhere };
}

function parseBytes(toks: Tok[], start: number, at: (t: Tok | undefined) => SourceLocation, what: string): { bytes: Uint8Array; next: number } {
  let i = start;
  let hex = false;
  if (toks[i]?.text === 'hex') { hex = true; i++; }
  const bytes: number[] = [];
  for (; i < toks.length && !KEYWORDS.has(toks[i]!.text); i++) {
    const t = toks[i]!;
    const v = hex ? parseHexToken(t.text) : parseByte(t.text);
    if (v === undefined && bytes.length > 0 && /^[a-z_]+$/i.test(t.text)) break; // a word: let the caller judge it
    if (v === undefined) {
      fail('semantic', `cannot parse ${what} byte '${t.text}'`, {
        where: at(t),
        notes: [hex ? 'after `hex`, each token is hex digits (one byte per two digits)' : 'a byte is decimal (17), hex (0x11) or octal (021), from 0 to 255'],
      });
    }
    bytes.push(...v);
  }
  if (bytes.length === 0) fail('semantic', `expected ${what} bytes`, { where: at(toks[i]) });
  return { bytes: Uint8Array.from(bytes), next: i };
}

function parseByte(t: string): number[] | undefined {
  let v: number;
  if (/^0x[0-9a-f]+$/i.test(t)) v = parseInt(t.slice(2), 16);
  else if (/^0[0-7]*$/.test(t)) v = parseInt(t, 8);
  else if (/^[1-9][0-9]*$/.test(t)) v = parseInt(t, 10);
  else return undefined;
  return v <= 255 ? [v] : undefined;
}

function parseHexToken(t: string): number[] | undefined {
  // bpftool reads each token after `hex` as one byte; runs such as `0a0b0c0d` are accepted too.
  if (!/^[0-9a-f]+$/i.test(t)) return undefined;
  const s = t.length % 2 ? '0' + t : t;
  return s.match(/../g)!.map((b) => parseInt(b, 16));
}
