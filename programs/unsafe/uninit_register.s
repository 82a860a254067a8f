# Uninitialised register: r3 is never written before it is read.
# expect: R3 is read before it is written
# kernel: R3 !read_ok
	r0 = r3
	exit
