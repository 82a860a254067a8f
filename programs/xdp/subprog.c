// SPDX-License-Identifier: MIT
// subprog: a BPF-to-BPF call. A static, non-inlined function parses the L3 protocol;
// the XDP entry point calls it and drops IPv6 when the sysadmin set the flag in the map.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} drop_ipv6 SEC(".maps");

// Returns the EtherType in host order, or 0 when the frame is too short.
static __noinline int l3_proto(void *data, void *data_end)
{
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end)
		return 0;
	return bpf_ntohs(eth->h_proto);
}

SEC("xdp")
int filter_ipv6(struct xdp_md *ctx)
{
	int proto = l3_proto((void *)(long)ctx->data, (void *)(long)ctx->data_end);
	if (proto != ETH_P_IPV6)
		return XDP_PASS;
	__u32 key = 0;
	__u32 *flag = bpf_map_lookup_elem(&drop_ipv6, &key);
	if (flag && *flag)
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
