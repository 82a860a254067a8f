// The object-file floor: ELF reader, BTF, the BPF object loader and writer.
export * from './map-spec.js';
export * from './constants.js';
export { isElf, readElf, type ElfFile, type ElfSection, type ElfSymbol, type ElfRelocation } from './reader.js';
export * from './btf-types.js';
export { parseBtf, btfOver, type Btf } from './btf.js';
export { parseBtfExt, lineAt, formatLine, type BtfExt, type FuncInfo, type LineInfo, type CoreRelo } from './btf-ext.js';
export { programKind, unknownSectionMessage, type ProgramKind } from './prog-type.js';
export { loadObject, findProgram, sourceLine, type BpfObject, type BpfProgram } from './object.js';
export type { MapRef, KfuncRef, FuncRef } from './object-link.js';
export { frozenData, parseMapSizeOption, type LoadOptions, type GlobalFunc } from './object-options.js';
export { parseGlobalOption, splitGlobalLines, type GlobalSetting } from './globals.js';
export { coreTarget, kernelBtf, bundledBtf, KERNEL_BTF_PATH, type CoreTargetChoice, type CoreTarget } from './core-target.js';
export type { CoreResult } from './core-relo.js';
export { writeObject, isDataMap, type WriteObjectInput, type WriteProgram } from './writer.js';
export { BtfBuilder } from './btf-write.js';
