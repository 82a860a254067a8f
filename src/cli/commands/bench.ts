// `xdplab bench`: interpreter speed, ns per run and instructions per second.
import type { Command } from 'commander';
import { interpBenchCases, timeInterpreter } from '../../vm/bench.js';
import { action, intOption } from '../util.js';

export function register(program: Command): void {
  program
    .command('bench')
    .description('measure interpreter speed: ns per run, executed instructions per run, instructions per second')
    .option('--interp', 'benchmark the reference interpreter (the default, and the only tier so far)')
    .option('--batch-ms <ms>', 'length of one timed batch in milliseconds', '200')
    .option('--json', 'print the results as JSON')
    .addHelpText('after', '\nExample:\n  $ xdplab bench --interp\n  $ xdplab bench --json --batch-ms 500')
    .action(action((opts: { interp?: boolean; batchMs: string; json?: boolean }) => {
      const batchMs = intOption('--batch-ms', opts.batchMs, 10, 60_000);
      const results = interpBenchCases().map((c) => timeInterpreter(c, batchMs));
      if (opts.json) {
        process.stdout.write(JSON.stringify({ tier: 'interp', results }, null, 2) + '\n');
        return;
      }
      process.stdout.write('interpreter (tier interp), fastest of 5 batches\n');
      for (const r of results) {
        process.stdout.write(`  ${r.name.padEnd(14)} ${r.nsPerRun.toFixed(1).padStart(9)} ns/run  ${String(r.insnsPerRun).padStart(5)} insns/run  `
          + `${r.nsPerInsn.toFixed(2).padStart(6)} ns/insn  ${(r.insnsPerSecond / 1e6).toFixed(1).padStart(6)} M insns/s   (${r.description})\n`);
      }
    }));
}
