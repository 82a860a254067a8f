// The arena: one WebAssembly.Memory per Memory, from which Memory takes its stack and context
// pointer tables, the XDP frame its page and context, and the interpreter's Wasm core its
// registers and code. A region whose bytes are in the arena is read and written by the core in
// place; any other region is copied in and out around each stretch the core runs.
// The arena never grows (growing would detach every view of it): an allocation that does not
// fit returns null and the caller uses a plain Uint8Array.

/**
 * Bytes of an arena unless its owner asks for more (a runtime sizes it for its maps): the
 * stack, the frame, the cores' registers and code. Creating one costs time in proportion to
 * its size (about 30 us for this, 200 us for 8 MiB here), and each reserves address space
 * for its guard regions, so they are kept small.
 */
export const ARENA_BYTES = 256 << 10;
/** The largest arena asked for: bigger maps keep plain storage. */
export const ARENA_MAX_BYTES = 256 << 20;

export class Arena {
  readonly memory: WebAssembly.Memory;
  readonly buffer: ArrayBuffer;
  private top = 0;

  constructor(bytes = ARENA_BYTES) {
    const pages = Math.max(1, Math.ceil(Math.min(bytes, ARENA_MAX_BYTES) / 65536));
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    this.buffer = this.memory.buffer;
  }

  /** `size` zeroed bytes at an 8-byte-aligned offset, or null when they would leave less than `keep` free. */
  alloc(size: number, keep = 0): Uint8Array | null {
    const at = (this.top + 7) & ~7;
    if (!Number.isInteger(size) || size < 0 || at + size + keep > this.buffer.byteLength) return null;
    this.top = at + size;
    return new Uint8Array(this.buffer, at, size);
  }

  /** The arena offset of `bytes`, or -1 when they are not in this arena. */
  offsetOf(bytes: Uint8Array): number { return bytes.buffer === this.buffer ? bytes.byteOffset : -1; }
}

/**
 * An arena, or null where WebAssembly is missing or the engine refuses the memory (it runs out
 * of address space with many thousands alive at once): the interpreter then runs its loop alone.
 */
export function createArena(bytes = ARENA_BYTES): Arena | null {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.Memory !== 'function') return null;
  // A refusal costs the engine about 200 ms of collection attempts: after one, the next
  // RETRY_AFTER memories go without an arena before trying again.
  if (skip > 0) { skip--; return null; }
  try {
    return new Arena(bytes);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    skip = RETRY_AFTER;
    return null;
  }
}

const RETRY_AFTER = 1000;
let skip = 0;
