// SPDX-License-Identifier: MIT
// redirect: bpf_redirect and bpf_redirect_map into every redirect map type. The last octet of
// the IPv4 destination picks the key; the UDP destination port picks the flags:
// port 1 = an invalid flag (XDP_ABORTED), port 2 = fall back to XDP_DROP, else XDP_PASS.
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} tx_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} tx_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} cpus SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

static __always_inline int pick(struct xdp_md *ctx, __u32 *key, __u64 *flags)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	if ((void *)(udp + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5)
		return 0;
	*key = bpf_ntohl(ip->daddr) & 0xff;
	__u16 port = bpf_ntohs(udp->dest);
	*flags = port == 1 ? 0x20 : port == 2 ? XDP_DROP : XDP_PASS;
	return 1;
}

SEC("xdp")
int redir_devmap(struct xdp_md *ctx)
{
	__u32 key; __u64 flags;
	if (!pick(ctx, &key, &flags))
		return XDP_PASS;
	return bpf_redirect_map(&tx_ports, key, flags);
}

SEC("xdp")
int redir_devhash(struct xdp_md *ctx)
{
	__u32 key; __u64 flags;
	if (!pick(ctx, &key, &flags))
		return XDP_PASS;
	return bpf_redirect_map(&tx_hash, key, flags);
}

SEC("xdp")
int redir_cpumap(struct xdp_md *ctx)
{
	__u32 key; __u64 flags;
	if (!pick(ctx, &key, &flags))
		return XDP_PASS;
	return bpf_redirect_map(&cpus, key, flags);
}

SEC("xdp")
int redir_xsk(struct xdp_md *ctx)
{
	__u32 key; __u64 flags;
	if (!pick(ctx, &key, &flags))
		return XDP_PASS;
	return bpf_redirect_map(&xsks, ctx->rx_queue_index + key, flags);
}

SEC("xdp")
int redir_ifindex(struct xdp_md *ctx)
{
	__u32 key; __u64 flags;
	if (!pick(ctx, &key, &flags))
		return XDP_PASS;
	return bpf_redirect(key, flags == 0x20 ? 1 : 0);
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
