// BTF encoder: the inverse of parseBtf. Types get ids in the order they are added (from 1).
import { fail } from '../diag/index.js';
import { BTF_KIND, BTF_MAGIC, type BtfTypeInput } from './btf-types.js';

export class BtfBuilder {
  private readonly types: BtfTypeInput[] = [];
  private readonly strings: string[] = [''];
  private readonly strOff = new Map<string, number>([['', 0]]);
  private strLen = 1;

  /** Add a type; returns its id. */
  add(t: BtfTypeInput): number {
    this.types.push(t);
    return this.types.length;
  }

  /** Offset of a string in the string section (added once). */
  str(s: string): number {
    let off = this.strOff.get(s);
    if (off === undefined) {
      off = this.strLen;
      this.strOff.set(s, off);
      this.strings.push(s);
      this.strLen += new TextEncoder().encode(s).length + 1;
    }
    return off;
  }

  /** Number of types added so far (the last id). */
  get count(): number { return this.types.length; }

  encode(): Uint8Array {
    const words: number[] = [];
    const head = (name: string, kind: number, vlen: number, kflag: boolean, sizeOrType: number): void => {
      if (vlen > 0xffff) fail('elf', `BTF type ${name || '<anon>'} has ${vlen} members, more than 65535`);
      words.push(this.str(name), ((kflag ? 1 : 0) << 31 | kind << 24 | vlen) >>> 0, sizeOrType >>> 0);
    };
    for (const t of this.types) {
      const k = BTF_KIND[t.kind];
      switch (t.kind) {
        case 'INT':
          head(t.name, k, 0, false, t.size);
          words.push(((t.encoding & 0xf) << 24 | (t.bitOffset & 0xff) << 16 | (t.bits & 0xff)) >>> 0);
          break;
        case 'PTR': case 'TYPEDEF': case 'VOLATILE': case 'CONST': case 'RESTRICT': case 'TYPE_TAG':
          head(t.name, k, 0, false, t.type);
          break;
        case 'ARRAY':
          head(t.name, k, 0, false, 0);
          words.push(t.type, t.indexType, t.nelems);
          break;
        case 'STRUCT': case 'UNION': {
          const bitfields = t.members.some((m) => m.bitfieldSize > 0);
          head(t.name, k, t.members.length, bitfields, t.size);
          for (const m of t.members) words.push(this.str(m.name), m.type, bitfields ? ((m.bitfieldSize << 24) | m.bitOffset) >>> 0 : m.bitOffset);
          break;
        }
        case 'ENUM':
          head(t.name, k, t.values.length, t.signed, t.size);
          for (const v of t.values) words.push(this.str(v.name), Number(BigInt.asUintN(32, v.value)));
          break;
        case 'ENUM64':
          head(t.name, k, t.values.length, t.signed, t.size);
          for (const v of t.values) {
            const u = BigInt.asUintN(64, v.value);
            words.push(this.str(v.name), Number(u & 0xffffffffn), Number(u >> 32n));
          }
          break;
        case 'FWD': head(t.name, k, 0, t.union, 0); break;
        case 'FUNC': head(t.name, k, t.linkage, false, t.type); break;
        case 'FUNC_PROTO':
          head(t.name, k, t.params.length, false, t.returnType);
          for (const p of t.params) words.push(this.str(p.name), p.type);
          break;
        case 'VAR': head(t.name, k, 0, false, t.type); words.push(t.linkage); break;
        case 'DATASEC':
          head(t.name, k, t.vars.length, false, t.size);
          for (const v of t.vars) words.push(v.type, v.offset, v.size);
          break;
        case 'FLOAT': head(t.name, k, 0, false, t.size); break;
        case 'DECL_TAG': head(t.name, k, 0, false, t.type); words.push(t.componentIdx >>> 0); break;
      }
    }
    const strBytes = new TextEncoder().encode(this.strings.join('\0') + '\0');
    const typeLen = words.length * 4;
    const out = new Uint8Array(24 + typeLen + strBytes.length);
    const dv = new DataView(out.buffer);
    dv.setUint16(0, BTF_MAGIC, true);
    out[2] = 1; // version
    dv.setUint32(4, 24, true);
    dv.setUint32(8, 0, true);
    dv.setUint32(12, typeLen, true);
    dv.setUint32(16, typeLen, true);
    dv.setUint32(20, strBytes.length, true);
    words.forEach((w, i) => dv.setUint32(24 + i * 4, w, true));
    out.set(strBytes, 24 + typeLen);
    return out;
  }
}
