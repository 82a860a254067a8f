// `xdplab tables`: vRouter tables from YAML setups, dumped in the layout of the vRouter utilities,
// and transactions applied with their patches (the programming messages sent to the NIC).
import type { Command } from 'commander';
import { fail } from '../../diag/index.js';
import {
  SmartNic, defaultProfile, dumpDrop, dumpFlow, dumpJson, dumpMpls, dumpNh, dumpRt, dumpVif, dumpVxlan, formatPatch, loadProfile, parseSetup,
  type DumpTable, type NicProfile, type Setup,
} from '../../smartnic/index.js';
import { action, intOption, readText } from '../util.js';

const TABLES: DumpTable[] = ['vif', 'nh', 'rt', 'mpls', 'vxlan', 'flow', 'drop'];

function profileFrom(path: string | undefined): NicProfile {
  if (!path) return defaultProfile();
  let json: unknown;
  try { json = JSON.parse(readText(path)); } catch (e) {
    if ((e as Error).name === 'SyntaxError') fail('semantic', `${path}: not valid JSON: ${(e as Error).message}`);
    throw e;
  }
  return loadProfile(json, path);
}

function load(path: string): Setup {
  return parseSetup(readText(path), path);
}

interface DumpOpts { tables: string; vrf?: string; family: string; json?: boolean; profile?: string }
interface ApplyOpts { tables?: string; trace?: boolean; json?: boolean; profile?: string }

export function register(program: Command): void {
  const cmd = program
    .command('tables')
    .description('vRouter tables (interfaces, next hops, routes, MPLS, VXLAN, bridge, flows) of the SmartNIC model')
    .addHelpText('after', '\nExamples:\n  $ xdplab tables dump nh --tables programs/tables/compute-1.yaml\n'
      + '  $ xdplab tables apply programs/tables/add-vm.yaml --tables programs/tables/compute-1.yaml --trace');

  cmd.command('dump')
    .description(`print one table as the vRouter utilities do (vif --list, nh --list, rt --dump, mpls --dump, vxlan --dump, flow -l, dropstats): ${TABLES.join('|')}`)
    .argument('<table>', TABLES.join('|'))
    .requiredOption('--tables <file>', 'table setup (YAML) to load')
    .option('--vrf <n>', 'VRF for rt (default 0) and flow (default all)')
    .option('--family <family>', 'rt: inet, inet6 or bridge', 'inet')
    .option('--profile <file>', 'NIC profile JSON (programs/profiles/nic-*.json)')
    .option('--json', 'print the table as JSON')
    .addHelpText('after', '\nExamples:\n  $ xdplab tables dump vif --tables programs/tables/compute-1.yaml\n'
      + '  $ xdplab tables dump rt --tables programs/tables/compute-1.yaml --vrf 1\n'
      + '  $ xdplab tables dump rt --tables programs/tables/compute-1.yaml --vrf 2 --family bridge\n'
      + '  $ xdplab tables dump flow --tables programs/tables/compute-1.yaml --json')
    .action(action((table: string, opts: DumpOpts) => {
      if (!(TABLES as string[]).includes(table)) fail('usage', `unknown table '${table}'; expected one of ${TABLES.join(', ')}`);
      if (!['inet', 'inet6', 'bridge'].includes(opts.family)) fail('usage', `--family wants inet, inet6 or bridge, got '${opts.family}'`);
      const vrf = opts.vrf === undefined ? undefined : intOption('--vrf', opts.vrf, 0, 65535);
      const nic = new SmartNic(profileFrom(opts.profile));
      nic.apply(load(opts.tables));
      if (opts.json) {
        process.stdout.write(JSON.stringify(dumpJson(nic, table as DumpTable, vrf), null, 2) + '\n');
        return;
      }
      const text = {
        vif: () => dumpVif(nic), nh: () => dumpNh(nic), rt: () => dumpRt(nic, vrf ?? 0, opts.family as 'inet'),
        mpls: () => dumpMpls(nic), vxlan: () => dumpVxlan(nic), flow: () => dumpFlow(nic), drop: () => dumpDrop(nic),
      }[table as DumpTable]();
      process.stdout.write(text.endsWith('\n') ? text : text + '\n');
    }));

  cmd.command('apply')
    .description('apply a table setup as one transaction (on top of --tables) and print its patches; exit 2 when it breaks integrity')
    .argument('<file>', 'transaction (YAML, same sections as a setup plus delete:)')
    .option('--tables <base>', 'table setup to start from')
    .option('--profile <file>', 'NIC profile JSON (programs/profiles/nic-*.json)')
    .option('--trace', 'also print the programming messages sent to the NIC, with their patches')
    .option('--json', 'print patches and messages as JSON')
    .addHelpText('after', '\nExamples:\n  $ xdplab tables apply programs/tables/add-vm.yaml --tables programs/tables/compute-1.yaml\n'
      + '  $ xdplab tables apply programs/tables/add-vm.yaml --tables programs/tables/compute-1.yaml --trace\n'
      + '  $ xdplab tables apply programs/tables/broken-route.yaml --tables programs/tables/compute-1.yaml   # exit 2')
    .action(action((file: string, opts: ApplyOpts) => {
      const nic = new SmartNic(profileFrom(opts.profile));
      const base = opts.tables ? load(opts.tables) : undefined;
      if (base) nic.apply(base);
      const tx = load(file);
      const r = base ? nic.apply(tx, base) : nic.apply(tx);
      if (opts.json) {
        process.stdout.write(JSON.stringify({ patches: r.patches, messages: r.messages, messagesSent: r.messages.length }, null, 2) + '\n');
        return;
      }
      const out: string[] = [`${file}: ${r.patches.length} patch${r.patches.length === 1 ? '' : 'es'}, ${r.messages.length} programming message${r.messages.length === 1 ? '' : 's'} to the NIC`];
      if (opts.trace) {
        for (const m of r.messages) {
          out.push(`  ${m.op} ${m.table}/${m.key}`);
          for (const p of r.patches) if (p.path[0] === m.table && String(p.path[1]) === m.key) out.push(`      ${formatPatch(p)}`);
        }
        out.push(`messages sent: ${nic.control.messagesSent} (${nic.control.commits} commits${base ? `, ${nic.control.messagesSent - r.messages.length} for --tables` : ''})`);
      } else {
        for (const p of r.patches) out.push(`  ${formatPatch(p)}`);
      }
      process.stdout.write(out.join('\n') + '\n');
    }));
}
