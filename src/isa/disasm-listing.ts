// Whole-program listings in the layout of `llvm-objdump -d` (LLVM 14): file header,
// `Disassembly of section NAME:`, one `<symbol>:` header per symbol address, each
// instruction as `offset:\t[raw bytes\t]text`, jump targets annotated with the nearest
// symbol at or before the target, relocations (with `relocs`) on the line after.
// The input is plain data so this floor does not depend on the ELF reader; the CLI
// adapts an ElfFile (or raw bytecode) to it.
import { XdplabError } from '../diag/index.js';
import { decode, SLOT_BYTES, slotsOf, type Insn } from './insn.js';
import { formatConformance, formatInsn, jumpTarget } from './disasm.js';

export interface ListingSymbol {
  name: string;
  /** Byte offset in the section. */
  value: number;
  /** STT_SECTION and STT_FILE symbols are not listed (llvm-objdump skips them). */
  kind: 'section' | 'file' | 'other';
}

export interface ListingReloc {
  /** Byte offset in the section. */
  offset: number;
  /** e.g. `R_BPF_64_64`. */
  type: string;
  /** Symbol name (the section name for section symbols). */
  symbol: string;
  addend?: number;
}

export interface ListingSection {
  name: string;
  bytes: Uint8Array;
  symbols: readonly ListingSymbol[];
  relocs?: readonly ListingReloc[];
}

export interface ListingOptions {
  /** Show the instruction bytes, like llvm-objdump without --no-show-raw-insn. */
  raw?: boolean;
  /** Show relocations, like llvm-objdump -r. */
  relocs?: boolean;
  syntax?: 'llvm' | 'conformance';
  /** w-register loads and stores, like llvm-objdump --mattr=+alu32. */
  alu32?: boolean;
}

/** decode(), with the file and section named in front of any error message. */
function decodeIn(bytes: Uint8Array, where: string): Insn[] {
  try {
    return decode(bytes, where);
  } catch (e) {
    if (!(e instanceof XdplabError)) throw e;
    const prefix = (m: string): string => (m.startsWith(where) ? m : `${where}: ${m}`);
    throw new XdplabError(e.diagnostics.map((d) => ({ ...d, message: prefix(d.message) })), e.exitCode);
  }
}

const hex16 = (n: bigint): string => n.toString(16).padStart(16, '0');
const rawBytes = (bytes: Uint8Array, slot: number, slots: number): string =>
  Array.from(bytes.subarray(slot * SLOT_BYTES, (slot + slots) * SLOT_BYTES), (b) => b.toString(16).padStart(2, '0')).join(' ');

/**
 * The symbols llvm-objdump shows for a section, sorted as it sorts them (address, then
 * name). Of several symbols at one address it prints the last; without a symbol at
 * offset 0 it adds one named after the section.
 */
