// SPDX-License-Identifier: MIT
// xdp_pass: the smallest XDP program. Every packet goes on to the kernel stack.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
