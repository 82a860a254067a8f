// Interpreter benchmarks for `xdplab bench`: a 16-bit checksum loop over a 1500-byte packet
// and a short straight-line program. Timing lives here so the CLI stays thin; tests never
// assert on it.
import { byName, make, type Insn, type Shape } from '../isa/index.js';
import { Interpreter } from './interp.js';
import { PACKET } from './memory.js';

export interface BenchCase {
  name: string;
  description: string;
  vm: Interpreter;
}

export interface BenchResult {
  name: string;
  description: string;
  runs: number;
  nsPerRun: number;
  insnsPerRun: number;
  nsPerInsn: number;
  insnsPerSecond: number;
}

/** One instruction by conformance mnemonic and operand shape. */
function I(name: string, shape: Shape, f: { dst?: number; src?: number; off?: number; imm?: number } = {}): Insn {
  const spec = byName(name).find((s) => s.shape === shape);
  if (!spec) throw new Error(`bench: no ${name} with shape ${shape}`);
  return make(spec, f);
}

/** r0 = 16-bit one's-complement-style sum of the packet at r1, length r2 (even). */
function checksumProgram(): Insn[] {
  return [
    I('mov', 'alu_imm', { dst: 0, imm: 0 }),
    I('mov', 'alu_reg', { dst: 3, src: 1 }), // r3 = cursor
    I('mov', 'alu_reg', { dst: 4, src: 1 }),
    I('add', 'alu_reg', { dst: 4, src: 2 }), // r4 = end
    // loop:
    I('ldxh', 'ldx', { dst: 5, src: 3, off: 0 }),
    I('add', 'alu_reg', { dst: 0, src: 5 }),
    I('add', 'alu_imm', { dst: 3, imm: 2 }),
    I('jlt', 'jcond_reg', { dst: 3, src: 4, off: -4 }),
    // fold the carries twice
    I('mov', 'alu_reg', { dst: 1, src: 0 }),
    I('rsh', 'alu_imm', { dst: 1, imm: 16 }),
    I('and', 'alu_imm', { dst: 0, imm: 0xffff }),
    I('add', 'alu_reg', { dst: 0, src: 1 }),
    I('mov', 'alu_reg', { dst: 1, src: 0 }),
    I('rsh', 'alu_imm', { dst: 1, imm: 16 }),
    I('and', 'alu_imm', { dst: 0, imm: 0xffff }),
    I('add', 'alu_reg', { dst: 0, src: 1 }),
    I('exit', 'exit'),
  ];
}

/** Ten ALU instructions and exit: mostly per-run overhead. */
function straightProgram(): Insn[] {
  return [
    I('mov', 'alu_imm', { dst: 0, imm: 7 }),
    I('add', 'alu_imm', { dst: 0, imm: 3 }),
    I('mul', 'alu_imm', { dst: 0, imm: 5 }),
    I('mov', 'alu_reg', { dst: 2, src: 0 }),
    I('lsh', 'alu_imm', { dst: 2, imm: 7 }),
    I('xor', 'alu_reg', { dst: 0, src: 2 }),
    I('rsh32', 'alu_imm', { dst: 2, imm: 3 }),
    I('or', 'alu_reg', { dst: 0, src: 2 }),
    I('and32', 'alu_imm', { dst: 0, imm: 0xffff }),
    I('sub', 'alu_imm', { dst: 0, imm: 1 }),
    I('exit', 'exit'),
  ];
}

export function interpBenchCases(): BenchCase[] {
  const packet = new Uint8Array(1500);
  for (let i = 0; i < packet.length; i++) packet[i] = (i * 31 + 7) & 0xff;
  const csum = new Interpreter(checksumProgram());
  csum.memory.setRegion(PACKET, packet);
  csum.setArgPointer(1, PACKET, 0);
  csum.setArg(2, packet.length);
  return [
    { name: 'checksum-1500', description: '16-bit sum over a 1500-byte packet (loop of 4 instructions)', vm: csum },
    { name: 'straight-11', description: '11 straight-line ALU instructions', vm: new Interpreter(straightProgram()) },
  ];
}

/**
 * Time `vm.run()`: warm up, then batches of runs sized to ~`batchMs`, `batches` times; the
 * fastest batch is the figure (the least disturbed by other work on the machine).
 */
export function timeInterpreter(c: BenchCase, batchMs = 200, batches = 5): BenchResult {
  const vm = c.vm;
  const insnsPerRun = vm.run().insns;
  let runs = 1;
  // Warm-up doubles as calibration: grow the batch until it takes a measurable time.
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) vm.run();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms >= batchMs / 4) { runs = Math.max(1, Math.round(runs * batchMs / ms)); break; }
    runs *= 4;
  }
  let best = Infinity;
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) vm.run();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / runs);
  }
  return {
    name: c.name, description: c.description, runs: runs * batches, nsPerRun: best, insnsPerRun,
    nsPerInsn: best / insnsPerRun, insnsPerSecond: insnsPerRun * 1e9 / best,
  };
}
