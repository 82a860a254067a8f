// Mnemonic-first lines to instructions: the bpf_conformance syntax (`ldxw %r0, [%r1+4]`,
// `lock fetch add32 [%r10-8], %r1`, `call local f`) and LLVM's `exit`, `call N`, `callx r2`,
// `goto +2`, `gotol L`, `ld_pseudo r1, 1, 3`. Operand shapes come from each entry's `shape`.
import type { OpSpec, Shape } from '../isa/index.js';
import type { Operand, Stmt } from './ast.js';
import type { Token } from './lexer.js';
import { MNEMONICS, MNEMONIC_PREFIXES, mnemonicSpecs, similarMnemonics } from './specs.js';
import { withTarget, type Pending } from './pending.js';
import { bigValue, imm32, imm64, off16, reg, type LineCtx } from './values.js';

/** R register, I immediate, L 64-bit immediate, M memory [%rN+off], T jump target. */
type Kind = 'R' | 'I' | 'L' | 'M' | 'T';
const OPERANDS: Record<Shape, [Kind, string][]> = {
  alu_imm: [['R', 'the destination register'], ['I', 'an immediate']],
  alu_reg: [['R', 'the destination register'], ['R', 'the source register']],
  neg: [['R', 'the destination register']],
  movsx: [['R', 'the destination register'], ['R', 'the source register']],
  end: [['R', 'the destination register']],
  lddw: [['R', 'the destination register'], ['L', 'a 64-bit immediate']],
  ldabs: [['I', 'a packet offset']],
  ldind: [['R', 'the index register'], ['I', 'a packet offset']],
  ldx: [['R', 'the destination register'], ['M', 'a memory operand like [%r1+4]']],
  ldxs: [['R', 'the destination register'], ['M', 'a memory operand like [%r1+4]']],
  st: [['M', 'a memory operand like [%r10-8]'], ['I', 'an immediate']],
  stx: [['M', 'a memory operand like [%r10-8]'], ['R', 'the source register']],
  atomic: [['M', 'a memory operand like [%r10-8]'], ['R', 'the source register']],
  ja: [['T', 'a jump target (label or +N/-N)']],
  ja32: [['T', 'a jump target (label or +N/-N)']],
  jcond_imm: [['R', 'the register to compare'], ['I', 'an immediate'], ['T', 'a jump target (label or +N/-N)']],
  jcond_reg: [['R', 'the register to compare'], ['R', 'a register'], ['T', 'a jump target (label or +N/-N)']],
  call: [['I', 'a helper number']],
  call_local: [['T', 'a call target (label or +N/-N)']],
  call_kfunc: [['I', 'a kernel function BTF id']],
  callx: [['R', 'the register holding the target']],
  exit: [],
};

const KIND_OF: Record<Operand['kind'], Kind[]> = { reg: ['R'], num: ['I', 'L', 'T'], mem: ['M'], label: ['T'] };
const DESCRIBE: Record<Operand['kind'], string> = { reg: 'register', num: 'number', mem: 'memory operand', label: 'name' };

const first = (o: Operand): Token => (o.kind === 'reg' || o.kind === 'label' ? o.tok : o.kind === 'mem' ? o.open : o.sign ?? o.tok);

