# Stack out of bounds: the stack is 512 bytes, fp-512 up to fp-1.
# expect: stack access out of bounds: write of 8 bytes at fp-520
# kernel: invalid write to stack R10 off=-520 size=8
	r1 = 0
	*(u64 *)(r10 - 520) = r1
	r0 = 0
	exit
