# Off-by-one bounds check: the check proves 14 bytes (an Ethernet header) but the
# EtherType load reads bytes 13 and 14.
# expect: packet access out of range: read 2 bytes at off 13, proven range 14
# kernel: R2 offset is outside of the packet
	r2 = *(u32 *)(r1 + 0)        # data
	r3 = *(u32 *)(r1 + 4)        # data_end
	r4 = r2
	r4 += 14
	if r4 > r3 goto short        # proves data[0..13]
	r0 = *(u16 *)(r2 + 13)       # reads data[13..14]: one byte too far
	exit
short:
	r0 = 1
	exit
