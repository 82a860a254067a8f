// `xdplab demo`: what `npm start` runs. On the bundled programs: assemble a hand-written
// filter, disassemble a clang-built object, run both on packets and show verdicts and maps.
import type { Command } from 'commander';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble } from '../../asm/index.js';
import { loadObject, writeObject, type BpfObject } from '../../elf/index.js';
import { loadRuntime } from '../../vm/runtime/index.js';
import { disasmBytes } from './disasm.js';
import { action, readInput, readText } from '../util.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const ACTIONS = ['XDP_ABORTED', 'XDP_DROP', 'XDP_PASS', 'XDP_TX', 'XDP_REDIRECT'];

/** A minimal Ethernet/IPv4/UDP frame (checksums are not needed by the demo programs). */
function udpFrame(dport: number, ethertype = 0x0800): Uint8Array {
  const f = new Uint8Array(64);
  f.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, ethertype >> 8, ethertype & 0xff], 0);
  f.set([0x45, 0, 0, 50, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 14);
  f.set([0x30, 0x39, dport >> 8, dport & 0xff, 0, 30, 0, 0], 34);
  return f;
}

const PACKETS: [string, Uint8Array][] = [
  ['UDP to port 53', udpFrame(53)],
  ['UDP to port 9999', udpFrame(9999)],
  ['ARP frame', udpFrame(0, 0x0806)],
];

function runAll(title: string, obj: BpfObject, prog: string, out: string[]): void {
  const rt = loadRuntime(obj, { prog, cpus: 1 });
  out.push(`\n== ${title}`);
  for (const [name, pkt] of PACKETS) {
    const r = rt.testRun(pkt, { repeat: 1 });
    out.push(`  ${name.padEnd(18)} -> ${ACTIONS[r.retval] ?? r.retval}  (${r.insns} instructions)`);
  }
}

export function demo(): string {
  const out: string[] = ['xdplab demo: assemble, disassemble and run the bundled programs'];

  const asmFile = join(root, 'programs', 'asm', 'ipv4_only.s');
  const asm = assemble(readText(asmFile), asmFile);
  out.push(`\n== assembled programs/asm/ipv4_only.s: ${asm.insns.length} instructions, ${asm.bytes.length} bytes`);
  const asmObj = loadObject(writeObject({ programs: [{ name: 'ipv4_only', section: 'xdp', insns: asm.insns }], maps: [], license: 'GPL' }), 'ipv4_only.o');
  runAll('programs/asm/ipv4_only.s in the interpreter', asmObj, 'ipv4_only', out);

  const objFile = join(root, 'programs', 'xdp', 'drop_udp.o');
  const bytes = readInput(objFile);
  out.push('\n== disassembly of programs/xdp/drop_udp.o (llvm-objdump syntax)');
  out.push(disasmBytes(bytes, 'programs/xdp/drop_udp.o').trim().split('\n').map((l) => '  ' + l).join('\n'));
  runAll('programs/xdp/drop_udp.o in the interpreter', loadObject(bytes, objFile), 'drop_udp', out);

  const countFile = join(root, 'programs', 'xdp', 'proto_count.o');
  const count = loadObject(readInput(countFile), countFile);
  const rt = loadRuntime(count, { cpus: 1 });
  for (const [, pkt] of PACKETS) rt.testRun(pkt, { repeat: 1 });
  out.push('\n== programs/xdp/proto_count.o after the three packets (bpftool map dump)');
  for (const m of count.maps) {
    const lines = rt.dumpMapText(m.name).trimEnd().split('\n');
    const shown = lines.filter((l) => !/^key:.*value:( 00)+$/.test(l));
    out.push(`  map ${m.name} (entries that are all zero not shown):`);
    out.push(...shown.map((l) => '    ' + l));
  }
  out.push('\nNext: xdplab --help, xdplab run --help, xdplab disasm --help');
  return out.join('\n');
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('run the bundled programs: assemble, disassemble, run on packets, dump maps')
    .addHelpText('after', '\nExample:\n  $ xdplab demo\n  $ npm start        # builds, then runs this')
    .action(action(() => {
      console.log(demo());
    }));
}
