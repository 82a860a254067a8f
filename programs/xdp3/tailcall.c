// SPDX-License-Identifier: MIT
// tailcall: a prog_array dispatcher. tc_entry tail-calls by protocol: TCP -> slot 0,
// UDP -> slot 1 (both set by the static initialiser), ICMP -> slot 2 (tc_loop, set from a
// setup file), anything else -> slot 3 (empty: the call fails and tc_entry goes on).
// tc_loop tail-calls itself until the kernel's limit of 33 tail calls stops it.
#include "common.h"

RESULTS(tc_count, 4);

int tc_tcp(struct xdp_md *ctx);
int tc_udp(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int(struct xdp_md *));
} jmp SEC(".maps") = {
	.values = { [0] = (void *)&tc_tcp, [1] = (void *)&tc_udp },
};

static __always_inline void count(__u32 i)
{
	__u64 *v = bpf_map_lookup_elem(&tc_count, &i);
	if (v)
		*v += 1;
}

SEC("xdp")
int tc_tcp(struct xdp_md *ctx)
{
	count(0);
	return XDP_DROP;
}

SEC("xdp")
int tc_udp(struct xdp_md *ctx)
{
	count(1);
	return XDP_TX;
}

SEC("xdp")
int tc_loop(struct xdp_md *ctx)
{
	count(2);
	bpf_tail_call(ctx, &jmp, 2);
	return XDP_PASS;
}

SEC("xdp")
int tc_entry(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	__u32 slot = ip->protocol == IPPROTO_TCP ? 0 : ip->protocol == IPPROTO_UDP ? 1 : ip->protocol == IPPROTO_ICMP ? 2 : 3;
	bpf_tail_call(ctx, &jmp, slot);
	count(3);
	return XDP_ABORTED;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
