# Unchecked packet read: the first byte of the packet is read without comparing
# data + 1 with data_end. A zero-length packet would make this read past the end.
# expect: packet access without a bounds check: read 1 byte at off 0
# kernel: R2 offset is outside of the packet
	r2 = *(u32 *)(r1 + 0)        # ctx->data
	r0 = *(u8 *)(r2 + 0)         # data[0]: no check against data_end
	exit
