// `xdplab asm FILE.s [-o OUT] [--hex]`: assemble to raw bytecode (what `xdplab disasm` reads).
import type { Command } from 'commander';
import { assemble } from '../../asm/index.js';
import { action, readText, writeOutput } from '../util.js';

/** One line per 8-byte slot, bytes as two-digit hex separated by spaces. */
export function hexLines(bytes: Uint8Array): string {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 8) {
    out.push(Array.from(bytes.subarray(i, i + 8), (b) => b.toString(16).padStart(2, '0')).join(' '));
  }
  return out.map((l) => l + '\n').join('');
}

export function register(program: Command): void {
  program
    .command('asm')
    .description('assemble eBPF assembly (LLVM syntax or bpf_conformance mnemonics) to raw bytecode')
    .argument('<file>', 'assembly source (.s); LLVM syntax (r0 = *(u32 *)(r1 + 4)) and conformance mnemonics (ldxw %r0, [%r1+4]) may be mixed')
    .option('-o, --output <out>', 'write raw bytecode (8 bytes per instruction slot, little-endian) to this file')
    .option('--hex', 'write hex text (one slot per line) instead of raw bytes')
    .addHelpText('after', `
Without -o the bytecode is printed as hex, one 8-byte slot per line.
Comments start with ';', '//' or '#'. Labels are 'name:'; jumps take a label or +N/-N slots.

Examples:
  $ xdplab asm programs/asm/ipv4_only.s -o ipv4_only.bin
  $ xdplab asm prog.s --hex
  $ xdplab disasm ipv4_only.bin
`)
    .action(action((file: string, o: { output?: string; hex?: boolean }) => {
      const { bytes } = assemble(readText(file), file);
      if (o.output === undefined) process.stdout.write(hexLines(bytes));
      else writeOutput(o.output, o.hex ? hexLines(bytes) : bytes);
    }));
}
