// SPDX-License-Identifier: MIT
// icmp_echo: answer IPv4 ICMP echo requests from the XDP hook. Swap the MAC and IP
// addresses, turn the request into a reply, update the ICMP checksum incrementally
// (RFC 1624) and send the frame back out of the same port with XDP_TX.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

// <linux/icmp.h> drags in glibc socket headers, which do not build for -target bpf.
struct icmphdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be16 id;
	__be16 sequence;
};
#define ICMP_ECHOREPLY 0
#define ICMP_ECHO 8

// Fold a 32-bit ones' complement sum to 16 bits.
static __always_inline __u16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

// RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), for one changed 16-bit word.
static __always_inline __u16 csum_replace2(__u16 check, __u16 old, __u16 new)
{
	__u32 sum = (__u16)~check + (__u16)~old + (__u32)new;
	return csum_fold(sum);
}

SEC("xdp")
int icmp_echo(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->ihl != 5 || ip->protocol != IPPROTO_ICMP)
		return XDP_PASS;
	struct icmphdr *icmp = (void *)(ip + 1);
	if ((void *)(icmp + 1) > data_end || icmp->type != ICMP_ECHO)
		return XDP_PASS;

	// Swap MAC addresses.
	__u8 mac[ETH_ALEN];
	__builtin_memcpy(mac, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, mac, ETH_ALEN);

	// Swap IP addresses: the IP header checksum does not change (the sum is the same).
	__be32 addr = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = addr;

	// Echo request (type 8) -> echo reply (type 0); type and code share one 16-bit word.
	__u16 old = *(__u16 *)icmp;
	icmp->type = ICMP_ECHOREPLY;
	__u16 new = *(__u16 *)icmp;
	icmp->checksum = csum_replace2(icmp->checksum, old, new);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
