// `xdplab map dump OBJ`: an object's maps after load and setup, as `bpftool map dump` prints them.
import type { Command } from 'commander';
import { MAP_TYPE_NAME } from '../../elf/index.js';
import { action } from '../util.js';
import { openRuntime, type CommonRuntimeOptions } from './run.js';

interface DumpOptions extends CommonRuntimeOptions { json?: boolean; map?: string }

export function register(program: Command): void {
  const map = program.command('map').description('inspect the maps of a BPF object, like `bpftool map`');
  map.addHelpText('after', '\nExample:\n  $ xdplab map dump programs/xdp/proto_count.o --setup counts.setup');
  map
    .command('dump')
    .description('print every map (or one) after load and setup, as `bpftool map dump` does')
    .argument('<object>', 'BPF object (.o)')
    .option('--setup <file>', 'map updates to apply first: `name MAP key BYTES value BYTES` lines (bpftool syntax)')
    .option('--map <name>', 'only this map, exactly as `bpftool map dump` prints it')
    .option('--cpus <n>', 'possible CPUs, the copies per-CPU maps hold (default: this host)')
    .option('--json', 'JSON in the shape of `bpftool map dump -j` (an object by map name without --map)')
    .addHelpText('after', `
Global data (.data, .bss, .rodata) is a one-element array map, as libbpf makes it.

Examples:
  $ xdplab map dump programs/xdp/proto_count.o
  $ xdplab map dump prog.o --setup maps.setup --map counters --json`)
    .action(action((file: string, o: DumpOptions) => {
      const rt = openRuntime(file, o, false);
      if (o.map !== undefined) {
        const m = rt.map(o.map);
        process.stdout.write(o.json ? JSON.stringify(rt.dumpMapsJson()[m.spec.name]) + '\n' : rt.dumpMapText(m.spec.name));
        return;
      }
      if (o.json) { process.stdout.write(JSON.stringify(rt.dumpMapsJson()) + '\n'); return; }
      const parts = [...rt.maps.byName.values()].map((m) =>
        `map '${m.spec.name}' (${MAP_TYPE_NAME[m.spec.type] ?? m.spec.type}, key ${m.spec.keySize}B, value ${m.spec.valueSize}B, max_entries ${m.spec.maxEntries}):\n${rt.dumpMapText(m.spec.name)}`);
      process.stdout.write(parts.join('\n') || `${file} has no maps\n`);
    }));
}
