// An instruction buffer with labels. Instructions are made from the opcode table by mnemonic
// (never by opcode number); jumps name labels and are resolved to slot offsets at the end.
import { fail } from '../../diag/index.js';
import { byName, helperId, make, LDDW_SRC, type Insn, type OpSpec } from '../../isa/index.js';

export type Reg = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;
export type Label = { id: number };
type Size = 'b' | 'h' | 'w' | 'dw';
export type JmpOp = 'jeq' | 'jne' | 'jgt' | 'jge' | 'jlt' | 'jle' | 'jset';
export type AluOp = 'add' | 'sub' | 'mul' | 'or' | 'and' | 'lsh' | 'rsh' | 'xor' | 'mov' | 'div';

interface Pending { insn: Insn; target?: Label; comment?: string }

function spec(name: string, shape?: OpSpec['shape'], src?: number): OpSpec {
  const s = byName(name).find((x) => (shape === undefined || x.shape === shape) && (src === undefined || x.match.src === src));
  if (!s) fail('semantic', `internal: no instruction ${name} (${shape ?? 'any'})`);
  return s;
}

export class Emitter {
  private code: Pending[] = [];
  private bound = new Map<number, number>();
  private nextLabel = 0;
  /** Comments by instruction index (rule names), for the assembly listing. */
  readonly notes = new Map<number, string>();

  label(): Label { return { id: this.nextLabel++ }; }
  bind(l: Label): void { this.bound.set(l.id, this.code.length); }
  note(text: string): void { this.notes.set(this.code.length, text); }
  private push(insn: Insn, target?: Label): void { this.code.push(target ? { insn, target } : { insn }); }

  /** dst OP= imm */
  alu(op: AluOp, dst: Reg, imm: number, w: 32 | 64 = 64): void {
    if (imm !== (imm | 0)) fail('semantic', `internal: immediate ${imm} does not fit 32 bits`);
    this.push(make(spec(op + (w === 32 ? '32' : ''), 'alu_imm'), { dst, imm }));
  }
  /** dst OP= src (a register) */
  alur(op: AluOp, dst: Reg, src: Reg, w: 32 | 64 = 64): void {
    this.push(make(spec(op + (w === 32 ? '32' : ''), 'alu_reg'), { dst, src }));
  }
  mov(dst: Reg, imm: number): void { this.alu('mov', dst, imm); }
  movr(dst: Reg, src: Reg): void { this.alur('mov', dst, src); }
  /** dst = a 64-bit constant (lddw when it does not fit a sign-extended imm32). */
  movBig(dst: Reg, v: bigint): void {
    const s = BigInt.asIntN(64, v);
    if (s >= -(1n << 31n) && s < 1n << 31n) { this.mov(dst, Number(s)); return; }
    const u = BigInt.asUintN(64, v);
    this.push(make(spec('lddw', 'lddw', 0), { dst, imm: Number(BigInt.asIntN(32, u & 0xffffffffn)), imm64hi: Number(BigInt.asIntN(32, u >> 32n)) }));
  }
  /** dst = address of map `index` (lddw src = BPF_PSEUDO_MAP_FD, imm = map index). */
  mapRef(dst: Reg, index: number): void {
    this.push(make(spec('lddw', 'lddw', LDDW_SRC.MAP_FD), { dst, src: LDDW_SRC.MAP_FD, imm: index }));
  }
  ldx(size: Size, dst: Reg, src: Reg, off: number): void { this.push(make(spec('ldx' + size), { dst, src, off })); }
  stx(size: Size, dst: Reg, off: number, src: Reg): void { this.push(make(spec('stx' + size), { dst, src, off })); }
  st(size: Size, dst: Reg, off: number, imm: number): void { this.push(make(spec('st' + size), { dst, off, imm })); }
  /** Network to host order (a swap on little-endian hosts), in place. */
  be(dst: Reg, bits: 16 | 32 | 64): void { this.push(make(spec('be' + bits), { dst })); }
  atomicAdd(dst: Reg, off: number, src: Reg): void { this.push(make(spec('lock add'), { dst, off, src })); }

  jmp(target: Label): void { this.push(make(spec('ja')), target); }
  /** if dst OP imm goto target (32-bit compare with w = 32). */
  jcond(op: JmpOp, dst: Reg, imm: number, target: Label, w: 32 | 64 = 64): void {
    this.push(make(spec(op + (w === 32 ? '32' : ''), 'jcond_imm'), { dst, imm: imm | 0 }), target);
  }
  /** if dst OP src (a register) goto target. */
  jcondr(op: JmpOp, dst: Reg, src: Reg, target: Label, w: 32 | 64 = 64): void {
    this.push(make(spec(op + (w === 32 ? '32' : ''), 'jcond_reg'), { dst, src }), target);
  }
  call(helper: string): void {
    const id = helperId(helper);
    if (id === undefined) fail('semantic', `internal: unknown helper ${helper}`);
    this.push(make(spec('call'), { imm: id }));
  }
  exit(): void { this.push(make(spec('exit'))); }
  /** r0 = code; exit */
  ret(code: number): void { this.mov(0, code); this.exit(); }

  /** Resolve labels: jump offsets in slots (lddw takes two); drops jumps to the next instruction. */
  finish(): { insns: Insn[]; notes: Map<number, string> } {
    // Remove `goto +0` (a jump to the very next instruction), remapping labels and notes.
    const keep: boolean[] = this.code.map((p, i) => !(p.insn.spec.shape === 'ja' && p.target && this.bound.get(p.target.id) === i + 1));
    const newIndex: number[] = [];
    let n = 0;
    for (let i = 0; i <= this.code.length; i++) { newIndex[i] = n; if (i < this.code.length && keep[i]) n++; }
    const code = this.code.filter((_, i) => keep[i]);
    const bound = new Map([...this.bound].map(([id, i]) => [id, newIndex[i]!]));
    const notes = new Map<number, string>();
    for (const [i, t] of this.notes) notes.set(newIndex[i]!, t);
    const slots: number[] = [];
    let s = 0;
    for (const p of code) { slots.push(s); s += p.insn.spec.shape === 'lddw' ? 2 : 1; }
    slots.push(s);
    const insns = code.map((p, i) => {
      if (!p.target) return { ...p.insn, slot: slots[i]! };
      const at = bound.get(p.target.id);
      if (at === undefined) fail('semantic', 'internal: jump to an unbound label');
      const off = slots[at]! - slots[i]! - 1;
      if (off < -32768 || off > 32767) fail('limit', `the compiled program is too large: a jump spans ${off} instructions`);
      return { ...p.insn, off, slot: slots[i]! };
    });
    return { insns, notes };
  }
}
