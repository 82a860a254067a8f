# A packet pointer used after bpf_xdp_adjust_head: the helper may move the packet,
# so every packet pointer taken before it is invalid afterwards.
# expect: R7 is a number, not a pointer
# kernel: R7 invalid mem access 'scalar'
# strict-kernel: R7 !read_ok
	r6 = r1
	r7 = *(u32 *)(r1 + 0)        # data
	r8 = *(u32 *)(r1 + 4)        # data_end
	r2 = r7
	r2 += 1
	if r2 > r8 goto out
	r1 = r6
	r2 = 0
	call 44                      # bpf_xdp_adjust_head(ctx, 0)
	r0 = *(u8 *)(r7 + 0)         # stale pointer
out:
	r0 = 0
	exit
