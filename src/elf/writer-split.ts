// Split a linked program (own code followed by appended subprograms, as loadObject gives it)
// back into functions, because libbpf only accepts BPF-to-BPF call targets in `.text`.
import { encode, slotsOf, type Insn } from '../isa/index.js';
import { BPF_PSEUDO_CALL } from './constants.js';

export interface Piece {
  name: string;
  /** Encoded function; call imms are relative within the piece or set by a relocation. */
  bytes: Uint8Array;
  /** Calls to another piece: byte offset of the call in `bytes` and the callee's key. */
  calls: { at: number; callee: string }[];
  /** lddw map references: byte offset in `bytes` and the insn (src/imm/imm64hi as loaded). */
  lddws: { at: number; insn: Insn }[];
  /** Identity for de-duplication of subprograms shared by several programs. */
  key: string;
}

const OP_CALL = 0x85;

/** Functions of one linked program: [main, ...subprograms]. */
export function splitProgram(name: string, insns: readonly Insn[], subprograms: readonly { name: string; slot: number }[] = []): Piece[] {
  const slots: number[] = [];
  let n = 0;
  for (const insn of insns) { slots.push(n); n += slotsOf(insn); }
  const bytes = encode(insns);
  const starts = new Set<number>([0, ...subprograms.map((s) => s.slot)]);
  insns.forEach((insn, i) => {
    if (insn.opcode === OP_CALL && insn.src === BPF_PSEUDO_CALL) {
      const t = slots[i]! + insn.imm + 1;
      if (t > 0 && t < n) starts.add(t);
    }
  });
  const bounds = [...starts].sort((a, b) => a - b);
  const nameAt = (slot: number): string => slot === 0 ? name : subprograms.find((s) => s.slot === slot)?.name ?? `${name}__sub${slot}`;
  const pieces: (Piece & { start: number; end: number; targets: number[] })[] = bounds.map((start, k) => ({
    name: nameAt(start), start, end: bounds[k + 1] ?? n, bytes: bytes.slice(start * 8, (bounds[k + 1] ?? n) * 8), calls: [], lddws: [], key: '', targets: [],
  }));
  const pieceAt = (slot: number) => pieces.find((p) => slot >= p.start && slot < p.end)!;
  insns.forEach((insn, i) => {
    const s = slots[i]!;
    const p = pieceAt(s);
    const at = (s - p.start) * 8;
    if (insn.spec.shape === 'lddw' && insn.src !== 0) p.lddws.push({ at, insn });
    if (insn.opcode === OP_CALL && insn.src === BPF_PSEUDO_CALL) {
      const t = s + insn.imm + 1;
      const callee = pieceAt(t);
      // A jump inside the same function stays pc-relative; a call to another function is relocated.
      if (callee !== p || t === p.start) { p.calls.push({ at, callee: callee.name }); p.targets.push(t); }
    }
  });
  for (const p of pieces) {
    const norm = p.bytes.slice();
    const dv = new DataView(norm.buffer);
    for (const c of p.calls) dv.setInt32(c.at + 4, -1, true);
    p.key = `${p.name}|${Buffer.from(norm).toString('hex')}|${p.calls.map((c) => c.callee).join(',')}`;
  }
  return pieces.map(({ name: nm, bytes: b, calls, lddws, key }) => ({ name: nm, bytes: b, calls, lddws, key }));
}
