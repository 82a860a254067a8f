// Look-ups into the opcode table for the assembler. Everything here is derived from OPCODES.
import { OPCODES, byName, type OpSpec, type Shape } from '../isa/index.js';

const index = new Map<string, OpSpec[]>();
for (const spec of OPCODES) {
  const k = `${spec.shape}/${spec.op}/${spec.width}`;
  const list = index.get(k);
  if (list) list.push(spec); else index.set(k, [spec]);
}

/** The entry with this shape, semantic op and width (first match; filter picks among several). */
export function findSpec(shape: Shape, op: string, width: number, filter?: (s: OpSpec) => boolean): OpSpec | undefined {
  const list = index.get(`${shape}/${op}/${width}`) ?? [];
  return filter ? list.find(filter) : list[0];
}

/** All entries of a shape (for "expected one of ..." lists). */
export function specsOfShape(shape: Shape): OpSpec[] {
  return OPCODES.filter((s) => s.shape === shape);
}

/** Mnemonics of the mnemonic-first syntax that are not table names, mapped to table names. */
const ALIASES: Record<string, string> = {
  goto: 'ja', // LLVM syntax
  gotol: 'ja32', // LLVM 17+ syntax for the v4 long jump
  'call helper': 'call', // conformance
  ld_pseudo: 'lddw', // what llvm-objdump prints for lddw with a pseudo source (map fd, ...)
};
for (const s of OPCODES) {
  if (s.shape === 'end' && s.op === 'bswap') ALIASES[`swap${s.width}`] = s.name; // conformance
  // "No suffix or 64 means ALU64": add64, mov64, neg64, ...
  if ((s.shape === 'alu_imm' || s.shape === 'neg') && s.width === 64) ALIASES[`${s.name}64`] = s.name;
}

/** Resolve a mnemonic (after aliases) to its table entries; empty when unknown. */
export function mnemonicSpecs(name: string): readonly OpSpec[] {
  return byName(ALIASES[name] ?? name);
}

/** Every accepted mnemonic, and every word-prefix of one (`lock`, `lock fetch`, `call local`). */
export const MNEMONICS = new Set<string>([...OPCODES.map((s) => s.name), ...Object.keys(ALIASES)]);
export const MNEMONIC_PREFIXES = new Set<string>();
for (const name of MNEMONICS) {
  const words = name.split(' ');
  for (let i = 1; i < words.length; i++) MNEMONIC_PREFIXES.add(words.slice(0, i).join(' '));
}

/** Known mnemonics close to a misspelt one (one edit away), for a hint. */
export function similarMnemonics(name: string): string[] {
  return [...MNEMONICS].filter((m) => editDistanceAtMostOne(m, name)).slice(0, 3);
}

function editDistanceAtMostOne(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1 || a === b) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const tail = (x: string, y: string): boolean => x === y;
  return tail(a.slice(i + 1), b.slice(i + 1)) || tail(a.slice(i), b.slice(i + 1)) || tail(a.slice(i + 1), b.slice(i));
}
