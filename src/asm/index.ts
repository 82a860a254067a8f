// The eBPF assembler: LLVM BPF syntax (llvm-objdump -d) and bpf_conformance mnemonics.
export { assemble, type Assembled } from './assemble.js';
export { parseLine, type LineResult, type LineError } from './parse-line.js';
export type { Line, Stmt, Operand } from './ast.js';
