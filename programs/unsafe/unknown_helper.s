# Unknown helper: there is no helper #999.
# expect: helper #999 does not exist
# kernel: invalid func unknown#999
	call 999
	r0 = 0
	exit
