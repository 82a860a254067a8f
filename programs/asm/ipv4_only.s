# ipv4_only.s: a tiny XDP filter in LLVM BPF syntax (what llvm-objdump -d prints).
# Passes IPv4 frames and drops everything else, including frames too short for an
# Ethernet header. r1 holds the xdp_md context on entry.
#
#   xdplab asm programs/asm/ipv4_only.s -o ipv4_only.bin
#   llvm-mc -triple bpf -filetype=obj programs/asm/ipv4_only.s -o ipv4_only.o
	r2 = *(u32 *)(r1 + 4)        # ctx->data_end
	r1 = *(u32 *)(r1 + 0)        # ctx->data
	r0 = 1                       # XDP_DROP
	r3 = r1
	r3 += 14                     # end of the Ethernet header
	if r3 > r2 goto done         # too short: drop
	r1 = *(u16 *)(r1 + 12)       # EtherType, network byte order
	if r1 != 8 goto done         # 0x0800 reads as 0x0008 on a little-endian host
	r0 = 2                       # XDP_PASS
done:
	exit
