// `xdplab disasm FILE`: list a BPF object (or raw bytecode) the way `llvm-objdump -d` does.
import { Option, type Command } from 'commander';
import { fail } from '../../diag/index.js';
import { isElf, readElf, R_BPF, SHF, SHT, STT, type ElfFile } from '../../elf/index.js';
import { listBytecode, listingHeader, listSection, type ListingOptions, type ListingSection } from '../../isa/index.js';
import { action, readInput } from '../util.js';

export interface DisasmOptions extends ListingOptions {
  /** Only this section (ELF input). */
  section?: string;
}

const RELOC_NAMES = new Map<number, string>(Object.entries(R_BPF).map(([k, v]) => [v, 'R_BPF_' + k.replace(/^R/, '')]));

/** The executable sections of an object, as listing input (symbols and relocations included). */
export function elfListingSections(elf: ElfFile): ListingSection[] {
  return elf.sections
    .filter((s) => s.type === SHT.PROGBITS && (s.flags & SHF.EXECINSTR) !== 0 && s.size > 0)
    .map((s) => ({
      name: s.name,
      bytes: s.data,
      symbols: elf.symbols
        .filter((sym) => sym.shndx === s.index && sym.index !== 0)
        .map((sym) => ({
          name: sym.name,
          value: sym.value,
          kind: sym.type === STT.SECTION ? 'section' as const : sym.type === STT.FILE ? 'file' as const : 'other' as const,
        })),
      relocs: (elf.relocations.get(s.index) ?? []).map((r) => ({
        offset: r.offset,
        type: RELOC_NAMES.get(r.type) ?? `R_BPF_${r.type}`,
        symbol: elf.symbols[r.symbol]?.name ?? '',
        addend: r.addend,
      })),
    }));
}

/** Disassemble a file's bytes: an ELF object, or raw bytecode (8-byte slots). */
export function disasmBytes(bytes: Uint8Array, file: string, opts: DisasmOptions = {}): string {
  if (!isElf(bytes)) {
    if (opts.section !== undefined) fail('usage', `--section needs an ELF object, but ${file} is raw bytecode`);
    if (bytes.length === 0) fail('bytecode', `${file} is empty`);
    return listBytecode(bytes, file, opts);
  }
  const elf = readElf(bytes, file);
  let sections = elfListingSections(elf);
  if (opts.section !== undefined) {
    const names = sections.map((s) => s.name);
    sections = sections.filter((s) => s.name === opts.section);
    if (sections.length === 0) {
      const exists = elf.sectionByName(opts.section) !== undefined;
      fail('usage', exists
        ? `section ${opts.section} in ${file} holds no instructions`
        : `${file} has no section named ${opts.section}`, {
        notes: [`sections with code: ${names.join(', ') || '(none)'}`],
      });
    }
  }
  return listingHeader(file, opts) + sections.map((s) => listSection(s, opts, `${file} section ${s.name}`)).join('');
}

export function register(program: Command): void {
  program
    .command('disasm')
    .description('disassemble a BPF object (.o) or raw bytecode, in llvm-objdump -d syntax')
    .argument('<file>', 'ELF object from clang -target bpf, or raw bytecode (a multiple of 8 bytes)')
    .option('--raw', 'show the instruction bytes (like llvm-objdump without --no-show-raw-insn)')
    .option('-r, --reloc', 'show relocations (like llvm-objdump -r)')
    .option('-j, --section <name>', 'only disassemble this section')
    .addOption(new Option('--syntax <syntax>', 'instruction syntax').choices(['llvm', 'conformance']).default('llvm'))
    .option('--alu32', 'print 8/16/32-bit loads and stores with w registers (like llvm-objdump --mattr=+alu32)')
    .addHelpText('after', `
The default output matches \`llvm-objdump -d --no-show-raw-insn FILE\` (LLVM 14) line for line;
instructions LLVM 14 cannot print (cpu v4, mod, jset, st imm) use LLVM 17's syntax.
--syntax conformance prints bpf_conformance assembler mnemonics (mov32 %r0, 1).

Examples:
  $ xdplab disasm programs/xdp/drop_udp.o
  $ xdplab disasm --raw -r --section xdp programs/xdp/subprog.o
  $ xdplab disasm --syntax conformance prog.bin`)
    .action(action((file: string, o: { raw?: boolean; reloc?: boolean; section?: string; syntax: 'llvm' | 'conformance'; alu32?: boolean }) => {
      const text = disasmBytes(readInput(file), file, { raw: o.raw, relocs: o.reloc, section: o.section, syntax: o.syntax, alu32: o.alu32 });
      process.stdout.write(text);
    }));
}
