# Wrong helper argument kind: bpf_map_lookup_elem wants a map in r1, not a number.
# expect: argument 1 of bpf_map_lookup_elem must be a map (lddw of a map), but R1 is the number 5
# kernel: R1 type=scalar expected=map_ptr
	r1 = 5
	r2 = r10
	r2 += -8
	call 1
	r0 = 0
	exit
