# Pointer returned in r0: the program returns the stack address as its action. Root
# may; without CAP_PERFMON this leaks a kernel address.
# caps: bpf,net_admin
# expect: the program returns a pointer (fp)
# kernel: R0 leaks addr as return value
	r0 = r10
	exit
