// CO-RE access specs, as libbpf's relo_core.c defines them: the local spec an access string
// ("0:1:2") describes over the object's BTF, the candidate types of the target BTF (same kind,
// same name up to a `___flavour` suffix) and the matching of a local spec against one of
// them (members by name, through anonymous structs and unions).
import type { Btf } from './btf.js';
import type { BtfStruct, BtfType } from './btf-types.js';

/** bpf_core_relo_kind. */
export const CORE = {
  FIELD_BYTE_OFFSET: 0, FIELD_BYTE_SIZE: 1, FIELD_EXISTS: 2, FIELD_SIGNED: 3, FIELD_LSHIFT_U64: 4,
  FIELD_RSHIFT_U64: 5, TYPE_ID_LOCAL: 6, TYPE_ID_TARGET: 7, TYPE_EXISTS: 8, TYPE_SIZE: 9,
  ENUMVAL_EXISTS: 10, ENUMVAL_VALUE: 11, TYPE_MATCHES: 12,
} as const;

/** The names libbpf prints for the kinds (`<byte_off>`). */
export const CORE_KIND_NAME = [
  'byte_off', 'byte_sz', 'field_exists', 'signed', 'lshift_u64', 'rshift_u64', 'local_type_id',
  'target_type_id', 'type_exists', 'type_size', 'enumval_exists', 'enumval_value', 'type_matches',
];

export const isFieldKind = (k: number): boolean => k <= CORE.FIELD_RSHIFT_U64;
export const isEnumKind = (k: number): boolean => k === CORE.ENUMVAL_EXISTS || k === CORE.ENUMVAL_VALUE;

/** One step of an access: a member (with its name) or an array index (name undefined). */
export interface Access { typeId: number; idx: number; name?: string }

export interface CoreSpec {
  btf: Btf;
  rootId: number;
  /** Named steps: the first array index, then members with names and array indexes. */
  spec: Access[];
  /** Every index of the access string, anonymous members included (the target's own). */
  raw: number[];
  bitOffset: number;
  kind: number;
}

/** Skip typedefs and modifiers, returning the id as well. */
export function skipMods(btf: Btf, id: number): { id: number; t: BtfType | undefined } {
  let t = btf.get(id);
  for (let n = 0; t && n < 64 && (t.kind === 'TYPEDEF' || t.kind === 'CONST' || t.kind === 'VOLATILE' || t.kind === 'RESTRICT' || t.kind === 'TYPE_TAG'); n++) {
    id = t.type;
    t = btf.get(id);
  }
  return { id, t };
}

const isComposite = (t: BtfType | undefined): t is BtfStruct => t?.kind === 'STRUCT' || t?.kind === 'UNION';
const isEnum = (t: BtfType | undefined): boolean => t?.kind === 'ENUM' || t?.kind === 'ENUM64';

/** `task_struct___v2` -> `task_struct`. */
export function essentialName(name: string): string {
  const i = name.indexOf('___');
  return i > 0 ? name.slice(0, i) : name;
}

