// TCP flags by name: scapy's letters (`SA`) or a list of names (`"syn,ack"`).

const LETTERS = 'FSRPAUEC'; // bit 0 (FIN) .. bit 7 (CWR)
const NAMES = ['fin', 'syn', 'rst', 'psh', 'ack', 'urg', 'ece', 'cwr'];

/** Letters or comma/pipe-separated names to the flags byte; an error sentence otherwise. */
export function parseTcpFlags(text: string): number | string {
  const t = text.trim();
  if (/^[FSRPAUEC]+$/.test(t)) {
    let v = 0;
    for (const ch of t) v |= 1 << LETTERS.indexOf(ch);
    return v;
  }
  let v = 0;
  for (const part of t.split(/[,|+ ]+/).filter(Boolean)) {
    const i = NAMES.indexOf(part.toLowerCase());
    if (i < 0) return `unknown TCP flag '${part}'; expected letters of FSRPAUEC or names ${NAMES.join(', ')}`;
    v |= 1 << i;
  }
  return v;
}

/** The flags byte as letters in FSRPAUEC order (`SA`), or `0` when none is set. */
export function showTcpFlags(v: number): string {
  let s = '';
  for (let i = 0; i < 8; i++) if (v & (1 << i)) s += LETTERS[i];
  return s || '0';
}
