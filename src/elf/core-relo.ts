// Applying `.BTF.ext` CO-RE relocations the way libbpf's bpf_core_apply_relo_insn does: compute
// the value the access has in the object's own BTF (checked against the instruction) and in the
// target BTF (the running kernel's or the bundled one), then patch the immediate (ALU, lddw) or
// the offset (loads and stores, with the access size when a field changed size).
import { fail } from '../diag/index.js';
import type { Btf } from './btf.js';
import type { CoreRelo } from './btf-ext.js';
import { BTF_INT } from './btf-types.js';
import {
  CORE, CORE_KIND_NAME, essentialName, formatSpec, isEnumKind, isFieldKind, matchSpec, parseSpec, skipMods, type CoreSpec,
} from './core-spec.js';

interface Calc { val: bigint; size?: number; signed?: boolean; validate: boolean }

/** Result of one relocation, kept for reports and the verifier. */
export interface CoreResult { slot: number; kind: string; local: string; target?: string; from: bigint; to: bigint }

const cands = new WeakMap<Btf, Map<string, number[]>>();

/** Target types by `kind essential-name` (built once per target BTF). */
function candidates(target: Btf, kind: string, name: string): number[] {
  let idx = cands.get(target);
  if (!idx) {
    idx = new Map();
    for (const t of target.types) {
      if (!t || !t.name) continue;
      const k = `${t.kind === 'ENUM64' ? 'ENUM' : t.kind} ${essentialName(t.name)}`;
      const list = idx.get(k);
      if (list) list.push(t.id); else idx.set(k, [t.id]);
    }
    cands.set(target, idx);
  }
  return idx.get(`${kind === 'ENUM64' ? 'ENUM' : kind} ${essentialName(name)}`) ?? [];
}

/** bpf_core_calc_field_relo. */
function calcField(s: CoreSpec): Calc | string {
  const b = s.btf;
  if (s.kind === CORE.FIELD_EXISTS) return { val: 1n, validate: true };
  const acc = s.spec[s.spec.length - 1]!;
  if (acc.name === undefined) { // the last step is an array element (or the root itself)
    const elSize = b.sizeOf(skipMods(b, s.spec.length === 1 ? acc.typeId : (skipMods(b, acc.typeId).t as { type: number }).type).id);
    if (s.kind === CORE.FIELD_BYTE_OFFSET) return { val: BigInt(s.bitOffset / 8), size: elSize, validate: true };
    if (s.kind === CORE.FIELD_BYTE_SIZE) return { val: BigInt(elSize), validate: true };
    return `${CORE_KIND_NAME[s.kind]} of an array element or whole type is not defined`;
  }
  const owner = skipMods(b, acc.typeId).t as { members: { type: number; bitfieldSize: number }[] };
  const m = owner.members[acc.idx]!;
  const mt = skipMods(b, m.type);
  const bitOff = s.bitOffset;
  let bitSz = m.bitfieldSize;
  const bitfield = bitSz > 0;
  let byteSz: number, byteOff: number;
  if (bitfield) {
    byteSz = b.sizeOf(mt.id);
    byteOff = Math.floor(bitOff / 8 / byteSz) * byteSz;
    while (bitOff + bitSz - byteOff * 8 > byteSz * 8) {
      if (byteSz >= 8) return `bitfield at bit ${bitOff} (${bitSz} bits) does not fit in 8 bytes`;
      byteSz *= 2;
      byteOff = Math.floor(bitOff / 8 / byteSz) * byteSz;
    }
  } else {
    byteSz = b.sizeOf(m.type);
    byteOff = bitOff / 8;
    bitSz = byteSz * 8;
  }
  const signed = (mt.t?.kind === 'INT' && (mt.t.encoding & BTF_INT.SIGNED) !== 0) || ((mt.t?.kind === 'ENUM' || mt.t?.kind === 'ENUM64') && mt.t.signed);
  switch (s.kind) {
    case CORE.FIELD_BYTE_OFFSET: return { val: BigInt(byteOff), size: bitfield ? undefined : byteSz, signed, validate: !bitfield };
    case CORE.FIELD_BYTE_SIZE: return { val: BigInt(byteSz), validate: !bitfield };
    case CORE.FIELD_SIGNED: return { val: signed ? 1n : 0n, validate: !bitfield };
    case CORE.FIELD_LSHIFT_U64: return { val: BigInt(64 - (bitOff + bitSz - byteOff * 8)), validate: !bitfield };
    default: return { val: BigInt(64 - bitSz), validate: true }; // FIELD_RSHIFT_U64
  }
}

function calc(s: CoreSpec): Calc | string {
  if (isFieldKind(s.kind)) return calcField(s);
  if (isEnumKind(s.kind)) {
    if (s.kind === CORE.ENUMVAL_EXISTS) return { val: 1n, validate: true };
    const e = skipMods(s.btf, s.rootId).t as { values: { value: bigint }[] };
    return { val: BigInt.asUintN(64, e.values[s.raw[0]!]!.value), validate: true };
  }
  switch (s.kind) {
    case CORE.TYPE_ID_LOCAL: case CORE.TYPE_ID_TARGET: return { val: BigInt(s.rootId), validate: false };
    case CORE.TYPE_SIZE: return { val: BigInt(s.btf.sizeOf(s.rootId)), validate: true };
    default: return { val: 1n, validate: true }; // TYPE_EXISTS, TYPE_MATCHES
  }
}

const SIZE_BITS: Record<number, number> = { 1: 0x10, 2: 0x08, 4: 0x00, 8: 0x18 };
const BYTES_OF: Record<number, number> = { 0x10: 1, 0x08: 2, 0x00: 4, 0x18: 8 };

