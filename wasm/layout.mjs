// The Wasm core's block layout and parameter block, shared by the generator (core.mjs) and,
// through the generated module, the engine that drives it (src/vm/core/engine.ts). The core
// works in its Memory's arena (src/vm/arena.ts); each core has a block there, at `rb`:
export const LAYOUT = {
  REGS: 0, //    r0..r10 as i64 (r_i at 8i: the interpreter's Int32Array(22) lo/hi layout)
  ARGS: 88, //   the initial r1..r5 of every run, as i64 (the interpreter's `args`)
  PARAMS: 128, // the parameter block below, one i32 each
  BLOCK: 320, //  bytes per core block (the parameters end at 128 + 4 * PARAMS.length)
};

/**
 * The parameter block: the engine writes the entry state and the cache ways before a run and
 * reads the exit state, hit counts and dirty flags after it. A way is tag, window [l, h), the
 * window's end for stores (0 when read-only) and the arena address of offset 0 (the region's
 * bytes in place, or a copy). The context's pointer fields are Memory's tables, in the arena.
 */
export const PARAMS = [
  'pc', 'n', 'depth', 'code', //     code: the arena address of the program (two i32 per slot)
  'reset', 'r10lo', 'r10hi', //      reset: set the registers for a run's start first (r1-r5 from ARGS, r10)
  'pt', 'pl', 'ph', 'pwh', 'pb', //  packet
  'st', 'sl', 'sh', 'swh', 'sb', //  stack
  'ot', 'ol', 'oh', 'owh', 'ob', //  last other region
  'ct', 'cl', 'ch', 'cb', //         context (read-only)
  'cf', 'clo', 'chi', 'cfl', //      context pointer tables: flag byte, low and high word per offset; length
  'hp', 'hs', 'ho', 'hc', //         hits per way
  'pd', 'od', //                     packet and other written
];

/** What run() returns. */
export const STATUS = { EXIT: 0, STEP: 1, OVER: 2, REFRESH: 3, FAULT: 4 };

/** What the host's call(pc, n) returns for a helper call it was asked to make. */
export const CALL = { DONE: 0, STOPPED: 1, MOVED: 2, DECLINED: 3, FAULT: 4 };

/** Byte offset of a parameter from the core block's start (the core reads them through $rb). */
export const paramAt = (name) => {
  const k = PARAMS.indexOf(name);
  if (k < 0) throw new Error(`no parameter ${name}`);
  return LAYOUT.PARAMS + 4 * k;
};
