// The `.BTF` section: header, type records, string table; and helpers over the parsed types.
import { fail } from '../diag/index.js';
import {
  BTF_KIND_NAME, BTF_MAGIC, type BtfKindName, type BtfMember, type BtfRef, type BtfType,
} from './btf-types.js';

export interface Btf {
  /** Types by id; index 0 is `void` (undefined). */
  types: (BtfType | undefined)[];
  /** The string at an offset of the string section. */
  str(offset: number): string;
  /** A type by id; throws an 'elf' diagnostic for an id out of range. */
  get(id: number): BtfType | undefined;
  /** Skip typedefs and CV/type-tag modifiers. */
  resolve(id: number): BtfType | undefined;
  /** Size in bytes of a type (throws for void, functions and forward declarations). */
  sizeOf(id: number): number;
  /** First type with this name (and kind, when given). */
  find(name: string, kind?: BtfKindName): BtfType | undefined;
  /** C-like spelling of a type, for messages: `struct foo *`, `__u32[4]`. */
  describe(id: number): string;
}

const HDR_MIN = 24;

/** Parse a `.BTF` section. */
export function parseBtf(bytes: Uint8Array, file = 'object'): Btf {
  const bad = (msg: string): never => fail('elf', `${file}: .BTF: ${msg}`);
  if (bytes.length < HDR_MIN) bad(`section is ${bytes.length} bytes, shorter than the 24-byte header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = dv.getUint16(0, true);
  if (magic !== BTF_MAGIC) bad(magic === 0x9feb ? 'big-endian BTF is not supported' : `bad magic 0x${magic.toString(16)} (expected 0xeb9f)`);
  if (bytes[2] !== 1) bad(`unsupported BTF version ${bytes[2]}`);
  const hdrLen = dv.getUint32(4, true);
  if (hdrLen < HDR_MIN || hdrLen > bytes.length) bad(`header length ${hdrLen} is outside the section (size ${bytes.length})`);
  const region = (off: number, len: number, what: string): [number, number] => {
    const start = hdrLen + off;
    if (start > bytes.length || len > bytes.length - start) bad(`${what} at offset ${off}, length ${len} extends past the section (size ${bytes.length})`);
    return [start, start + len];
  };
  const [tStart, tEnd] = region(dv.getUint32(8, true), dv.getUint32(12, true), 'type section');
  const [sStart, sEnd] = region(dv.getUint32(16, true), dv.getUint32(20, true), 'string section');
  const strBytes = bytes.subarray(sStart, sEnd);
  const decoder = new TextDecoder();
  const str = (off: number): string => {
    if (off === 0) return '';
    if (off >= strBytes.length) bad(`string offset ${off} is outside the string section (size ${strBytes.length})`);
    const end = strBytes.indexOf(0, off);
    if (end < 0) bad(`string at offset ${off} is not NUL-terminated`);
    return decoder.decode(strBytes.subarray(off, end));
  };

  const types: (BtfType | undefined)[] = [undefined];
  let p = tStart;
  const need = (n: number, id: number): void => {
    if (p + n > tEnd) bad(`type ${id} is truncated at offset ${p - tStart} of the type section`);
  };
  const u32 = (): number => { const v = dv.getUint32(p, true); p += 4; return v; };
  const i32 = (): number => { const v = dv.getInt32(p, true); p += 4; return v; };
  while (p < tEnd) {
    const id = types.length;
    need(12, id);
    const name = str(u32());
    const info = u32();
    const sizeOrType = u32();
    const vlen = info & 0xffff;
    const kindNo = (info >>> 24) & 0x1f;
    const kflag = (info >>> 31) === 1;
    const kind = BTF_KIND_NAME[kindNo];
    if (!kind) bad(`type ${id} has unknown kind ${kindNo}`);
    let t: BtfType;
    switch (kind!) {
      case 'INT': {
        need(4, id);
        const e = u32();
        t = { id, name, kind: 'INT', size: sizeOrType, encoding: (e >>> 24) & 0xf, bitOffset: (e >>> 16) & 0xff, bits: e & 0xff };
        break;
      }
      case 'PTR': case 'TYPEDEF': case 'VOLATILE': case 'CONST': case 'RESTRICT': case 'TYPE_TAG':
        t = { id, name, kind: kind as 'PTR', type: sizeOrType };
        break;
      case 'ARRAY':
        need(12, id);
        t = { id, name, kind: 'ARRAY', type: u32(), indexType: u32(), nelems: u32() };
        break;
      case 'STRUCT': case 'UNION': {
        need(12 * vlen, id);
        const members: BtfMember[] = [];
        for (let i = 0; i < vlen; i++) {
          const mname = str(u32());
          const type = u32();
          const off = u32();
          members.push(kflag
            ? { name: mname, type, bitOffset: off & 0xffffff, bitfieldSize: off >>> 24 }
            : { name: mname, type, bitOffset: off, bitfieldSize: 0 });
        }
        t = { id, name, kind: kind as 'STRUCT', size: sizeOrType, members };
        break;
      }
      case 'ENUM': {
        need(8 * vlen, id);
        const values = [];
        for (let i = 0; i < vlen; i++) {
          const vname = str(u32());
          const raw = i32();
          values.push({ name: vname, value: BigInt(kflag ? raw : raw >>> 0) });
        }
        t = { id, name, kind: 'ENUM', size: sizeOrType, signed: kflag, values };
        break;
      }
      case 'ENUM64': {
        need(12 * vlen, id);
        const values = [];
        for (let i = 0; i < vlen; i++) {
          const vname = str(u32());
          const lo = BigInt(u32());
          const hi = BigInt(u32());
          const v = (hi << 32n) | lo;
          values.push({ name: vname, value: kflag ? BigInt.asIntN(64, v) : v });
        }
        t = { id, name, kind: 'ENUM64', size: sizeOrType, signed: kflag, values };
        break;
      }
      case 'FWD':
        t = { id, name, kind: 'FWD', union: kflag };
        break;
      case 'FUNC':
        t = { id, name, kind: 'FUNC', type: sizeOrType, linkage: vlen };
        break;
      case 'FUNC_PROTO': {
        need(8 * vlen, id);
        const params = [];
        for (let i = 0; i < vlen; i++) params.push({ name: str(u32()), type: u32() });
        t = { id, name, kind: 'FUNC_PROTO', returnType: sizeOrType, params };
        break;
      }
      case 'VAR':
        need(4, id);
        t = { id, name, kind: 'VAR', type: sizeOrType, linkage: u32() };
        break;
      case 'DATASEC': {
        need(12 * vlen, id);
        const vars = [];
        for (let i = 0; i < vlen; i++) vars.push({ type: u32(), offset: u32(), size: u32() });
        t = { id, name, kind: 'DATASEC', size: sizeOrType, vars };
        break;
      }
      case 'FLOAT':
        t = { id, name, kind: 'FLOAT', size: sizeOrType };
        break;
      case 'DECL_TAG':
        need(4, id);
        t = { id, name, kind: 'DECL_TAG', type: sizeOrType, componentIdx: i32() };
        break;
    }
    types.push(t!);
  }
  return btfOver(types, str, file);
}

/** Wrap a type list with the lookup helpers (also used by the encoder's round-trip tests). */
export function btfOver(types: (BtfType | undefined)[], str: (off: number) => string, file = 'object'): Btf {
  const bad = (msg: string): never => fail('elf', `${file}: .BTF: ${msg}`);
  const get = (id: number): BtfType | undefined => {
    if (id < 0 || id >= types.length) bad(`type id ${id} is out of range (${types.length - 1} types)`);
    return types[id];
  };
  const resolve = (id: number): BtfType | undefined => {
    let t = get(id);
    for (let depth = 0; t && isModifier(t); depth++) {
      if (depth > 64) bad(`type ${id} has a modifier chain longer than 64 (a loop?)`);
      t = get(t.type);
    }
    return t;
  };
  const sizeOf = (id: number, depth = 0): number => {
    if (depth > 64) bad(`type ${id} nests deeper than 64 levels (a loop?)`);
    const t = resolve(id);
    if (!t) bad(`type ${id} is void and has no size`);
    switch (t!.kind) {
      case 'INT': case 'STRUCT': case 'UNION': case 'ENUM': case 'ENUM64': case 'FLOAT': case 'DATASEC': return t!.size;
      case 'PTR': return 8;
      case 'ARRAY': return t!.nelems * sizeOf(t!.type, depth + 1);
      case 'VAR': return sizeOf(t!.type, depth + 1);
      default: return bad(`type ${id} (${t!.kind}${t!.name ? ' ' + t!.name : ''}) has no size`);
    }
  };
  const find = (name: string, kind?: BtfKindName): BtfType | undefined =>
    types.find((t) => t !== undefined && t.name === name && (kind === undefined || t.kind === kind));
  const describe = (id: number, depth = 0): string => {
    const t = id === 0 ? undefined : types[id];
    if (!t) return id === 0 ? 'void' : `<bad type ${id}>`;
    if (depth > 16) return '...';
    switch (t.kind) {
      case 'PTR': return `${describe(t.type, depth + 1)} *`;
      case 'CONST': case 'VOLATILE': case 'RESTRICT': return `${t.kind.toLowerCase()} ${describe(t.type, depth + 1)}`;
      case 'TYPE_TAG': return `${describe(t.type, depth + 1)} __tag(${t.name})`;
      case 'ARRAY': return `${describe(t.type, depth + 1)}[${t.nelems}]`;
      case 'STRUCT': case 'UNION': case 'ENUM': case 'ENUM64': return `${t.kind === 'ENUM64' ? 'enum' : t.kind.toLowerCase()} ${t.name || '<anon>'}`;
      case 'FWD': return `${t.union ? 'union' : 'struct'} ${t.name}`;
      case 'FUNC_PROTO': return `${describe(t.returnType, depth + 1)} (${t.params.map((q) => describe(q.type, depth + 1)).join(', ')})`;
      default: return t.name || `<anon ${t.kind.toLowerCase()}>`;
    }
  };
  return { types, str, get, resolve, sizeOf, find, describe };
}

function isModifier(t: BtfType): t is BtfRef {
  return t.kind === 'TYPEDEF' || t.kind === 'VOLATILE' || t.kind === 'CONST' || t.kind === 'RESTRICT' || t.kind === 'TYPE_TAG';
}
