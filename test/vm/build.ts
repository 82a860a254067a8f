// Building test programs from the opcode table (the assembler is another area).
import { byName, make, type Insn, type Shape } from '../../src/isa/index.js';

export function I(name: string, shape: Shape, f: { dst?: number; src?: number; off?: number; imm?: number; imm64hi?: number } = {}): Insn {
  const spec = byName(name).find((s) => s.shape === shape);
  if (!spec) throw new Error(`no ${name} with shape ${shape}`);
  return make(spec, f);
}

export const exit = (): Insn => I('exit', 'exit');
export const mov = (dst: number, imm: number): Insn => I('mov', 'alu_imm', { dst, imm });
export const movr = (dst: number, src: number): Insn => I('mov', 'alu_reg', { dst, src });
