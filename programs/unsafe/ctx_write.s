# Write to a read-only context field: struct xdp_md cannot be written (an offloaded
# program may set rx_queue_index; see --target hw).
# expect: struct xdp_md is read-only
# kernel: invalid bpf_context access off=0 size=4
	r2 = 0
	*(u32 *)(r1 + 0) = r2        # ctx->data = 0
	r0 = 0
	exit
