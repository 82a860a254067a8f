// `xdplab test SPEC...`: run YAML test specs against programs and report for people or CI.
import type { Command } from 'commander';
import { XdplabError, fail, type Diagnostic } from '../../diag/index.js';
import { loadSpec, runSpec, type Spec, type Tier } from '../../testspec/index.js';
import { countAll, expandSpecArgs, prettyReport, report, reporterName } from '../testspec/index.js';
import { action, TIER_HELP, writeOutput } from '../util.js';

interface Opts { reporter: string; output?: string; tier: string }

export function register(program: Command): void {
  program
    .command('test')
    .description('run YAML test specs: packets in, verdicts, output packets, redirects, maps and trace out')
    .argument('<spec...>', 'spec files, directories or globs (quote globs: \'programs/specs/**/*.yaml\')')
    .option('--reporter <name>', 'pretty (default), tap (TAP 13), junit (JUnit XML) or github (annotations)', 'pretty')
    .option('-o, --output <file>', 'write the report to FILE; the pretty report still goes to stdout')
    .option('--tier <tier>', TIER_HELP, 'compiled')
    .addHelpText('after', `
A spec names a program (.o, .s or .rules, relative to the spec) and cases: a packet in the
packet notation (or hex:, pcap:) and what must happen: verdict, output packet or fields
(expect: { ipv4.ttl: 63 }), redirect, map entries, trace_printk lines. See programs/specs/.

Exit status: 0 every case passed, 1 a case failed, 2 a spec is malformed or a file is missing.

Examples:
  $ xdplab test programs/specs/xdp/drop_udp.yaml
  $ xdplab test 'programs/specs/**/*.yaml' --reporter junit --output results.xml
  $ xdplab test programs/specs --reporter github`)
    .action(action((args: string[], o: Opts) => {
      const reporter = reporterName(o.reporter);
      if (o.tier !== 'interp' && o.tier !== 'compiled') fail('usage', `unknown tier '${o.tier}'; available: interp, compiled`);
      const now = new Date();
      const files = expandSpecArgs(args);
      // Load every spec before running any: all malformed specs are reported together (exit 2).
      const specs: Spec[] = [];
      const errors: Diagnostic[] = [];
      for (const f of files) {
        try {
          specs.push(loadSpec(f));
        } catch (e) {
          if (!(e instanceof XdplabError)) throw e;
          errors.push(...e.diagnostics);
        }
      }
      if (errors.length) throw new XdplabError(errors, 2);
      const results = specs.map((s) => runSpec(s, { tier: o.tier as Tier }));
      const text = report(reporter, results, now);
      if (o.output !== undefined) {
        writeOutput(o.output, text);
        process.stdout.write(reporter === 'pretty' ? text : prettyReport(results));
      } else {
        process.stdout.write(text);
      }
      const c = countAll(results);
      return c.failed + c.errors > 0 ? 1 : 0;
    }));
}
