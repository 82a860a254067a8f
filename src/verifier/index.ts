// The eBPF verifier for XDP programs: structure checks, abstract interpretation with the
// kernel's value domain and rules, and a report value (the CLI formats it).
export { verify, inputFromProgram, INSN_LIMIT } from './verify.js';
export { verifiedSlots } from './slots.js';
export type { VerifierInput, VerifyOptions, VerifyResult, VerifierError, PathDecision, SourceLine } from './types.js';
export type { GlobalProto, GlobalArg } from './globals.js';
export { XDP_HELPERS, type HelperProto, type ArgKind } from './helpers.js';
export { offloadCheck, DEFAULT_OFFLOAD_LIMITS, type OffloadLimits, type OffloadReason, type OffloadResult } from './offload.js';
export { explainError, errorJson, foldPath, formatSource, insnText, logLines, type PathLine } from './report.js';
