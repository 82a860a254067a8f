# Arithmetic on data_end: packet pointers are compared with data_end, never moved
# past it by moving data_end itself.
# expect: do not move it
# kernel: R3 pointer arithmetic on pkt_end prohibited
	r3 = *(u32 *)(r1 + 4)        # data_end
	r3 += 1
	r0 = 0
	exit
