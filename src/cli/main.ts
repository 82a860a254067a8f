#!/usr/bin/env node
// xdplab: the command-line entry point. Commands are thin: parse, call a floor below, print.
import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.js';

// A reader that goes away (`xdplab disasm x.o | head`) is not an error of ours: stop quietly,
// as a command killed by SIGPIPE does, instead of dying on an unhandled EPIPE.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const program = new Command();
program
  .name('xdplab')
  .description('A lab for packet datapaths: eBPF/XDP assembler, disassembler, interpreter and more.')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();
program.configureOutput({ outputError: (str, write) => write(str) });
for (const register of commands) register(program);
program.addHelpText('after', '\nExample:\n  $ xdplab demo\n  $ xdplab disasm programs/xdp/drop_udp.o');

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Help and version exit 0; every usage error exits 2 as DESIGN's contract says.
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else {
    throw e;
  }
}