export function lowerMnemonic(ctx: LineCtx, s: Extract<Stmt, { t: 'generic' }>): Pending {
  // Multi-word mnemonics (`lock fetch add`, `call local`) arrive as leading name operands.
  let name = s.mnemonic.text;
  let ops = s.operands;
  let end = s.mnemonic.offset + name.length;
  for (;;) {
    const o = ops[0];
    if (!o || o.kind !== 'label' || o.comma) break;
    const longer = `${name} ${o.tok.text}`;
    if (!MNEMONICS.has(longer) && !MNEMONIC_PREFIXES.has(longer)) break;
    name = longer;
    end = o.tok.offset + o.tok.text.length;
    ops = ops.slice(1);
  }
  const where = { offset: s.mnemonic.offset, length: end - s.mnemonic.offset };
  let specs = mnemonicSpecs(name);
  if (specs.length === 0) {
    if (MNEMONIC_PREFIXES.has(name)) {
      // Next words, without the `32` twins: `lock` -> add, and, cmpxchg, fetch, or, xchg, xor.
      const next = new Set([...MNEMONICS].filter((m) => m.startsWith(name + ' ')).map((m) => m.slice(name.length + 1).split(' ')[0]!));
      const words = [...next].filter((w) => !(w.endsWith('32') && next.has(w.slice(0, -2)))).sort();
      ctx.fail(where, `incomplete mnemonic '${name}'; expected one of ${words.join(', ')} after it`);
    }
    const like = similarMnemonics(name);
    ctx.fail(where, `unknown mnemonic '${name}'`, like.length ? [`did you mean ${like.map((m) => `'${m}'`).join(' or ')}?`] : undefined);
  }
  // `call N` is a helper call; `call %r2` is callx; a signed `call -1` / `call +3` or `call f`
  // is a local (BPF-to-BPF) call: llvm-objdump prints clang's relocated local calls as
  // `call -1` (llvm-mc 14 would make that helper -1, but no helper id is negative).
  if (specs[0]!.shape === 'call' && ops.length === 1) {
    const o = ops[0]!;
    const alt = o.kind === 'reg' ? 'callx' : o.kind === 'label' || (o.kind === 'num' && o.sign) ? 'call local' : undefined;
    if (alt) specs = mnemonicSpecs(alt);
  }
  if (name === 'ld_pseudo') return ldPseudo(ctx, where, specs, ops);
  const spec = choose(ctx, where, name, specs, ops);
  checkCommas(ctx, spec, ops);
  return build(ctx, spec, ops);
}

/** The first entry whose operand kinds fit; otherwise an error naming what was expected. */
function choose(ctx: LineCtx, where: { offset: number; length: number }, name: string, specs: readonly OpSpec[], ops: Operand[]): OpSpec {
  const shapes = specs.filter((s, i) => specs.findIndex((t) => t.shape === s.shape) === i);
  const fits = (s: OpSpec): boolean => OPERANDS[s.shape].length === ops.length && OPERANDS[s.shape].every(([k], i) => KIND_OF[ops[i]!.kind].includes(k));
  const found = shapes.find(fits);
  if (found) return found;
  const sameCount = shapes.filter((s) => OPERANDS[s.shape].length === ops.length);
  if (sameCount.length === 0) {
    const forms = shapes.map((s) => OPERANDS[s.shape]);
    const n = forms[0]!.length;
    const roles = forms[0]!.map(([, r]) => r);
    const list = roles.length ? `: ${roles.join(', ')}` : '';
    const at = ops.length > n ? first(ops[n]!) : undefined;
    ctx.fail(at ?? where, `'${name}' takes ${n} operand${n === 1 ? '' : 's'}${list}; got ${ops.length}`);
  }
  // Report the first position that no same-count form accepts.
  for (let i = 0; i < ops.length; i++) {
    const want = sameCount.map((s) => OPERANDS[s.shape][i]!);
    if (want.some(([k]) => KIND_OF[ops[i]!.kind].includes(k))) continue;
    const words = [...new Set(want.map(([, r]) => r))].join(' or ');
    ctx.fail(first(ops[i]!), `expected ${words} as operand ${i + 1} of '${name}', got a ${DESCRIBE[ops[i]!.kind]}`);
  }
  return ctx.fail(where, `these operands do not fit '${name}'`);
}

/** Commas separate operands: none before the first, one before each of the others. */
function checkCommas(ctx: LineCtx, spec: OpSpec, ops: Operand[]): void {
  ops.forEach((o, i) => {
    if (i === 0 && o.comma) ctx.fail(o.comma, `unexpected ',' before the first operand`);
    if (i > 0 && !o.comma) ctx.fail(first(o), `expected ',' after ${OPERANDS[spec.shape][i - 1]![1]}`);
  });
}

