# Falling off the end: the last instruction is not exit or a jump.
# expect: can fall off its end
# kernel: last insn is not an exit or jmp
	r0 = 0
