// Lets the assembler read disassembly listings as they are printed by `llvm-objdump -d`
// and `xdplab disasm` (headers, addresses, raw bytes, symbol lines, relocation lines), so
// a listing pasted from either tool assembles back to the same bytes. Stripped prefixes are
// replaced by spaces so that columns in error messages still point at the original text.

const HEADER = /^\S.*:\s+file format \S+\s*$/;
const SECTION = /^Disassembly of section .*:\s*$/;
const SYMBOL = /^[0-9a-f]{16} <([^<>+\s]+)>:\s*$/;
const RELOC = /^\s+[0-9a-f]{16}:\s+R_BPF_\S+/;
// `     12:\t` address, then optionally 8 or 16 raw bytes and a tab.
const ADDRESS = /^(\s*[0-9a-f]+:\t(?:(?:[0-9a-f]{2} ){7,15}[0-9a-f]{2}\t)?)/;

/** The line with any listing decoration turned into blanks (or a label for symbol lines). */
export function stripListing(line: string): string {
  if (HEADER.test(line) || SECTION.test(line) || RELOC.test(line)) return '';
  const sym = SYMBOL.exec(line);
  if (sym) return `${sym[1]}:`;
  const addr = ADDRESS.exec(line);
  if (addr) return ' '.repeat(addr[1]!.length) + line.slice(addr[1]!.length);
  return line;
}