function build(ctx: LineCtx, spec: OpSpec, ops: Operand[]): Pending {
  const R = (i: number): number => reg(ctx, (ops[i] as { tok: Token }).tok).n;
  const N = (i: number) => ops[i] as Extract<Operand, { kind: 'num' }>;
  const M = (i: number): { base: number; off: number } => {
    const m = ops[i] as Extract<Operand, { kind: 'mem' }>;
    return { base: reg(ctx, m.base).n, off: m.off ? off16(ctx, m.off) : 0 };
  };
  const T = (i: number) => ops[i] as Extract<Operand, { kind: 'num' | 'label' }>;
  switch (spec.shape) {
    case 'alu_imm': return { spec, fields: { dst: R(0), imm: imm32(ctx, N(1)) } };
    case 'alu_reg': case 'movsx': return { spec, fields: { dst: R(0), src: R(1) } };
    case 'neg': case 'end': case 'callx': return { spec, fields: { dst: R(0) } };
    case 'lddw': { const [imm, imm64hi] = imm64(ctx, N(1)); return { spec, fields: { dst: R(0), imm, imm64hi } }; }
    case 'ldabs': return { spec, fields: { imm: imm32(ctx, N(0)) } };
    case 'ldind': return { spec, fields: { src: R(0), imm: imm32(ctx, N(1)) } };
    case 'ldx': case 'ldxs': { const m = M(1); return { spec, fields: { dst: R(0), src: m.base, off: m.off } }; }
    case 'st': { const m = M(0); return { spec, fields: { dst: m.base, off: m.off, imm: imm32(ctx, N(1)) } }; }
    case 'stx': case 'atomic': { const m = M(0); return { spec, fields: { dst: m.base, off: m.off, src: R(1) } }; }
    case 'ja': case 'ja32': case 'call_local': return withTarget(ctx, spec, {}, T(0));
    case 'jcond_imm': return withTarget(ctx, spec, { dst: R(0), imm: imm32(ctx, N(1)) }, T(2));
    case 'jcond_reg': return withTarget(ctx, spec, { dst: R(0), src: R(1) }, T(2));
    case 'call': case 'call_kfunc': return { spec, fields: { imm: imm32(ctx, N(0)) } };
    case 'exit': return { spec, fields: {} };
  }
}

/** `ld_pseudo r1, 1, 3` as llvm-objdump prints lddw with a pseudo source: dst, src kind, imm. */
function ldPseudo(ctx: LineCtx, where: { offset: number; length: number }, specs: readonly OpSpec[], ops: Operand[]): Pending {
  if (ops.length !== 3 || ops[0]!.kind !== 'reg' || ops[1]!.kind !== 'num' || ops[2]!.kind !== 'num') {
    ctx.fail(where, `'ld_pseudo' takes 3 operands: the destination register, the source kind, an immediate`);
  }
  ops.forEach((o, i) => { if (i > 0 && !o.comma) ctx.fail(first(o), `expected ',' before operand ${i + 1} of 'ld_pseudo'`); });
  const kind = ops[1];
  const src = Number(bigValue(ctx, kind).value);
  const spec = specs.find((s) => s.match.src === src);
  if (!spec) ctx.fail(first(kind), `unknown pseudo source ${src}; expected ${specs.map((s) => s.match.src).join(', ')}`);
  const dst = reg(ctx, ops[0].tok).n;
  // llvm-objdump prints this imm unsigned (a map fd or BTF id), so take 0..0xffffffff too.
  const { value } = bigValue(ctx, ops[2]);
  const imm = value >= 0n && value <= 0xffffffffn ? Number(BigInt.asIntN(32, value)) : imm32(ctx, ops[2]);
  return { spec, fields: { dst, src, imm } };
}
