// Setting global variables before load, as a libbpf skeleton does (`skel->rodata->port = 53`):
// a `const volatile` in .rodata (or any variable of .data/.bss and named .rodata.*/.data.*
// sections) is found by its BTF VAR name, its size comes from BTF, its offset from the symbol
// table (clang leaves DATASEC offsets 0; libbpf fixes them from the symbols the same way).
// Also the `rodata NAME VALUE` lines of setup files, parsed here so the map-update grammar
// stays as it is.
import { fail, type SourceLocation } from '../diag/index.js';
import type { Btf } from './btf.js';
import { BTF_INT } from './btf-types.js';
import type { MapSpec } from './map-spec.js';
import type { ElfFile } from './reader.js';
import { skipMods } from './core-spec.js';

export interface GlobalSetting {
  name: string;
  /** `53`, `0x35`, `-1`, `true`, `02:00:00:00:00:01`, `0a 00 00 01`, `"eth0"`. */
  value: string;
  /** Where the setting was written (a setup file line), for errors. */
  where?: SourceLocation;
}

/** A settable variable: which data map, where in it, and its type. */
export interface GlobalVar { name: string; map: number; offset: number; size: number; typeId: number; section: string }

/** Every variable of the object's global-data sections. */
export function globalVars(elf: ElfFile, btf: Btf | undefined, maps: readonly MapSpec[], bySection: ReadonlyMap<number, number>): GlobalVar[] {
  if (!btf) return [];
  const out: GlobalVar[] = [];
  for (const [secIndex, map] of bySection) {
    const sec = elf.sections[secIndex]!;
    const ds = btf.types.find((t) => t?.kind === 'DATASEC' && t.name === sec.name);
    if (!ds || ds.kind !== 'DATASEC') continue;
    for (const v of ds.vars) {
      const variable = btf.get(v.type);
      if (!variable || variable.kind !== 'VAR') continue;
      const sym = elf.symbols.find((s) => s.shndx === secIndex && s.name === variable.name);
      out.push({ name: variable.name, map, offset: sym ? sym.value : v.offset, size: btf.sizeOf(variable.type), typeId: variable.type, section: maps[map]!.name });
    }
  }
  return out;
}

/** Write each setting into its map's initial image (a copy). */
export function applyGlobals(settings: readonly GlobalSetting[], vars: readonly GlobalVar[], maps: MapSpec[], btf: Btf | undefined, file: string): void {
  for (const s of settings) {
    const v = vars.find((x) => x.name === s.name);
    if (!v) {
      const names = vars.map((x) => `${x.name} (${x.section})`).join(', ') || 'none (the object has no global variables with BTF)';
      fail('usage', `${file}: no global variable named '${s.name}' to set`, { where: s.where, notes: [`variables: ${names}`] });
    }
    const bytes = encodeValue(s, v!, btf!, file);
    const spec = maps[v!.map]!;
    const image = (spec.initialData ?? new Uint8Array(spec.valueSize)).slice();
    image.set(bytes, v!.offset);
    spec.initialData = image;
  }
}

function encodeValue(s: GlobalSetting, v: GlobalVar, btf: Btf, file: string): Uint8Array {
  const t = skipMods(btf, v.typeId).t;
  const what = `${v.name} (${btf.describe(v.typeId)}, ${v.size} byte${v.size === 1 ? '' : 's'})`;
  const bad = (msg: string): never => fail('usage', `${file}: value '${s.value}' for ${what}: ${msg}`, { where: s.where });
  const text = s.value.trim();
  if (t && (t.kind === 'INT' || t.kind === 'ENUM' || t.kind === 'ENUM64' || t.kind === 'PTR')) {
    let n: bigint;
    const signed = (t.kind === 'INT' && (t.encoding & BTF_INT.SIGNED) !== 0) || ((t.kind === 'ENUM' || t.kind === 'ENUM64') && t.signed);
    if (t.kind === 'INT' && t.encoding & BTF_INT.BOOL && /^(true|false)$/.test(text)) n = text === 'true' ? 1n : 0n;
    else if ((t.kind === 'ENUM' || t.kind === 'ENUM64') && t.values.some((e) => e.name === text)) n = t.values.find((e) => e.name === text)!.value;
    else if (/^-?(0x[0-9a-f]+|\d+)$/i.test(text)) n = text.startsWith('-') ? -BigInt(text.slice(1)) : BigInt(text);
    else return bad('expected a decimal or 0x hex number');
    const bits = BigInt(v.size * 8);
    const min = signed ? -(1n << (bits - 1n)) : n < 0n ? -(1n << (bits - 1n)) : 0n;
    const max = signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
    if (n < min || n > max) bad(`does not fit (${min} to ${max})`);
    const out = new Uint8Array(v.size);
    let u = BigInt.asUintN(v.size * 8, n);
    for (let i = 0; i < v.size; i++) { out[i] = Number(u & 0xffn); u >>= 8n; }
    return out;
  }
  // Arrays and structs: bytes, or a string for char arrays.
  let bytes: number[];
  const str = /^"(.*)"$/.exec(text);
  if (str) {
    bytes = [...Buffer.from(str[1]!, 'utf8')];
    if (bytes.length > v.size) bad(`the string is ${bytes.length} bytes, more than the variable holds`);
    while (bytes.length < v.size) bytes.push(0);
  } else {
    const parts = text.split(/[\s:,]+/).filter(Boolean);
    if (parts.length === 0 || parts.some((p) => !/^(0x)?[0-9a-f]{1,2}$/i.test(p))) return bad('expected bytes in hex (02:00:00:00:00:01 or 0a 00 00 01) or a "string"');
    bytes = parts.map((p) => parseInt(p.replace(/^0x/i, ''), 16));
    if (bytes.length !== v.size) bad(`${bytes.length} byte${bytes.length === 1 ? '' : 's'} given, the variable has ${v.size}`);
  }
  return new Uint8Array(bytes);
}

/** `NAME=VALUE` (the --rodata option) to a setting. */
export function parseGlobalOption(arg: string): GlobalSetting {
  const i = arg.indexOf('=');
  if (i <= 0) fail('usage', `--rodata takes NAME=VALUE, got '${arg}'`);
  return { name: arg.slice(0, i).trim(), value: arg.slice(i + 1) };
}

/**
 * Take the `rodata NAME VALUE` lines out of a setup file. They come back as settings; the
 * rest of the text (those lines blanked, so line numbers stay) goes to the map-update parser.
 */
export function splitGlobalLines(text: string, file: string): { settings: GlobalSetting[]; rest: string } {
  const settings: GlobalSetting[] = [];
  const lines = text.split('\n').map((line, i) => {
    const m = /^(\s*)rodata\s+(\S+)\s+(.+?)\s*(#.*)?$/.exec(line);
    if (!m) {
      if (/^\s*rodata\b/.test(line)) fail('usage', `expected 'rodata NAME VALUE'`, { where: { file, line: i + 1, col: 1, text: line } });
      return line;
    }
    settings.push({ name: m[2]!, value: m[3]!, where: { file, line: i + 1, col: m[1]!.length + 1, text: line } });
    return '';
  });
  return { settings, rest: lines.join('\n') };
}
