// `xdplab compile FILE.rules -o OUT.o [--emit obj|asm|tables]`: the rule language to an XDP
// object, its assembly, or SmartNIC table entries, with the offload report.
import type { Command } from 'commander';
import { fail } from '../../diag/index.js';
import { compileRules, compileTables, formatOffload, loadRules, rulesAsm, rulesObject, rulesSetup } from '../../rules/index.js';
import { action, writeOutput } from '../util.js';

interface Opts { output?: string; emit: string; setup?: string; name: string; quiet?: boolean }

const json = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x), 2) + '\n';

export function register(program: Command): void {
  program
    .command('compile')
    .description('compile a rule set (.rules) to an XDP object, its assembly, or SmartNIC table entries')
    .argument('<file>', 'rule set in the xdplab rule language (see programs/rules/README.md)')
    .option('-o, --output <out>', 'output file (required for --emit obj; asm and tables print to stdout without it)')
    .option('--emit <kind>', 'what to write: obj (ELF object for bpftool), asm (llvm-objdump syntax), tables (JSON table entries and offload report)', 'obj')
    .option('--setup <file>', 'also write the elements declared in sets as a setup file (bpftool map update lines)')
    .option('--name <name>', 'program name in the object', 'xdp_rules')
    .option('-q, --quiet', 'do not print the summary and offload report')
    .addHelpText('after', `
Every rule is checked first: unknown fields, names, sets and counters, values out of range,
rules that can never match and rules an earlier rule makes unreachable are errors (exit 2).
The report says which rules could run as SmartNIC table entries (flow, FIB, ACL) and why the
others need the eBPF program.

Examples:
  $ xdplab compile programs/rules/edge_acl.rules -o edge_acl.o
  $ bpftool prog load edge_acl.o /sys/fs/bpf/edge_acl
  $ xdplab compile programs/rules/edge_acl.rules --emit asm
  $ xdplab compile programs/rules/edge_acl.rules --emit tables -o edge_acl.tables.json
`)
    .action(action((file: string, o: Opts) => {
      if (!['obj', 'asm', 'tables'].includes(o.emit)) fail('usage', `--emit wants obj, asm or tables, not '${o.emit}'`);
      if (!/^[A-Za-z_][A-Za-z0-9_]{0,14}$/.test(o.name)) fail('usage', `--name wants a C identifier of at most 15 characters, not '${o.name}'`);
      const rs = loadRules(file);
      const tables = compileTables(rs);
      if (o.emit === 'obj') {
        if (!o.output) fail('usage', '--emit obj needs -o OUT.o (an object is binary)');
        writeOutput(o.output, rulesObject(rs, o.name));
      } else if (o.emit === 'asm') {
        const text = rulesAsm(rs, o.name);
        if (o.output) writeOutput(o.output, text); else process.stdout.write(text);
      } else {
        const text = json({ flow: tables.flow, fib: tables.fib, acl: tables.acl, report: tables.report });
        if (o.output) writeOutput(o.output, text); else process.stdout.write(text);
      }
      if (o.setup) writeOutput(o.setup, rulesSetup(rs));
      if (!o.quiet && (o.output || o.emit === 'obj')) {
        const { insns, maps } = compileRules(rs);
        process.stdout.write(`${file}: ${rs.rules.length} rules + default, ${insns.length} instructions, maps: ${maps.map((m) => m.name).join(', ') || 'none'}\n`);
        process.stdout.write(formatOffload(tables));
      }
    }));
}
