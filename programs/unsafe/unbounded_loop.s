# Unbounded loop: the counter wraps around only after 2^64 steps, so the verifier
# explores until its budget of 1,000,000 instructions runs out.
# expect: the analysis gave up after 1,000,000 instructions
# kernel: BPF program is too large. Processed 1000001 insn
	r0 = 0
	r1 = 0
again:
	r1 += 1
	if r1 != 0 goto again
	exit
