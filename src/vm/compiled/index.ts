// The compiled tier: a program translated once to a JavaScript function (see compile.ts).
export { CompiledVM, createCompiled, createVM, type CompiledOptions, type VMOptions, type Tier } from './vm.js';
export { compileProgram, type Compiled } from './compile.js';
export { basicBlocks, type Block } from './blocks.js';
export type { InlineMap, InlineMaps } from './emit-call.js';
