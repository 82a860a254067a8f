// The uBPF execution convention the BPF conformance suite's expected results assume:
// r1 = pointer to a writable copy of the test memory (0 when there is none), r2 = its length,
// r10 = top of a 512-byte frame, helper 5 = uBPF's "unwind" (returns r1 and ends the program
// when that is 0), callx takes the helper id from its register. The memory is the packet
// region, so the legacy packet loads read it too.
import type { HelperFn } from './call.js';
import { Interpreter, type InterpreterOptions, type RunResult } from './interp.js';
import { PACKET } from './memory.js';

/** uBPF's helper 5. */
export const unwind: HelperFn = (vm) => {
  vm.setR0(vm.regs[2]!, vm.regs[3]!);
  if ((vm.regs[2]! | vm.regs[3]!) === 0) vm.stop();
};

export function conformanceHelpers(): Map<number, HelperFn> {
  return new Map([[5, unwind]]);
}

/** Load a program for the conformance convention (throws a diagnostic for bad bytecode). */
export function conformanceInterpreter(program: Uint8Array, opts: InterpreterOptions = {}): Interpreter {
  return new Interpreter(program, { helpers: conformanceHelpers(), ...opts });
}

/** Run once with `mem` (copied; null or empty = no memory) and return r0. */
export function runConformance(vm: Interpreter, mem: Uint8Array | null): RunResult {
  if (mem && mem.length > 0) {
    vm.memory.setRegion(PACKET, Uint8Array.from(mem));
    vm.setArgPointer(1, PACKET, 0);
    vm.setArg(2, mem.length);
  } else {
    vm.memory.setRegion(PACKET, new Uint8Array(0));
    vm.setArg(1, 0);
    vm.setArg(2, 0);
  }
  return vm.run();
}
