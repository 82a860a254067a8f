// BTF type records (include/uapi/linux/btf.h) as a discriminated union on `kind`.
// Shared by the parser (btf.ts) and the encoder (btf-write.ts).

export const BTF_MAGIC = 0xeb9f;

/** Kind numbers as the kernel numbers them. */
export const BTF_KIND = {
  INT: 1, PTR: 2, ARRAY: 3, STRUCT: 4, UNION: 5, ENUM: 6, FWD: 7, TYPEDEF: 8, VOLATILE: 9, CONST: 10,
  RESTRICT: 11, FUNC: 12, FUNC_PROTO: 13, VAR: 14, DATASEC: 15, FLOAT: 16, DECL_TAG: 17, TYPE_TAG: 18, ENUM64: 19,
} as const;
export type BtfKindName = keyof typeof BTF_KIND;
export const BTF_KIND_NAME: Record<number, BtfKindName> = Object.fromEntries(
  Object.entries(BTF_KIND).map(([k, v]) => [v, k as BtfKindName]),
);

/** INT encoding bits. */
export const BTF_INT = { SIGNED: 1, CHAR: 2, BOOL: 4 } as const;
/** FUNC linkage and VAR linkage. */
export const BTF_FUNC_LINKAGE = { STATIC: 0, GLOBAL: 1, EXTERN: 2 } as const;
export const BTF_VAR_LINKAGE = { STATIC: 0, GLOBAL_ALLOCATED: 1, EXTERN: 2 } as const;

interface Base { id: number; name: string }
export interface BtfInt extends Base { kind: 'INT'; size: number; encoding: number; bitOffset: number; bits: number }
/** Types that only refer to another type. */
export interface BtfRef extends Base { kind: 'PTR' | 'TYPEDEF' | 'VOLATILE' | 'CONST' | 'RESTRICT' | 'TYPE_TAG'; type: number }
export interface BtfArray extends Base { kind: 'ARRAY'; type: number; indexType: number; nelems: number }
export interface BtfMember { name: string; type: number; bitOffset: number; /** 0 unless a bitfield. */ bitfieldSize: number }
export interface BtfStruct extends Base { kind: 'STRUCT' | 'UNION'; size: number; members: BtfMember[] }
export interface BtfEnum extends Base { kind: 'ENUM' | 'ENUM64'; size: number; signed: boolean; values: { name: string; value: bigint }[] }
export interface BtfFwd extends Base { kind: 'FWD'; union: boolean }
export interface BtfFunc extends Base { kind: 'FUNC'; type: number; linkage: number }
export interface BtfFuncProto extends Base { kind: 'FUNC_PROTO'; returnType: number; params: { name: string; type: number }[] }
export interface BtfVar extends Base { kind: 'VAR'; type: number; linkage: number }
export interface BtfVarSecinfo { type: number; offset: number; size: number }
export interface BtfDatasec extends Base { kind: 'DATASEC'; size: number; vars: BtfVarSecinfo[] }
export interface BtfFloat extends Base { kind: 'FLOAT'; size: number }
export interface BtfDeclTag extends Base { kind: 'DECL_TAG'; type: number; componentIdx: number }

export type BtfType =
  | BtfInt | BtfRef | BtfArray | BtfStruct | BtfEnum | BtfFwd | BtfFunc | BtfFuncProto | BtfVar
  | BtfDatasec | BtfFloat | BtfDeclTag;

/** A type as the encoder takes it: everything but the id. */
export type BtfTypeInput = BtfType extends infer T ? (T extends BtfType ? Omit<T, 'id'> : never) : never;
