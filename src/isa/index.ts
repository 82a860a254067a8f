export * from './opcodes.js';
export * from './insn.js';
export * from './helper-ids.js';
export * from './disasm.js';
export * from './disasm-listing.js';
