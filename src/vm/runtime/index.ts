// The runtime: an object's programs, maps and helpers wired together, and the XDP test run.
//   const rt = loadRuntime(loadObject(bytes, file), { prog, setup: parseSetup(text, file) });
//   const r = rt.testRun(packet, { repeat, ctxIn, cpu });   // retval, dataOut, redirect, trace
export { Runtime, loadRuntime, type RuntimeOptions, type TestRunOptions, type TestRunResult } from './runtime.js';
export { hostCpus } from './cpus.js';
export { applySetup } from './setup.js';
