// The SmartNIC model with offloaded vRouter tables: data model, control plane, FIB and flow
// indexes, the forwarding pipeline, and vRouter-style table dumps.
export * from './model/constants.js';
export * from './model/drops.js';
export * from './model/types.js';
export * from './model/addr.js';
export { Fib, MAX_VRFS, type FibLookup, type FibResult, type V4Layout } from './fib/fib.js';
export { FlowTable, KW } from './flow/flow-table.js';
export { ControlPlane, formatPatch, touchedEntries, type CommitResult, type ProgrammingMessage, type Locator } from './control/commit.js';
export { parseSetup, applySetup, setupLocator, type Setup, type SetupEntry } from './control/setup.js';
export { validate, type Issue } from './control/validate.js';
export { loadProfile, defaultProfile, type NicProfile } from './profile.js';
export { SmartNic, BurstOut, type NicCommit } from './forward/nic.js';
export { HOST_REASONS, type HostReason, type Verdict } from './forward/verdict.js';
export * from './dump/index.js';
export { benchSmartnic, type SmartnicBench } from './bench.js';
export { NicFibLookup } from './fib-helper.js';
