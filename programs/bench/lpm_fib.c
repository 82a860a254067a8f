// SPDX-License-Identifier: MIT
// Benchmark: an IPv4 FIB in an LPM trie. Longest-prefix match on the destination, rewrite
// the MACs from the next hop, decrement the TTL (incremental checksum), redirect to its port.
// lpm_fib.setup fills the table (bpftool map update syntax). No TTL floor: a test run with
// repeat reuses one frame, and every run must take the same path.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct lpm_key {
	__u32 prefixlen;
	__be32 addr;
};

struct nexthop {
	__u32 ifindex;
	unsigned char dmac[ETH_ALEN];
	unsigned char smac[ETH_ALEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm_key);
	__type(value, struct nexthop);
} fib SEC(".maps");

SEC("xdp")
int lpm_fib(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	struct lpm_key key = { .prefixlen = 32, .addr = ip->daddr };
	struct nexthop *nh = bpf_map_lookup_elem(&fib, &key);
	if (!nh)
		return XDP_DROP;
	__builtin_memcpy(eth->h_dest, nh->dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, nh->smac, ETH_ALEN);
	// TTL - 1: the checksum word holding the TTL grows by 0x0100 in one's complement.
	__u32 sum = ip->check + bpf_htons(0x0100);
	ip->check = sum + (sum >= 0xffff);
	ip->ttl--;
	return bpf_redirect(nh->ifindex, 0);
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
