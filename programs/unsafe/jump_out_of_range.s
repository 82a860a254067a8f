# Jump out of range: the jump lands beyond the last instruction.
# expect: the jump at 1 goes to 7, outside the program
# kernel: jump out of range from insn 1 to 7
	r0 = 0
	goto +5
	exit
