// SPDX-License-Identifier: MIT
// rewrite: destination NAT for IPv4 UDP/TCP with checksum updates through bpf_csum_diff
// (the IPv4 header checksum and the L4 checksum, pseudo-header included), MACs swapped, XDP_TX.
// csum_probe records bpf_csum_diff results for edge cases (sizes, seeds, the 512-byte limit).
#include "common.h"

struct nat {
	__be32 addr;
	__be16 port;
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct nat);
} nat_cfg SEC(".maps");

RESULTS(csum_out, 16);

SEC("xdp")
int nat_rewrite(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->ihl != 5)
		return XDP_PASS;
	__u32 zero = 0;
	struct nat *n = bpf_map_lookup_elem(&nat_cfg, &zero);
	if (!n || !n->addr)
		return XDP_PASS;
	__sum16 *l4check;
	__be16 *port;
	if (ip->protocol == IPPROTO_UDP) {
		struct udphdr *udp = (void *)(ip + 1);
		if ((void *)(udp + 1) > data_end)
			return XDP_PASS;
		l4check = &udp->check;
		port = &udp->dest;
	} else if (ip->protocol == IPPROTO_TCP) {
		struct tcphdr *tcp = (void *)(ip + 1);
		if ((void *)(tcp + 1) > data_end)
			return XDP_PASS;
		l4check = &tcp->check;
		port = &tcp->dest;
	} else {
		return XDP_PASS;
	}
	__be32 old[2] = { ip->daddr, *port };
	__be32 new[2] = { n->addr, n->port };
	// IPv4 header: only the address changes.
	__s64 d = bpf_csum_diff(&old[0], 4, &new[0], 4, ~((__u32)ip->check) & 0xffff);
	if (d < 0)
		return XDP_ABORTED;
	ip->check = csum_fold32((__u32)d);
	// L4: the address (pseudo-header) and the port. UDP checksum 0 means "none".
	if (!(ip->protocol == IPPROTO_UDP && *l4check == 0)) {
		d = bpf_csum_diff(old, 8, new, 8, ~((__u32)*l4check) & 0xffff);
		if (d < 0)
			return XDP_ABORTED;
		*l4check = csum_fold32((__u32)d);
	}
	ip->daddr = n->addr;
	*port = n->port;
	__u8 mac[ETH_ALEN];
	__builtin_memcpy(mac, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, mac, ETH_ALEN);
	return XDP_TX;
}

SEC("xdp")
int csum_probe(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 a[4] = { 0x11223344, 0xffffffff, 0, 0x80000000 };
	__u32 b[4] = { 0x01020304, 0x0a0b0c0d, 0xfffefdfc, 0x7fffffff };
	__u32 z[2] = { 0, 0 };
	put(&csum_out, 0, bpf_csum_diff(a, 16, b, 16, 0));
	put(&csum_out, 1, bpf_csum_diff(0, 0, b, 16, 0x12345678));
	put(&csum_out, 2, bpf_csum_diff(a, 16, 0, 0, 0xffff));
	put(&csum_out, 3, bpf_csum_diff(a, 4, b, 8, 0xffffffff));
	put(&csum_out, 4, bpf_csum_diff(z, 8, z, 8, 0));
	put(&csum_out, 5, bpf_csum_diff(0, 0, z, 8, 0));
	put(&csum_out, 6, bpf_csum_diff(z, 8, 0, 0, 0));
	put(&csum_out, 7, bpf_csum_diff(0, 0, 0, 0, 0xabcd));
	put(&csum_out, 8, bpf_csum_diff(a, 4, b, 4, 0x80000000));
	if (data + 520 <= data_end) {
		put(&csum_out, 9, bpf_csum_diff(data, 256, data + 256, 256, 1));
		put(&csum_out, 10, bpf_csum_diff(data, 256, data + 256, 260, 1));
		put(&csum_out, 11, bpf_csum_diff(0, 0, data, 516, 0));
	}
	if (data + 40 <= data_end)
		put(&csum_out, 12, bpf_csum_diff(0, 0, data + 14, 20, 0));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
