// The `.BTF.ext` section: func_info and line_info per ELF section, CO-RE relocations kept raw.
// In a relocatable object every insn_off is a byte offset into its section; we turn it into a slot.
import { fail } from '../diag/index.js';
import type { Btf } from './btf.js';

export interface FuncInfo { slot: number; typeId: number; /** FUNC name from BTF. */ name: string }
export interface LineInfo { slot: number; file: string; /** The source line's text. */ text: string; line: number; col: number }
/** bpf_core_relo: decoded fields, semantics left to the CO-RE work. */
export interface CoreRelo { slot: number; typeId: number; accessStr: string; kind: number }

export interface BtfExt {
  funcInfo: Map<string, FuncInfo[]>;
  lineInfo: Map<string, LineInfo[]>;
  coreRelos: Map<string, CoreRelo[]>;
}

/** Parse `.BTF.ext`; strings (section names, file names, line text) come from the `.BTF` string table. */
export function parseBtfExt(bytes: Uint8Array, btf: Btf, file = 'object'): BtfExt {
  const bad = (msg: string): never => fail('elf', `${file}: .BTF.ext: ${msg}`);
  if (bytes.length < 24) bad(`section is ${bytes.length} bytes, shorter than the 24-byte header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = dv.getUint16(0, true);
  if (magic !== 0xeb9f) bad(`bad magic 0x${magic.toString(16)} (expected 0xeb9f)`);
  const hdrLen = dv.getUint32(4, true);
  if (hdrLen < 24 || hdrLen > bytes.length) bad(`header length ${hdrLen} is outside the section (size ${bytes.length})`);
  const out: BtfExt = { funcInfo: new Map(), lineInfo: new Map(), coreRelos: new Map() };

  // Each subsection: u32 record size, then { u32 sec_name_off; u32 num_info; records } repeated.
  const walk = (off: number, len: number, what: string, minRec: number, rec: (sec: string, p: number) => void): void => {
    if (len === 0) return;
    const start = hdrLen + off;
    const end = start + len;
    if (start > bytes.length || len > bytes.length - start) bad(`${what} at offset ${off}, length ${len} extends past the section (size ${bytes.length})`);
    if (len < 4) bad(`${what} is too short for its record size`);
    const recSize = dv.getUint32(start, true);
    if (recSize < minRec) bad(`${what} record size ${recSize} is smaller than ${minRec}`);
    let p = start + 4;
    while (p < end) {
      if (p + 8 > end) bad(`${what} is truncated at offset ${p - hdrLen}`);
      const sec = btf.str(dv.getUint32(p, true));
      const n = dv.getUint32(p + 4, true);
      p += 8;
      if (n * recSize > end - p) bad(`${what} for section ${sec} has ${n} records of ${recSize} bytes, past the end of the subsection`);
      for (let i = 0; i < n; i++, p += recSize) rec(sec, p);
    }
  };
  const slotOf = (byteOff: number, what: string): number => {
    if (byteOff % 8 !== 0) bad(`${what} instruction offset ${byteOff} is not a multiple of 8`);
    return byteOff / 8;
  };
  const push = <T>(m: Map<string, T[]>, sec: string, v: T): void => {
    const list = m.get(sec);
    if (list) list.push(v); else m.set(sec, [v]);
  };

  walk(dv.getUint32(8, true), dv.getUint32(12, true), 'func_info', 8, (sec, p) => {
    const typeId = dv.getUint32(p + 4, true);
    push(out.funcInfo, sec, { slot: slotOf(dv.getUint32(p, true), 'func_info'), typeId, name: btf.get(typeId)?.name ?? '' });
  });
  walk(dv.getUint32(16, true), dv.getUint32(20, true), 'line_info', 16, (sec, p) => {
    const lineCol = dv.getUint32(p + 12, true);
    push(out.lineInfo, sec, {
      slot: slotOf(dv.getUint32(p, true), 'line_info'), file: btf.str(dv.getUint32(p + 4, true)),
      text: btf.str(dv.getUint32(p + 8, true)), line: lineCol >>> 10, col: lineCol & 0x3ff,
    });
  });
  if (hdrLen >= 32) {
    walk(dv.getUint32(24, true), dv.getUint32(28, true), 'core_relo', 16, (sec, p) => {
      push(out.coreRelos, sec, {
        slot: slotOf(dv.getUint32(p, true), 'core_relo'), typeId: dv.getUint32(p + 4, true),
        accessStr: btf.str(dv.getUint32(p + 8, true)), kind: dv.getUint32(p + 12, true),
      });
    });
  }
  return out;
}

/**
 * The line info in effect at a slot: the last record at or before it (records are sorted by
 * slot). Records with line 0 mark compiler-made code with no source line: undefined there.
 */
export function lineAt(lines: readonly LineInfo[] | undefined, slot: number): LineInfo | undefined {
  if (!lines) return undefined;
  let found: LineInfo | undefined;
  for (const l of lines) {
    if (l.slot > slot) break;
    found = l;
  }
  return found && found.line > 0 ? found : undefined;
}

/** `drop.c:12  if (ip->protocol == 17)` (file name without directories). */
export function formatLine(l: LineInfo): string {
  const base = l.file.split('/').pop() ?? l.file;
  return `${base}:${l.line}  ${l.text.trim()}`;
}
