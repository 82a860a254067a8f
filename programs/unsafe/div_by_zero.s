# Division by the constant 0.
# expect: division by the constant 0
# kernel: div by zero
	r0 = 1
	r0 /= 0
	exit
