// SPDX-License-Identifier: MIT
// encap: moving the frame with bpf_xdp_adjust_head and bpf_xdp_adjust_tail.
//   ipip_encap: push an outer IPv4 header (IP-in-IP, protocol 4), checksum by a bounded loop
//   ipip_decap: strip it again
//   vlan_pop:   remove an 802.1Q tag (adjust_head by +4)
//   tail_ops:   UDP to port 7 grows the frame by 16 bytes and fills them; longer frames are
//               trimmed to 64 bytes; the helper results go to a map
#include "common.h"

RESULTS(tail_res, 4);

SEC("xdp")
int ipip_encap(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	struct iphdr *inner = (void *)(eth + 1);
	if ((void *)(inner + 1) > data_end)
		return XDP_PASS;
	__u16 inner_len = bpf_ntohs(inner->tot_len);
	struct ethhdr old = *eth;
	if (bpf_xdp_adjust_head(ctx, -(int)sizeof(struct iphdr)))
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return XDP_ABORTED;
	*eth = old;
	ip->version = 4;
	ip->ihl = 5;
	ip->tos = 0;
	ip->tot_len = bpf_htons(inner_len + sizeof(struct iphdr));
	ip->id = 0;
	ip->frag_off = bpf_htons(0x4000);
	ip->ttl = 64;
	ip->protocol = IPPROTO_IPIP;
	ip->check = 0;
	ip->saddr = bpf_htonl(0xc0000201); // 192.0.2.1
	ip->daddr = bpf_htonl(0xc0000202);
	__u32 sum = 0;
	__u16 *w = (void *)ip;
#pragma clang loop unroll(disable)
	for (int i = 0; i < 10; i++)
		sum += w[i];
	ip->check = csum_fold32(sum);
	return XDP_TX;
}

SEC("xdp")
int ipip_decap(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->protocol != IPPROTO_IPIP || ip->ihl != 5)
		return XDP_PASS;
	struct ethhdr copy = *eth;
	if (bpf_xdp_adjust_head(ctx, (int)sizeof(struct iphdr)))
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;
	*eth = copy;
	return XDP_PASS;
}

SEC("xdp")
int vlan_pop(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_8021Q))
		return XDP_PASS;
	struct vlan_hdr *v = (void *)(eth + 1);
	if ((void *)(v + 1) > data_end)
		return XDP_DROP;
	__u8 macs[12];
	__builtin_memcpy(macs, eth, 12);
	if (bpf_xdp_adjust_head(ctx, (int)sizeof(struct vlan_hdr)))
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	if (data + 12 > data_end)
		return XDP_ABORTED;
	__builtin_memcpy(data, macs, 12);
	return XDP_PASS;
}

SEC("xdp")
int tail_ops(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 len = data_end - data;
	if (len > 2048)
		return XDP_PASS;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	if ((void *)(udp + 1) <= data_end && eth->h_proto == bpf_htons(ETH_P_IP) && ip->ihl == 5 &&
	    ip->protocol == IPPROTO_UDP && udp->dest == bpf_htons(7)) {
		int r = bpf_xdp_adjust_tail(ctx, 16);
		put(&tail_res, 0, r);
		if (r)
			return XDP_DROP;
		data = (void *)(long)ctx->data;
		data_end = (void *)(long)ctx->data_end;
		__u8 *p = data + (len & 0x7ff);
		if ((void *)(p + 16) > data_end)
			return XDP_ABORTED;
		for (int i = 0; i < 16; i++)
			p[i] = 0xa0 + i;
		put(&tail_res, 1, bpf_xdp_get_buff_len(ctx));
		return XDP_TX;
	}
	if (len > 64) {
		put(&tail_res, 2, bpf_xdp_adjust_tail(ctx, 64 - (int)len));
		put(&tail_res, 3, bpf_xdp_adjust_tail(ctx, -60)); /* below ETH_HLEN: -EINVAL */
		return XDP_TX;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
