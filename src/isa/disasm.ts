// Instruction text, derived from the OPCODES fields (op, shape, width), never from a second
// opcode list. Two syntaxes:
//  - llvm: exactly what `llvm-objdump -d` (LLVM 14) prints for BPF, e.g. `r0 = *(u32 *)(r1 + 4)`;
//  - conformance: the bpf_conformance assembler mnemonics, e.g. `ldxw %r0, [%r1+4]`.
//
// Where LLVM 14 prints `<unknown>` or a wrong text we print what LLVM 17+ prints instead:
//  - v4: sdiv/smod (`s/=`, `s%=`; LLVM 14 ignores the offset and prints `/=`), movsx
//    (`w1 = (s8)w2`; LLVM 14 prints `w1 = w2`), ldxs (`r1 = *(s8 *)(r2 + 4)`), bswap
//    (`r1 = bswap16 r1`) and gotol (`gotol +N`);
//  - mod (`%=`), jset (`if r1 & r2 goto`), st with an immediate (`*(u32 *)(r1 + 4) = 7`),
//    which LLVM 14 cannot decode at all;
//  - 32-bit atomics other than `lock +=`: LLVM 14 decodes them only with `--mattr=+alu32`,
//    so we always print that form (w registers).
// Two deliberate departures keep information LLVM 14 drops: `callx` names the register in
// the dst field, as the kernel and RFC 9669 do (LLVM 14 reads it from imm), and an ldind
// with a non-zero imm prints it (`skb[r2 + 7]`). test/fixtures/disasm/llvm14.json records
// LLVM 14's own text for every entry next to ours.
import type { Insn } from './insn.js';

export interface FormatOptions {
  /**
   * Print 8/16/32-bit loads and stores and 32-bit atomics with w registers, as
   * `llvm-objdump --mattr=+alu32` does. Default false, like plain `llvm-objdump -d`.
   */
  alu32?: boolean;
  /**
   * Name for a jump target slot (may be negative or past the end), printed as ` <name>`
   * after the offset. Return undefined to print no annotation.
   */
  label?: (targetSlot: number) => string | undefined;
}

// C-like operator per ALU and jump operation (the op field of the table).
const ALU_OPERATOR: Record<string, string> = {
  add: '+=', sub: '-=', mul: '*=', div: '/=', sdiv: 's/=', or: '|=', and: '&=', lsh: '<<=',
  rsh: '>>=', mod: '%=', smod: 's%=', xor: '^=', mov: '=', arsh: 's>>=',
};
const JMP_OPERATOR: Record<string, string> = {
  jeq: '==', jgt: '>', jge: '>=', jset: '&', jne: '!=', jsgt: 's>', jsge: 's>=',
  jlt: '<', jle: '<=', jslt: 's<', jsle: 's<=',
};
const ATOMIC_OPERATOR: Record<string, string> = { add: '+', or: '|', and: '&', xor: '^' };

const signed = (n: number): string => (n < 0 ? `${n}` : `+${n}`);

/** The slot a jump lands on, or undefined for instructions that are not jumps. */
export function jumpTarget(insn: Insn): number | undefined {
  switch (insn.spec.shape) {
    case 'ja':
    case 'jcond_imm':
    case 'jcond_reg':
      return insn.slot + 1 + insn.off;
    case 'ja32':
      return insn.slot + 1 + insn.imm;
    default:
      return undefined;
  }
}

/** The full 64-bit immediate of an lddw as a BigInt (signed). */
export function lddwValue(insn: Insn): bigint {
  return (BigInt(insn.imm64hi) << 32n) | BigInt(insn.imm >>> 0);
}

/** `(r1 + 4)` / `(r10 - 8)` without the parentheses. */
function addr(reg: number, off: number): string {
  return off < 0 ? `r${reg} - ${-off}` : `r${reg} + ${off}`;
}