/**
 * Apply the CO-RE relocations of one section to `code` (a copy of the section's bytes).
 * `where(slot)` names the function for messages. Returns what each relocation did.
 */
export function applyCoreRelos(code: Uint8Array, relos: readonly CoreRelo[], local: Btf, target: Btf, where: (slot: number) => string): CoreResult[] {
  const dv = new DataView(code.buffer, code.byteOffset, code.byteLength);
  const out: CoreResult[] = [];
  for (const r of relos) {
    const kindName = CORE_KIND_NAME[r.kind] ?? `kind ${r.kind}`;
    const bad = (msg: string): never => fail('elf', `${where(r.slot)}: insn ${r.slot}: CO-RE relocation <${kindName}> ${msg}`, { pc: r.slot });
    if (r.kind > CORE.TYPE_MATCHES) bad(`has unknown kind ${r.kind}`);
    if (r.slot * 8 + 8 > code.length) bad(`is outside the section`);
    const ls = parseSpec(local, r.typeId, r.accessStr, r.kind);
    if (typeof ls === 'string') return bad(`[${r.typeId}] ${local.describe(r.typeId)}: ${ls}`);
    const localText = `<${kindName}> ${formatSpec(ls)}`;
    const lc = calc(ls);
    if (typeof lc === 'string') return bad(`${formatSpec(ls)}: ${lc}`);
    let tc: Calc | undefined, targetText: string | undefined;
    if (r.kind === CORE.TYPE_ID_LOCAL) tc = lc;
    else {
      const root = local.get(r.typeId);
      if (!root?.name) bad(`${formatSpec(ls)}: the local type has no name, so no target type can be found`);
      const matches: { spec: CoreSpec; c: Calc }[] = [];
      for (const id of candidates(target, root!.kind, root!.name)) {
        const ts = matchSpec(ls, target, id);
        if (!ts) continue;
        const c = calc(ts);
        if (typeof c === 'string') bad(`${formatSpec(ts)}: ${c}`);
        matches.push({ spec: ts, c: c as Calc });
      }
      if (matches.length === 0) {
        // libbpf: missing fields/types/enumerators are "does not exist" answers for the
        // existence checks and the type relocations; any other field relocation fails.
        if (isFieldKind(r.kind) && r.kind !== CORE.FIELD_EXISTS) {
          fail('elf', `${where(r.slot)}: insn ${r.slot}: failed to resolve CO-RE relocation ${localText}`, {
            pc: r.slot, notes: [`no ${root!.kind.toLowerCase()} ${essentialName(root!.name)} in the target BTF has this field`],
          });
        }
        tc = { val: 0n, validate: true };
      } else {
        const first = matches[0]!;
        const other = matches.find((m) => m.c.val !== first.c.val);
        if (other) bad(`${formatSpec(ls)}: ambiguous: ${formatSpec(first.spec)} gives ${first.c.val}, ${formatSpec(other.spec)} gives ${other.c.val}`);
        tc = first.c;
        targetText = formatSpec(first.spec);
      }
    }
    patch(code, dv, r.slot, lc, tc!, bad);
    out.push({ slot: r.slot, kind: kindName, local: localText, target: targetText, from: lc.val, to: tc!.val });
  }
  return out;
}

function patch(code: Uint8Array, dv: DataView, slot: number, orig: Calc, next: Calc, bad: (msg: string) => never): void {
  const o = slot * 8;
  const op = code[o]!;
  const cls = op & 7;
  const newVal = next.val, origVal = orig.val;
  if (cls === 4 || cls === 7) { // ALU/ALU64 with an immediate
    if (op & 0x08) bad(`is on an ALU instruction with a register operand (opcode 0x${op.toString(16)})`);
    const imm = BigInt(dv.getUint32(o + 4, true));
    if (orig.validate && imm !== BigInt.asUintN(32, origVal)) bad(`unexpected ALU value: got ${imm}, expected ${origVal} -> ${newVal}`);
    if (newVal > 0xffffffffn) bad(`value ${newVal} does not fit in a 32-bit immediate`);
    dv.setUint32(o + 4, Number(newVal), true);
  } else if (cls === 1 || cls === 2 || cls === 3) { // LDX, ST, STX: the offset
    const off = BigInt(dv.getInt16(o + 2, true));
    if (orig.validate && off !== origVal) bad(`unexpected load/store offset: got ${off}, expected ${origVal} -> ${newVal}`);
    if (newVal > 32767n) bad(`offset ${newVal} does not fit in the 16-bit instruction offset`);
    dv.setInt16(o + 2, Number(newVal), true);
    if (orig.size !== undefined && next.size !== undefined && orig.size !== next.size) {
      const cur = BYTES_OF[op & 0x18];
      if (cur !== orig.size) bad(`accesses ${cur} bytes, but the field is ${orig.size} bytes`);
      if (SIZE_BITS[next.size] === undefined || orig.signed) bad(`field changed size from ${orig.size} to ${next.size} bytes and the access cannot be adjusted`);
      code[o] = (op & ~0x18) | SIZE_BITS[next.size]!;
    }
  } else if (op === 0x18) { // lddw: 64-bit immediate
    if (o + 16 > code.length) bad('lddw is truncated');
    const imm = (BigInt(dv.getUint32(o + 12, true)) << 32n) | BigInt(dv.getUint32(o + 4, true));
    if (orig.validate && imm !== origVal) bad(`unexpected lddw value: got ${imm}, expected ${origVal} -> ${newVal}`);
    dv.setUint32(o + 4, Number(newVal & 0xffffffffn), true);
    dv.setUint32(o + 12, Number((newVal >> 32n) & 0xffffffffn), true);
  } else {
    bad(`is on an instruction it cannot patch (opcode 0x${op.toString(16)})`);
  }
}
