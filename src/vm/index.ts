// The VM: memory model, helpers and the reference interpreter.
//
//   const vm = createInterpreter(bytes | insns, { helpers, budget, resolveLddw, memory, profile });
//   vm.setArg(1, lo, hi) / vm.setArgPointer(1, PACKET, 0)   // initial r1..r5, kept across runs
//   const r = vm.run();                                       // r.lo, r.hi (r0), r.insns, r.value (BigInt)
//   vm.counters.snapshot(vm.memory)                           // insns, helper calls, map and memory accesses
//
// Registers are int32 pairs (regs[2i] low word, regs[2i + 1] high word). A pointer is a
// region tag in the high word (REGION_TAG + region id) and a byte offset in the low word:
// STACK (8 frames of 512 bytes; r10 = top of the current frame), CTX, PACKET, and regions
// added with memory.registerRegion(bytes, writable, kind, name) (map values, global data),
// exposed without copying; setRegion/setWindow rebind one per run without allocating.
// Every access is bounds-checked: a fault is an XdplabError of kind 'fault' naming the slot,
// the address and the size. The instruction budget (default 10 million) ends a runaway
// program with a 'limit' error. Helpers are `(vm: HelperContext) => void` by id; lddw with a
// pseudo source goes through `resolveLddw(insn) -> { lo, hi }` at load time.
// Semantics are RFC 9669's: division by zero gives 0, modulo by zero keeps dst, shift counts
// are masked, 32-bit results are zero-extended; legacy packet loads out of bounds end the
// program with r0 = 0.
//
// The interpreter runs on a Wasm core (core/engine.ts, from wasm/*.mjs): i64 registers and a
// br_table dispatch in its Memory's arena (arena.ts), where the stack, the XDP frame and map
// storage live; regions elsewhere are copied in and out. What the core does not run (division,
// byte-order moves with odd widths, sign-extending loads, xchg/cmpxchg, local calls, accesses
// its ways miss) it hands one instruction at a time to the loop (loop.ts), the reference;
// `engine: 'js'` runs the loop alone. Results, faults and counts are the same either way.
//
// Two tiers, one API (both are an `Interpreter`: same setArg, memory, counters, RunResult, faults):
//   createInterpreter(program, opts)               // the reference interpreter (tier 'interp')
//   createCompiled(program, { ...opts, provenSafe }) // JavaScript generated per program (tier 'compiled')
//   createVM(program, { tier: 'interp' | 'compiled', ...opts })
// The compiled tier counts instructions per basic block (the totals equal the interpreter's),
// checks bounds inline (no check for r10-relative stack slots, or for the slots in
// `provenSafe`, a set of slots a verifier proved in bounds), and hands a run to the
// interpreter's loop when the budget is about to run out. `vm.source` shows the generated code.
export { createInterpreter, Interpreter, RunResult, DEFAULT_BUDGET, MAX_BUDGET, type InterpreterOptions } from './interp.js';
export { createCompiled, createVM, CompiledVM, type CompiledOptions, type VMOptions, type Tier, type InlineMap, type InlineMaps } from './compiled/index.js';
export { Memory, REGION_TAG, STACK, CTX, PACKET, FRAME_BYTES, MAX_FRAMES, STACK_BYTES, type RegionKind } from './memory.js';
export { Counters, type CounterSnapshot } from './counters.js';
export type { HelperContext, HelperFn } from './call.js';
export { loadProgram, type Program, type LddwResolver } from './program.js';
export { conformanceInterpreter, conformanceHelpers, runConformance, unwind } from './conformance.js';
export { objectBenchCases, bytecodeBenchCases, timeCase, runFixed, cpuNs, udpPacket, helperNsPerRun, type BenchCase, type TierResult } from './bench.js';
export { PipelineBench, timePipeline, type PipelineResult } from './bench-pipeline.js';
