// Parser for the bpf_conformance `.data` test format (shared/conformance/README.md §1):
// `#` comments anywhere, `--` section headers classified by substring, sections asm, result,
// mem, raw, error; the last non-empty line of result/error counts.

export interface ConformanceFile {
  /** The asm section, one entry per line, comments removed (blank lines kept out). */
  asm: string[];
  /** The asm section as text with the original line breaks (comments removed). */
  asmText: string;
  /** Raw 64-bit words, when a raw section is present and non-empty. */
  raw?: bigint[];
  /** Input memory bytes (empty when none). */
  mem: Uint8Array;
  /** Expected r0 as an unsigned 64-bit value, when a result section is present. */
  result?: bigint;
  /** Expected error text, when an error section is present. */
  error?: string;
  /** Set when the runner would skip the file (unknown directive). */
  skipped?: string;
}

type Section = 'asm' | 'result' | 'mem' | 'raw' | 'error' | 'ignored' | 'none';

/** Classify a header line the way the runner does: the first matching substring wins. */
export function sectionOf(header: string): Section | undefined {
  if (header.includes('asm')) return 'asm';
  if (header.includes('result')) return 'result';
  if (header.includes('mem')) return 'mem';
  if (header.includes('raw')) return 'raw';
  if (header.includes('no register offset')) return 'ignored';
  if (header.includes(' c')) return 'ignored';
  if (header.includes('error')) return 'error';
  return undefined;
}

export function parseConformanceFile(text: string): ConformanceFile {
  const lines: Record<Exclude<Section, 'none' | 'ignored'>, string[]> = { asm: [], result: [], mem: [], raw: [], error: [] };
  let section: Section = 'none';
  let skipped: string | undefined;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '').replace(/#.*/, '');
    if (line.includes('--')) {
      const s = sectionOf(line);
      if (!s) { skipped = `Unknown directive ${line}`; break; }
      section = s;
      continue;
    }
    if (section === 'none' || section === 'ignored') continue;
    if (section === 'asm') lines.asm.push(line);
    else if (line.trim() !== '') lines[section].push(line);
  }
  const asm = lines.asm.filter((l) => l.trim() !== '');
  const last = (xs: string[]): string | undefined => xs[xs.length - 1]?.trim();
  const out: ConformanceFile = {
    asm,
    asmText: lines.asm.join('\n'),
    mem: Uint8Array.from(lines.mem.join(' ').split(/\s+/).filter(Boolean).map((t) => parseInt(t, 16))),
  };
  const rawWords = lines.raw.join(' ').split(/\s+/).filter(Boolean);
  if (rawWords.length) out.raw = rawWords.map((w) => BigInt.asUintN(64, BigInt(w)));
  const res = last(lines.result);
  if (res !== undefined) out.result = parseResult(res);
  const err = last(lines.error);
  if (err !== undefined) out.error = err;
  if (skipped) out.skipped = skipped;
  return out;
}

/** A result line: hex when it contains `0x` (either case of digits), else unsigned decimal. */
export function parseResult(line: string): bigint {
  const hex = /0x([0-9a-fA-F]+)/.exec(line);
  if (hex) return BigInt.asUintN(64, BigInt('0x' + hex[1]));
  const dec = /[0-9]+/.exec(line);
  return dec ? BigInt.asUintN(64, BigInt(dec[0])) : 0n;
}

/** Raw words to the little-endian byte layout of the instruction slots. */
export function rawBytes(words: bigint[]): Uint8Array {
  const out = new Uint8Array(words.length * 8);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setBigUint64(i * 8, w, true));
  return out;
}