/** Parse an access string against the local BTF; a string naming why it does not fit. */
export function parseSpec(btf: Btf, rootId: number, access: string, kind: number): CoreSpec | string {
  const raw = access.split(':').map((x) => Number(x));
  if (raw.length === 0 || raw.some((x) => !Number.isInteger(x) || x < 0)) return `bad access string '${access}'`;
  const spec: CoreSpec = { btf, rootId, spec: [], raw, bitOffset: 0, kind };
  if (!isFieldKind(kind) && !isEnumKind(kind)) {
    return raw.length === 1 && raw[0] === 0 ? spec : `type relocation with access string '${access}' (expected 0)`;
  }
  const root = skipMods(btf, rootId);
  if (isEnumKind(kind)) {
    if (!isEnum(root.t) || raw.length !== 1) return `enum value relocation on ${btf.describe(rootId)}`;
    const e = (root.t as { values: { name: string }[] }).values[raw[0]!];
    if (!e) return `enumerator ${raw[0]} is out of range for ${btf.describe(rootId)}`;
    spec.spec.push({ typeId: root.id, idx: raw[0]!, name: e.name });
    return spec;
  }
  spec.bitOffset = raw[0]! * btf.sizeOf(root.id) * 8;
  spec.spec.push({ typeId: root.id, idx: raw[0]! });
  let id = root.id;
  for (let i = 1; i < raw.length; i++) {
    const cur = skipMods(btf, id);
    const idx = raw[i]!;
    if (isComposite(cur.t)) {
      const m = cur.t.members[idx];
      if (!m) return `member ${idx} is out of range for ${btf.describe(cur.id)}`;
      spec.bitOffset += m.bitOffset;
      if (m.name) spec.spec.push({ typeId: cur.id, idx, name: m.name });
      id = m.type;
    } else if (cur.t?.kind === 'ARRAY') {
      const el = skipMods(btf, cur.t.type);
      spec.spec.push({ typeId: cur.id, idx });
      spec.bitOffset += idx * btf.sizeOf(el.id) * 8;
      id = el.id;
    } else {
      return `access ${idx} into ${btf.describe(cur.id)}, which is neither a struct, a union nor an array`;
    }
  }
  return spec;
}

/** libbpf's bpf_core_fields_are_compat. */
function fieldsCompat(lb: Btf, lid: number, tb: Btf, tid: number): boolean {
  for (let depth = 0; depth < 32; depth++) {
    const l = skipMods(lb, lid).t, t = skipMods(tb, tid).t;
    if (isComposite(l) && isComposite(t)) return true;
    if (isEnum(l) && isEnum(t)) return true;
    if (!l || !t || l.kind !== t.kind) return false;
    switch (l.kind) {
      case 'PTR': case 'FLOAT': return true;
      case 'FWD': return essentialName(l.name) === essentialName(t.name);
      case 'INT': return l.bitOffset === 0 && (t as typeof l).bitOffset === 0;
      case 'ARRAY': lid = l.type; tid = (t as typeof l).type; continue;
      default: return false;
    }
  }
  return false;
}

/** libbpf's bpf_core_types_are_compat (type-based relocations). */
export function typesCompat(lb: Btf, lid: number, tb: Btf, tid: number, depth = 0): boolean {
  if (depth > 32) return false;
  const l = skipMods(lb, lid).t, t = skipMods(tb, tid).t;
  if (!l || !t) return !l && !t;
  if (l.kind !== t.kind && !(isEnum(l) && isEnum(t))) return false;
  switch (l.kind) {
    case 'STRUCT': case 'UNION': case 'ENUM': case 'ENUM64': case 'FWD': case 'FLOAT': return true;
    case 'INT': return l.bitOffset === 0 && (t as typeof l).bitOffset === 0;
    case 'PTR': return typesCompat(lb, l.type, tb, (t as typeof l).type, depth + 1);
    case 'ARRAY': return typesCompat(lb, l.type, tb, (t as typeof l).type, depth + 1);
    case 'FUNC_PROTO': {
      const tp = t as typeof l;
      if (l.params.length !== tp.params.length) return false;
      return l.params.every((p, i) => typesCompat(lb, p.type, tb, tp.params[i]!.type, depth + 1))
        && typesCompat(lb, l.returnType, tb, tp.returnType, depth + 1);
    }
    default: return false;
  }
}

