// The corpus of unsafe programs as data: each with our headline (a fragment), the kernel's
// last message in root mode, and where it differs, in strict mode (CAP_BPF + CAP_NET_ADMIN).
// `caps: 'bpf_net_admin'` marks programs only the strict rules reject (root accepts them).
export interface Case {
  name: string; src: string; headline: string; kernel: string; caps?: 'bpf_net_admin'; pc?: number;
  /** The kernel's last message in strict mode, where it differs from `kernel`. */
  strictKernel?: string;
  /** Our headline in strict mode, where it differs. */
  strictHeadline?: string;
}

export const LOOKUP = `r1 = 0
*(u32 *)(r10 - 4) = r1
r2 = r10
r2 += -4
r1 = map[1] ll
call 1
`;

export const cases: Case[] = [
  { name: 'unchecked packet read', src: 'r2 = *(u32 *)(r1 + 0)\nr0 = *(u8 *)(r2 + 0)\nexit',
    headline: 'packet access without a bounds check: read 1 byte at off 0', kernel: 'R2 offset is outside of the packet', pc: 1 },
  { name: 'off-by-one bounds check', src: 'r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr4 = r2\nr4 += 14\nif r4 > r3 goto +2\nr0 = *(u16 *)(r2 + 13)\nexit\nr0 = 1\nexit',
    headline: 'packet access out of range: read 2 bytes at off 13, proven range 14', kernel: 'R2 offset is outside of the packet', pc: 5 },
  { name: 'uninitialised register', src: 'r0 = r3\nexit', headline: 'R3 is read before it is written', kernel: 'R3 !read_ok' },
  { name: 'register cleared by a call', src: 'call 7\nr0 = r1\nexit', headline: 'R1 is read before it is written', kernel: 'R1 !read_ok' },
  { name: 'uninitialised stack read (strict)', src: 'r0 = *(u64 *)(r10 - 8)\nr0 = 0\nexit', caps: 'bpf_net_admin',
    headline: 'stack read of uninitialised bytes: fp-8', kernel: 'invalid read from stack R10 off=-8 size=8' },
  { name: 'stack out of bounds', src: 'r1 = 0\n*(u64 *)(r10 - 520) = r1\nr0 = 0\nexit',
    headline: 'stack access out of bounds: write of 8 bytes at fp-520', kernel: 'invalid write to stack R10 off=-520 size=8' },
  { name: 'stack read above the frame', src: 'r0 = *(u64 *)(r10 + 0)\nexit', headline: 'stack access out of bounds', kernel: 'invalid read from stack R10 off=0 size=8' },
  { name: 'missing null check', src: `${LOOKUP}r0 = *(u64 *)(r0 + 0)\nexit`,
    headline: 'R0 may be NULL here', kernel: "R0 invalid mem access 'map_value_or_null'" },
  { name: 'arithmetic before the null check', src: `${LOOKUP}r0 += 4\nr0 = 0\nexit`,
    headline: 'R0 may be NULL', kernel: 'R0 pointer arithmetic on map_value_or_null prohibited, null-check it first' },
  { name: 'map value out of range', src: `${LOOKUP}if r0 == 0 goto +1\nr0 = *(u64 *)(r0 + 4)\nr0 = 0\nexit`,
    headline: "map value access out of range: read of 8 bytes at offset 4, but hash's values are 8 bytes", kernel: 'R0 min value is outside of the allowed memory range' },
  { name: 'write to a ctx field', src: 'r2 = 0\n*(u32 *)(r1 + 0) = r2\nr0 = 0\nexit',
    headline: 'struct xdp_md is read-only', kernel: 'invalid bpf_context access off=0 size=4' },
  { name: 'narrow ctx load', src: 'r0 = *(u16 *)(r1 + 12)\nexit', headline: 'must be read as one 4-byte (u32) load', kernel: 'invalid bpf_context access off=12 size=2' },
  { name: 'egress_ifindex outside a devmap program', src: 'r0 = *(u32 *)(r1 + 20)\nexit', headline: 'readable only by programs attached to a devmap', kernel: 'invalid bpf_context access off=20 size=4' },
  { name: 'unbounded loop', src: 'r0 = 0\nr1 = 0\nl: r1 += 1\nif r1 != 0 goto l\nexit',
    headline: 'the analysis gave up after 1,000,000 instructions', kernel: 'BPF program is too large. Processed 1000001 insn' },
  { name: 'jump out of range', src: 'r0 = 0\ngoto +5\nexit', headline: 'the jump at 1 goes to 7, outside the program', kernel: 'jump out of range from insn 1 to 7' },
  { name: 'unreachable instruction', src: 'r0 = 0\nexit\nr0 = 1\nexit', headline: 'instruction 2 can never run', kernel: 'unreachable insn 2' },
  { name: 'pointer arithmetic with an unbounded scalar', src: 'call 7\nr1 = r10\nr1 += r0\nr0 = 0\nexit',
    headline: 'pointer arithmetic with an unbounded value', kernel: 'math between fp pointer and register with unbounded min value is not allowed' },
  { name: 'arithmetic on data_end', src: 'r3 = *(u32 *)(r1 + 4)\nr3 += 1\nr0 = 0\nexit', headline: 'do not move it', kernel: 'R3 pointer arithmetic on pkt_end prohibited' },
  { name: 'pointer returned in r0 (strict)', src: 'r0 = r10\nexit', caps: 'bpf_net_admin', headline: 'the program returns a pointer (fp)', kernel: 'R0 leaks addr as return value' },
  { name: 'pointer stored into a map (strict)', src: `${LOOKUP}if r0 == 0 goto +1\n*(u64 *)(r0 + 0) = r10\nr0 = 0\nexit`, caps: 'bpf_net_admin',
    headline: 'a pointer would be stored into a map value', kernel: 'R10 leaks addr into map' },
  { name: 'helper not available to XDP', src: 'call 4\nr0 = 0\nexit', headline: 'bpf_probe_read is not available to XDP programs', kernel: 'program of this type cannot use helper bpf_probe_read#4' },
  { name: 'unknown helper', src: 'call 999\nr0 = 0\nexit', headline: 'helper #999 does not exist', kernel: 'invalid func unknown#999' },
  { name: 'wrong helper argument kind', src: 'r1 = 5\nr2 = r10\nr2 += -8\ncall 1\nr0 = 0\nexit',
    headline: 'argument 1 of bpf_map_lookup_elem must be a map (lddw of a map), but R1 is the number 5', kernel: 'R1 type=scalar expected=map_ptr' },
  { name: 'helper with the wrong map type', src: 'r1 = map[1] ll\nr2 = 0\nr3 = 0\ncall 51\nexit', headline: 'bpf_redirect_map cannot be used with map hash', kernel: 'cannot pass map_type 1 into func bpf_redirect_map#51' },
  { name: 'falling off the end', src: 'r0 = 0', headline: 'can fall off its end', kernel: 'last insn is not an exit or jmp' },
  { name: 'division by constant zero', src: 'r0 = 1\nr0 /= 0\nexit', headline: 'division by the constant 0', kernel: 'div by zero' },
  { name: 'invalid shift', src: 'r0 = 1\nr0 <<= 64\nexit', headline: 'a 64-bit shift by 64 is undefined', kernel: 'invalid shift 64' },
  { name: 'invalid 32-bit shift', src: 'w0 = 1\nw0 <<= 32\nexit', headline: 'a 32-bit shift by 32 is undefined', kernel: 'invalid shift 32' },
  { name: 'write to r10', src: 'r10 = 0\nr0 = 0\nexit', headline: 'r10 is the frame pointer', kernel: 'frame pointer is read only' },
  { name: 'return value never set', src: 'exit', headline: 'R0 is read before it is written (the return value)', kernel: 'R0 !read_ok' },
  { name: 'subtraction from the stack pointer', src: 'r1 = r10\nr1 -= 8\nr0 = 0\nexit', headline: 'add a negative number instead', kernel: 'R1 subtraction from stack pointer prohibited' },
  { name: 'misaligned stack access', src: 'r1 = 0\n*(u64 *)(r10 - 4) = r1\nr0 = 0\nexit', headline: 'not aligned', kernel: 'misaligned stack access off 0+0+-4 size 8' },
  { name: 'partial pointer spill', src: '*(u32 *)(r10 - 8) = r1\nr0 = 0\nexit', headline: 'can only be saved to the stack as 8 bytes', kernel: 'invalid size of register spill' },
  { name: 'legacy packet load', src: 'r6 = r1\nr0 = *(u8 *)skb[12]\nexit', headline: 'legacy packet loads', kernel: 'BPF_LD_[ABS|IND] instructions not allowed for this program type' },
  { name: 'packet pointer used after xdp_adjust_head', src: 'r6 = r1\nr7 = *(u32 *)(r1 + 0)\nr8 = *(u32 *)(r1 + 4)\nr2 = r7\nr2 += 1\nif r2 > r8 goto +4\nr1 = r6\nr2 = 0\ncall 44\nr0 = *(u8 *)(r7 + 0)\nr0 = 0\nexit',
    headline: 'R7 is a number, not a pointer', kernel: "R7 invalid mem access 'scalar'",
    // Without CAP_PERFMON the kernel clears invalidated pointers instead of making them numbers.
    strictHeadline: 'R7 is read before it is written', strictKernel: 'R7 !read_ok' },
  { name: 'ring buffer reservation leaked', src: 'r1 = map[2] ll\nr2 = 16\nr3 = 0\ncall 131\nr0 = 0\nexit',
    headline: 'neither submitted nor discarded', kernel: 'BPF_EXIT instruction in main prog would lead to reference leak' },
  { name: 'call stack too deep', src: 'call +1\nexit\n'.repeat(8) + 'r0 = 0\nexit', headline: 'the kernel allows 8 frames', kernel: 'the call stack of 9 frames is too deep' },
  { name: 'variable packet offset past the proven range',
    src: 'r6 = *(u32 *)(r1 + 0)\nr7 = *(u32 *)(r1 + 4)\nr2 = r6\nr2 += 1\nif r2 > r7 goto +8\nr3 = *(u8 *)(r6 + 0)\nr3 &= 15\nr6 += r3\nr4 = r6\nr4 += 4\nif r4 > r7 goto +2\nr0 = *(u32 *)(r6 + 0)\nr0 = *(u32 *)(r6 + 1)\nr0 = 2\nexit',
    headline: 'read 4 bytes at off 1, proven range 4', kernel: 'R6 offset is outside of the packet',
    strictHeadline: 'adding a register to it needs CAP_PERFMON', strictKernel: 'R6 has pointer with unsupported alu operation, pointer arithmetic with it prohibited for !root' },
];

