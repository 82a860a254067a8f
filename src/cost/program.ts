// Host cycles of running the program itself: instructions, packet touch, helpers, maps.
// The same for every host placement (JIT in the kernel, JIT in librte_bpf).
import { helperName } from '../isa/index.js';
import type { ProgramRun } from './input.js';
import { mapCost } from './maps.js';
import { Parts } from './parts.js';
import type { CostProfile } from './profile.js';

export function addProgram(p: CostProfile, prog: ProgramRun, parts: Parts, fib?: { levels: number; accessCycles: number }): void {
  parts.add('ebpf.insns', prog.insns * p.get('ebpf.perInsn'));
  if (prog.packetRead) parts.add('ebpf.packetTouch', p.get('ebpf.packetTouch'));
  for (const [id, n] of Object.entries(prog.helperCalls)) {
    const hid = Number(id);
    parts.add(`helper ${helperName(hid)}`, n * p.helperCycles(hid));
    // bpf_fib_lookup walks the kernel FIB: its trie levels are memory reads like a map's.
    if (fib && helperName(hid) === 'bpf_fib_lookup') parts.add('fib trie', n * fib.levels * fib.accessCycles);
  }
  for (const m of prog.maps) parts.add(`map ${m.name}`, mapCost(p, m).cycles);
}

/** Host cycles of one run of the program alone (what a host model's hook `costNs` should charge, / ghz). */
export function programCycles(p: CostProfile, prog: ProgramRun): number {
  const parts = new Parts();
  addProgram(p, prog, parts);
  return parts.total;
}
