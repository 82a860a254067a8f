# A helper call clears r1-r5: r1 no longer holds the context afterwards.
# expect: R1 is read before it is written
# kernel: R1 !read_ok
	call 7                       # bpf_get_prandom_u32
	r0 = r1
	exit
