// bpf_loop (helper 181) as the kernel's verifier inlines it (inline_bpf_loop): the call
// becomes a BPF-to-BPF call to a small loop appended to the program, which calls the
// callback subprogram with (index, ctx) until it returns non-zero or nr_loops is reached and
// returns the iterations done. The callback arrives as an lddw src 4 (BPF_PSEUDO_FUNC); each
// such lddw is turned into a plain constant naming its callback, and the loop dispatches on
// it. Errors as the helper's: flags != 0 -> -EINVAL, nr_loops > 1 << 23 -> -E2BIG.

export const BPF_LOOP = 181;
export const BPF_MAX_LOOPS = 1 << 23;
const EINVAL = 22, E2BIG = 7;

/** One raw instruction (8 bytes, little endian). */
export function rawInsn(op: number, dst: number, src: number, off: number, imm: number): Uint8Array {
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  b[0] = op;
  b[1] = (dst & 0xf) | ((src & 0xf) << 4);
  dv.setInt16(2, off, true);
  dv.setInt32(4, imm | 0, true);
  return b;
}

/**
 * The appended loop for the callbacks at `targets` (absolute slots), placed at slot `base`.
 * Entry: r1 = nr_loops, r2 = callback constant (its slot), r3 = ctx, r4 = flags.
 */
export function loopTrampoline(base: number, targets: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  const n = targets.length;
  // Header: 3 checks, n dispatch jumps, then 3 exits of 2 insns each.
  const head = 3 + n;
  const einval = head + 2, e2big = head + 4, blocks = head + 6;
  const BLOCK = 12;
  out.push(rawInsn(0x55, 4, 0, einval - 1, 0)); // if r4 != 0 goto einval
  out.push(rawInsn(0xbc, 1, 1, 0, 0)); // w1 = w1 (nr_loops is a u32)
  out.push(rawInsn(0x25, 1, 0, e2big - 3, BPF_MAX_LOOPS)); // if r1 > MAX goto e2big
  targets.forEach((t, k) => out.push(rawInsn(0x15, 2, 0, blocks + k * BLOCK - (3 + k) - 1, t))); // if r2 == t goto block k
  out.push(rawInsn(0xb7, 0, 0, 0, -EINVAL), rawInsn(0x95, 0, 0, 0, 0)); // not a known callback
  out.push(rawInsn(0xb7, 0, 0, 0, -EINVAL), rawInsn(0x95, 0, 0, 0, 0));
  out.push(rawInsn(0xb7, 0, 0, 0, -E2BIG), rawInsn(0x95, 0, 0, 0, 0));
  targets.forEach((t, k) => {
    const at = base + blocks + k * BLOCK;
    out.push(
      rawInsn(0xbf, 6, 1, 0, 0), // r6 = nr_loops
      rawInsn(0xbf, 7, 3, 0, 0), // r7 = ctx
      rawInsn(0xb7, 8, 0, 0, 0), // r8 = i = 0
      rawInsn(0x3d, 8, 6, 6, 0), // loop: if r8 >= r6 goto done
      rawInsn(0xbf, 1, 8, 0, 0), // r1 = i
      rawInsn(0xbf, 2, 7, 0, 0), // r2 = ctx
      rawInsn(0x85, 0, 1, 0, t - (at + 6 + 1)), // call callback
      rawInsn(0x07, 8, 0, 0, 1), // i++
      rawInsn(0x55, 0, 0, 1, 0), // if r0 != 0 goto done (returns i + 1)
      rawInsn(0x05, 0, 0, -7, 0), // goto loop
      rawInsn(0xbf, 0, 8, 0, 0), // done: r0 = i
    );
    out.push(rawInsn(0x95, 0, 0, 0, 0));
  });
  return out;
}
