// Map types with the kernel's semantics: storage the VM reads in place, the bpf(2) user
// view, creation checks, and bpftool-shaped dumps.
export * from './types.js';
export * from './errno.js';
export { createMap, isPerCpu, type CreateOptions } from './create.js';
export { validateSpec, typeName, SUPPORTED_TYPES } from './validate.js';
export { mapById } from './registry.js';
export { BaseMap, u32bytes } from './base.js';
export { ArrayMap } from './array.js';
export { HashMap } from './hash.js';
export { LpmTrieMap } from './lpm.js';
export { SlotArrayMap, innerMap, checkInner } from './slots.js';
export { QueueStackMap } from './queue.js';
export { RingBufMap, ringbufHeader, RINGBUF_HDR_SZ, RINGBUF_BUSY_BIT, RINGBUF_DISCARD_BIT } from './ringbuf.js';
export { PerfEventArrayMap, type PerfRecord } from './perf.js';
export { dumpEntries, formatDump, dumpJson, hexBytes, type DumpEntry } from './dump.js';
export { parseSetup, type SetupEntry } from './setup-file.js';
