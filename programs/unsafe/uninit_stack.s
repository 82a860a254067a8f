# Uninitialised stack read: fp-8 is read before anything is written there. Root
# (CAP_PERFMON) may do this; a loader with only CAP_BPF and CAP_NET_ADMIN may not.
# caps: bpf,net_admin
# expect: stack read of uninitialised bytes: fp-8
# kernel: invalid read from stack R10 off=-8 size=8
	r0 = *(u64 *)(r10 - 8)
	r0 = 0
	exit
