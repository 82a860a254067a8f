# Pointer arithmetic with an unbounded scalar: a random number is added to the stack
# pointer, which could then point anywhere.
# expect: pointer arithmetic with an unbounded value
# kernel: math between fp pointer and register with unbounded min value is not allowed
	call 7                       # r0 = bpf_get_prandom_u32()
	r1 = r10
	r1 += r0
	r0 = 0
	exit