/** One instruction in llvm-objdump syntax (without the slot number). */
export function formatInsn(insn: Insn, opts: FormatOptions = {}): string {
  const { spec, dst, src, off, imm } = insn;
  const w = spec.width;
  const p = w === 32 ? 'w' : 'r';
  // Sub-64-bit memory accesses use w registers only in alu32 mode.
  const m = opts.alu32 && w !== 64 ? 'w' : 'r';
  const mem = `(${addr(src, off)})`;
  const dmem = `(${addr(dst, off)})`;
  const target = (): string => {
    const t = jumpTarget(insn)!;
    const name = opts.label?.(t);
    return name === undefined ? '' : ` <${name}>`;
  };
  switch (spec.shape) {
    case 'alu_imm':
      return `${p}${dst} ${ALU_OPERATOR[spec.op]} ${imm}`;
    case 'alu_reg':
      return `${p}${dst} ${ALU_OPERATOR[spec.op]} ${p}${src}`;
    case 'neg':
      return `${p}${dst} = -${p}${dst}`;
    case 'movsx':
      return `${p}${dst} = (s${off})${p}${src}`;
    case 'end':
      return `r${dst} = ${spec.op}${w} r${dst}`;
    case 'lddw':
      // Pseudo loads (map fd, map value, BTF id, ...) have no C-like form in LLVM.
      return src === 0 ? `r${dst} = ${BigInt.asIntN(64, lddwValue(insn))} ll` : `ld_pseudo\tr${dst}, ${src}, ${imm >>> 0}`;
    case 'ldabs':
      return `r0 = *(u${w} *)skb[${imm}]`;
    case 'ldind':
      return `r0 = *(u${w} *)skb[r${src}${imm === 0 ? '' : imm < 0 ? ` - ${-imm}` : ` + ${imm}`}]`;
    case 'ldx':
      return `${m}${dst} = *(u${w} *)${mem}`;
    case 'ldxs':
      return `r${dst} = *(s${w} *)${mem}`;
    case 'st':
      return `*(u${w} *)${dmem} = ${imm}`;
    case 'stx':
      return `*(u${w} *)${dmem} = ${m}${src}`;
    case 'atomic':
      return formatAtomic(insn, opts.alu32 === true);
    case 'ja':
      return `goto ${signed(off)}${target()}`;
    case 'ja32':
      return `gotol ${signed(imm)}${target()}`;
    case 'jcond_imm':
      return `if ${p}${dst} ${JMP_OPERATOR[spec.op]} ${imm} goto ${signed(off)}${target()}`;
    case 'jcond_reg':
      return `if ${p}${dst} ${JMP_OPERATOR[spec.op]} ${p}${src} goto ${signed(off)}${target()}`;
    case 'call':
    case 'call_local':
    case 'call_kfunc':
      return `call ${imm}`;
    case 'callx':
      return `callx r${dst}`;
    case 'exit':
      return 'exit';
  }
}

function formatAtomic(insn: Insn, alu32: boolean): string {
  const { spec, dst, src, off } = insn;
  const w = spec.width;
  const at = addr(dst, off);
  const op = spec.op;
  if (op in ATOMIC_OPERATOR) {
    // The legacy XADD form; LLVM 14 without alu32 decodes only the 32-bit add, with r regs.
    const r = w === 32 && alu32 ? 'w' : 'r';
    return `lock *(u${w} *)(${at}) ${ATOMIC_OPERATOR[op]}= ${r}${src}`;
  }
  const r = w === 32 ? 'w' : 'r';
  if (op.startsWith('fetch_')) return `${r}${src} = atomic_${op}((u${w} *)(${at}), ${r}${src})`;
  const suffix = w === 32 ? '32_32' : '_64';
  if (op === 'xchg') return `${r}${src} = xchg${suffix}(${at}, ${r}${src})`;
  return `${r}0 = cmpxchg${suffix}(${at}, ${r}0, ${r}${src})`;
}

/** `[%r1+4]` / `[%r10-8]` / `[%r1]` in the conformance assembler's syntax. */
function cmem(reg: number, off: number): string {
  return `[%r${reg}${off === 0 ? '' : off < 0 ? off : '+' + off}]`;
}

/**
 * One instruction in the bpf_conformance assembler syntax (see
 * ../shared/conformance/README.md §2). `label` names a target slot; otherwise jumps
 * print a signed slot count. lddw pseudo sources (src != 0) have no spelling there and
 * print as the plain immediate.
 */
export function formatConformance(insn: Insn, opts: Pick<FormatOptions, 'label'> = {}): string {
  const { spec, dst, src, off, imm } = insn;
  const n = spec.name;
  const target = (): string => {
    const t = jumpTarget(insn)!;
    return opts.label?.(t) ?? signed(t - insn.slot - 1);
  };
  switch (spec.shape) {
    case 'alu_imm':
      return `${n} %r${dst}, ${imm}`;
    case 'alu_reg':
    case 'movsx':
      return `${n} %r${dst}, %r${src}`;
    case 'neg':
    case 'end':
      return `${n} %r${dst}`;
    case 'lddw': {
      const v = BigInt.asIntN(64, lddwValue(insn));
      const fits32 = v >= -0x80000000n && v <= 0x7fffffffn;
      return `${n} %r${dst}, ${fits32 ? v : '0x' + BigInt.asUintN(64, v).toString(16)}`;
    }
    case 'ldabs':
      return `${n} ${imm}`;
    case 'ldind':
      return `${n} %r${src}, ${imm}`;
    case 'ldx':
    case 'ldxs':
      return `${n} %r${dst}, ${cmem(src, off)}`;
    case 'st':
      return `${n} ${cmem(dst, off)}, ${imm}`;
    case 'stx':
    case 'atomic':
      return `${n} ${cmem(dst, off)}, %r${src}`;
    case 'ja':
    case 'ja32':
      return `${n} ${target()}`;
    case 'jcond_imm':
      return `${n} %r${dst}, ${imm}, ${target()}`;
    case 'jcond_reg':
      return `${n} %r${dst}, %r${src}, ${target()}`;
    case 'call':
      return `call ${imm}`;
    case 'call_local':
      return `call local ${signed(imm)}`;
    case 'call_kfunc':
      return `call runtime ${imm}`;
    case 'callx':
      return `call %r${dst}`;
    case 'exit':
      return 'exit';
  }
}
