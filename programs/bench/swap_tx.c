// SPDX-License-Identifier: MIT
// Benchmark: reflect a UDP/IPv4 packet. Swap MAC, IP addresses and UDP ports, decrement the
// TTL with an incremental IPv4 checksum update (RFC 1624), return XDP_TX. No TTL floor: a
// test run with repeat reuses one frame, and every run must take the same path.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

static __always_inline void csum_replace2(__u16 *sum, __u16 old, __u16 new)
{
	__u32 s = (__u16)~*sum + (__u16)~old + new;
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	*sum = ~s;
}

SEC("xdp")
int swap_tx(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (ip->ihl != 5 || ip->protocol != IPPROTO_UDP)
		return XDP_PASS;
	struct udphdr *udp = (void *)(ip + 1);
	if ((void *)(udp + 1) > data_end)
		return XDP_PASS;

	unsigned char mac[ETH_ALEN];
	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	__be32 a = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = a;
	__be16 p = udp->source;
	udp->source = udp->dest;
	udp->dest = p;
	// TTL is the high byte of the 16-bit word it shares with the protocol.
	__u16 old = *(__u16 *)&ip->ttl;
	ip->ttl--;
	csum_replace2(&ip->check, old, *(__u16 *)&ip->ttl);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
