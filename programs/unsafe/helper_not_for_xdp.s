# A helper XDP programs cannot use: bpf_probe_read (#4) is for tracing programs.
# expect: bpf_probe_read is not available to XDP programs
# kernel: program of this type cannot use helper bpf_probe_read#4
	call 4
	r0 = 0
	exit
