# Unreachable code: instructions 2 and 3 can never run.
# expect: instruction 2 can never run
# kernel: unreachable insn 2
	r0 = 0
	exit
	r0 = 1
	exit
