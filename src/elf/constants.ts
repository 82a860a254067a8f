// ELF and BPF constants the object reader, loader and writer share (elf.h, linux/bpf.h).

export const EM_BPF = 247;
export const ET_REL = 1;
export const SHN_UNDEF = 0;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
export const SHN_XINDEX = 0xffff;

export const SHT = { NULL: 0, PROGBITS: 1, SYMTAB: 2, STRTAB: 3, RELA: 4, NOBITS: 8, REL: 9 } as const;
export const SHF = { WRITE: 1, ALLOC: 2, EXECINSTR: 4 } as const;
export const STT = { NOTYPE: 0, OBJECT: 1, FUNC: 2, SECTION: 3, FILE: 4 } as const;
export const STB = { LOCAL: 0, GLOBAL: 1, WEAK: 2 } as const;
export const STV = { DEFAULT: 0, HIDDEN: 2 } as const;

/** BPF relocation types (llvm BPF backend). */
export const R_BPF = { NONE: 0, R64_64: 1, R64_ABS64: 2, R64_ABS32: 3, R64_NODYLD32: 4, R64_32: 10 } as const;

/** lddw src values (BPF_PSEUDO_*). */
export const BPF_PSEUDO_MAP_FD = 1;
export const BPF_PSEUDO_MAP_VALUE = 2;
/** lddw of a function (a callback for bpf_loop and friends). */
export const BPF_PSEUDO_FUNC = 4;
/** call src value for a BPF-to-BPF call. */
export const BPF_PSEUDO_CALL = 1;
export const BPF_PSEUDO_KFUNC_CALL = 2;
