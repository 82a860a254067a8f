// SPDX-License-Identifier: MIT
// Off-by-one in a real filter: the bounds check covers the Ethernet header and the IPv4
// header up to (not including) the protocol byte, so reading ip->protocol is one byte
// past what was proven. The usual fix: check (void *)(ip + 1) > data_end.
// expect: packet access out of range: read 1 byte at off 23, proven range 23
// kernel: R2 offset is outside of the packet
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int drop_udp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	if ((void *)ip + 9 > data_end)	/* should be ip + 1 (20 bytes) */
		return XDP_PASS;
	if (ip->protocol == 17)
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