export function listedSymbols(section: ListingSection): { name: string; addr: bigint }[] {
  const syms = section.symbols
    .filter((s) => s.kind === 'other')
    .map((s) => ({ name: s.name, addr: BigInt(s.value) }))
    .sort((a, b) => (a.addr !== b.addr ? (a.addr < b.addr ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (syms.length === 0 || syms[0]!.addr !== 0n) syms.unshift({ name: section.name, addr: 0n });
  return syms;
}

/** `<name>` / `<name+0x10>` text for a byte address, from the last symbol at or before it. */
function targetName(syms: readonly { name: string; addr: bigint }[], target: bigint): string | undefined {
  let found: { name: string; addr: bigint } | undefined;
  for (const s of syms) {
    if (s.addr <= target) found = s;
    else break;
  }
  if (!found) return undefined;
  const disp = target - found.addr;
  return disp === 0n ? found.name : `${found.name}+0x${disp.toString(16)}`;
}

/** Decode a section and list it in llvm-objdump's layout (starting with the blank line). */
export function listSection(section: ListingSection, opts: ListingOptions = {}, where = section.name): string {
  const insns = decodeIn(section.bytes, where);
  const syms = listedSymbols(section);
  // Headers: the last symbol at each address.
  const headers = new Map<bigint, string>();
  for (const s of syms) headers.set(s.addr, s.name);
  if (opts.syntax === 'conformance') return conformanceSection(section, insns, headers, opts);

  const relocs = opts.relocs ? [...(section.relocs ?? [])].sort((a, b) => a.offset - b.offset) : [];
  // Jump targets are unsigned 64-bit byte addresses, so a jump before the start wraps.
  const label = (slot: number): string | undefined => targetName(syms, BigInt.asUintN(64, BigInt(slot) * 8n));
  const out: string[] = [`\nDisassembly of section ${section.name}:\n`];
  for (const insn of insns) {
    const at = insn.slot * SLOT_BYTES;
    const header = headers.get(BigInt(at));
    if (header !== undefined) out.push(`\n${hex16(BigInt(at))} <${header}>:\n`);
    const text = formatInsn(insn, { alu32: opts.alu32, label });
    const bytes = opts.raw ? rawBytes(section.bytes, insn.slot, slotsOf(insn)) + '\t' : '';
    out.push(`${String(insn.slot).padStart(8)}:\t${bytes}${text}\n`);
    const end = at + slotsOf(insn) * SLOT_BYTES;
    for (const r of relocs) {
      if (r.offset < at || r.offset >= end) continue;
      const addend = r.addend ? (r.addend < 0 ? `-0x${(-r.addend).toString(16)}` : `+0x${r.addend.toString(16)}`) : '';
      out.push(`\t\t${hex16(BigInt(r.offset))}:  ${r.type}\t${r.symbol}${addend}\n`);
    }
  }
  return out.join('');
}

/**
 * Conformance syntax: symbols become label lines, jumps to a symbol use its name, others a
 * signed slot count, so the text can be fed back to the conformance assembler.
 */
function conformanceSection(section: ListingSection, insns: Insn[], headers: Map<bigint, string>, opts: ListingOptions): string {
  const label = (slot: number): string | undefined => headers.get(BigInt(slot) * 8n);
  const out: string[] = [`\n# section ${section.name}\n`];
  for (const insn of insns) {
    const header = headers.get(BigInt(insn.slot * SLOT_BYTES));
    if (header !== undefined) out.push(`${header}:\n`);
    const text = formatConformance(insn, { label: jumpTarget(insn) === undefined ? undefined : label });
    const bytes = opts.raw ? `\t# ${rawBytes(section.bytes, insn.slot, slotsOf(insn))}` : '';
    out.push(`\t${text}${bytes}\n`);
  }
  return out.join('');
}

/** The header line llvm-objdump prints for an object file (a comment in conformance syntax). */
export function listingHeader(file: string, opts: ListingOptions = {}): string {
  return opts.syntax === 'conformance' ? `# ${file}: file format elf64-bpf\n` : `\n${file}:\tfile format elf64-bpf\n`;
}

/**
 * List raw bytecode (no ELF): one line per instruction with its slot number, no symbols.
 * `file` names the input in the header and in diagnostics.
 */
export function listBytecode(bytes: Uint8Array, file: string, opts: ListingOptions = {}): string {
  const insns = decodeIn(bytes, file);
  const slots = bytes.length / SLOT_BYTES;
  const what = `raw bytecode, ${insns.length} instructions in ${slots} slots`;
  const out: string[] = [opts.syntax === 'conformance' ? `# ${file}: ${what}\n` : `\n${file}:\t${what}\n\n`];
  for (const insn of insns) {
    const bytesText = rawBytes(bytes, insn.slot, slotsOf(insn));
    if (opts.syntax === 'conformance') {
      out.push(`\t${formatConformance(insn)}${opts.raw ? `\t# ${bytesText}` : ''}\n`);
    } else {
      out.push(`${String(insn.slot).padStart(8)}:\t${opts.raw ? bytesText + '\t' : ''}${formatInsn(insn, { alu32: opts.alu32 })}\n`);
    }
  }
  return out.join('');
}