/** Find a member by name in a target composite, descending into anonymous members. */
function matchMember(local: Access, lb: Btf, lMemberType: number, tb: Btf, tid: number, out: CoreSpec): number | undefined {
  const t = skipMods(tb, tid);
  if (!isComposite(t.t)) return undefined;
  for (const [i, m] of t.t.members.entries()) {
    if (!m.name) {
      const inner = skipMods(tb, m.type).t;
      if (!isComposite(inner)) continue;
      out.raw.push(i);
      out.bitOffset += m.bitOffset;
      const found = matchMember(local, lb, lMemberType, tb, m.type, out);
      if (found !== undefined) return found;
      out.raw.pop();
      out.bitOffset -= m.bitOffset;
      continue;
    }
    if (m.name !== local.name) continue;
    if (!fieldsCompat(lb, lMemberType, tb, m.type)) return undefined;
    out.raw.push(i);
    out.bitOffset += m.bitOffset;
    out.spec.push({ typeId: t.id, idx: i, name: m.name });
    return m.type;
  }
  return undefined;
}

/** Match a local spec against a candidate root type of the target; undefined when it does not fit. */
export function matchSpec(local: CoreSpec, tb: Btf, candId: number): CoreSpec | undefined {
  const lb = local.btf;
  const out: CoreSpec = { btf: tb, rootId: candId, spec: [], raw: [], bitOffset: 0, kind: local.kind };
  if (!isFieldKind(local.kind) && !isEnumKind(local.kind)) {
    return typesCompat(lb, local.rootId, tb, candId) ? { ...out, raw: [0] } : undefined;
  }
  if (isEnumKind(local.kind)) {
    const t = skipMods(tb, candId).t;
    if (!isEnum(t)) return undefined;
    const want = essentialName(local.spec[0]!.name!);
    const i = (t as { values: { name: string }[] }).values.findIndex((v) => essentialName(v.name) === want);
    if (i < 0) return undefined;
    return { ...out, raw: [i], spec: [{ typeId: candId, idx: i, name: want }] };
  }
  let id = candId;
  for (const [n, acc] of local.spec.entries()) {
    const cur = skipMods(tb, id);
    if (n === 0) {
      out.raw.push(acc.idx);
      out.spec.push({ typeId: cur.id, idx: acc.idx });
      out.bitOffset = acc.idx * tb.sizeOf(cur.id) * 8;
      continue;
    }
    if (acc.name !== undefined) {
      const lt = skipMods(lb, acc.typeId).t as BtfStruct;
      const next = matchMember(acc, lb, lt.members[acc.idx]!.type, tb, id, out);
      if (next === undefined) return undefined;
      id = next;
    } else {
      if (cur.t?.kind !== 'ARRAY') return undefined;
      const flex = cur.t.nelems === 0;
      if (!flex && acc.idx >= cur.t.nelems) return undefined;
      const el = skipMods(tb, cur.t.type);
      out.raw.push(acc.idx);
      out.spec.push({ typeId: cur.id, idx: acc.idx });
      out.bitOffset += acc.idx * tb.sizeOf(el.id) * 8;
      id = el.id;
    }
  }
  return out;
}

/** `[14] struct iphdr.daddr (0:9 @ offset 16)`, as libbpf's bpf_core_format_spec. */
export function formatSpec(s: CoreSpec): string {
  const t = s.btf.get(s.rootId);
  const kind = t ? t.kind.toLowerCase().replace('enum64', 'enum') : 'void';
  let out = `[${s.rootId}] ${kind} ${t?.name || '<anon>'}`;
  if (isEnumKind(s.kind)) {
    const e = skipMods(s.btf, s.rootId).t as { values: { name: string; value: bigint }[] } | undefined;
    const v = e?.values[s.raw[0]!];
    return v ? `${out}::${v.name} = ${v.value}` : out;
  }
  if (!isFieldKind(s.kind)) return out;
  for (const [i, a] of s.spec.entries()) {
    if (a.name !== undefined) out += `.${a.name}`;
    else if (i > 0 || a.idx > 0) out += `[${a.idx}]`;
  }
  const off = s.bitOffset % 8 ? `${Math.floor(s.bitOffset / 8)}.${s.bitOffset % 8}` : `${s.bitOffset / 8}`;
  return `${out} (${s.raw.join(':')} @ offset ${off})`;
}
